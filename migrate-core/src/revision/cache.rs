//! The parsed folders of a migrations directory, kept between runs (see
//! [`crate::file_cache`]). A folder whose own stamp and whose files' stamps are what they were
//! when it was parsed is taken from the cache instead of being read and parsed again; the
//! directory's folder list likewise, while the directory's stamp is unchanged. Any added,
//! removed, renamed or edited file changes a stamp, and that folder is read as if there were
//! no cache. Errors are never cached: a folder that does not parse is read every time.
//!
//! The cache file has two parts: the folders without their SQL, and their SQL. A listing
//! (`heads`, `history`) decodes only the first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::folder::{self, Entry};
use super::format::{Revision, METADATA};
use super::read::{parse_folder, read_folders};
use crate::error::Result;
use crate::file_cache::{self, Stamp};

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    /// When this cache was written, also at the head of the SQL part: a listing that reads
    /// the SQL part later (to write the cache back) takes it only from the same writing.
    written_ns: u128,
    /// The directory's stamp and its revision folders' names when it was last listed.
    listing: Option<(Stamp, Vec<String>)>,
    /// Sorted by name.
    folders: Vec<StoredFolder>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredFolder {
    name: String,
    /// The folder's own stamp: a file added, removed or renamed in it changes it.
    stamp: Stamp,
    /// Every file that was read, with its stamp.
    files: Vec<(String, Stamp)>,
    /// The revision, its SQL empty (kept in the second part).
    revision: Revision,
    /// Whether the folder carries the graph keys (see `read::parse_folder`).
    keyed: bool,
}

/// A revision's SQL, as the second part of the cache keeps it (one per stored folder).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct StoredSql {
    up: String,
    down: String,
    dialects: BTreeMap<String, (String, String)>,
}

impl StoredSql {
    /// The revision's SQL moved out, leaving it empty.
    fn take(revision: &mut Revision) -> StoredSql {
        StoredSql {
            up: std::mem::take(&mut revision.up_sql),
            down: std::mem::take(&mut revision.down_sql),
            dialects: std::mem::take(&mut revision.dialect_sql),
        }
    }

    fn put(self, revision: &mut Revision) {
        revision.up_sql = self.up;
        revision.down_sql = self.down;
        revision.dialect_sql = self.dialects;
    }
}

/// What a command takes from each folder, and so which stamps must still match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Everything: the SQL too. Every file of the folder and the folder itself are checked.
    Everything,
    /// What a listing shows (ids, parents, messages, labels): only `metadata.toml` is
    /// checked (the folder, for a plain diesel folder without one), and the revisions' SQL
    /// is left empty, so that nothing stale can be run or checksummed.
    Listing,
}

/// A folder read from disk: the parsed revision, and a cache entry (with its SQL) when its
/// files are settled enough to be trusted next time.
type Fresh = Result<((Revision, bool), Option<(StoredFolder, StoredSql)>)>;

/// Where the cache of `dir` is kept; `None` when caches are off.
pub(super) fn cache_file(dir: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(dir).ok()?;
    file_cache::path("revisions", &[absolute.as_os_str().as_encoded_bytes()])
}

/// The cache's two parts: the SQL part only when asked for and written with the first.
fn load(path: Option<&Path>, with_sql: bool) -> (Stored, Option<Vec<StoredSql>>) {
    let Some(parts) = path.and_then(|p| file_cache::load(p, if with_sql { 2 } else { 1 })) else {
        return (Stored::default(), None);
    };
    let stored: Stored = parts.get(0).unwrap_or_default();
    let sql = with_sql
        .then(|| sql_written_with(&parts, &stored))
        .flatten();
    (stored, sql)
}

/// The SQL part of `parts`, when the same writing as `stored` left it (a listing reads it
/// later, and another process may have rewritten the cache in between).
fn sql_written_with(parts: &file_cache::Parts, stored: &Stored) -> Option<Vec<StoredSql>> {
    let (written_ns, sql): (u128, Vec<StoredSql>) = parts.get(1)?;
    (written_ns == stored.written_ns && sql.len() == stored.folders.len()).then_some(sql)
}

