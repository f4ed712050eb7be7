//! The version table: one row per applied (or failed) revision. Rows are written with bind
//! parameters only.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::db::{with_backend, Connection};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::revision::Revision;

/// The default name of the version table.
pub const DEFAULT_VERSION_TABLE: &str = "migrate_versions";

/// Whether a revision applied cleanly or stopped part-way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Applied,
    Failed,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VersionRow {
    pub revision: String,
    pub parents: Vec<String>,
    pub checksum: String,
    pub applied_at: String,
    pub duration_ms: i64,
    pub state: State,
    pub error: Option<String>,
    pub statement_index: Option<i64>,
}

#[derive(QueryableByName)]
struct RawRow {
    #[diesel(sql_type = Text)]
    revision: String,
    #[diesel(sql_type = Text)]
    parents: String,
    #[diesel(sql_type = Text)]
    checksum: String,
    #[diesel(sql_type = Text)]
    applied_at: String,
    #[diesel(sql_type = BigInt)]
    duration_ms: i64,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Nullable<Text>)]
    error: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    statement_index: Option<i64>,
}

/// The statement that creates the version table if it is missing.
pub fn create_sql(dialect: &dyn Dialect, table: &str) -> String {
    let mut w = dialect.writer();
    w.raw("CREATE TABLE IF NOT EXISTS ")
        .ident(table)
        .raw(" (revision VARCHAR(64) NOT NULL PRIMARY KEY, parents VARCHAR(1024) NOT NULL, ")
        .raw("checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(40) NOT NULL, ")
        .raw("duration_ms BIGINT NOT NULL, state VARCHAR(16) NOT NULL, error TEXT, ")
        .raw("statement_index BIGINT)");
    w.finish()
}

pub fn ensure(conn: &mut Connection, table: &str) -> Result<()> {
    let sql = create_sql(conn.dialect(), table);
    conn.batch_execute(&sql)
        .map_err(Error::db(format!("creating the version table {table}")))
}

/// Every row, ordered by time applied.
pub fn read(conn: &mut Connection, table: &str) -> Result<Vec<VersionRow>> {
    let mut w = conn.dialect().writer();
    w.raw("SELECT revision, parents, checksum, applied_at, duration_ms, state, error, statement_index FROM ")
        .ident(table)
        .raw(" ORDER BY applied_at, revision");
    let sql = w.finish();
    let rows: Vec<RawRow> = with_backend!(conn, c => diesel::sql_query(sql).load(c))
        .map_err(Error::db(format!("reading the version table {table}")))?;
    Ok(rows
        .into_iter()
        .map(|r| VersionRow {
            parents: r
                .parents
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            revision: r.revision,
            checksum: r.checksum,
            applied_at: r.applied_at,
            duration_ms: r.duration_ms,
            state: if r.state == "failed" {
                State::Failed
            } else {
                State::Applied
            },
            error: r.error,
            statement_index: r.statement_index,
        })
        .collect())
}

/// Whether the version table exists (it is created on the first upgrade or stamp).
///
/// Asks the catalog instead of trying a `SELECT` on the table: on PostgreSQL a failing
/// statement would abort the surrounding transaction.
pub fn exists(conn: &mut Connection, table: &str) -> Result<bool> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let d = conn.dialect();
    let mut w = d.writer();
    match conn {
        Connection::Sqlite(_) => {
            w.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ");
        }
        #[cfg(feature = "postgres")]
        Connection::Postgres(_) => {
            w.raw(
                "SELECT COUNT(*) AS n FROM pg_catalog.pg_tables \
                 WHERE schemaname = current_schema() AND tablename = ",
            );
        }
        #[cfg(feature = "mysql")]
        Connection::Mysql(_) => {
            w.raw(
                "SELECT COUNT(*) AS n FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ",
            );
        }
    }
    w.raw(&d.placeholder(1));
    let sql = w.finish();
    let found: Vec<Count> =
        with_backend!(conn, c => diesel::sql_query(sql).bind::<Text, _>(table).load(c))
            .map_err(Error::db(format!("looking for the version table {table}")))?;
    Ok(found.first().is_some_and(|c| c.n > 0))
}

