//! `downgrade`: revert revisions down to a target.

use clap::Args;
use migrate_core::runner::Direction;

use super::{apply, Ctx};
use crate::args::Format;
use crate::error::CliError;

#[derive(Debug, Args)]
pub struct DowngradeArgs {
    /// `base`, a revision id or unique prefix, `-N`, `REV-N`, `LABEL@base`. With `--sql`, a
    /// range `FROM:TO` reverting from FROM down to TO.
    #[arg(allow_hyphen_values = true)]
    target: String,

    /// Print the SQL instead of running it (offline: no database connection).
    #[arg(long)]
    sql: bool,

    /// Output format: `json` prints one JSON document on stdout when the run ends (fields in
    /// docs/commands.md); progress and warnings stay on stderr.
    #[arg(long, value_enum, default_value_t = Format::Text, conflicts_with = "sql")]
    format: Format,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &DowngradeArgs) -> Result<i32, CliError> {
    if args.sql {
        return apply::offline(ctx, &args.target, Direction::Down);
    }
    apply::run(ctx, &args.target, Direction::Down, args.format)
}
