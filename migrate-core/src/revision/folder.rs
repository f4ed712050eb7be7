//! One revision folder's files as text, wherever they come from: read from the migrations
//! directory, or embedded in the binary at compile time. Both go through the same parser
//! (`read::parse_folder`), so an embedded history means exactly what the directory means.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::format::{dialect_names, is_dialect, missing_dir, METADATA};
use crate::error::{Error, Result};
use crate::file_cache::Stamp;

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
#[derive(Clone)]
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

/// What `stat` said of a folder and of each file read from it, taken before reading, so that
/// a change made while it was read shows as a different stamp next time.
pub(super) struct FolderStamps {
    pub(super) folder: Stamp,
    pub(super) files: Vec<(String, Stamp)>,
}

/// Reads one folder's files from disk.
pub(super) fn load(entry: &Entry) -> Result<FolderFiles> {
    load_stamped(entry).map(|(files, _)| files)
}

/// Reads one folder's files from disk, with their stamps (for the cache).
pub(super) fn load_stamped(entry: &Entry) -> Result<(FolderFiles, FolderStamps)> {
    let dir = &entry.path;
    let folder = fs::File::open(dir)
        .and_then(|handle| {
            Stamp::of_file(&handle).ok_or_else(|| std::io::Error::other("cannot stat the folder"))
        })
        .map_err(Error::io(dir))?;
    let mut stamps = FolderStamps {
        folder,
        files: Vec::with_capacity(3),
    };
    let mut read = |name: String| -> Result<Option<String>> {
        let found = read_optional(&dir.join(&name))?;
        Ok(found.map(|(text, stamp)| {
            stamps.files.push((name, stamp));
            text
        }))
    };
    let metadata = read(METADATA.to_owned())?;
    let up = read(up_file(None))?;
    let down = read(down_file(None))?;
    let mut dialect_sql = BTreeMap::new();
    for (dialect, (up_name, down_name)) in dialect_pairs(dir)? {
        let up = read(up_name)?.unwrap_or_default();
        let down = read(down_name)?.unwrap_or_default();
        dialect_sql.insert(dialect, (up, down));
    }
    let files = FolderFiles {
        name: entry.name.clone(),
        dir: dir.clone(),
        metadata,
        up,
        down,
        dialect_sql,
    };
    Ok((files, stamps))
}

/// A file's text and stamp; `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<(String, Stamp)>> {
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path)(e)),
    };
    let stamp = Stamp::of_file(&file)
        .ok_or_else(|| Error::io(path)(std::io::Error::other("cannot stat the file")))?;
    // Sized from the stamp and read through `Take`, which asks no size of its own: std's
    // `File` would stat the file and seek again for that, twice the system calls per file.
    let mut text = String::with_capacity(usize::try_from(stamp.size()).unwrap_or(0) + 1);
    std::io::Read::read_to_string(&mut std::io::Read::take(&file, u64::MAX), &mut text)
        .map_err(Error::io(path))?;
    Ok(Some((text, stamp)))
}

/// The `up.<dialect>.sql` / `down.<dialect>.sql` pairs of a folder: dialect -> file names.
fn dialect_pairs(dir: &Path) -> Result<BTreeMap<String, (String, String)>> {
    let mut ups: BTreeMap<String, String> = BTreeMap::new();
    let mut downs: BTreeMap<String, String> = BTreeMap::new();
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
        side.insert(dialect.to_owned(), name.to_owned());
    }
    let mut out = BTreeMap::new();
    for (dialect, up_name) in ups {
        let Some(down_name) = downs.remove(&dialect) else {
            return Err(Error::Graph(format!(
                "{} has up.{dialect}.sql but no down.{dialect}.sql\n  hint: add the file (it \
                 may be empty) or remove up.{dialect}.sql",
                dir.display()
            )));
        };
        out.insert(dialect, (up_name, down_name));
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
