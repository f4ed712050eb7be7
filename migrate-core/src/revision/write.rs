//! Writing new revision folders: ids, the folder's time and name, headers, and an atomic
//! rename into place.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{NaiveDateTime, SecondsFormat, SubsecRound, TimeDelta, Utc};
use sha2::{Digest, Sha256};

use super::folder::entries;
use super::format::{
    check_dialect, diesel_version, header, hex, missing_dir, slug, validate_name, version_time,
    MetadataIn, MetadataOut, Revision, FOLDER_TIME_FORMAT, METADATA,
};
use super::read::read_metadata;
use crate::error::{Error, Result};

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
    /// `lock_timeout` and `lock_retries` for metadata.toml (an online plan sets them).
    pub timeouts: super::format::RevisionTimeouts,
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
        check_dialects(&new, &self.dir)?;
        let id = self.choose_id(new.id.clone())?;
        self.check_parents(&new.parents)?;
        self.check_labels(&new.branch_labels, &id)?;

        let (when, final_dir) = self.next_folder(new.message)?;
        let created = when.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true);
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
            lock_timeout: new
                .timeouts
                .lock
                .map(|d| humantime::format_duration(d).to_string()),
            lock_retries: new.timeouts.lock_retries,
        };
        let metadata = toml::to_string(&metadata).map_err(|e| Error::Metadata {
            path: final_dir.join(METADATA),
            message: e.to_string(),
        })?;

        let mut files = vec![
            (METADATA.to_owned(), metadata.as_str()),
            ("up.sql".to_owned(), up_sql.as_str()),
            ("down.sql".to_owned(), down_sql.as_str()),
        ];
        for (dialect, (up, down)) in &dialect_sql {
            files.push((format!("up.{dialect}.sql"), up));
            files.push((format!("down.{dialect}.sql"), down));
        }
        write_folder(&final_dir, &id, &files)?;

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
            timeouts: new.timeouts,
        })
    }

    /// The requested id after checking it, or a fresh one.
    fn choose_id(&self, requested: Option<String>) -> Result<String> {
        let Some(id) = requested else {
            let mut id = new_revision_id();
            while self.ids.contains_key(id.as_str()) {
                id = new_revision_id();
            }
            return Ok(id);
        };
        validate_name(&id, "revision id", false)?;
        if let Some(other) = self.ids.get(id.as_str()) {
            return Err(Error::Graph(format!(
                "revision id `{id}` is already used by {}\n  \
                 hint: choose another --rev-id, or leave it out to generate one",
                other.display()
            )));
        }
        Ok(id)
    }

    fn check_parents(&self, parents: &[String]) -> Result<()> {
        for (i, parent) in parents.iter().enumerate() {
            if !self.ids.contains_key(parent.as_str()) {
                return Err(Error::Graph(format!(
                    "parent revision `{parent}` does not exist in {}\n  \
                     hint: run `heads` to see the revisions a new one can build on",
                    self.dir.display()
                )));
            }
            if parents[..i].contains(parent) {
                return Err(Error::Graph(format!(
                    "parent revision `{parent}` is listed twice"
                )));
            }
        }
        Ok(())
    }

    fn check_labels(&self, labels: &[String], id: &str) -> Result<()> {
        for (i, label) in labels.iter().enumerate() {
            validate_name(label, "branch label", true)?;
            let taken = if labels[..i].contains(label) {
                Some("is given twice".to_owned())
            } else if let Some(other) = self.labels.get(label) {
                Some(format!("is already used by {}", other.display()))
            } else if let Some(other) = self.ids.get(label.as_str()) {
                Some(format!("is the id of {}", other.display()))
            } else if label == id {
                Some("equals the new revision's id".to_owned())
            } else {
                None
            };
            if let Some(why) = taken {
                return Err(Error::Graph(format!(
                    "branch label `{label}` {why}\n  hint: choose another label"
                )));
            }
        }
        Ok(())
    }

    /// The new folder's time (now, or just after the newest existing folder, so diesel's
    /// version order never puts a child before its parent) and path.
    fn next_folder(&self, message: &str) -> Result<(NaiveDateTime, PathBuf)> {
        let mut when = Utc::now().naive_utc().trunc_subsecs(0);
        if let Some(latest) = self.latest {
            if when <= latest {
                when = latest + TimeDelta::seconds(1);
            }
        }
        let folder_name = format!("{}_{}", when.format(FOLDER_TIME_FORMAT), slug(message));
        let final_dir = self.dir.join(folder_name);
        if final_dir.exists() {
            return Err(Error::Graph(format!(
                "{} already exists\n  hint: try again in a second",
                final_dir.display()
            )));
        }
        Ok((when, final_dir))
    }
}

/// The primary dialect and each extra one must be known, and each given once.
fn check_dialects(new: &NewRevision<'_>, dir: &Path) -> Result<()> {
    check_dialect(new.dialect, dir)?;
    let mut seen: Vec<&str> = vec![new.dialect];
    for (dialect, _, _) in &new.extra {
        check_dialect(dialect, dir)?;
        if seen.contains(&dialect.as_str()) {
            return Err(Error::Graph(format!(
                "the SQL for dialect `{dialect}` is given twice\n  \
                 hint: give each dialect one pair; the primary pair is for `{}`",
                new.dialect
            )));
        }
        seen.push(dialect);
    }
    Ok(())
}

/// Writes the files under a hidden temporary name and renames the folder into place, so a
/// failure never leaves a half-written revision behind.
fn write_folder(final_dir: &Path, id: &str, files: &[(String, &str)]) -> Result<()> {
    let (Some(parent), Some(name)) = (final_dir.parent(), final_dir.file_name()) else {
        return Err(Error::Graph(format!(
            "{} is not a folder path",
            final_dir.display()
        )));
    };
    let tmp_dir = parent.join(format!(".{}.tmp-{id}", name.to_string_lossy()));
    let written = (|| -> Result<()> {
        fs::create_dir(&tmp_dir).map_err(Error::io(&tmp_dir))?;
        for (name, text) in files {
            let path = tmp_dir.join(name);
            fs::write(&path, text).map_err(Error::io(path))?;
        }
        fs::rename(&tmp_dir, final_dir).map_err(Error::io(final_dir))
    })();
    if written.is_err() {
        let _ = fs::remove_dir_all(&tmp_dir);
    }
    written
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
