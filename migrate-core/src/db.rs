//! A connection to one of the supported backends, through diesel.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
#[cfg(any(feature = "postgres", feature = "mysql"))]
use diesel::connection::TransactionManager as _;
use diesel::Connection as _;
#[cfg(feature = "mysql")]
use diesel::MysqlConnection;
#[cfg(feature = "postgres")]
use diesel::PgConnection;
use diesel::SqliteConnection;

use crate::dialect::{self, Dialect};
use crate::error::{Error, Result};
use crate::schema::Schema;

/// Where a database lives, parsed from a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
    Mysql(String),
}

impl DatabaseUrl {
    /// `sqlite://path`, `sqlite:path`, a bare file path, `postgres://…`/`postgresql://…`,
    /// `mysql://…`.
    pub fn parse(url: &str) -> Result<DatabaseUrl> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        if url.starts_with("mysql://") || url.starts_with("mariadb://") {
            return Ok(DatabaseUrl::Mysql(url.replacen(
                "mariadb://",
                "mysql://",
                1,
            )));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(Error::UnsupportedUrl(url.to_owned()));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn dialect(&self) -> &'static dyn Dialect {
        match self {
            DatabaseUrl::Sqlite(_) => &dialect::sqlite::Sqlite,
            DatabaseUrl::Postgres(_) => &dialect::postgres::Postgres,
            DatabaseUrl::Mysql(_) => &dialect::mysql::Mysql,
        }
    }

    /// The URL with any password hidden, for messages.
    pub fn display(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) | DatabaseUrl::Mysql(url) => hide_password(url),
        }
    }
}

fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// An open connection.
pub enum Connection {
    Sqlite(SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(MysqlConnection),
}

/// Runs `$body` with `$c` bound to whichever diesel connection `$conn` holds. The body is
/// compiled once per backend, so it may use anything generic over diesel backends (bind
/// parameters, `QueryableByName`) without repeating itself per variant.
macro_rules! with_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::Connection::Sqlite($c) => $body,
            #[cfg(feature = "postgres")]
            $crate::db::Connection::Postgres($c) => $body,
            #[cfg(feature = "mysql")]
            $crate::db::Connection::Mysql($c) => $body,
        }
    };
}
pub(crate) use with_backend;

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Connection::Sqlite(_) => "Connection::Sqlite",
            #[cfg(feature = "postgres")]
            Connection::Postgres(_) => "Connection::Postgres",
            #[cfg(feature = "mysql")]
            Connection::Mysql(_) => "Connection::Mysql",
        })
    }
}

impl Connection {
    pub fn establish(url: &DatabaseUrl) -> Result<Connection> {
        let connect_error = |source| Error::Connect {
            url: url.display(),
            source,
        };
        match url {
            DatabaseUrl::Sqlite(path) => {
                create_parent_dir(path)?;
                let text = path.to_string_lossy();
                let conn = SqliteConnection::establish(&text).map_err(connect_error)?;
                Ok(Connection::Sqlite(conn))
            }
            #[cfg(feature = "postgres")]
            DatabaseUrl::Postgres(text) => PgConnection::establish(text)
                .map(Connection::Postgres)
                .map_err(connect_error),
            #[cfg(not(feature = "postgres"))]
            DatabaseUrl::Postgres(_) => Err(Error::BackendDisabled {
                url: url.display(),
                backend: "PostgreSQL",
                feature: "postgres",
            }),
            #[cfg(feature = "mysql")]
            DatabaseUrl::Mysql(text) => MysqlConnection::establish(text)
                .map(Connection::Mysql)
                .map_err(connect_error),
            #[cfg(not(feature = "mysql"))]
            DatabaseUrl::Mysql(_) => Err(Error::BackendDisabled {
                url: url.display(),
                backend: "MySQL/MariaDB",
                feature: "mysql",
            }),
        }
    }

