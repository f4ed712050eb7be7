//! The file format of a revision folder.
//!
//! A revision is a folder `YYYY-MM-DD-HHMMSS_slug` holding `up.sql`, `down.sql` and
//! `metadata.toml`, plus optional per-dialect pairs `up.<dialect>.sql` / `down.<dialect>.sql`.
//! diesel reads the same folders: it only looks at `up.sql`, `down.sql` and the
//! `run_in_transaction` key, and orders folders by the part of the name before the first `_`
//! with the dashes removed (its "version").

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Whether `name` is a dialect's own name, as revision files spell it (no aliases: one
/// spelling per dialect keeps file names and metadata comparable).
pub(super) fn is_dialect(name: &str) -> bool {
    crate::dialect::by_name(name).is_some()
}

/// The dialect names, for messages.
pub(super) fn dialect_names() -> String {
    crate::dialect::names().join(", ")
}

/// Words that mean something in a target spec and so cannot be revision ids or branch labels.
pub(crate) const RESERVED: &[&str] = &["head", "heads", "base", "current"];

pub(super) const METADATA: &str = "metadata.toml";

pub(super) const FOLDER_TIME_FORMAT: &str = "%Y-%m-%d-%H%M%S";

pub(super) const VERSION_TIME_FORMAT: &str = "%Y%m%d%H%M%S";

/// One revision as read from (or written to) its folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The revision id (`revision` in metadata.toml; diesel's version for a plain diesel folder).
    pub id: String,
    /// The ids of the revisions this one applies on top of: none for a base, 2+ for a merge.
    pub parents: Vec<String>,
    pub message: String,
    /// RFC 3339 creation time, when known.
    pub created: Option<String>,
    /// The dialect `up.sql` / `down.sql` were written for (`None` for a plain diesel folder).
    pub dialect: Option<String>,
    pub run_in_transaction: bool,
    pub branch_labels: Vec<String>,
    /// The revision's folder (not cached: the cache keeps folder names).
    #[serde(skip)]
    pub dir: PathBuf,
    /// The content of `up.sql`.
    pub up_sql: String,
    /// The content of `down.sql` (empty when a plain diesel folder has none).
    pub down_sql: String,
    /// The extra per-dialect pairs: dialect -> (up, down).
    pub dialect_sql: BTreeMap<String, (String, String)>,
    /// This revision's own timeouts (`lock_timeout`, `statement_timeout` in metadata.toml),
    /// over the run's defaults.
    pub timeouts: RevisionTimeouts,
}

/// How long one statement of a revision may wait for a lock, and run, where the database can
/// bound them (PostgreSQL), and how often a statement that gave up waiting for its lock is
/// tried again. `None` leaves the run's default; a zero duration means no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionTimeouts {
    pub lock: Option<std::time::Duration>,
    pub statement: Option<std::time::Duration>,
    /// `lock_retries`: a short `lock_timeout` keeps the writers queued behind a waiting DDL
    /// statement from stalling long; retrying makes the revision still go through once the
    /// table is free for a moment.
    pub lock_retries: Option<u32>,
}

impl RevisionTimeouts {
    /// These timeouts where set, `defaults` elsewhere.
    pub fn or(self, defaults: RevisionTimeouts) -> RevisionTimeouts {
        RevisionTimeouts {
            lock: self.lock.or(defaults.lock),
            statement: self.statement.or(defaults.statement),
            lock_retries: self.lock_retries.or(defaults.lock_retries),
        }
    }
}

impl Revision {
    /// The (up, down) SQL for a dialect: the extra pair if present, else up.sql/down.sql.
    pub fn sql_for(&self, dialect: &str) -> (&str, &str) {
        if self.dialect.as_deref() != Some(dialect) {
            if let Some((up, down)) = self.dialect_sql.get(dialect) {
                return (up, down);
            }
        }
        (&self.up_sql, &self.down_sql)
    }

    /// Whether the revision can run on `dialect`: its primary pair is for it (or names no
    /// dialect, as plain diesel folders do), it carries an extra pair for it, or it holds no
    /// statement at all (a merge, an empty revision), which every dialect runs alike.
    pub fn has_sql_for(&self, dialect: &str) -> bool {
        self.dialect.as_deref().is_none_or(|d| d == dialect)
            || self.dialect_sql.contains_key(dialect)
            || self.holds_no_sql()
    }

    /// Whether the up SQL for `dialect` holds no statement (empty, or comments only).
    pub fn has_no_statements(&self, dialect: &str) -> bool {
        crate::sql::split_statements(self.sql_for(dialect).0).is_empty()
    }

    /// True when neither up.sql nor down.sql holds a statement (comments only).
    fn holds_no_sql(&self) -> bool {
        crate::sql::split_statements(&self.up_sql).is_empty()
            && crate::sql::split_statements(&self.down_sql).is_empty()
    }

    /// Hex sha256 of the up SQL for that dialect (what the version table records).
    /// See [`checksum_sql`] for the exact bytes hashed.
    pub fn checksum(&self, dialect: &str) -> String {
        checksum_sql(self.sql_for(dialect).0)
    }

    /// True when the revision joins two or more parents.
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }

    /// Whether the revision and its version row commit together on `dialect`: only where
    /// DDL is transactional, and only when the revision does not ask to run outside a
    /// transaction. The runner and offline scripts both go by this.
    pub fn runs_in_transaction_on(&self, dialect: &dyn crate::dialect::Dialect) -> bool {
        self.run_in_transaction && dialect.facts().transactional_ddl
    }

    /// The version diesel records for this folder in `__diesel_schema_migrations`.
    pub fn diesel_version(&self) -> String {
        diesel_version(&self.folder_name())
    }

    /// The folder's name (e.g. `2026-11-21-204512_add_users`), for messages.
    pub fn folder_name(&self) -> String {
        match self.dir.file_name() {
            Some(name) => name.to_string_lossy().into_owned(),
            None => self.dir.display().to_string(),
        }
    }
}

