//! One revision folder's files as text, wherever they come from: read from the migrations
//! directory, or embedded in the binary at compile time. Both go through the same parser
//! (`read::parse_folder`), so an embedded history means exactly what the directory means.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::format::{dialect_names, is_dialect, missing_dir, METADATA};
use crate::error::{Error, Result};

/// The name of a folder's up script: `up.sql`, or `up.<dialect>.sql` for an extra pair.
pub fn up_file(dialect: Option<&str>) -> String {
    match dialect {
        None => "up.sql".to_owned(),
        Some(d) => format!("up.{d}.sql"),
    }
}

/// The name of a folder's down script: `down.sql`, or `down.<dialect>.sql`.
pub fn down_file(dialect: Option<&str>) -> String {
    match dialect {
        None => "down.sql".to_owned(),
        Some(d) => format!("down.{d}.sql"),
    }
}

/// The files of one revision folder, as text.
#[derive(Debug, Clone)]
pub struct FolderFiles {
    /// The folder's name, e.g. `2026-11-21-204512_add_users` (diesel's version comes from it).
    pub name: String,
    /// Where the folder is, for messages (for an embedded history: as the macro was given it).
    pub dir: PathBuf,
    /// `metadata.toml`, when present.
    pub metadata: Option<String>,
    /// `up.sql`, when present (a folder without one is an error when parsed).
    pub up: Option<String>,
    /// `down.sql`, when present.
    pub down: Option<String>,
    /// The extra per-dialect pairs: dialect -> (up, down).
    pub dialect_sql: BTreeMap<String, (String, String)>,
}

impl FolderFiles {
    /// The path of `metadata.toml` in this folder.
    pub fn metadata_path(&self) -> PathBuf {
        self.dir.join(METADATA)
    }
}

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

/// Reads one folder's files from disk.
pub(super) fn load(entry: &Entry) -> Result<FolderFiles> {
    let dir = &entry.path;
    Ok(FolderFiles {
        name: entry.name.clone(),
        dir: dir.clone(),
        metadata: read_optional(&dir.join(METADATA))?,
        up: read_optional(&dir.join(up_file(None)))?,
        down: read_optional(&dir.join(down_file(None)))?,
        dialect_sql: read_dialect_pairs(dir)?,
    })
}

/// Reads one folder's `metadata.toml` only, for a graph that lists revisions and never runs
/// them: the SQL reads as empty and the other files are not looked at (a folder without
/// `up.sql` is reported by the commands that read the SQL, not by a listing). One file per
/// folder instead of three and a directory listing.
pub(super) fn load_metadata_only(entry: &Entry) -> Result<FolderFiles> {
    let dir = &entry.path;
    Ok(FolderFiles {
        name: entry.name.clone(),
        dir: dir.clone(),
        metadata: read_optional(&dir.join(METADATA))?,
        up: Some(String::new()),
        down: Some(String::new()),
        dialect_sql: BTreeMap::new(),
    })
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path)(e)),
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