    pub fn dialect(&self) -> &'static dyn Dialect {
        match self {
            Connection::Sqlite(_) => &dialect::sqlite::Sqlite,
            #[cfg(feature = "postgres")]
            Connection::Postgres(_) => &dialect::postgres::Postgres,
            #[cfg(feature = "mysql")]
            Connection::Mysql(_) => &dialect::mysql::Mysql,
        }
    }

    pub fn batch_execute(&mut self, sql: &str) -> Result<(), diesel::result::Error> {
        with_backend!(self, c => c.batch_execute(sql))
    }

    /// The live schema, without the version table.
    pub fn introspect(&mut self, version_table: &str) -> Result<Schema> {
        match self {
            Connection::Sqlite(c) => dialect::sqlite::introspect(c, version_table),
            #[cfg(feature = "postgres")]
            Connection::Postgres(c) => dialect::postgres::introspect(c, version_table),
            #[cfg(feature = "mysql")]
            Connection::Mysql(c) => dialect::mysql::introspect(c, version_table),
        }
    }

    /// Whether a table holds at least one row.
    pub fn has_rows(&mut self, table: &str) -> Result<bool> {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct Found {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            #[allow(dead_code)]
            one: i32,
        }
        let mut w = self.dialect().writer();
        w.raw("SELECT 1 AS one FROM ").ident(table).raw(" LIMIT 1");
        let sql = w.finish();
        let rows: Vec<Found> = with_backend!(self, c => diesel::sql_query(sql).load(c))
            .map_err(Error::db(format!("counting rows of {table}")))?;
        Ok(!rows.is_empty())
    }

    /// Whether a revision's statements and its version row can commit together. SQLite: always
    /// (the whole run is one transaction, which a revision cannot step out of). PostgreSQL:
    /// unless the revision asks to run outside a transaction (`run_in_transaction = false`,
    /// e.g. for `CREATE INDEX CONCURRENTLY`). MySQL: never, every DDL statement commits
    /// implicitly.
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    pub fn runs_atomically(&self, run_in_transaction: bool) -> bool {
        match self {
            Connection::Sqlite(_) => true,
            #[cfg(feature = "postgres")]
            Connection::Postgres(_) => run_in_transaction,
            #[cfg(feature = "mysql")]
            Connection::Mysql(_) => false,
        }
    }
}

/// The run-wide lock and per-revision transactions (DESIGN §6).
///
/// - SQLite: the whole run is one `BEGIN IMMEDIATE` transaction (that is the lock) and each
///   revision a savepoint inside it, so revisions still commit or roll back one by one while
///   no other process can interleave.
/// - PostgreSQL: a session advisory lock, taken with retries until a timeout; each revision
///   is a real transaction (DDL is transactional).
/// - MySQL/MariaDB: a named lock (`GET_LOCK`); revisions are not atomic (DDL commits
///   implicitly), so the runner records a failed row when one stops part-way. The transaction
///   calls still matter for `stamp`, which only writes version rows.
impl Connection {
    pub fn lock(&mut self) -> Result<()> {
        match self {
            Connection::Sqlite(c) => {
                // Rebuilding a table drops it; with foreign keys on, that would fire
                // ON DELETE actions on the rows that reference it. The pragma is ignored
                // inside a transaction, so it is set before the lock is taken.
                c.batch_execute("PRAGMA foreign_keys = OFF")
                    .map_err(Error::db("turning foreign keys off for the run"))?;
                dialect::sqlite::begin_exclusive(c)
            }
            #[cfg(feature = "postgres")]
            Connection::Postgres(c) => dialect::postgres::acquire_lock(c),
            #[cfg(feature = "mysql")]
            Connection::Mysql(c) => dialect::mysql::acquire_lock(c),
        }
    }

    /// Ends the run: commits what the revisions committed, releases the lock.
    pub fn unlock(&mut self, _succeeded: bool) -> Result<()> {
        match self {
            Connection::Sqlite(c) => c
                .batch_execute("COMMIT")
                .map_err(Error::db("committing the migration run")),
            #[cfg(feature = "postgres")]
            Connection::Postgres(c) => dialect::postgres::release_lock(c),
            #[cfg(feature = "mysql")]
            Connection::Mysql(c) => dialect::mysql::release_lock(c),
        }
    }

    pub fn begin_revision(&mut self) -> Result<()> {
        let begun = match self {
            Connection::Sqlite(c) => c.batch_execute("SAVEPOINT migrate_revision"),
            #[cfg(feature = "postgres")]
            Connection::Postgres(c) => TransactionManagerOf::<PgConnection>::begin_transaction(c),
            #[cfg(feature = "mysql")]
            Connection::Mysql(c) => TransactionManagerOf::<MysqlConnection>::begin_transaction(c),
        };
        begun.map_err(Error::db("starting a revision"))
    }

