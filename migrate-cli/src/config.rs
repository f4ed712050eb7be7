//! Where things are: flags over environment over config file over defaults.

use std::path::{Path, PathBuf};
use std::time::Duration;

use migrate_core::dialect::{self, Dialect};
use serde::Deserialize;

use crate::args::GlobalArgs;
use crate::error::CliError;

/// The embedded SQLite file used when no database is configured.
pub const DEFAULT_SQLITE_FILE: &str = "dev.db";
pub const DEFAULT_CONFIG_FILE: &str = "migrate.toml";
pub const DEFAULT_MIGRATIONS_DIR: &str = "migrations";

/// `migrate.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub database_url: Option<String>,
    pub migrations_dir: Option<PathBuf>,
    pub version_table: Option<String>,
    /// The workspace packages whose models the stock binary links (default: every member
    /// with a library that depends on migrate-core).
    pub model_crates: Option<Vec<String>>,
    /// The dialects new revisions carry SQL for.
    pub dialects: Option<Vec<String>>,
    /// How long to wait for another run's lock, e.g. "60s".
    pub lock_wait: Option<String>,
    /// How long a server gets to answer a connection attempt, e.g. "10s".
    pub connect_timeout: Option<String>,
    /// PostgreSQL: how long a revision's statement may wait for a lock ("0s": no limit).
    pub lock_timeout: Option<String>,
    /// PostgreSQL: how long a revision's statement may run ("0s": no limit).
    pub statement_timeout: Option<String>,
    /// How often a statement that gave up waiting for a lock is tried again.
    pub lock_retries: Option<u32>,
    /// Whether autogenerate writes plans that keep live tables writable (PostgreSQL:
    /// CONCURRENTLY, NOT VALID then VALIDATE; MySQL: ALGORITHM/LOCK clauses). Default true.
    pub online_schema_changes: Option<bool>,
    /// Globs of the tables autogenerate and `check` manage (default: every table).
    pub include_tables: Option<Vec<String>>,
    /// Globs of tables autogenerate and `check` leave alone.
    pub exclude_tables: Option<Vec<String>>,
    /// The targets of the `fleet` commands.
    #[serde(default)]
    pub fleet: FleetConfig,
}

/// `[fleet]`: the databases and tenant schemas `fleet upgrade|check|current` work on.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetConfig {
    /// Database URLs.
    #[serde(default)]
    pub databases: Vec<String>,
    /// A file with one database URL per line (`#` starts a comment).
    pub databases_file: Option<PathBuf>,
    /// PostgreSQL schemas matched by a pattern, each `{ pattern = "tenant_%" }` with an
    /// optional `database_url` (default: the configured database).
    #[serde(default)]
    pub schemas: Vec<SchemaPattern>,
    /// How many targets are worked on at once.
    pub jobs: Option<usize>,
    /// Whether the other targets still start after one failed.
    pub keep_going: Option<bool>,
}

/// One `[[fleet.schemas]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaPattern {
    pub database_url: Option<String>,
    /// An SQL `LIKE` pattern: `%` any run of characters, `_` one character.
    pub pattern: String,
}

/// Where the database URL came from, shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlSource {
    Flag,
    Environment,
    ConfigFile,
    EmbeddedDefault,
}

#[derive(Debug)]
pub struct Config {
    pub database_url: String,
    pub url_source: UrlSource,
    pub migrations_dir: PathBuf,
    pub version_table: String,
    pub config_path: PathBuf,
    pub model_crates: Option<Vec<String>>,
    pub manifest_path: Option<PathBuf>,
    /// The dialects listed by flag or config file, checked; empty when none are listed.
    pub dialects: Vec<&'static dyn Dialect>,
    pub lock_wait: Duration,
    pub connect_timeout: Duration,
    /// The per-revision defaults from the config file, where it sets them.
    pub revision_timeouts: migrate_core::revision::RevisionTimeouts,
    /// `include_tables` / `exclude_tables`.
    pub table_filter: migrate_core::filter::TableFilter,
    pub fleet: FleetConfig,
    /// `online_schema_changes` (default true).
    pub online_schema_changes: bool,
}

