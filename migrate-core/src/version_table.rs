//! The version table: one row per applied (or failed) revision. Rows are written as
//! literals through the quoting writer, so that a row can travel with a revision's commit.

use crate::db::Connection;
use crate::dialect::{Dialect, RawVersionRow};
use crate::error::{Error, Result};
use crate::revision::Revision;

/// The default name of the version table.
pub const DEFAULT_VERSION_TABLE: &str = "migrate_versions";

/// Where a revision stands. Only `Applied` counts as applied; every other state is a
/// revision that ran outside a transaction and did not finish, and blocks every run until
/// `resolve` records what really happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Applied,
    /// Upgrading when the process stopped (killed, or its connection lost).
    Running,
    /// An upgrade statement failed; the ones before it were committed.
    Failed,
    /// Downgrading when the process stopped.
    Reverting,
    /// A downgrade statement failed; the ones before it were committed.
    RevertFailed,
}

impl State {
    const ALL: [State; 5] = [
        State::Applied,
        State::Running,
        State::Failed,
        State::Reverting,
        State::RevertFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Running => "running",
            State::Failed => "failed",
            State::Reverting => "reverting",
            State::RevertFailed => "revert_failed",
        }
    }

    /// Whether the revision stopped part-way (any state but applied).
    pub fn is_unfinished(self) -> bool {
        self != State::Applied
    }

    /// The row's state in words, for messages: `failed while upgrading`.
    pub fn describe(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Running => "interrupted while upgrading",
            State::Failed => "failed while upgrading",
            State::Reverting => "interrupted while downgrading",
            State::RevertFailed => "failed while downgrading",
        }
    }

    /// The state a row records; an unknown one is an error, never read as applied.
    fn parse(text: &str, revision: &str, table: &str) -> Result<State> {
        State::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| Error::UnknownCatalogValue {
                what: format!("the state of revision {revision} as"),
                value: text.to_owned(),
                table: table.to_owned(),
                hint: "record what really happened with `resolve REV --applied` or `resolve REV --rolled-back`",
            })
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
    /// For a revision that did not finish: how many of its statements completed.
    pub statement_index: Option<i64>,
}

/// The statement that creates the version table if it is missing.
pub fn create_sql(dialect: &dyn Dialect, table: &str) -> String {
    // The id column's width is the limit revisions are checked against when loaded.
    const _: () = assert!(crate::revision::MAX_REVISION_ID_LEN == 64);
    dialect.create_table_if_missing(
        table,
        "revision VARCHAR(64) NOT NULL PRIMARY KEY, parents VARCHAR(1024) NOT NULL, \
         checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(40) NOT NULL, \
         duration_ms BIGINT NOT NULL, state VARCHAR(16) NOT NULL, error TEXT, \
         statement_index BIGINT",
    )
}

pub fn ensure(conn: &mut Connection, table: &str) -> Result<()> {
    // A version table in its own schema (`version_table = "ops.migrate_versions"`).
    if let (Some(schema), true) = (
        crate::sql::split_schema(table).0,
        conn.dialect().facts().schemas,
    ) {
        let mut w = conn.dialect().writer();
        w.raw("CREATE SCHEMA IF NOT EXISTS ").ident(schema);
        let sql = w.finish();
        conn.batch_execute(&sql)
            .map_err(Error::db(format!("creating the schema of {table}")))?;
    }
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
    let rows: Vec<RawVersionRow> = conn
        .backend()
        .load_version_rows(&w.finish())
        .map_err(Error::db(format!("reading the version table {table}")))?;
    rows.into_iter()
        .map(|r| {
            Ok(VersionRow {
                state: State::parse(&r.state, &r.revision, table)?,
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
                error: r.error,
                statement_index: r.statement_index,
            })
        })
        .collect()
}

/// Whether the version table exists (it is created on the first upgrade or stamp).
pub fn exists(conn: &mut Connection, table: &str) -> Result<bool> {
    conn.backend().table_exists(table)
}

pub fn insert(conn: &mut Connection, table: &str, row: &VersionRow) -> Result<()> {
    let sql = insert_row_sql(conn.dialect(), table, row);
    conn.batch_execute(&sql)
        .map_err(Error::db(format!("recording revision {}", row.revision)))
}

