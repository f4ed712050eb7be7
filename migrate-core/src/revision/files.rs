//! Revision folders on disk: reading them (including plain diesel folders), writing new ones,
//! revision ids and checksums.
//!
//! A revision is a folder `YYYY-MM-DD-HHMMSS_slug` holding `up.sql`, `down.sql` and
//! `metadata.toml`, plus optional per-dialect pairs `up.<dialect>.sql` / `down.<dialect>.sql`.
//! diesel reads the same folders: it only looks at `up.sql`, `down.sql` and the
//! `run_in_transaction` key, and orders folders by the part of the name before the first `_`
//! with the dashes removed (its "version").

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDateTime, SecondsFormat, SubsecRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The dialect names a revision's SQL files may be written for.
pub const DIALECTS: &[&str] = &["sqlite", "postgres", "mysql"];

/// Words that mean something in a target spec and so cannot be revision ids or branch labels.
pub(crate) const RESERVED: &[&str] = &["head", "heads", "base", "current"];

const METADATA: &str = "metadata.toml";
const FOLDER_TIME_FORMAT: &str = "%Y-%m-%d-%H%M%S";
const VERSION_TIME_FORMAT: &str = "%Y%m%d%H%M%S";

/// One revision as read from (or written to) its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The revision's folder.
    pub dir: PathBuf,
    /// The content of `up.sql`.
    pub up_sql: String,
    /// The content of `down.sql` (empty when a plain diesel folder has none).
    pub down_sql: String,
    /// The extra per-dialect pairs: dialect -> (up, down).
    pub dialect_sql: BTreeMap<String, (String, String)>,
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

    /// Whether the revision holds SQL for `dialect`: its primary pair is for it (or names no
    /// dialect, as plain diesel folders do), or it carries an extra pair for it.
    pub fn has_sql_for(&self, dialect: &str) -> bool {
        self.dialect.as_deref().is_none_or(|d| d == dialect)
            || self.dialect_sql.contains_key(dialect)
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

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A revision to be written by [`write_revision`].
#[derive(Debug, Clone)]
pub struct NewRevision<'a> {
    /// The id to use (`--rev-id`); `None` generates one with [`new_revision_id`].
    pub id: Option<String>,
    pub parents: Vec<String>,
    pub message: &'a str,
    /// The dialect of `up_sql` / `down_sql`.
    pub dialect: &'a str,
    /// The body of up.sql (warnings and statements); a header comment is prepended.
    pub up_sql: String,
    /// The body of down.sql; a header comment is prepended.
    pub down_sql: String,
    /// Extra pairs: (dialect, up body, down body).
    pub extra: Vec<(String, String, String)>,
    pub branch_labels: Vec<String>,
    pub run_in_transaction: bool,
}

/// 12 lowercase hex characters, unique enough for revision ids (time, process id and a
/// per-process counter, hashed).
pub fn new_revision_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = Sha256::new();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let local = 0u8;
    hasher.update((std::ptr::addr_of!(local) as usize).to_le_bytes());
    let digest = hasher.finalize();
    hex(&digest[..6])
}

/// Refuses a plan that holds revisions written for another dialect without a pair for
/// `dialect`: their SQL would fail with a confusing syntax error part-way.
pub fn require_sql_for<'r>(
    revisions: impl IntoIterator<Item = &'r Revision>,
    dialect: &str,
) -> Result<()> {
    let foreign: Vec<String> = revisions
        .into_iter()
        .filter(|r| !r.has_sql_for(dialect))
        .map(|r| {
            format!(
                "{} ({}, written for {})",
                r.id,
                r.dir.display(),
                r.dialect.as_deref().unwrap_or("?")
            )
        })
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    Err(Error::Plan(format!(
        "these revisions have no {dialect} SQL (no up.{dialect}.sql beside up.sql): {}\n  \
         hint: add up.{dialect}.sql and down.{dialect}.sql to each, or run them against the \
         dialect they were written for",
        foreign.join(", ")
    )))
}

/// Writes the revision folder (slug from the message, timestamp now in UTC) and returns the
/// written revision.
///
/// Each SQL file gets a header comment (message, revision, parents, dialect) before the given
/// body. The folder's timestamp is moved past every existing folder's timestamp when needed, so
/// diesel's version order never puts a child before its parent and no two folders share a
/// diesel version. The folder is written under a hidden temporary name and renamed into place,
/// so a failure never leaves a half-written revision behind.
///
/// Errors if the directory does not exist, the id is taken, a parent or a dialect is unknown,
/// or a branch label is invalid or taken.
pub fn write_revision(dir: &Path, new: NewRevision<'_>) -> Result<Revision> {
    RevisionWriter::open(dir)?.write(new)
}

