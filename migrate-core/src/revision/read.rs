//! Parsing revision folders: every folder's files become a [`Revision`]; plain diesel folders
//! are adopted as a linear history in diesel's version order.

use std::fs;
use std::path::Path;

use chrono::SecondsFormat;

use super::cache::{cache_file, read_all_cached, Need};
use super::folder::{self, down_file, entries, up_file, Entry, FolderFiles};
use super::format::{
    dialect_names, diesel_version, is_dialect, version_time, MetadataIn, Revision,
    RevisionTimeouts, MAX_REVISION_ID_LEN, METADATA_KEYS,
};
use crate::error::{Error, Result};

/// Parses a `metadata.toml` text; `path` is for the message.
pub(super) fn parse_metadata(path: &Path, text: &str) -> Result<MetadataIn> {
    let bad = |message: String| Error::Metadata {
        path: path.to_owned(),
        message,
    };
    let table: toml::Table = toml::from_str(text).map_err(|e| bad(e.message().to_owned()))?;
    // A mistyped key must not silently mean its default (`run_in_transacton = true` would
    // run the revision outside a transaction).
    for key in table.keys() {
        if !METADATA_KEYS.contains(&key.as_str()) {
            let nearest = crate::suggest::closest(key, METADATA_KEYS)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            return Err(bad(format!(
                "unknown key `{key}`\n  hint: {nearest}the keys are {}",
                METADATA_KEYS.join(", ")
            )));
        }
    }
    table
        .try_into()
        .map_err(|e: toml::de::Error| bad(e.message().to_owned()))
}

/// Reads and parses one `metadata.toml`; `None` when the file does not exist.
pub(super) fn read_metadata(path: &Path) -> Result<Option<MetadataIn>> {
    match fs::read_to_string(path) {
        Ok(text) => parse_metadata(path, &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path)(e)),
    }
}

/// Reads every revision folder of `dir`, each from the cache while the files `need` names
/// are unchanged.
pub(crate) fn read_all(dir: &Path, need: Need) -> Result<Vec<Revision>> {
    assemble(read_all_cached(dir, cache_file(dir).as_deref(), need)?)
}

/// Reads every folder's files without parsing them (what an embedding includes), after
/// checking that they parse and form a valid graph, so that a bad history is refused where
/// it is embedded.
pub fn scan_for_embedding(dir: &Path) -> Result<Vec<FolderFiles>> {
    let files: Vec<FolderFiles> = read_folders(&entries(dir)?, folder::load)
        .into_iter()
        .collect::<Result<_>>()?;
    let revisions = assemble(files.iter().cloned().map(parse_folder).collect())?;
    super::Graph::from_revisions(revisions)?;
    Ok(files)
}

