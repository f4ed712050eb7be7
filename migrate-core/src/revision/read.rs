//! Reading a migrations directory: every revision folder, plain diesel folders adopted as a
//! linear history in diesel's version order.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::SecondsFormat;

use super::format::{
    dialect_names, diesel_version, is_dialect, missing_dir, version_time, MetadataIn, Revision,
    METADATA,
};
use crate::error::{Error, Result};

/// A revision folder in the migrations directory.
pub(super) struct Entry {
    pub(super) name: String,
    pub(super) path: PathBuf,
}

/// The revision folders of `dir`, sorted by name: every directory except hidden ones.
pub(super) fn entries(dir: &Path) -> Result<Vec<Entry>> {
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

pub(super) fn read_metadata(path: &Path) -> Result<Option<MetadataIn>> {
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

pub(super) fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path)(e)),
    }
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
pub(super) fn read_folders(entries: &[Entry]) -> Vec<Result<(Revision, bool)>> {
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
pub(super) fn read_folder(entry: &Entry) -> Result<(Revision, bool)> {
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
        if !is_dialect(dialect) {
            return Err(bad(format!(
                "unknown dialect `{dialect}`\n  hint: use one of {}",
                dialect_names()
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

pub(super) fn plain_revision(
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
pub(super) fn read_dialect_pairs(dir: &Path) -> Result<BTreeMap<String, (String, String)>> {
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
        if !is_dialect(dialect) {
            return Err(Error::Graph(format!(
                "{}: unknown dialect `{dialect}` in the file name\n  hint: name per-dialect \
                 files up.<dialect>.sql / down.<dialect>.sql with one of {}",
                entry.path().display(),
                dialect_names()
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
