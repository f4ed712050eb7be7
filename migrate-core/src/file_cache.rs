//! Small on-disk caches of what was derived from files (parsed revision folders, a workspace's
//! layout), trusted only while every file they came from still has the stamp it had.
//!
//! A stamp is what `stat` says of a file (size, modification and change times, inode), so
//! checking one costs a system call instead of a read and a parse. A stamp taken within
//! [`SETTLE`] of the file's last change is not trusted: a second write within the
//! file system's timestamp granularity could leave size and times as they were (git's "racy
//! clean" problem), so such files are read again next time.
//!
//! The caches live in the user's cache directory (`MIGRATE_CACHE_DIR` moves them, and
//! `MIGRATE_NO_CACHE=1` turns them off). Nothing in a project's tree is written, and a cache
//! that is missing, unreadable or of another format is simply rebuilt; every failure to write
//! one is ignored, since the command's own work does not depend on it.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long after its last change a file's stamp is trusted.
pub const SETTLE: Duration = Duration::from_secs(2);

/// Turns every cache off when set to a non-empty value other than `0`.
pub const NO_CACHE_ENV: &str = "MIGRATE_NO_CACHE";

/// The directory the caches live in, instead of the user's cache directory.
pub const CACHE_DIR_ENV: &str = "MIGRATE_CACHE_DIR";

/// What `stat` says of a file or folder, as far as a change shows in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
}

impl Stamp {
    /// The stamp of `path` (following links); `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        #[cfg(unix)]
        return rustix::fs::stat(path).ok().map(Stamp::from_stat);
        #[cfg(not(unix))]
        return std::fs::metadata(path)
            .ok()
            .map(|m| Stamp::from_metadata(&m));
    }

    /// The stamp of an open file.
    pub fn of_file(file: &std::fs::File) -> Option<Stamp> {
        #[cfg(unix)]
        return rustix::fs::fstat(file).ok().map(Stamp::from_stat);
        #[cfg(not(unix))]
        return file.metadata().ok().map(|m| Stamp::from_metadata(&m));
    }

    /// The stamp of `relative` inside the open directory `dir` (following links): on Unix
    /// without walking the directory's own path again, which is most of a `stat`'s cost
    /// when thousands of files are checked.
    pub fn at(dir: &std::fs::File, dir_path: &Path, relative: &str) -> Option<Stamp> {
        #[cfg(unix)]
        {
            let _ = dir_path;
            rustix::fs::statat(dir, relative, rustix::fs::AtFlags::empty())
                .ok()
                .map(Stamp::from_stat)
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            std::fs::metadata(dir_path.join(relative))
                .ok()
                .map(|m| Stamp::from_metadata(&m))
        }
    }

    #[cfg(unix)]
    #[allow(clippy::unnecessary_cast, clippy::cast_lossless)] // field types differ by platform
    fn from_stat(stat: rustix::fs::Stat) -> Stamp {
        let nanos = |secs: i128, nsec: i128| secs * 1_000_000_000 + nsec;
        Stamp {
            len: stat.st_size as u64,
            modified_ns: nanos(stat.st_mtime as i128, stat.st_mtime_nsec as i128),
            changed_ns: nanos(stat.st_ctime as i128, stat.st_ctime_nsec as i128),
            inode: stat.st_ino as u64,
        }
    }

    #[cfg(not(unix))]
    fn from_metadata(metadata: &std::fs::Metadata) -> Stamp {
        let modified_ns = metadata.modified().map_or(0, nanos_since_epoch);
        Stamp {
            len: metadata.len(),
            modified_ns,
            changed_ns: modified_ns,
            inode: 0,
        }
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.len
    }

    /// Whether the file last changed long enough before `now` for the stamp to tell every
    /// later change.
    pub fn is_settled(&self, now: SystemTime) -> bool {
        let settle = i128::try_from(SETTLE.as_nanos()).unwrap_or(i128::MAX);
        self.modified_ns.max(self.changed_ns) + settle < nanos_since_epoch(now)
    }
}

