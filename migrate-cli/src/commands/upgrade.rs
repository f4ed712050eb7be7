//! `upgrade`: apply revisions up to a target.

use clap::Args;
use migrate_core::runner::Direction;

use super::{apply, Ctx};
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
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &UpgradeArgs) -> Result<i32, CliError> {
    if args.sql {
        return apply::offline(ctx, &args.target, Direction::Up);
    }
    apply::run(ctx, &args.target, Direction::Up)
}
