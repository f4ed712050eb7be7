//! The command line as clap sees it: the program, its global options (`args`), and the
//! command (each command's own arguments live in its file under `commands/`). The global
//! options become the configuration and the output before any command runs.

use clap::Parser;

use crate::args::GlobalArgs;
use crate::commands::Command;

/// Model-first migrations for diesel: autogenerate revisions from `#[derive(Model)]` structs,
/// upgrade, downgrade, and inspect the history.
///
/// Exit codes: 0 success; 1 error; 2 bad usage; 3 `check` found differences or `lint` an error;
/// 4, 5, 6 `current --check-heads`: behind, ahead (unknown revisions), a failed revision.
#[derive(Debug, Parser)]
#[command(name = "migrate", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}