fn nanos_since_epoch(time: SystemTime) -> i128 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
        Err(e) => -i128::try_from(e.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

/// Whether caches are on (see [`NO_CACHE_ENV`]).
pub fn enabled() -> bool {
    std::env::var_os(NO_CACHE_ENV).is_none_or(|v| v.is_empty() || v == "0")
}

/// Where the cache named by `kind` and `key` (e.g. the absolute path it describes) is kept;
/// `None` when caches are off or there is no cache directory.
pub fn path(kind: &str, key: &[&[u8]]) -> Option<PathBuf> {
    if !enabled() {
        return None;
    }
    let dir = match std::env::var_os(CACHE_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => dirs::cache_dir()?.join("migrate"),
    };
    let mut hasher = Sha256::new();
    for part in key {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    Some(dir.join(format!("{kind}-{name}.bin")))
}

/// A cache file's parts, each decoded only when asked for: a command that needs the first
/// part of a large cache does not pay for the others.
#[derive(Debug)]
pub struct Parts {
    bytes: Vec<u8>,
    /// Where each part starts and ends in `bytes`.
    ranges: Vec<std::ops::Range<usize>>,
}

impl Parts {
    /// Part `index`, decoded; `None` when there is no such part or it does not decode.
    pub fn get<T: DeserializeOwned>(&self, index: usize) -> Option<T> {
        let range = self.ranges.get(index)?.clone();
        postcard::from_bytes(self.bytes.get(range)?).ok()
    }
}

/// One part of a cache, encoded for [`store`].
pub fn encode<T: Serialize>(value: &T) -> Option<Vec<u8>> {
    postcard::to_stdvec(value).ok()
}

/// The first `wanted` parts of the cache at `path` (fewer when it has fewer), when it exists
/// and was written in this format by this version. Parts after those are not read at all.
pub fn load(path: &Path, wanted: usize) -> Option<Parts> {
    use std::io::Read;
    let mut file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let mut header_bytes = vec![0u8; header().len()];
    file.read_exact(&mut header_bytes).ok()?;
    if header_bytes != header().as_bytes() {
        return None;
    }
    let mut bytes = Vec::new();
    let mut ranges = Vec::with_capacity(wanted);
    while ranges.len() < wanted {
        let mut len_bytes = [0u8; 8];
        match file.read_exact(&mut len_bytes) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(_) => return None,
        }
        let len = usize::try_from(u64::from_le_bytes(len_bytes)).ok()?;
        let start = bytes.len();
        bytes.try_reserve(len).ok()?;
        let read = (&mut file).take(len as u64).read_to_end(&mut bytes).ok()?;
        if read != len {
            return None;
        }
        ranges.push(start..start + len);
    }
    Some(Parts { bytes, ranges })
}

/// Writes the cache at `path` from its encoded parts (a whole new file, renamed into place,
/// so a concurrent reader sees the old one or the new one). Failures are ignored: the cache
/// is only a shortcut.
pub fn store(path: &Path, parts: &[Vec<u8>]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let temporary = dir.join(format!(
        ".{}.{}",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    let mut bytes = header().into_bytes();
    for part in parts {
        bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
        bytes.extend_from_slice(part);
    }
    if std::fs::write(&temporary, &bytes).is_err() || std::fs::rename(&temporary, path).is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

/// The first bytes of every cache file: a cache written by another version is not read.
fn header() -> String {
    format!("migrate cache {}\n", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_file_is_not_settled_and_an_old_one_is() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
        let now = SystemTime::now();
        let stamp = Stamp::of(&file).unwrap_or_else(|| panic!("no stamp"));
        assert!(!stamp.is_settled(now));
        assert!(stamp.is_settled(now + SETTLE + Duration::from_millis(10)));
    }

    #[test]
    fn any_change_of_content_changes_the_stamp() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("f");
        std::fs::write(&file, "abc").unwrap_or_else(|e| panic!("{e}"));
        let before = Stamp::of(&file);
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&file, "abd").unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(before, Stamp::of(&file));
    }

    #[test]
    fn a_cache_round_trips_and_another_format_is_not_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("c.bin");
        let first = vec![String::from("a"), String::from("b")];
        let parts: Vec<Vec<u8>> = [encode(&first), encode(&7u32)]
            .into_iter()
            .flatten()
            .collect();
        store(&path, &parts);
        let loaded = load(&path, 3).unwrap_or_else(|| panic!("no cache"));
        assert_eq!(loaded.get::<Vec<String>>(0), Some(first.clone()));
        assert_eq!(loaded.get::<u32>(1), Some(7));
        assert_eq!(loaded.get::<u32>(2), None);
        let first_only = load(&path, 1).unwrap_or_else(|| panic!("no cache"));
        assert_eq!(first_only.get::<Vec<String>>(0), Some(first));
        assert_eq!(
            first_only.get::<u32>(1),
            None,
            "the second part is not read"
        );
        std::fs::write(&path, b"something else").unwrap_or_else(|e| panic!("{e}"));
        assert!(load(&path, 1).is_none());
    }
}