/// The INSERT of `row` with literal values, so that it can travel with other statements (a
/// revision's commit) in one round trip.
pub fn insert_row_sql(dialect: &dyn Dialect, table: &str, row: &VersionRow) -> String {
    let mut w = dialect.writer();
    w.raw("INSERT INTO ")
        .ident(table)
        .raw(" (revision, parents, checksum, applied_at, duration_ms, state, error, statement_index) VALUES (")
        .string(&row.revision)
        .raw(", ")
        .string(&row.parents.join(","))
        .raw(", ")
        .string(&row.checksum)
        .raw(", ")
        .string(&row.applied_at)
        .raw(&format!(", {}, ", row.duration_ms))
        .string(row.state.as_str())
        .raw(", ")
        .string_or_null(row.error.as_deref())
        .raw(&format!(", {})", nullable_number(row.statement_index)));
    w.finish()
}

pub fn delete(conn: &mut Connection, table: &str, revision: &str) -> Result<()> {
    let sql = delete_literal_sql(conn.dialect(), table, revision);
    conn.batch_execute(&sql).map_err(Error::db(format!(
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

/// An INSERT of the version row for `revision` with literal values, for offline scripts:
/// `applied`, or `running` with no statement completed for a revision the script tracks.
pub fn insert_literal_sql(
    dialect: &dyn Dialect,
    table: &str,
    revision: &Revision,
    state: State,
) -> String {
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
        .raw(dialect.facts().now_text_sql)
        .raw(", 0, ")
        .string(state.as_str())
        .raw(if state == State::Applied {
            ", NULL, NULL)"
        } else {
            ", NULL, 0)"
        });
    w.finish()
}

/// An UPDATE of a row's state and completed-statement count with literal values, for the
/// offline scripts of revisions that run outside a transaction.
pub fn progress_literal_sql(
    dialect: &dyn Dialect,
    table: &str,
    revision: &str,
    state: State,
    completed: Option<usize>,
) -> String {
    let mut w = dialect.writer();
    w.raw("UPDATE ")
        .ident(table)
        .raw(" SET state = ")
        .string(state.as_str())
        .raw(", statement_index = ")
        .raw(&completed.map_or_else(|| "NULL".to_owned(), |n| n.to_string()))
        .raw(" WHERE revision = ")
        .string(revision);
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

/// Rewrites a revision's row in place (state, progress, error, checksum, duration), keeping
/// when it was applied: how a run records progress and how `resolve` records an outcome.
pub fn update(conn: &mut Connection, table: &str, row: &VersionRow) -> Result<()> {
    let sql = update_row_sql(conn.dialect(), table, row);
    conn.batch_execute(&sql).map_err(Error::db(format!(
        "recording the state of revision {} in {table}",
        row.revision
    )))
}

/// The UPDATE behind [`update`], with literal values.
pub fn update_row_sql(dialect: &dyn Dialect, table: &str, row: &VersionRow) -> String {
    let mut w = dialect.writer();
    w.raw("UPDATE ")
        .ident(table)
        .raw(" SET state = ")
        .string(row.state.as_str())
        .raw(&format!(
            ", statement_index = {}, error = ",
            nullable_number(row.statement_index)
        ))
        .string_or_null(row.error.as_deref())
        .raw(", checksum = ")
        .string(&row.checksum)
        .raw(&format!(
            ", duration_ms = {} WHERE revision = ",
            row.duration_ms
        ))
        .string(&row.revision);
    w.finish()
}

fn nullable_number(n: Option<i64>) -> String {
    n.map_or_else(|| "NULL".to_owned(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::DatabaseUrl;

    #[test]
    fn an_unknown_state_is_an_error_naming_it() {
        let mut conn = match Connection::establish(&DatabaseUrl::sqlite(":memory:")) {
            Ok(conn) => conn,
            Err(e) => panic!("in-memory SQLite: {e}"),
        };
        let setup = ensure(&mut conn, DEFAULT_VERSION_TABLE).and_then(|()| {
            conn.batch_execute(
                "INSERT INTO migrate_versions VALUES ('a1', '', 'x', 'now', 0, 'pending', NULL, NULL)",
            )
            .map_err(Error::db("inserting"))
        });
        assert!(setup.is_ok(), "{setup:?}");
        let message = read(&mut conn, DEFAULT_VERSION_TABLE)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("`pending`"), "{message}");
        assert!(message.contains("revision a1"), "{message}");
        assert!(message.contains("migrate_versions"), "{message}");
    }
}
