//! `branches`: the revisions with more than one child.

use super::Ctx;
use crate::error::{exit, CliError};

pub(crate) fn run(ctx: &mut Ctx<'_>) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    for revision in graph.revisions() {
        let children = graph.children_of(&revision.id);
        if children.len() > 1 {
            let ids: Vec<&str> = children.iter().map(|c| c.id.as_str()).collect();
            let line = format!(
                "{} {} (branches into {})",
                ctx.out.style.strong(&revision.id),
                revision.message,
                ids.join(", ")
            );
            ctx.print(&line)?;
        }
    }
    Ok(exit::SUCCESS)
}