impl Config {
    pub fn resolve(args: &GlobalArgs) -> Result<Config, CliError> {
        let config_path = args
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        let file = read_config_file(&config_path, args.config.is_some())?;
        load_dotenv()?;
        let (database_url, url_source) = if let Some(url) = &args.database_url {
            (url.clone(), UrlSource::Flag)
        } else if let Some(url) = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            (url, UrlSource::Environment)
        } else if let Some(url) = &file.database_url {
            (url.clone(), UrlSource::ConfigFile)
        } else {
            (
                format!("sqlite://{DEFAULT_SQLITE_FILE}"),
                UrlSource::EmbeddedDefault,
            )
        };
        let dialects = dialects(
            args.dialects.as_ref().or(file.dialects.as_ref()),
            &config_path,
        )?;
        let lock_wait = match args.lock_wait {
            Some(wait) => wait,
            None => duration(file.lock_wait.as_deref(), "lock_wait", &config_path)?
                .unwrap_or(migrate_core::runner::DEFAULT_LOCK_WAIT),
        };
        let connect_timeout = match args.connect_timeout {
            Some(timeout) => timeout,
            None => duration(
                file.connect_timeout.as_deref(),
                "connect_timeout",
                &config_path,
            )?
            .unwrap_or(migrate_core::db::DEFAULT_CONNECT_TIMEOUT),
        };
        let revision_timeouts = migrate_core::revision::RevisionTimeouts {
            lock: duration(file.lock_timeout.as_deref(), "lock_timeout", &config_path)?,
            statement: duration(
                file.statement_timeout.as_deref(),
                "statement_timeout",
                &config_path,
            )?,
            lock_retries: file.lock_retries,
        };
        let table_filter = migrate_core::filter::TableFilter::new(
            file.include_tables.as_deref().unwrap_or_default(),
            file.exclude_tables.as_deref().unwrap_or_default(),
        )
        .map_err(|e| CliError::Config {
            path: config_path.clone(),
            message: e.to_string(),
        })?;
        Ok(Config {
            table_filter,
            revision_timeouts,
            lock_wait,
            connect_timeout,
            dialects,
            database_url,
            url_source,
            migrations_dir: args
                .migrations_dir
                .clone()
                .or(file.migrations_dir)
                .unwrap_or_else(|| PathBuf::from(DEFAULT_MIGRATIONS_DIR)),
            version_table: file
                .version_table
                .unwrap_or_else(|| migrate_core::version_table::DEFAULT_VERSION_TABLE.to_owned()),
            config_path,
            model_crates: file.model_crates,
            fleet: file.fleet,
            online_schema_changes: file.online_schema_changes.unwrap_or(true),

            manifest_path: args.manifest_path.clone(),
        })
    }
}

/// A duration setting of the config file (`30s`, `5m`, `1h 30m`).
fn duration(
    text: Option<&str>,
    key: &str,
    config_path: &Path,
) -> Result<Option<Duration>, CliError> {
    text.map(|text| {
        humantime::parse_duration(text.trim()).map_err(|e| CliError::Config {
            path: config_path.to_owned(),
            message: format!(
                "`{key} = \"{text}\"`: {e}\n  hint: write a duration such as \"30s\" or \"5m\""
            ),
        })
    })
    .transpose()
}

/// The listed dialect names as dialects; an unknown name is an error with the known ones and
/// the nearest.
fn dialects(
    names: Option<&Vec<String>>,
    config_path: &Path,
) -> Result<Vec<&'static dyn Dialect>, CliError> {
    let mut out: Vec<&'static dyn Dialect> = Vec::new();
    for name in names.into_iter().flatten() {
        let name = name.trim();
        let Some(found) = dialect::by_name(name) else {
            let known = dialect::names();
            let nearest = migrate_core::suggest::closest(name, &known)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            return Err(CliError::Refused(format!(
                "unknown dialect `{name}` (--dialects, or `dialects` in {}); {nearest}known: {}",
                config_path.display(),
                known.join(", ")
            )));
        };
        if !out.iter().any(|d| d.name() == found.name()) {
            out.push(found);
        }
    }
    Ok(out)
}

/// Loads `.env` (the nearest one up from the current directory): it fills DATABASE_URL only
/// when the environment does not set it. A missing file is fine; one that does not parse is
/// an error rather than a silently ignored URL.
fn load_dotenv() -> Result<(), CliError> {
    match dotenvy::dotenv() {
        Ok(_) => Ok(()),
        Err(e) if e.not_found() => Ok(()),
        Err(e) => Err(CliError::Config {
            path: PathBuf::from(".env"),
            message: format!(
                "{e}\n  hint: each line must be `NAME=value` (quote values with spaces)"
            ),
        }),
    }
}

fn read_config_file(path: &Path, explicit: bool) -> Result<ConfigFile, CliError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|e| CliError::Config {
            path: path.to_owned(),
            message: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(ConfigFile::default())
        }
        Err(e) => Err(CliError::Config {
            path: path.to_owned(),
            message: e.to_string(),
        }),
    }
}
