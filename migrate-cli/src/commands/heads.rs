//! `heads`: the revisions nothing builds on.

use super::current::describe;
use super::Ctx;
use crate::error::{exit, CliError};

pub(crate) fn run(ctx: &mut Ctx<'_>) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    for revision in graph.heads() {
        let line = describe(ctx, revision, true);
        ctx.print(&line)?;
    }
    Ok(exit::SUCCESS)
}