/// Writes revisions into one migrations directory, reading what is already there once (so a
/// generator writing thousands of revisions stays linear).
#[derive(Debug)]
pub struct RevisionWriter {
    dir: PathBuf,
    /// Every id in the directory, with its folder.
    ids: HashMap<String, PathBuf>,
    /// Every branch label, with its folder.
    labels: HashMap<String, PathBuf>,
    /// The newest folder timestamp.
    latest: Option<NaiveDateTime>,
}

impl RevisionWriter {
    pub fn open(dir: &Path) -> Result<RevisionWriter> {
        if !dir.is_dir() {
            return Err(missing_dir(dir));
        }
        let existing = scan_existing(dir)?;
        let latest = existing.iter().filter_map(|e| e.version_time).max();
        let mut labels = HashMap::new();
        for e in &existing {
            for label in &e.branch_labels {
                labels.insert(label.clone(), e.dir.clone());
            }
        }
        Ok(RevisionWriter {
            dir: dir.to_owned(),
            ids: existing.into_iter().map(|e| (e.id, e.dir)).collect(),
            labels,
            latest,
        })
    }

    /// Writes one revision; see [`write_revision`].
    pub fn write(&mut self, new: NewRevision<'_>) -> Result<Revision> {
        let dir = self.dir.clone();
        let dir = dir.as_path();
        check_dialect(new.dialect, dir)?;
        let mut extra_seen: Vec<&str> = Vec::new();
        for (dialect, _, _) in &new.extra {
            check_dialect(dialect, dir)?;
            if dialect == new.dialect || extra_seen.contains(&dialect.as_str()) {
                return Err(Error::Graph(format!(
                    "the SQL for dialect `{dialect}` is given twice\n  \
                 hint: give each dialect one pair; the primary pair is for `{}`",
                    new.dialect
                )));
            }
            extra_seen.push(dialect);
        }

        let by_id = &self.ids;

        let id = match new.id {
            Some(id) => {
                validate_name(&id, "revision id", false)?;
                if let Some(other) = by_id.get(id.as_str()) {
                    return Err(Error::Graph(format!(
                        "revision id `{id}` is already used by {}\n  \
                     hint: choose another --rev-id, or leave it out to generate one",
                        other.display()
                    )));
                }
                id
            }
            None => {
                let mut id = new_revision_id();
                while by_id.contains_key(id.as_str()) {
                    id = new_revision_id();
                }
                id
            }
        };

        for (i, parent) in new.parents.iter().enumerate() {
            if !by_id.contains_key(parent.as_str()) {
                return Err(Error::Graph(format!(
                    "parent revision `{parent}` does not exist in {}\n  \
                 hint: run `heads` to see the revisions a new one can build on",
                    dir.display()
                )));
            }
            if new.parents[..i].contains(parent) {
                return Err(Error::Graph(format!(
                    "parent revision `{parent}` is listed twice"
                )));
            }
        }
        for (i, label) in new.branch_labels.iter().enumerate() {
            validate_name(label, "branch label", true)?;
            if new.branch_labels[..i].contains(label) {
                return Err(Error::Graph(format!(
                    "branch label `{label}` is given twice"
                )));
            }
            if let Some(other) = self.labels.get(label) {
                return Err(Error::Graph(format!(
                    "branch label `{label}` is already used by {}\n  hint: choose another label",
                    other.display()
                )));
            }
            if let Some(other) = by_id.get(label.as_str()) {
                return Err(Error::Graph(format!(
                    "branch label `{label}` is the id of {}\n  hint: choose another label",
                    other.display()
                )));
            }
        }
        if new.branch_labels.contains(&id) {
            return Err(Error::Graph(format!(
                "branch label `{id}` equals the new revision's id\n  hint: choose another label"
            )));
        }

        // The folder's time: now, or just after the newest existing folder.
        let mut when = Utc::now().naive_utc().trunc_subsecs(0);
        if let Some(latest) = self.latest {
            if when <= latest {
                when = latest + TimeDelta::seconds(1);
            }
        }
        let created = when.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true);
        let folder_name = format!("{}_{}", when.format(FOLDER_TIME_FORMAT), slug(new.message));
        let final_dir = dir.join(&folder_name);
        if final_dir.exists() {
            return Err(Error::Graph(format!(
                "{} already exists\n  hint: try again in a second",
                final_dir.display()
            )));
        }