pub fn insert(conn: &mut Connection, table: &str, row: &VersionRow) -> Result<()> {
    let d = conn.dialect();
    let mut w = d.writer();
    w.raw("INSERT INTO ").ident(table).raw(
        " (revision, parents, checksum, applied_at, duration_ms, state, error, statement_index) VALUES (",
    );
    for n in 1..=8 {
        if n > 1 {
            w.raw(", ");
        }
        w.raw(&d.placeholder(n));
    }
    w.raw(")");
    let sql = w.finish();
    let parents = row.parents.join(",");
    let result = with_backend!(conn, c => diesel::sql_query(sql)
        .bind::<Text, _>(&row.revision)
        .bind::<Text, _>(&parents)
        .bind::<Text, _>(&row.checksum)
        .bind::<Text, _>(&row.applied_at)
        .bind::<BigInt, _>(row.duration_ms)
        .bind::<Text, _>(row.state.as_str())
        .bind::<Nullable<Text>, _>(row.error.as_deref())
        .bind::<Nullable<BigInt>, _>(row.statement_index)
        .execute(c));
    result
        .map(|_| ())
        .map_err(Error::db(format!("recording revision {}", row.revision)))
}

pub fn delete(conn: &mut Connection, table: &str, revision: &str) -> Result<()> {
    let d = conn.dialect();
    let mut w = d.writer();
    w.raw("DELETE FROM ")
        .ident(table)
        .raw(" WHERE revision = ")
        .raw(&d.placeholder(1));
    let sql = w.finish();
    let result =
        with_backend!(conn, c => diesel::sql_query(sql).bind::<Text, _>(revision).execute(c));
    result.map(|_| ()).map_err(Error::db(format!(
        "removing revision {revision} from the version table"
    )))
}

pub fn delete_all(conn: &mut Connection, table: &str) -> Result<()> {
    let mut w = conn.dialect().writer();
    w.raw("DELETE FROM ").ident(table);
    let sql = w.finish();
    conn.batch_execute(&sql)
        .map_err(Error::db(format!("emptying the version table {table}")))
}

/// The format of `applied_at`, shared with offline scripts (`Dialect::now_text_sql`).
pub fn now_text() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// An INSERT of the version row for `revision` with literal values, for offline scripts.
pub fn insert_literal_sql(dialect: &dyn Dialect, table: &str, revision: &Revision) -> String {
    let mut w = dialect.writer();
    w.raw("INSERT INTO ")
        .ident(table)
        .raw(" (revision, parents, checksum, applied_at, duration_ms, state, error, statement_index) VALUES (")
        .string(&revision.id)
        .raw(", ")
        .string(&revision.parents.join(","))
        .raw(", ")
        .string(&revision.checksum(dialect.name()))
        .raw(", ")
        .raw(dialect.now_text_sql())
        .raw(", 0, ")
        .string(State::Applied.as_str())
        .raw(", NULL, NULL)");
    w.finish()
}

/// A DELETE of the version row for `revision` with a literal value, for offline scripts.
pub fn delete_literal_sql(dialect: &dyn Dialect, table: &str, revision: &str) -> String {
    let mut w = dialect.writer();
    w.raw("DELETE FROM ")
        .ident(table)
        .raw(" WHERE revision = ")
        .string(revision);
    w.finish()
}

/// Records a revision that stopped part-way on a backend whose DDL cannot be rolled back,
/// replacing any row it had: after a failed downgrade the revision is neither applied nor
/// reverted either.
pub fn record_failed(conn: &mut Connection, table: &str, row: &VersionRow) -> Result<()> {
    delete(conn, table, &row.revision)?;
    insert(conn, table, row)
}