/// Every revision folder of `dir`, parsed: from the cache at `cache_path` where it is
/// current, else read.
pub(super) fn read_all_cached(
    dir: &Path,
    cache_path: Option<&Path>,
    need: Need,
) -> Result<Vec<Result<(Revision, bool)>>> {
    let started = SystemTime::now();
    let (stored, mut stored_sql) = load(cache_path, need == Need::Everything);
    // Without the SQL part, nothing stored can serve a command that needs the SQL.
    let usable = need == Need::Listing || stored_sql.is_some();

    let dir_stamp = Stamp::of(dir);
    let (entries, listed) = match &stored.listing {
        Some((stamp, names)) if dir_stamp == Some(*stamp) => (
            names
                .iter()
                .map(|name| Entry {
                    name: name.clone(),
                    path: dir.join(name),
                })
                .collect(),
            false,
        ),
        _ => (folder::entries(dir)?, true),
    };

    // Which stored folder, if any, is still what is on disk: stamps only, on every core.
    let dir_handle = std::fs::File::open(dir).ok();
    let current: Vec<Option<usize>> = read_folders(&entries, |entry| {
        Ok(stored_index(&stored.folders, &entry.name).filter(|&i| {
            usable
                && dir_handle
                    .as_ref()
                    .is_some_and(|handle| is_current(&stored.folders[i], handle, dir, need))
        }))
    })
    .into_iter()
    .map(|found| found.ok().flatten())
    .collect();

    let misses: Vec<Entry> = entries
        .iter()
        .zip(&current)
        .filter(|(_, found)| found.is_none())
        .map(|(entry, _)| entry.clone())
        .collect();
    let fresh: Vec<Fresh> = read_folders(&misses, |entry| read_fresh(entry, started));

    let changed = listed || !misses.is_empty() || entries.len() != stored.folders.len();
    if let (true, Some(path)) = (changed, cache_path) {
        // A listing did not decode the SQL part; writing the cache back needs it.
        if stored_sql.is_none() {
            stored_sql =
                file_cache::load(path, 2).and_then(|parts| sql_written_with(&parts, &stored));
        }
        let saved = Saved {
            stored: &stored,
            stored_sql: stored_sql.as_deref(),
            entries: &entries,
            current: &current,
            fresh: &fresh,
        };
        saved.write(path, dir_stamp, started);
    }

    let mut folders: Vec<Option<StoredFolder>> = stored.folders.into_iter().map(Some).collect();
    let mut fresh = fresh.into_iter();
    Ok(entries
        .into_iter()
        .zip(current)
        .map(
            |(entry, found)| match found.and_then(|i| Some((i, folders[i].take()?))) {
                Some((i, hit)) => {
                    let mut revision = hit.revision;
                    revision.dir = entry.path;
                    if let (Need::Everything, Some(sql)) = (need, stored_sql.as_mut()) {
                        std::mem::take(&mut sql[i]).put(&mut revision);
                    }
                    Ok((revision, hit.keyed))
                }
                None => match fresh.next() {
                    Some(read) => {
                        read.map(|((revision, keyed), _)| (for_need(revision, need), keyed))
                    }
                    None => Err(crate::error::Error::Graph(format!(
                        "{}: the folder could not be read",
                        entry.path.display()
                    ))),
                },
            },
        )
        .collect())
}

fn stored_index(folders: &[StoredFolder], name: &str) -> Option<usize> {
    folders.binary_search_by(|f| f.name.as_str().cmp(name)).ok()
}

fn is_current(stored: &StoredFolder, dir: &std::fs::File, dir_path: &Path, need: Need) -> bool {
    let file_is_current = |(file, stamp): &(String, Stamp)| {
        Stamp::at(dir, dir_path, &format!("{}/{file}", stored.name)) == Some(*stamp)
    };
    let folder_is_current = || Stamp::at(dir, dir_path, &stored.name) == Some(stored.stamp);
    match need {
        Need::Everything => folder_is_current() && stored.files.iter().all(file_is_current),
        Need::Listing => match stored.files.iter().find(|(file, _)| file == METADATA) {
            Some(metadata) => file_is_current(metadata),
            // A metadata.toml added to a plain diesel folder changes the folder's stamp.
            None => folder_is_current(),
        },
    }
}

/// The revision as `need` asks: without its SQL for a listing.
fn for_need(mut revision: Revision, need: Need) -> Revision {
    if need == Need::Listing {
        StoredSql::take(&mut revision);
    }
    revision
}

