//! The one error type of the CLI, and the exit codes.

use std::path::PathBuf;

/// Exit codes, documented in `--help` and docs/commands.md.
pub mod exit {
    pub const SUCCESS: i32 = 0;
    pub const ERROR: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const DIFFERENCES: i32 = 3;
    /// `current --check-heads`: revisions are pending.
    pub const BEHIND: i32 = 4;
    /// `current --check-heads`: the database records revisions this history does not define.
    pub const AHEAD: i32 = 5;
    /// `current --check-heads`: a revision failed part-way and blocks every run.
    pub const FAILED: i32 = 6;
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Core(#[from] migrate_core::Error),

    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },

    #[error("{0}")]
    Refused(String),

    #[error("writing output: {0}")]
    Output(#[from] std::io::Error),
}
