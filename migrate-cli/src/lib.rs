//! The command line, as a library: a project's own `migrate` binary links its model crates
//! and calls [`main`]; tests call [`run_with`].

mod args;
mod cli;
mod commands;
mod config;
mod error;
mod output;
mod scan;
mod shim;
mod workspace;
mod workspace_cache;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;
use migrate_core::registry::{ModelDef, Registry};
use migrate_core::revision::EmbeddedMigrations;

pub use cli::Cli;
pub use error::{exit, CliError};

/// Where the models come from.
#[derive(Debug, Clone)]
pub enum Models {
    /// Every model linked into this binary (the normal case).
    Linked,
    /// These definitions only (for tests that change models between runs).
    Given(Vec<&'static ModelDef>),
}

impl Models {
    pub(crate) fn registry(&self) -> Result<Registry, migrate_core::Error> {
        match self {
            Models::Linked => Registry::collect(),
            Models::Given(defs) => Registry::from_definitions(defs),
        }
    }
}

/// Where the revision history comes from.
#[derive(Debug, Clone, Copy)]
pub enum History {
    /// The migrations directory (`--migrations-dir`, the config file, else `migrations`).
    Directory,
    /// A history compiled into the binary with `migrate_embed::embed_migrations!`; the
    /// directory settings are then ignored.
    Embedded(&'static EmbeddedMigrations),
}

/// Runs the command line of this process with the models linked into it, and exits with
/// its code. A project's own migrate binary calls this.
pub fn main() -> ! {
    std::process::exit(run(std::env::args_os()))
}

/// Like [`main`], with the history compiled into the binary: an application offers the
/// commands (`upgrade`, `current --check-heads`, …) from its own executable, with no
/// migrations folder beside it. `args` are the command line from the command name on.
pub fn run_embedded<I, T>(migrations: &'static EmbeddedMigrations, args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_on_terminal(args, History::Embedded(migrations))
}

/// The stock binary: commands that need models run in a binary built on the fly that links
/// every model crate of the Cargo workspace; the others run here.
pub fn stock_main() -> ! {
    stock_main_with(std::env::args_os().collect())
}

/// [`stock_main`] on a given command line (program name first), for `cargo migrate`.
pub fn stock_main_with(args: Vec<OsString>) -> ! {
    let stderr = std::io::stderr();
    let code = match Cli::try_parse_from(&args) {
        Ok(cli) if cli.command.needs_models() => {
            match run_in_workspace(&cli, &args[1..], &mut stderr.lock()) {
                Ok(Some(code)) => code,
                Ok(None) => run(args),
                Err(e) => {
                    let style = output::Style::new(cli.global.color, false);
                    let _ = writeln!(stderr.lock(), "{} {e}", style.error("error:"));
                    exit::ERROR
                }
            }
        }
        _ => run(args),
    };
    std::process::exit(code)
}

/// Builds and runs the workspace's model binary; `None` when there is no workspace. While
/// nothing it was built from changed, the model binary runs at once (see `workspace_cache`).
fn run_in_workspace(
    cli: &Cli,
    args: &[OsString],
    err: &mut dyn Write,
) -> Result<Option<i32>, CliError> {
    let cache = workspace_cache::cache_path(cli.global.manifest_path.as_deref());
    if let Some(learned) = cache
        .as_deref()
        .and_then(workspace_cache::Learned::load_current)
    {
        let config = config::Config::resolve(&cli.global)?;
        // No precheck: nothing is compiled, and the model binary reports the same errors.
        if learned.configured == config.model_crates {
            let root = &learned.workspace.root;
            return shim::run(&learned.shim_binary, root, args, cache.as_deref()).map(Some);
        }
    }
    let Some(workspace) = workspace::Workspace::locate(cli.global.manifest_path.as_deref())? else {
        return Ok(None);
    };
    let config = config::Config::resolve(&cli.global)?;
    // What can fail without the models fails before a minute of compiling.
    cli.command.precheck(&config)?;
    let scans = scan::scan_all(&workspace);
    let crates = scan::model_crates(&workspace, &scans, config.model_crates.as_deref())?;
    if crates.is_empty() {
        return Err(CliError::Refused(format!(
            "no library in the workspace at {} depends on migrate-core, so there are no models to link\n  \
             hint: add `#[derive(Model)]` structs to a library crate, or name the crates with `model_crates = [\"…\"]` in migrate.toml",
            workspace.root.display()
        )));
    }
    let binary = match shim::build(&workspace, &crates, cli.global.quiet, err)? {
        Ok(binary) => binary,
        Err(code) => return Ok(Some(code)),
    };
    let linked: Vec<String> = crates.iter().map(|m| m.package.clone()).collect();
    let root = workspace.root.clone();
    let learned = workspace_cache::Learned::new(
        workspace,
        scans,
        config.model_crates.clone(),
        linked,
        binary.clone(),
    );
    let stored = match (learned, cache) {
        (Some(learned), Some(path)) => {
            learned.store(&path);
            Some(path)
        }
        _ => None,
    };
    shim::run(&binary, &root, args, stored.as_deref()).map(Some)
}

/// Runs a command line with the linked models, printing to stdout and stderr; returns the
/// exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_on_terminal(args, History::Directory)
}

/// Runs a command line with the linked models on this process's stdout and stderr.
fn run_on_terminal<I, T>(args: I, history: History) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let terminal = std::io::IsTerminal::is_terminal(&stdout);
    if terminal {
        return run_with_history(
            args,
            &Models::Linked,
            history,
            &mut stdout.lock(),
            &mut stderr.lock(),
            terminal,
        );
    }
    // Into a pipe or a file, lines are written in blocks, not one system call each (10,000
    // lines of `history`: 10,000 writes). Progress is flushed as it is said, and stdout
    // before anything goes to stderr, so the order of the two streams is kept.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = run_with_history(
        args,
        &Models::Linked,
        history,
        &mut out,
        &mut stderr.lock(),
        terminal,
    );
    match out.flush() {
        Ok(()) => code,
        // The reader went away (`history | head`): nothing is wrong and nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            let _ = writeln!(stderr.lock(), "error: writing the output: {e}");
            exit::ERROR
        }
    }
}

/// Runs a command line with the given models and output streams; returns the exit code.
/// `terminal` says whether `out` is a terminal (colors and progress in `auto` mode).
pub fn run_with<I, T>(
    args: I,
    models: &Models,
    out: &mut dyn Write,
    err: &mut dyn Write,
    terminal: bool,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with_history(args, models, History::Directory, out, err, terminal)
}

/// [`run_with`] with the history taken from `history`.
pub fn run_with_history<I, T>(
    args: I,
    models: &Models,
    history: History,
    out: &mut dyn Write,
    err: &mut dyn Write,
    terminal: bool,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::SUCCESS
            };
            let text = if terminal {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let _ = if e.use_stderr() {
                write!(err, "{text}")
            } else {
                write!(out, "{text}")
            };
            return code;
        }
    };
    let style = output::Style::new(cli.global.color, terminal);
    let result = config::Config::resolve(&cli.global).and_then(|config| {
        let mut ctx = commands::Ctx {
            config,
            models,
            history,
            out: output::Output::new(&cli.global, style, &mut *out, &mut *err),
            interactive: terminal && std::io::IsTerminal::is_terminal(&std::io::stdin()),
        };
        cli.command.run(&mut ctx)
    });
    match result {
        Ok(code) => code,
        // The reader went away (`show … | head`): nothing is wrong and nothing more to say.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            let _ = writeln!(err, "{} {e}", style.error("error:"));
            exit::ERROR
        }
    }
}
