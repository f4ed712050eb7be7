//! The global options and the value types several commands share; below every other module
//! of the command line, so that configuration, output and commands can all read them.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

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

    /// The dialects the migrations are written for, comma-separated (e.g. sqlite,postgres):
    /// new revisions get an SQL pair for each. Default: `dialects` in the config file, else
    /// the database's own.
    #[arg(long, global = true, value_name = "LIST", value_delimiter = ',')]
    pub dialects: Option<Vec<String>>,

    /// How long to wait for another run's lock before giving up (e.g. 30s, 5m); while
    /// waiting, who holds it is printed every few seconds. Default: `lock_wait` in the config
    /// file, else 60s.
    #[arg(long, global = true, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub lock_wait: Option<Duration>,

    /// How long a database server gets to answer a connection attempt (e.g. 10s). Default:
    /// `connect_timeout` in the config file, else 10s.
    #[arg(long, global = true, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub connect_timeout: Option<Duration>,

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
