//! `stamp TARGET [--purge]`.

use migrate_core::runner;

use crate::error::{exit, CliError};

use super::Ctx;

pub(crate) fn run(ctx: &mut Ctx<'_>, target: &str, purge: bool) -> Result<i32, CliError> {
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