    pub fn commit_revision(&mut self) -> Result<()> {
        let committed = match self {
            Connection::Sqlite(c) => c.batch_execute("RELEASE SAVEPOINT migrate_revision"),
            #[cfg(feature = "postgres")]
            Connection::Postgres(c) => TransactionManagerOf::<PgConnection>::commit_transaction(c),
            #[cfg(feature = "mysql")]
            Connection::Mysql(c) => TransactionManagerOf::<MysqlConnection>::commit_transaction(c),
        };
        committed.map_err(Error::db("committing a revision"))
    }

    pub fn rollback_revision(&mut self) -> Result<()> {
        let rolled_back = match self {
            Connection::Sqlite(c) => c.batch_execute(
                "ROLLBACK TO SAVEPOINT migrate_revision; RELEASE SAVEPOINT migrate_revision",
            ),
            #[cfg(feature = "postgres")]
            Connection::Postgres(c) => {
                TransactionManagerOf::<PgConnection>::rollback_transaction(c)
            }
            #[cfg(feature = "mysql")]
            Connection::Mysql(c) => {
                TransactionManagerOf::<MysqlConnection>::rollback_transaction(c)
            }
        };
        rolled_back.map_err(Error::db("rolling back a revision"))
    }

    /// Rows that violate a foreign key, as a message; SQLite only checks them on request
    /// while foreign keys are off. PostgreSQL and MySQL check every statement as it runs.
    pub fn check_foreign_keys(&mut self) -> std::result::Result<(), String> {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct Violation {
            #[diesel(sql_type = diesel::sql_types::Text)]
            table: String,
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
            rowid: Option<i64>,
            #[diesel(sql_type = diesel::sql_types::Text)]
            parent: String,
        }
        match self {
            Self::Sqlite(c) => {
                let rows: Vec<Violation> = diesel::sql_query(
                    "SELECT \"table\" AS \"table\", rowid AS rowid, parent AS parent FROM pragma_foreign_key_check",
                )
                .load(c)
                .map_err(|e| e.to_string())?;
                if rows.is_empty() {
                    return Ok(());
                }
                let listed: Vec<String> = rows
                    .iter()
                    .take(10)
                    .map(|v| format!("{} row {} -> {}", v.table, v.rowid.unwrap_or(0), v.parent))
                    .collect();
                Err(format!(
                    "{} row(s) violate foreign keys: {}",
                    rows.len(),
                    listed.join("; ")
                ))
            }
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => Ok(()),
            #[cfg(feature = "mysql")]
            Self::Mysql(_) => Ok(()),
        }
    }
}

/// The transaction manager diesel uses for a connection type. Going through it (rather than
/// sending `BEGIN` as text) keeps diesel's own idea of the transaction depth right, which the
/// lock release relies on to roll back a revision an error left open.
#[cfg(any(feature = "postgres", feature = "mysql"))]
type TransactionManagerOf<C> = <C as diesel::Connection>::TransactionManager;

fn create_parent_dir(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_per_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://dev.db").ok(),
            Some(DatabaseUrl::Sqlite("dev.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("data/dev.sqlite3").ok(),
            Some(DatabaseUrl::Sqlite("data/dev.sqlite3".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u:secret@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(DatabaseUrl::parse("redis://x").is_err());
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@h/db")
                .map(|u| u.display())
                .ok(),
            Some("postgres://u:***@h/db".to_owned())
        );
    }

    #[test]
    fn urls_pick_their_dialect() {
        let name = |url: &str| DatabaseUrl::parse(url).map(|u| u.dialect().name()).ok();
        assert_eq!(name("sqlite://dev.db"), Some("sqlite"));
        assert_eq!(name("postgresql://u@h/db"), Some("postgres"));
        assert_eq!(name("mariadb://u@h/db"), Some("mysql"));
    }

    /// The error for a backend left out of the build, with the password hidden.
    #[allow(dead_code)]
    fn establish_error(url: &str) -> String {
        match DatabaseUrl::parse(url).and_then(|u| Connection::establish(&u)) {
            Ok(conn) => format!("connected: {conn:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[cfg(not(feature = "postgres"))]
    #[test]
    fn postgres_without_its_feature_names_the_feature() {
        let message = establish_error("postgres://u:secret@h/db");
        assert!(
            message.contains("enable the `postgres` feature"),
            "{message}"
        );
        assert!(message.contains("postgres://u:***@h/db"), "{message}");
    }

    #[cfg(not(feature = "mysql"))]
    #[test]
    fn mysql_without_its_feature_names_the_feature() {
        let message = establish_error("mysql://u:secret@h/db");
        assert!(message.contains("enable the `mysql` feature"), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }
}
