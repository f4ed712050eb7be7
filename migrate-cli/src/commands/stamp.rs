//! `stamp TARGET [--purge]`.

use clap::Args;
use migrate_core::runner;

use crate::error::{exit, CliError};

use super::Ctx;

#[derive(Debug, Args)]
pub struct StampArgs {
    /// `head`, `base` or a revision.
    target: String,

    /// Empty the version table first.
    #[arg(long)]
    purge: bool,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &StampArgs) -> Result<i32, CliError> {
    let (target, purge) = (args.target.as_str(), args.purge);
    let graph = ctx.graph()?;
    let mut conn = ctx.connect()?;
    let version_table = ctx.config.version_table.clone();
    let stamped = runner::stamp(&mut conn, &graph, &version_table, target, purge)?;
    ctx.say(&format!(
        "Stamped {target}: {} revision(s) recorded as applied without running them",
        stamped.len()
    ))?;
    Ok(exit::SUCCESS)
}
