//! The stock binary cannot see models it was not linked with. For the commands that need
//! them, it writes a small crate under the workspace's target directory that links every
//! model crate (`use … as _;`) and calls [`crate::main`], builds it with cargo (incrementally,
//! in the workspace's own target directory) and runs the same command in it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{exit, CliError};
use crate::workspace::{Member, Workspace};

const SHIM_NAME: &str = "migrate-shim";

/// The shim's dependencies that do a command's work, compiled with optimizations.
const OPTIMIZED: &[&str] = &[
    "migrate-core",
    "migrate-cli",
    "diesel",
    "libsqlite3-sys",
    "sha2",
];

/// Tells the generated binary where the workspace is, to print paths relative to it.
pub const WORKSPACE_ROOT_ENV: &str = "MIGRATE_WORKSPACE_ROOT";

/// Builds the shim for `workspace`: its path, or the exit code when the model crates did not
/// build (cargo's errors printed).
pub fn build(
    workspace: &Workspace,
    crates: &[&Member],
    quiet: bool,
    err: &mut dyn Write,
) -> Result<Result<PathBuf, i32>, CliError> {
    let dir = workspace.target_dir.join(SHIM_NAME);
    write_if_changed(&dir.join("Cargo.toml"), &manifest(workspace, crates))?;
    write_if_changed(&dir.join("src").join("main.rs"), &main_rs(crates))?;
    seed_lock(&workspace.root.join("Cargo.lock"), &dir)?;

    if !quiet {
        let names: Vec<&str> = crates.iter().map(|m| m.package.as_str()).collect();
        writeln!(
            err,
            "linking the model crates {} into {}",
            names.join(", "),
            display_relative(&dir, &workspace.root)
        )?;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build
        .arg("build")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&workspace.target_dir);
    if quiet {
        build.arg("--quiet");
    }
    // Its messages go through a pipe (see `run_cargo`); keep their colors for a terminal.
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        build.arg("--color").arg("always");
    }
    let status = run_cargo(&mut build, err)?;
    if !status.success() {
        writeln!(
            err,
            "error: the model crates did not build (cargo's errors are above)"
        )?;
        return Ok(Err(exit::ERROR));
    }
    Ok(Ok(workspace.target_dir.join("debug").join(format!(
        "{SHIM_NAME}{}",
        std::env::consts::EXE_SUFFIX
    ))))
}

/// Runs `args` (without the program name) in the built shim; returns its exit code.
/// `cache` is the workspace cache the shim may take the workspace's layout and scan from.
pub fn run(
    binary: &Path,
    workspace_root: &Path,
    args: &[std::ffi::OsString],
    cache: Option<&Path>,
) -> Result<i32, CliError> {
    let mut command = Command::new(binary);
    command.args(args).env(WORKSPACE_ROOT_ENV, workspace_root);
    match cache {
        Some(cache) => command.env(crate::workspace_cache::CACHE_ENV, cache),
        None => command.env_remove(crate::workspace_cache::CACHE_ENV),
    };
    let status = command
        .status()
        .map_err(|e| CliError::Refused(format!("cannot run {}: {e}", binary.display())))?;
    Ok(status.code().unwrap_or(exit::ERROR))
}

/// Starting from the workspace's lock file keeps every dependency at the version the
/// workspace already built, so the shim reuses those artifacts. It is copied only when it
/// changed since the last copy (kept beside it): cargo then adds the shim's own entries
/// once, and later runs find a lock with nothing to resolve, so they touch no registry.
fn seed_lock(workspace_lock: &Path, dir: &Path) -> Result<(), CliError> {
    let Ok(lock) = std::fs::read_to_string(workspace_lock) else {
        return Ok(());
    };
    let copied = dir.join("Cargo.lock.workspace");
    let shim_lock = dir.join("Cargo.lock");
    if shim_lock.exists() && std::fs::read_to_string(&copied).is_ok_and(|old| old == lock) {
        return Ok(());
    }
    write_if_changed(&shim_lock, &lock)?;
    write_if_changed(&copied, &lock)
}

