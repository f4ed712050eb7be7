//! `upgrade`: apply revisions up to a target.

use clap::Args;
use migrate_core::runner::Direction;

use super::{apply, Ctx};
use crate::args::Format;
use crate::error::CliError;

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// `head`, `heads`, a revision id or unique prefix, `+N`, `REV+N`, `LABEL@head`. With
    /// `--sql`, a range `FROM:TO` (FROM defaults to base).
    #[arg(default_value = "head")]
    target: String,

    /// Print the SQL instead of running it (offline: no database connection; the dialect
    /// comes from the database URL).
    #[arg(long)]
    sql: bool,

    /// Output format: `json` prints one JSON document on stdout when the run ends (fields in
    /// docs/commands.md); progress and warnings stay on stderr.
    #[arg(long, value_enum, default_value_t = Format::Text, conflicts_with = "sql")]
    format: Format,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &UpgradeArgs) -> Result<i32, CliError> {
    if args.sql {
        return apply::offline(ctx, &args.target, Direction::Up);
    }
    apply::run(ctx, &args.target, Direction::Up, args.format)
}