fn read_fresh(entry: &Entry, started: SystemTime) -> Fresh {
    let (files, stamps) = folder::load_stamped(entry)?;
    let parsed = parse_folder(files)?;
    let settled = stamps.folder.is_settled(started)
        && stamps.files.iter().all(|(_, s)| s.is_settled(started));
    let stored = settled.then(|| {
        let mut revision = Revision {
            dir: PathBuf::new(),
            ..parsed.0.clone()
        };
        let sql = StoredSql::take(&mut revision);
        let folder = StoredFolder {
            name: entry.name.clone(),
            stamp: stamps.folder,
            files: stamps.files,
            revision,
            keyed: parsed.1,
        };
        (folder, sql)
    });
    Ok((parsed, stored))
}

/// What a read leaves to write back: the folders still current, the settled ones just read.
struct Saved<'a> {
    stored: &'a Stored,
    stored_sql: Option<&'a [StoredSql]>,
    entries: &'a [Entry],
    current: &'a [Option<usize>],
    fresh: &'a [Fresh],
}

impl Saved<'_> {
    fn write(&self, path: &Path, dir_stamp: Option<Stamp>, started: SystemTime) {
        let mut fresh = self.fresh.iter();
        let mut folders = Vec::with_capacity(self.entries.len());
        let mut sql = Vec::with_capacity(self.entries.len());
        for found in self.current {
            match (found, self.stored_sql) {
                (Some(i), Some(stored_sql)) => {
                    folders.push(self.stored.folders[*i].clone());
                    sql.push(stored_sql[*i].clone());
                }
                // A folder found current by a listing whose SQL cannot be had: left out,
                // it is read again next time.
                (Some(_), None) => {}
                (None, _) => {
                    if let Some(Ok((_, Some((new, new_sql))))) = fresh.next() {
                        folders.push(new.clone());
                        sql.push(new_sql.clone());
                    }
                }
            }
        }
        let listing = dir_stamp
            .filter(|s| s.is_settled(started))
            .map(|s| (s, self.entries.iter().map(|e| e.name.clone()).collect()));
        let written_ns = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let stored = Stored {
            written_ns,
            listing,
            folders,
        };
        let parts = [
            file_cache::encode(&stored),
            file_cache::encode(&(written_ns, sql)),
        ];
        if let [Some(first), Some(second)] = parts {
            file_cache::store(path, &[first, second]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn check<T, E: std::fmt::Display>(r: std::result::Result<T, E>) -> T {
        r.unwrap_or_else(|e| panic!("{e}"))
    }

    /// A migrations directory and a cache file of its own, both temporary.
    struct Fixture {
        _root: tempfile::TempDir,
        _cache_dir: tempfile::TempDir,
        dir: PathBuf,
        cache: PathBuf,
    }

    impl Fixture {
        fn new() -> Fixture {
            let root = check(tempfile::tempdir());
            let cache_dir = check(tempfile::tempdir());
            Fixture {
                dir: root.path().join("migrations"),
                cache: cache_dir.path().join("revisions.bin"),
                _root: root,
                _cache_dir: cache_dir,
            }
        }

        /// A folder as the writer leaves it (not yet dated back: see [`age`]).
        fn folder(&self, name: &str, id: &str, parents: &[&str], up: &str) -> PathBuf {
            let dir = self.dir.join(name);
            check(std::fs::create_dir_all(&dir));
            let parents: Vec<String> = parents.iter().map(|p| format!("\"{p}\"")).collect();
            let metadata = format!(
                "revision = \"{id}\"\nparents = [{}]\nrun_in_transaction = true\n\
                 dialect = \"sqlite\"\nmessage = \"{id}\"\n",
                parents.join(", ")
            );
            check(std::fs::write(dir.join("metadata.toml"), metadata));
            check(std::fs::write(dir.join("up.sql"), up));
            check(std::fs::write(dir.join("down.sql"), ""));
            dir
        }

        /// The revisions as `need` reads them, through the cache (or without one).
        fn read_with(&self, cache: Option<&Path>, need: Need) -> Vec<Revision> {
            check(
                check(read_all_cached(&self.dir, cache, need))
                    .into_iter()
                    .map(|r| r.map(|(rev, _)| rev))
                    .collect::<Result<Vec<_>>>(),
            )
        }

        fn read(&self) -> Vec<Revision> {
            self.read_with(Some(&self.cache), Need::Everything)
        }
    }

    /// Dates `path` (and everything under it) a minute back, so the cache trusts it.
    fn age(path: &Path) {
        let old = SystemTime::now() - Duration::from_secs(60);
        if path.is_dir() {
            for entry in check(std::fs::read_dir(path)) {
                age(&check(entry).path());
            }
        }
        check(check(std::fs::File::open(path)).set_modified(old));
    }

    #[test]
    fn every_change_on_disk_shows_through_the_cache() {
        let f = Fixture::new();
        let a = f.folder(
            "2026-01-01-000000_a",
            "a",
            &[],
            "CREATE TABLE a (x INTEGER);",
        );
        f.folder(
            "2026-01-02-000000_b",
            "b",
            &["a"],
            "CREATE TABLE b (x INTEGER);",
        );
        age(&f.dir);
        let first = f.read();
        assert!(f.cache.exists(), "a settled history is cached");
        assert_eq!(f.read(), first, "read back from the cache unchanged");

        // An edit in place of the same length, its modification time put back: the change
        // time still tells.
        check(std::fs::write(
            a.join("up.sql"),
            "CREATE TABLE c (x INTEGER);",
        ));
        age(&a.join("up.sql"));
        let edited = f.read();
        assert_eq!(edited[0].up_sql, "CREATE TABLE c (x INTEGER);");

        // A file added to a folder, a folder added and one removed.
        check(std::fs::write(a.join("up.postgres.sql"), "SELECT 1;"));
        check(std::fs::write(a.join("down.postgres.sql"), ""));
        f.folder("2026-01-03-000000_c", "c", &["b"], "");
        age(&f.dir);
        let grown = f.read();
        assert_eq!(grown.len(), 3);
        assert_eq!(grown[0].sql_for("postgres").0, "SELECT 1;");
        check(std::fs::remove_dir_all(f.dir.join("2026-01-03-000000_c")));
        assert_eq!(f.read().len(), 2);

        // The cache's answer is what reading every file gives.
        assert_eq!(f.read(), f.read_with(None, Need::Everything));
    }

    #[test]
    fn a_listing_checks_metadata_and_never_hands_out_sql() {
        let f = Fixture::new();
        let a = f.folder(
            "2026-01-01-000000_a",
            "a",
            &[],
            "CREATE TABLE a (x INTEGER);",
        );
        age(&f.dir);
        let listing = || f.read_with(Some(&f.cache), Need::Listing);
        let first = listing();
        assert_eq!(first[0].message, "a");
        assert_eq!(first[0].up_sql, "", "a listing carries no SQL");
        // Cached by the listing, then read in full: the SQL is there.
        assert_eq!(f.read()[0].up_sql, "CREATE TABLE a (x INTEGER);");
        let metadata = check(std::fs::read_to_string(a.join("metadata.toml")));
        check(std::fs::write(
            a.join("metadata.toml"),
            metadata.replace("message = \"a\"", "message = \"b\""),
        ));
        age(&a.join("metadata.toml"));
        assert_eq!(listing()[0].message, "b");
        assert_eq!(listing()[0].up_sql, "");
    }

    #[test]
    fn files_changed_in_the_last_moments_are_not_cached() {
        let f = Fixture::new();
        f.folder(
            "2026-01-01-000000_a",
            "a",
            &[],
            "CREATE TABLE a (x INTEGER);",
        );
        f.read();
        let (stored, _) = load(Some(&f.cache), false);
        assert!(stored.folders.is_empty() && stored.listing.is_none());
    }

    #[test]
    fn a_folder_that_does_not_parse_is_reported_every_time() {
        let f = Fixture::new();
        let a = f.folder("2026-01-01-000000_a", "a", &[], "");
        check(std::fs::write(
            a.join("metadata.toml"),
            "revision = \"a\"\nparents = [\n",
        ));
        age(&f.dir);
        for _ in 0..2 {
            let outcome = check(read_all_cached(&f.dir, Some(&f.cache), Need::Everything));
            assert!(outcome[0].is_err());
        }
    }
}