        let header = header(new.message, &id, &new.parents, &created);
        let with_header = |body: &str, dialect: &str| {
            let mut text = format!("{header}-- dialect: {dialect}\n\n{body}");
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text
        };
        let up_sql = with_header(&new.up_sql, new.dialect);
        let down_sql = with_header(&new.down_sql, new.dialect);
        let dialect_sql: BTreeMap<String, (String, String)> = new
            .extra
            .iter()
            .map(|(d, up, down)| (d.clone(), (with_header(up, d), with_header(down, d))))
            .collect();

        let metadata = MetadataOut {
            run_in_transaction: new.run_in_transaction,
            revision: &id,
            parents: &new.parents,
            message: new.message,
            created: &created,
            dialect: new.dialect,
            branch_labels: &new.branch_labels,
        };
        let metadata = toml::to_string(&metadata).map_err(|e| Error::Metadata {
            path: final_dir.join(METADATA),
            message: e.to_string(),
        })?;

        let tmp_dir = dir.join(format!(".{folder_name}.tmp-{id}"));
        let written = (|| -> Result<()> {
            fs::create_dir(&tmp_dir).map_err(Error::io(&tmp_dir))?;
            let write = |name: String, text: &str| {
                let path = tmp_dir.join(name);
                fs::write(&path, text).map_err(Error::io(path))
            };
            write(METADATA.to_owned(), &metadata)?;
            write("up.sql".to_owned(), &up_sql)?;
            write("down.sql".to_owned(), &down_sql)?;
            for (dialect, (up, down)) in &dialect_sql {
                write(format!("up.{dialect}.sql"), up)?;
                write(format!("down.{dialect}.sql"), down)?;
            }
            fs::rename(&tmp_dir, &final_dir).map_err(Error::io(&final_dir))
        })();
        if let Err(e) = written {
            let _ = fs::remove_dir_all(&tmp_dir);
            return Err(e);
        }

        self.latest = Some(when);
        self.ids.insert(id.clone(), final_dir.clone());
        for label in &new.branch_labels {
            self.labels.insert(label.clone(), final_dir.clone());
        }
        Ok(Revision {
            id,
            parents: new.parents,
            message: new.message.to_owned(),
            created: Some(created),
            dialect: Some(new.dialect.to_owned()),
            run_in_transaction: new.run_in_transaction,
            branch_labels: new.branch_labels,
            dir: final_dir,
            up_sql,
            down_sql,
            dialect_sql,
        })
    }
}

