//! A database URL and a connection to it. Which backend a URL selects, and whether this build
//! can reach it, come from [`dialect::ALL`](crate::dialect::ALL); everything a connection does
//! is its backend's [`Backend`] implementation.

use std::path::Path;

use std::time::Duration;

use crate::dialect::{self, Backend, ConnectFn, ConnectTimeout, Connector, Dialect, Target};
use crate::error::{Error, Result};
use crate::schema::Schema;

/// Where a database lives: a dialect and what its driver is given (a file path for SQLite,
/// the URL for a server).
#[derive(Debug, Clone)]
pub struct DatabaseUrl {
    dialect: &'static dyn Dialect,
    location: String,
}

impl PartialEq for DatabaseUrl {
    fn eq(&self, other: &Self) -> bool {
        self.dialect.name() == other.dialect.name() && self.location == other.location
    }
}

impl DatabaseUrl {
    /// `sqlite://path`, `sqlite:path`, a bare file path, or `<scheme>://…` for any scheme a
    /// dialect lists (`postgres`, `postgresql`, `mysql`, `mariadb`).
    pub fn parse(text: &str) -> Result<DatabaseUrl> {
        let text = text.trim();
        let unsupported = || Error::UnsupportedUrl {
            url: mask_password(text),
            schemes: dialect::ALL
                .iter()
                .flat_map(|d| d.facts().url_schemes)
                .map(|s| format!("{s}://"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let Some((scheme, _)) = text.split_once("://") else {
            let path = text.strip_prefix("sqlite:").unwrap_or(text);
            if path.is_empty() {
                return Err(unsupported());
            }
            return Ok(DatabaseUrl::sqlite(path));
        };
        let scheme = scheme.to_ascii_lowercase();
        let chosen = dialect::ALL
            .iter()
            .copied()
            .find(|d| d.facts().url_schemes.contains(&scheme.as_str()))
            .ok_or_else(unsupported)?;
        if chosen.name() == dialect::sqlite::Sqlite.name() {
            let path = &text[scheme.len() + 3..];
            if path.is_empty() {
                return Err(unsupported());
            }
            return Ok(DatabaseUrl::sqlite(path));
        }
        let mut parsed = url::Url::parse(text).map_err(|e| Error::InvalidUrl {
            url: mask_password(text),
            reason: format!(
                "{e}\n  hint: special characters in a user name or password must be \
                 percent-encoded (`@` as %40, `:` as %3A)"
            ),
        })?;
        // Without a database name the drivers pick one (PostgreSQL the user's name or
        // `postgres`, MySQL none at all), and the version table lands somewhere unintended.
        if parsed.path().trim_matches('/').is_empty() {
            return Err(Error::InvalidUrl {
                url: mask_password(text),
                reason: format!(
                    "the URL names no database; add it after the host, e.g. {}://user@host/app_dev",
                    primary_scheme(chosen)
                ),
            });
        }
        // Drivers know only the dialect's own scheme (`mysql://`, not `mariadb://`).
        let primary = primary_scheme(chosen);
        let location = if scheme == primary {
            text.to_owned()
        } else {
            parsed
                .set_scheme(primary)
                .map_err(|()| unsupported())
                .map(|()| parsed.to_string())?
        };
        Ok(DatabaseUrl {
            dialect: chosen,
            location,
        })
    }

    /// An SQLite database file (`:memory:` for one in memory).
    pub fn sqlite(path: impl AsRef<Path>) -> DatabaseUrl {
        DatabaseUrl {
            dialect: &dialect::sqlite::Sqlite,
            location: path.as_ref().to_string_lossy().into_owned(),
        }
    }

    pub fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    /// Whether this is an SQLite file (or `:memory:`), the embedded default.
    pub fn is_sqlite(&self) -> bool {
        self.dialect.name() == dialect::sqlite::Sqlite.name()
    }

    /// Whether this is an SQLite file that does not exist yet: connecting would create it, so
    /// a command that only reads must not connect.
    pub fn is_missing_sqlite_file(&self) -> bool {
        self.is_sqlite()
            && self.location != ":memory:"
            && !std::path::Path::new(&self.location).exists()
    }

    /// What the driver connects to: the file path for SQLite, the URL for a server.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The same server with another database: the URL's path replaced (servers only).
    pub fn with_database(&self, database: &str) -> Result<DatabaseUrl> {
        let invalid = |reason: String| Error::InvalidUrl {
            url: self.display(),
            reason,
        };
        if self.is_sqlite() {
            return Err(invalid("an SQLite file has no other databases".to_owned()));
        }
        let mut parsed = url::Url::parse(&self.location).map_err(|e| invalid(e.to_string()))?;
        parsed.set_path(database);
        Ok(DatabaseUrl {
            dialect: self.dialect,
            location: parsed.to_string(),
        })
    }

    /// The URL with any password hidden, for messages.
    pub fn display(&self) -> String {
        if self.is_sqlite() {
            return format!("sqlite://{}", self.location);
        }
        mask_password(&self.location)
    }
}

fn primary_scheme(dialect: &dyn Dialect) -> &'static str {
    dialect.facts().url_schemes[0]
}

/// `text` with the password of its user info replaced by `***`; text that does not parse
/// as a URL is shown only up to its scheme, since where a password sits is then unknown.
fn mask_password(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // Only fails for URLs that cannot have a password, which this one has.
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) if text.contains('@') => match text.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://…"),
            None => "…".to_owned(),
        },
        Err(_) => text.to_owned(),
    }
}