/// Parsed folders as the graph's revisions. Plain diesel folders (no `revision` key) get
/// their diesel version as id and the previous plain folder, in diesel's version order, as
/// parent.
pub(super) fn assemble(parsed: Vec<Result<(Revision, bool)>>) -> Result<Vec<Revision>> {
    let mut revisions = Vec::with_capacity(parsed.len());
    let mut plain: Vec<usize> = Vec::new();
    for read in parsed {
        let (revision, keyed) = read?;
        check_id_length(&revision)?;
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

/// Runs `work` on every folder, in order. Reading is system-call bound (a few files per
/// folder), so large histories are read on every core.
pub(super) fn read_folders<T: Send>(
    entries: &[Entry],
    work: impl Fn(&Entry) -> Result<T> + Sync,
) -> Vec<Result<T>> {
    const SMALL: usize = 256;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if entries.len() < SMALL || threads < 2 {
        return entries.iter().map(&work).collect();
    }
    let chunk = entries.len().div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = entries
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(work).collect::<Vec<_>>()))
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

/// Parses one folder's files; the flag says whether it carries the graph keys.
pub(super) fn parse_folder(files: FolderFiles) -> Result<(Revision, bool)> {
    let meta_path = files.metadata_path();
    let meta = files
        .metadata
        .as_deref()
        .map(|text| parse_metadata(&meta_path, text))
        .transpose()?;
    let Some(up_sql) = files.up else {
        return Err(Error::Graph(format!(
            "{} has no {}\n  hint: every folder in the migrations directory must be a \
             revision (up.sql, down.sql, metadata.toml); add the file, or move the folder out \
             (or hide it with a leading `.`)",
            files.dir.display(),
            up_file(None)
        )));
    };
    let dir = files.dir;
    let down_sql = files.down;
    let dialect_sql = files.dialect_sql;
    let plain =
        |run_in_transaction: bool, up_sql: String, down_sql: Option<String>, dialect_sql| {
            let version = diesel_version(&files.name);
            let message = files
                .name
                .split_once('_')
                .map(|(_, rest)| rest.to_owned())
                .unwrap_or_default();
            let created = version_time(&version)
                .map(|t| t.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true));
            Revision {
                id: version,
                parents: Vec::new(),
                message,
                created,
                dialect: None,
                run_in_transaction,
                branch_labels: Vec::new(),
                dir: dir.clone(),
                up_sql,
                down_sql: down_sql.unwrap_or_default(),
                dialect_sql,
                timeouts: RevisionTimeouts::default(),
            }
        };

    let Some(meta) = meta else {
        // A plain diesel folder without metadata.toml: diesel runs it in a transaction.
        return Ok((plain(true, up_sql, down_sql, dialect_sql), false));
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
        return Ok((plain(in_tx, up_sql, down_sql, dialect_sql), false));
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
    // diesel reads a missing key as `false`; in a file this tool wrote it is always there, so
    // a missing one is a mistake, and guessing either way could run DDL unprotected.
    let Some(run_in_transaction) = meta.run_in_transaction else {
        return Err(bad(
            "`run_in_transaction` is missing\n  hint: write `run_in_transaction = true` (the \
             revision and its version row commit together) or `false` (for statements that \
             cannot run in a transaction, such as CREATE INDEX CONCURRENTLY)"
                .to_owned(),
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
            "{} has no {}\n  hint: restore it (an empty file means the revision \
             reverts nothing)",
            dir.display(),
            down_file(None)
        )));
    };
    let duration = |key: &str, text: Option<String>| {
        text.map(|text| {
            humantime::parse_duration(text.trim()).map_err(|e| {
                bad(format!(
                    "`{key} = \"{text}\"`: {e}\n  hint: write a duration such as \"5s\" or \"10min\" (\"0s\" for no limit)"
                ))
            })
        })
        .transpose()
    };
    let timeouts = RevisionTimeouts {
        lock: duration("lock_timeout", meta.lock_timeout)?,
        statement: duration("statement_timeout", meta.statement_timeout)?,
        lock_retries: meta.lock_retries,
    };
    let revision = Revision {
        id,
        parents,
        message: meta.message.unwrap_or_default(),
        created: meta.created,
        dialect: meta.dialect,
        run_in_transaction,
        branch_labels: meta.branch_labels,
        dir,
        up_sql,
        down_sql,
        dialect_sql,
        timeouts,
    };
    Ok((revision, true))
}

/// A revision id must fit the version table's `revision` column, or the first run that
/// records it fails part-way.
fn check_id_length(revision: &Revision) -> Result<()> {
    let id = &revision.id;
    if id.len() > MAX_REVISION_ID_LEN {
        return Err(Error::Graph(format!(
            "{}: revision id `{id}` is {} bytes long; the version table holds at most \
             {MAX_REVISION_ID_LEN}\n  hint: use a shorter id (`revision` in metadata.toml, or \
             the folder name's version before the first `_`), and the same in every child's \
             `parents`",
            revision.dir.display(),
            id.len()
        )));
    }
    Ok(())
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
