//! The command line as clap sees it: the program, its global options, and the command
//! (each command's own arguments live in its file under `commands/`). Turned into a
//! [`crate::config::Config`] and an [`crate::output::Output`] before any command runs.

use std::path::PathBuf;

use clap::{Args, Parser, ValueEnum};

pub use crate::commands::Command;

/// Model-first migrations for diesel: autogenerate revisions from `#[derive(Model)]` structs,
/// upgrade, downgrade, and inspect the history.
///
/// Exit codes: 0 success; 1 error; 2 bad usage; 3 `check` found differences.
#[derive(Debug, Parser)]
#[command(name = "migrate", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Database URL: sqlite://FILE (or a file path), postgres://…, mysql://…. Default: the
    /// DATABASE_URL environment variable (also read from .env), then `database_url` in the
    /// config file, then the embedded SQLite file `dev.db`.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// The migrations directory. Default: `migrations_dir` in the config file, else
    /// `migrations`.
    #[arg(long, global = true, value_name = "DIR")]
    pub migrations_dir: Option<PathBuf>,

    /// The config file. Default: `migrate.toml` when it exists.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The Cargo.toml of the workspace whose model crates the stock binary links (default:
    /// the workspace around the current directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub manifest_path: Option<PathBuf>,

    /// Print more detail.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Print only errors and the data asked for.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to color the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}