/// How long a server gets to answer a connection attempt unless told otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// `location` with the query parameter `name` set to the timeout in whole seconds, unless
/// the URL sets it already (the user's own choice wins).
fn with_default_parameter(location: &str, name: &str, timeout: Duration) -> String {
    let Ok(mut parsed) = url::Url::parse(location) else {
        return location.to_owned();
    };
    if parsed.query_pairs().any(|(key, _)| key == name) {
        return location.to_owned();
    }
    let seconds = timeout.as_secs_f64().ceil().max(1.0).to_string();
    parsed.query_pairs_mut().append_pair(name, &seconds);
    parsed.to_string()
}

/// Runs a driver's connect on its own thread and stops waiting for it after `timeout`; a
/// connect that never returns is left behind, holding only its socket.
fn watchdog(
    connect: ConnectFn,
    location: &str,
    shown: &str,
    timeout: Duration,
) -> Result<Box<dyn Backend>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let (location, owned_shown) = (location.to_owned(), shown.to_owned());
    std::thread::Builder::new()
        .name("connect".to_owned())
        .spawn(move || {
            let outcome = connect(&Target {
                location: &location,
                shown: &owned_shown,
            });
            // The caller may have stopped waiting; then nobody receives this.
            let _ = sender.send(outcome);
        })
        .map_err(|e| Error::ConnectTimeout {
            url: shown.to_owned(),
            seconds: 0,
            reason: format!("could not start the connecting thread: {e}"),
        })?;
    match receiver.recv_timeout(timeout) {
        Ok(outcome) => outcome,
        Err(_) => Err(Error::ConnectTimeout {
            url: shown.to_owned(),
            seconds: timeout.as_secs(),
            reason: "the server did not complete the connection".to_owned(),
        }),
    }
}

/// An open connection to a database.
pub struct Connection {
    backend: Box<dyn Backend>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Connection({})", self.backend.dialect().name())
    }
}

impl Connection {
    /// Connects, giving a server [`DEFAULT_CONNECT_TIMEOUT`] to answer.
    pub fn establish(url: &DatabaseUrl) -> Result<Connection> {
        Connection::establish_within(url, DEFAULT_CONNECT_TIMEOUT)
    }

    /// Connects, giving a server `timeout` to answer (a server that accepts the connection
    /// and then says nothing would otherwise hang the caller forever).
    pub fn establish_within(url: &DatabaseUrl, timeout: Duration) -> Result<Connection> {
        let facts = url.dialect().facts();
        let connect = match url.dialect().connector() {
            Connector::Driver(connect) => connect,
            Connector::FeatureDisabled => {
                return Err(Error::BackendDisabled {
                    url: url.display(),
                    backend: facts.label,
                    feature: facts.cargo_feature.unwrap_or(facts.name),
                })
            }
            Connector::RenderOnly => {
                return Err(Error::RenderOnly {
                    url: url.display(),
                    backend: facts.label,
                })
            }
        };
        let shown = url.display();
        let backend = match facts.connect_timeout {
            ConnectTimeout::NotNeeded => connect(&Target {
                location: url.location(),
                shown: &shown,
            })?,
            ConnectTimeout::UrlParameter(name) => {
                let started = std::time::Instant::now();
                connect(&Target {
                    location: &with_default_parameter(url.location(), name, timeout),
                    shown: &shown,
                })
                .map_err(|e| match e {
                    // The driver gave up at the deadline it was given: say it was the timeout.
                    Error::Connect { source, .. } if started.elapsed() >= timeout => {
                        Error::ConnectTimeout {
                            url: shown.clone(),
                            seconds: timeout.as_secs(),
                            reason: source.to_string().trim().to_owned(),
                        }
                    }
                    other => other,
                })?
            }
            ConnectTimeout::Watchdog => watchdog(connect, url.location(), &shown, timeout)?,
        };
        Ok(Connection { backend })
    }