fn header(message: &str, id: &str, parents: &[String], created: &str) -> String {
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
fn slug(message: &str) -> String {
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
fn validate_name(name: &str, what: &str, allow_dash: bool) -> Result<()> {
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

fn check_dialect(dialect: &str, dir: &Path) -> Result<()> {
    if DIALECTS.contains(&dialect) {
        Ok(())
    } else {
        Err(Error::Graph(format!(
            "unknown dialect `{dialect}` for a revision in {}\n  hint: use one of {}",
            dir.display(),
            DIALECTS.join(", ")
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
struct MetadataOut<'a> {
    // First, always: diesel reads only this key and treats a file without it as `false`.
    run_in_transaction: bool,
    revision: &'a str,
    parents: &'a [String],
    message: &'a str,
    created: &'a str,
    dialect: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    branch_labels: &'a [String],
}

#[derive(Deserialize)]
struct MetadataIn {
    run_in_transaction: Option<bool>,
    revision: Option<String>,
    parents: Option<Vec<String>>,
    message: Option<String>,
    created: Option<String>,
    dialect: Option<String>,
    #[serde(default)]
    branch_labels: Vec<String>,
}

/// A revision folder in the migrations directory.
struct Entry {
    name: String,
    path: PathBuf,
}

/// The revision folders of `dir`, sorted by name: every directory except hidden ones.
fn entries(dir: &Path) -> Result<Vec<Entry>> {
    if !dir.is_dir() {
        return Err(missing_dir(dir));
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let path = entry.path();
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return Err(Error::Graph(format!(
                "{}: the folder name is not valid UTF-8\n  hint: rename it",
                path.display()
            )));
        };
        // The entry's own type costs no extra system call; only links need following.
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => path.is_dir(),
            Ok(t) => t.is_dir(),
            Err(_) => path.is_dir(),
        };
        if name.starts_with('.') || !is_dir {
            continue;
        }
        out.push(Entry {
            name: name.to_owned(),
            path,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// diesel's version of a folder: the name up to the first `_`, dashes removed.
fn diesel_version(name: &str) -> String {
    name.split('_').next().unwrap_or(name).replace('-', "")
}

fn version_time(version: &str) -> Option<NaiveDateTime> {
    if version.len() == 14 && version.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDateTime::parse_from_str(version, VERSION_TIME_FORMAT).ok()
    } else {
        None
    }
}

fn read_metadata(path: &Path) -> Result<Option<MetadataIn>> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path)(e)),
    };
    let meta: MetadataIn = toml::from_str(&text).map_err(|e| Error::Metadata {
        path: path.to_owned(),
        message: e.message().to_owned(),
    })?;
    Ok(Some(meta))
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path)(e)),
    }
}

/// What [`write_revision`] needs to know about the folders already there.
struct Existing {
    id: String,
    dir: PathBuf,
    branch_labels: Vec<String>,
    version_time: Option<NaiveDateTime>,
}

/// Reads only the metadata of every folder (cheap; no SQL).
fn scan_existing(dir: &Path) -> Result<Vec<Existing>> {
    let mut out = Vec::new();
    for entry in entries(dir)? {
        let version = diesel_version(&entry.name);
        let meta = read_metadata(&entry.path.join(METADATA))?;
        let (id, branch_labels) = match meta {
            Some(MetadataIn {
                revision: Some(id),
                branch_labels,
                ..
            }) => (id, branch_labels),
            _ => (version.clone(), Vec::new()),
        };
        out.push(Existing {
            id,
            dir: entry.path,
            branch_labels,
            version_time: version_time(&version),
        });
    }
    Ok(out)
}

/// Reads every revision folder of `dir`. Plain diesel folders (no `revision` key) get their
/// diesel version as id and the previous plain folder, in diesel's version order, as parent.
pub(crate) fn read_all(dir: &Path) -> Result<Vec<Revision>> {
    let mut revisions = Vec::new();
    let mut plain: Vec<usize> = Vec::new();
    for read in read_folders(&entries(dir)?) {
        let (revision, keyed) = read?;
        if !keyed {
            plain.push(revisions.len());
        }
        revisions.push(revision);
    }
    // diesel's order: by version string (stable, so equal versions keep folder-name order and
    // are then reported as duplicate ids).
    plain.sort_by(|&a, &b| revisions[a].id.cmp(&revisions[b].id));
    for pair in plain.windows(2) {
        let parent = revisions[pair[0]].id.clone();
        if parent != revisions[pair[1]].id {
            revisions[pair[1]].parents = vec![parent];
        }
    }
    Ok(revisions)
}

/// Reads the folders in order. Reading is system-call bound (a few files per folder), so
/// large histories are read on every core.
fn read_folders(entries: &[Entry]) -> Vec<Result<(Revision, bool)>> {
    const SMALL: usize = 256;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if entries.len() < SMALL || threads < 2 {
        return entries.iter().map(read_folder).collect();
    }
    let chunk = entries.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = entries
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(read_folder).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Reads one folder; the flag says whether it carries the graph keys.
fn read_folder(entry: &Entry) -> Result<(Revision, bool)> {
    let dir = &entry.path;
    let meta_path = dir.join(METADATA);
    let meta = read_metadata(&meta_path)?;

    let up_path = dir.join("up.sql");
    let Some(up_sql) = read_optional(&up_path)? else {
        return Err(Error::Graph(format!(
            "{} has no up.sql\n  hint: every folder in the migrations directory must be a \
             revision (up.sql, down.sql, metadata.toml); add the file, or move the folder out \
             (or hide it with a leading `.`)",
            dir.display()
        )));
    };
    let down_sql = read_optional(&dir.join("down.sql"))?;
    let dialect_sql = read_dialect_pairs(dir)?;

    let Some(meta) = meta else {
        // A plain diesel folder without metadata.toml: diesel runs it in a transaction.
        return Ok((
            plain_revision(entry, true, up_sql, down_sql, dialect_sql),
            false,
        ));
    };
    let Some(id) = meta.revision else {
        if meta.parents.is_some() {
            return Err(Error::Metadata {
                path: meta_path,
                message: "`parents` is set but `revision` is missing\n  \
                          hint: add `revision = \"…\"` (the id children list as parent)"
                    .to_owned(),
            });
        }
        // diesel reads a metadata.toml without the key as `false`.
        let in_tx = meta.run_in_transaction.unwrap_or(false);
        return Ok((
            plain_revision(entry, in_tx, up_sql, down_sql, dialect_sql),
            false,
        ));
    };

    let bad = |message: String| Error::Metadata {
        path: meta_path.clone(),
        message,
    };
    if id.is_empty() {
        return Err(bad("`revision` is empty".to_owned()));
    }
    let Some(parents) = meta.parents else {
        return Err(bad(
            "`parents` is missing\n  hint: write `parents = []` for a base revision".to_owned(),
        ));
    };
    if let Some(dialect) = &meta.dialect {
        if !DIALECTS.contains(&dialect.as_str()) {
            return Err(bad(format!(
                "unknown dialect `{dialect}`\n  hint: use one of {}",
                DIALECTS.join(", ")
            )));
        }
    }
    let Some(down_sql) = down_sql else {
        return Err(Error::Graph(format!(
            "{} has no down.sql\n  hint: restore it (an empty file means the revision \
             reverts nothing)",
            dir.display()
        )));
    };
    let revision = Revision {
        id,
        parents,
        message: meta.message.unwrap_or_default(),
        created: meta.created,
        dialect: meta.dialect,
        // diesel reads a metadata.toml without the key as `false`.
        run_in_transaction: meta.run_in_transaction.unwrap_or(false),
        branch_labels: meta.branch_labels,
        dir: dir.clone(),
        up_sql,
        down_sql,
        dialect_sql,
    };
    Ok((revision, true))
}

fn plain_revision(
    entry: &Entry,
    run_in_transaction: bool,
    up_sql: String,
    down_sql: Option<String>,
    dialect_sql: BTreeMap<String, (String, String)>,
) -> Revision {
    let version = diesel_version(&entry.name);
    let message = entry
        .name
        .split_once('_')
        .map(|(_, rest)| rest.to_owned())
        .unwrap_or_default();
    let created =
        version_time(&version).map(|t| t.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true));
    Revision {
        id: version,
        parents: Vec::new(),
        message,
        created,
        dialect: None,
        run_in_transaction,
        branch_labels: Vec::new(),
        dir: entry.path.clone(),
        up_sql,
        down_sql: down_sql.unwrap_or_default(),
        dialect_sql,
    }
}

/// The `up.<dialect>.sql` / `down.<dialect>.sql` pairs of a folder.
fn read_dialect_pairs(dir: &Path) -> Result<BTreeMap<String, (String, String)>> {
    let mut ups: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut downs: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_suffix(".sql") else {
            continue;
        };
        let (side, dialect) = if let Some(d) = stem.strip_prefix("up.") {
            (&mut ups, d)
        } else if let Some(d) = stem.strip_prefix("down.") {
            (&mut downs, d)
        } else {
            continue;
        };
        if !DIALECTS.contains(&dialect) {
            return Err(Error::Graph(format!(
                "{}: unknown dialect `{dialect}` in the file name\n  hint: name per-dialect \
                 files up.<dialect>.sql / down.<dialect>.sql with one of {}",
                entry.path().display(),
                DIALECTS.join(", ")
            )));
        }
        side.insert(dialect.to_owned(), entry.path());
    }
    let mut out = BTreeMap::new();
    for (dialect, up_path) in ups {
        let Some(down_path) = downs.remove(&dialect) else {
            return Err(Error::Graph(format!(
                "{} has up.{dialect}.sql but no down.{dialect}.sql\n  hint: add the file (it \
                 may be empty) or remove up.{dialect}.sql",
                dir.display()
            )));
        };
        let up = fs::read_to_string(&up_path).map_err(Error::io(&up_path))?;
        let down = fs::read_to_string(&down_path).map_err(Error::io(&down_path))?;
        out.insert(dialect, (up, down));
    }
    if let Some(dialect) = downs.into_keys().next() {
        return Err(Error::Graph(format!(
            "{} has down.{dialect}.sql but no up.{dialect}.sql\n  hint: add the file or remove \
             down.{dialect}.sql",
            dir.display()
        )));
    }
    Ok(out)
}

/// Parses an RFC 3339 `created` value into a sortable timestamp.
pub(crate) fn created_key(created: Option<&str>) -> Option<i64> {
    created
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .map(|t| t.timestamp())
}