/// Runs the build with cargo's messages passed on, except the `Finished` line an up-to-date
/// build prints and nothing else: the fast path stays silent, a build shows what it compiles.
fn run_cargo(
    build: &mut Command,
    err: &mut dyn Write,
) -> Result<std::process::ExitStatus, CliError> {
    let cannot =
        |e: std::io::Error| CliError::Refused(format!("cannot run cargo to build the models: {e}"));
    let mut child = build
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(cannot)?;
    if let Some(stderr) = child.stderr.take() {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
            let line = line.map_err(cannot)?;
            if !line.trim_start().starts_with("Finished ") {
                writeln!(err, "{line}")?;
            }
        }
    }
    child.wait().map_err(cannot)
}

fn manifest(workspace: &Workspace, crates: &[&Member]) -> String {
    // The generated binary gets the drivers this one has, and their client libraries from
    // the same place (compiled in, or the system's).
    let mut features = migrate_core::dialect::enabled_features();
    if cfg!(feature = "bundled") {
        features.push("bundled");
    }
    let features: Vec<String> = features
        .iter()
        .map(|feature| format!("\"{feature}\""))
        .collect();
    // The sources this binary was built from serve when the workspace has no copy of its
    // own (a binary installed with `cargo install --path`); else the published version.
    let own_sources = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cli_dir = workspace.cli_dir.clone().or_else(|| {
        own_sources
            .join("Cargo.toml")
            .exists()
            .then(|| own_sources.to_owned())
    });
    let cli = match &cli_dir {
        Some(dir) => format!("path = {}", toml_string(dir)),
        None => format!("version = \"={}\"", env!("CARGO_PKG_VERSION")),
    };
    let mut text = format!(
        "# Generated by migrate-cli: links the workspace's model crates. Rewritten on every run.\n\
         [package]\n\
         name = \"{SHIM_NAME}\"\n\
         version = \"0.0.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         migrate-cli = {{ {cli}, default-features = false, features = [{}] }}\n",
        features.join(", ")
    );
    for member in crates {
        text.push_str(&format!(
            "{} = {{ path = {} }}\n",
            toml_key(&member.package),
            toml_string(&member.dir)
        ));
    }
    // Its own workspace: the shim lives inside the user's target directory, not in their
    // workspace.
    text.push_str("\n[workspace]\n");
    // The work of a command (introspection, the diff, SQLite itself) is done in these; built
    // once with optimizations, they make `check` on hundreds of tables several times faster,
    // while the model crates stay quick to rebuild after each edit.
    for package in OPTIMIZED {
        text.push_str(&format!(
            "\n[profile.dev.package.{package}]\nopt-level = 2\ndebug-assertions = false\n"
        ));
    }
    text
}

fn main_rs(crates: &[&Member]) -> String {
    let mut text =
        String::from("// Generated by migrate-cli: linking these crates registers their models.\n");
    for member in crates {
        text.push_str(&format!("use {} as _;\n", member.lib_name));
    }
    text.push_str("\nfn main() {\n    migrate_cli::main()\n}\n");
    text
}

fn toml_string(path: &Path) -> String {
    let text = path.display().to_string().replace('\\', "/");
    format!("\"{}\"", text.replace('"', "\\\""))
}

fn toml_key(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        name.to_owned()
    } else {
        format!("\"{name}\"")
    }
}

/// Writes `text` unless the file already holds it, so cargo sees no change and does not
/// rebuild.
fn write_if_changed(path: &Path, text: &str) -> Result<(), CliError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| migrate_core::Error::Io {
            path: dir.to_owned(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| {
        CliError::Core(migrate_core::Error::Io {
            path: path.to_owned(),
            source,
        })
    })
}

fn display_relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .map(PathBuf::from)
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}
