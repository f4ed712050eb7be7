//! The Cargo workspace the command runs in, as `cargo metadata` describes it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::error::CliError;

/// The crate whose dependents define models.
const CORE_CRATE: &str = "migrate-core";
/// This crate: it depends on migrate-core but defines no models.
const CLI_CRATE: &str = "migrate-cli";

#[derive(Debug, Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    workspace_members: Vec<String>,
    workspace_root: PathBuf,
    target_directory: PathBuf,
}

#[derive(Debug, Deserialize)]
struct Package {
    id: String,
    name: String,
    manifest_path: PathBuf,
    targets: Vec<Target>,
    dependencies: Vec<Dependency>,
}

#[derive(Debug, Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
    src_path: PathBuf,
}

#[derive(Debug, Deserialize)]
struct Dependency {
    name: String,
    kind: Option<String>,
    /// Set for path dependencies.
    path: Option<PathBuf>,
}

/// A workspace member with a library.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
pub struct Member {
    pub package: String,
    /// The library's crate name, as code names it (`use NAME as _;`).
    pub lib_name: String,
    pub dir: PathBuf,
    /// The directory of the library's root file: where its models are.
    pub src_dir: PathBuf,
    /// Whether it depends on migrate-core (outside dev-dependencies).
    pub uses_core: bool,
}

#[derive(Debug, serde::Serialize, Deserialize)]
pub struct Workspace {
    pub root: PathBuf,
    pub target_dir: PathBuf,
    pub members: Vec<Member>,
    /// The migrate-cli package, when it is a member or a path dependency of one.
    pub cli_dir: Option<PathBuf>,
}

impl Workspace {
    /// The workspace around the current directory (or of `manifest_path`), or `None` when
    /// there is none or cargo is not available.
    pub fn locate(manifest_path: Option<&Path>) -> Result<Option<Workspace>, CliError> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ]);
        if let Some(path) = manifest_path {
            command.arg("--manifest-path").arg(path);
        }
        let output = match command.output() {
            Ok(output) => output,
            Err(_) => return Ok(None),
        };
        if !output.status.success() {
            if manifest_path.is_some() {
                return Err(CliError::Refused(format!(
                    "cargo metadata failed: {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                )));
            }
            return Ok(None);
        }
        let metadata: Metadata = serde_json::from_slice(&output.stdout)
            .map_err(|e| CliError::Refused(format!("cannot read cargo metadata: {e}")))?;
        Ok(Some(Workspace::from_metadata(metadata)))
    }

    fn from_metadata(metadata: Metadata) -> Workspace {
        let mut members = Vec::new();
        let mut cli_dir = None;
        for package in &metadata.packages {
            if !metadata.workspace_members.contains(&package.id) {
                continue;
            }
            let dir = package
                .manifest_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            if package.name == CLI_CRATE {
                cli_dir = Some(dir.clone());
                continue;
            }
            let Some(lib) = package.targets.iter().find(|t| {
                t.kind
                    .iter()
                    .any(|k| matches!(k.as_str(), "lib" | "rlib" | "dylib"))
            }) else {
                continue;
            };
            let uses_core = package
                .dependencies
                .iter()
                .any(|d| d.name == CORE_CRATE && d.kind.as_deref() != Some("dev"));
            members.push(Member {
                package: package.name.clone(),
                lib_name: lib.name.replace('-', "_"),
                src_dir: lib
                    .src_path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.clone()),
                dir,
                uses_core,
            });
        }
        members.sort_by(|a, b| a.package.cmp(&b.package));
        // Not a member: a path dependency of one (a project using a local checkout).
        let cli_dir = cli_dir.or_else(|| {
            metadata
                .packages
                .iter()
                .flat_map(|p| &p.dependencies)
                .find(|d| d.name == CLI_CRATE)
                .and_then(|d| d.path.clone())
        });
        Workspace {
            root: metadata.workspace_root,
            target_dir: metadata.target_directory,
            members,
            cli_dir,
        }
    }
}
