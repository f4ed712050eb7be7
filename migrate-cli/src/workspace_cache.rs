//! What the stock binary learns about the workspace on a full run (`cargo metadata`, the scan
//! of the model crates' sources, a model binary that cargo just built), kept between runs
//! (see [`migrate_core::file_cache`]). While every file it came from has its stamp, a command
//! runs the model binary at once: no `cargo metadata`, no scan, no `cargo build`.
//!
//! The files watched are those cargo itself would look at for the model binary: every local
//! source file its dependency information (`migrate-shim.d`) lists, the manifests of their
//! packages, the workspace's manifest and lock file, `.cargo/config.toml`; plus every
//! directory and `.rs` file under the model crates' sources (the scan reads them all, and a
//! new file changes its directory), the `Cargo.toml` that is not there in each directory from
//! the current one up to the workspace root (one appearing would make another workspace),
//! and the binary itself. Sources under `CARGO_HOME` (registry and git checkouts) never change in place.

use std::path::{Path, PathBuf};

use migrate_core::file_cache::{self, Stamp};
use serde::{Deserialize, Serialize};

use crate::scan::MemberScan;
use crate::workspace::Workspace;

/// Where the stock binary tells the model binary the cache it just checked.
pub const CACHE_ENV: &str = "MIGRATE_WORKSPACE_CACHE";

#[derive(Debug, Serialize, Deserialize)]
pub struct Learned {
    pub workspace: Workspace,
    /// Each member's scan, by package name.
    pub scans: Vec<(String, MemberScan)>,
    /// The `model_crates` setting the model binary was built for, and the packages it links.
    pub configured: Option<Vec<String>>,
    pub linked: Vec<String>,
    pub shim_binary: PathBuf,
    watched: Vec<(PathBuf, Option<Stamp>)>,
}

/// Where the cache for a command run here is kept: it depends on the directory, the manifest
/// asked for, where cargo builds, and which stock binary runs.
pub fn cache_path(manifest_path: Option<&Path>) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let exe = std::env::current_exe().ok()?;
    let exe_stamp = Stamp::of(&exe)?;
    let exe_stamp = format!("{exe_stamp:?}");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").unwrap_or_default();
    let manifest = manifest_path.map(Path::as_os_str).unwrap_or_default();
    file_cache::path(
        "workspace",
        &[
            cwd.as_os_str().as_encoded_bytes(),
            manifest.as_encoded_bytes(),
            target_dir.as_encoded_bytes(),
            exe.as_os_str().as_encoded_bytes(),
            exe_stamp.as_bytes(),
        ],
    )
}

impl Learned {
    /// The cache at `path` when every watched file still has its stamp.
    pub fn load_current(path: &Path) -> Option<Learned> {
        Learned::load_checked_by_caller(path).filter(|learned| {
            learned
                .watched
                .iter()
                .all(|(file, stamp)| Stamp::of(file) == *stamp)
        })
    }

    /// The cache at `path` without checking its stamps: for the model binary, which the stock
    /// binary started a moment after checking them (or after writing the cache).
    pub fn load_checked_by_caller(path: &Path) -> Option<Learned> {
        file_cache::load(path, 1)?.get(0)
    }

    /// What a full run learned, with the files to watch; `None` when one of them changed
    /// too recently for its stamp to be trusted, or the model binary's dependency
    /// information cannot be read.
    pub fn new(
        workspace: Workspace,
        scans: Vec<(String, MemberScan)>,
        configured: Option<Vec<String>>,
        linked: Vec<String>,
        shim_binary: PathBuf,
    ) -> Option<Learned> {
        let now = std::time::SystemTime::now();
        let mut files = dependency_files(&shim_binary.with_extension("d"))?;
        files.push(shim_binary.clone());
        files.push(workspace.root.join("Cargo.toml"));
        files.push(workspace.root.join("Cargo.lock"));
        files.push(workspace.root.join(".cargo").join("config.toml"));
        let mut manifests: Vec<PathBuf> =
            files.iter().filter_map(|f| package_manifest(f)).collect();
        files.append(&mut manifests);
        for member in &workspace.members {
            files.push(member.dir.join("Cargo.toml"));
            let tree = crate::scan::source_tree(&member.src_dir);
            files.extend(tree.dirs);
            files.extend(tree.files);
        }
        // A manifest appearing between here and the root would make another workspace.
        if let Ok(cwd) = std::env::current_dir() {
            for dir in cwd.ancestors().take_while(|d| *d != workspace.root) {
                files.push(dir.join("Cargo.toml"));
            }
        }
        files.sort();
        files.dedup();
        let mut watched = Vec::with_capacity(files.len());
        for file in files {
            let stamp = Stamp::of(&file);
            if stamp.is_some_and(|s| !s.is_settled(now)) {
                return None;
            }
            watched.push((file, stamp));
        }
        Some(Learned {
            workspace,
            scans,
            configured,
            linked,
            shim_binary,
            watched,
        })
    }

    pub fn store(&self, path: &Path) {
        if let Some(part) = file_cache::encode(self) {
            file_cache::store(path, &[part]);
        }
    }
}

/// The local files a dependency-information file (`target: dep dep …`, spaces in names
/// escaped with `\`) lists; those under `CARGO_HOME` are left out.
fn dependency_files(dep_info: &Path) -> Option<Vec<PathBuf>> {
    let text = std::fs::read_to_string(dep_info).ok()?;
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".cargo")));
    let (_, deps) = text.lines().next()?.split_once(": ")?;
    let mut files = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            ' ' => {
                if !current.is_empty() {
                    files.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        files.push(PathBuf::from(current));
    }
    files.retain(|f| cargo_home.as_ref().is_none_or(|home| !f.starts_with(home)));
    Some(files)
}

/// The `Cargo.toml` of the package a source file belongs to: the nearest one above it.
fn package_manifest(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .map(|dir| dir.join("Cargo.toml"))
        .find(|manifest| manifest.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_information_is_read_with_escaped_spaces() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path().join("migrate-shim.d");
        std::fs::write(
            &d,
            "/w/target/debug/migrate-shim: /w/models/src/lib.rs /w/my\\ models/src/a.rs\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            dependency_files(&d),
            Some(vec![
                PathBuf::from("/w/models/src/lib.rs"),
                PathBuf::from("/w/my models/src/a.rs")
            ])
        );
    }
}