/// Hex sha256 of a migration's SQL text. Line endings are normalized first (`\r\n` -> `\n`), so
/// a checkout that converts line endings (git's `autocrlf`) does not look like an edit.
pub fn checksum_sql(sql: &str) -> String {
    let mut hasher = Sha256::new();
    let mut rest = sql;
    while let Some(pos) = rest.find("\r\n") {
        hasher.update(&rest.as_bytes()[..pos]);
        hasher.update(b"\n");
        rest = &rest[pos + 2..];
    }
    hasher.update(rest.as_bytes());
    hex(&hasher.finalize())
}

pub(super) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

pub(super) fn header(message: &str, id: &str, parents: &[String], created: &str) -> String {
    let mut out = String::new();
    for line in message.lines() {
        let _ = writeln!(out, "-- {}", line.trim_end());
    }
    if message.trim().is_empty() {
        out.push_str("-- (no message)\n");
    }
    out.push_str("--\n");
    let _ = writeln!(out, "-- revision: {id}");
    if parents.is_empty() {
        out.push_str("-- parents: (none, a base revision)\n");
    } else {
        let _ = writeln!(out, "-- parents: {}", parents.join(", "));
    }
    let _ = writeln!(out, "-- created: {created}");
    out
}

/// The folder slug: the message's first line, lowercase ASCII letters and digits joined by `_`.
pub(super) fn slug(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    let mut out = String::new();
    for c in first.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('_');
    if out.is_empty() {
        "revision".to_owned()
    } else {
        out.to_owned()
    }
}

/// Ids and labels must be usable in target specs: ASCII letters, digits and `_` (labels may
/// also use `-`), not a reserved word.
pub(super) fn validate_name(name: &str, what: &str, allow_dash: bool) -> Result<()> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || (allow_dash && c == '-'));
    if name.is_empty() || !ok_chars || name.len() > 64 {
        let dash = if allow_dash {
            ", `_` and `-`"
        } else {
            " and `_`"
        };
        return Err(Error::Graph(format!(
            "invalid {what} `{name}`\n  hint: use 1 to 64 ASCII letters, digits{dash}"
        )));
    }
    if RESERVED.contains(&name) {
        return Err(Error::Graph(format!(
            "`{name}` cannot be a {what}: it is a reserved target name ({})",
            RESERVED.join(", ")
        )));
    }
    Ok(())
}

pub(super) fn check_dialect(dialect: &str, dir: &Path) -> Result<()> {
    if is_dialect(dialect) {
        Ok(())
    } else {
        Err(Error::Graph(format!(
            "unknown dialect `{dialect}` for a revision in {}\n  hint: use one of {}",
            dir.display(),
            dialect_names()
        )))
    }
}

pub(crate) fn missing_dir(dir: &Path) -> Error {
    if dir.exists() {
        Error::Graph(format!(
            "{} is not a directory\n  hint: point --migrations-dir at the migrations folder",
            dir.display()
        ))
    } else {
        Error::Graph(format!(
            "the migrations directory {} does not exist\n  \
             hint: run `init` to create it, or pass --migrations-dir",
            dir.display()
        ))
    }
}

#[derive(Serialize)]
pub(super) struct MetadataOut<'a> {
    // First, always: diesel reads only this key and treats a file without it as `false`.
    pub(super) run_in_transaction: bool,
    pub(super) revision: &'a str,
    pub(super) parents: &'a [String],
    pub(super) message: &'a str,
    pub(super) created: &'a str,
    pub(super) dialect: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub(super) branch_labels: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lock_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lock_retries: Option<u32>,
}

/// Every key a `metadata.toml` may hold (diesel's `run_in_transaction` and this tool's).
pub(super) const METADATA_KEYS: &[&str] = &[
    "run_in_transaction",
    "revision",
    "parents",
    "message",
    "created",
    "dialect",
    "branch_labels",
    "lock_timeout",
    "statement_timeout",
    "lock_retries",
];

/// The longest revision id the version table's `revision` column holds.
pub const MAX_REVISION_ID_LEN: usize = 64;

#[derive(Deserialize)]
pub(super) struct MetadataIn {
    pub(super) run_in_transaction: Option<bool>,
    pub(super) revision: Option<String>,
    pub(super) parents: Option<Vec<String>>,
    pub(super) message: Option<String>,
    pub(super) created: Option<String>,
    pub(super) dialect: Option<String>,
    #[serde(default)]
    pub(super) branch_labels: Vec<String>,
    pub(super) lock_timeout: Option<String>,
    pub(super) statement_timeout: Option<String>,
    pub(super) lock_retries: Option<u32>,
}

/// diesel's version of a folder: the name up to the first `_`, dashes removed.
pub(super) fn diesel_version(name: &str) -> String {
    name.split('_').next().unwrap_or(name).replace('-', "")
}

pub(super) fn version_time(version: &str) -> Option<NaiveDateTime> {
    if version.len() == 14 && version.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDateTime::parse_from_str(version, VERSION_TIME_FORMAT).ok()
    } else {
        None
    }
}

/// Parses an RFC 3339 `created` value into a sortable timestamp.
pub(crate) fn created_key(created: Option<&str>) -> Option<i64> {
    created
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .map(|t| t.timestamp())
}
