//! `branches`: the revisions with more than one child.

use super::Ctx;
use crate::error::{exit, CliError};

pub(crate) fn run(ctx: &mut Ctx<'_>) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    let mut found = 0;
    for revision in graph.revisions() {
        let children = graph.children_of(&revision.id);
        if children.len() > 1 {
            found += 1;
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
    if found == 0 {
        ctx.say("No branch points: every revision has at most one child.")?;
    }
    Ok(exit::SUCCESS)
}