    pub fn dialect(&self) -> &'static dyn Dialect {
        self.backend.dialect()
    }

    /// The backend itself, for the runner and the version table.
    pub(crate) fn backend(&mut self) -> &mut dyn Backend {
        self.backend.as_mut()
    }

    /// Starts counting the statements this connection sends; the counter reads the count.
    pub fn count_statements(&mut self) -> crate::dialect::StatementCounter {
        let counter = crate::dialect::StatementCounter::default();
        self.backend.count_statements(counter.clone());
        counter
    }

    pub fn batch_execute(&mut self, sql: &str) -> Result<(), diesel::result::Error> {
        self.backend.batch_execute(sql)
    }

    /// The live schema, without the version table.
    pub fn introspect(&mut self, version_table: &str) -> Result<Schema> {
        self.backend.introspect(version_table, &[])
    }

    /// The live schema of the current schema and, on PostgreSQL, of the schemas `models`
    /// put tables in (`#[model(schema = "…")]`), without the version table.
    pub fn introspect_for(&mut self, version_table: &str, models: &Schema) -> Result<Schema> {
        let mut schemas: Vec<String> = models
            .tables
            .iter()
            .filter_map(|t| crate::sql::split_schema(&t.name).0.map(str::to_owned))
            .collect();
        schemas.sort();
        schemas.dedup();
        self.introspect_in(version_table, &schemas)
    }

    /// The live schema of the current schema and, on PostgreSQL, of `schemas` too (tables
    /// there are named `schema.table`), without the version table.
    pub fn introspect_in(&mut self, version_table: &str, schemas: &[String]) -> Result<Schema> {
        self.backend.introspect(version_table, schemas)
    }

    /// How many rows of `table` hold one of `values` in `column`. The values are literals
    /// of the column's type (an enum column's labels, which the database still has).
    pub fn count_where_in(&mut self, table: &str, column: &str, values: &[String]) -> Result<i64> {
        self.count_in(table, column, values, " IN (")
    }

    /// How many rows of `table` hold a value in `column` that is none of `values` (NULL
    /// aside).
    pub fn count_outside(&mut self, table: &str, column: &str, values: &[String]) -> Result<i64> {
        self.count_in(table, column, values, " NOT IN (")
    }

    fn count_in(
        &mut self,
        table: &str,
        column: &str,
        values: &[String],
        test: &str,
    ) -> Result<i64> {
        let mut w = self.dialect().writer();
        w.raw("SELECT COUNT(*) AS n FROM ")
            .ident(table)
            .raw(" WHERE ")
            .ident(column)
            .raw(test)
            .strings(values)
            .raw(")");
        self.backend
            .count(&w.finish(), &[])
            .map_err(Error::db(format!("counting rows of {table}")))
    }

    /// Whether a table holds at least one row.
    pub fn has_rows(&mut self, table: &str) -> Result<bool> {
        let mut w = self.dialect().writer();
        w.raw("SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ")
            .ident(table)
            .raw(" LIMIT 1) probe");
        let n = self
            .backend
            .count(&w.finish(), &[])
            .map_err(Error::db(format!("counting rows of {table}")))?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_per_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://dev.db").ok(),
            Some(DatabaseUrl::sqlite("dev.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("data/dev.sqlite3").ok(),
            Some(DatabaseUrl::sqlite("data/dev.sqlite3"))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@h/db")
                .map(|u| u.dialect().name())
                .ok(),
            Some("postgres")
        );
        let refused = DatabaseUrl::parse("redis://u:secret@x").map(|u| u.display());
        match refused {
            Err(e) => {
                let message = e.to_string();
                assert!(message.contains("postgresql://"), "{message}");
                assert!(!message.contains("secret"), "{message}");
            }
            Ok(shown) => panic!("accepted {shown}"),
        }
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@h/db")
                .map(|u| u.display())
                .ok(),
            Some("postgres://u:***@h/db".to_owned())
        );
        assert_eq!(
            DatabaseUrl::parse("mariadb://u:p%40ss@h:3306/db")
                .map(|u| (u.location().to_owned(), u.display()))
                .ok(),
            Some((
                "mysql://u:p%40ss@h:3306/db".to_owned(),
                "mysql://u:***@h:3306/db".to_owned()
            ))
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
