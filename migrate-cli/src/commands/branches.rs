//! `branches`: the revisions with more than one child.

use serde_json::json;

use super::{json, Ctx};
use crate::args::Format;
use crate::error::{exit, CliError};

pub(crate) fn run(ctx: &mut Ctx<'_>, format: Format) -> Result<i32, CliError> {
    let graph = ctx.graph_listing()?;
    let points: Vec<_> = graph
        .revisions()
        .map(|revision| (revision, graph.children_of(&revision.id)))
        .filter(|(_, children)| children.len() > 1)
        .collect();
    if format == Format::Json {
        let points: Vec<_> = points
            .iter()
            .map(|(revision, children)| {
                let ids: Vec<&str> = children.iter().map(|c| c.id.as_str()).collect();
                json::with(json::revision(revision), json!({ "children": ids }))
            })
            .collect();
        ctx.print(&json!({ "branch_points": points }).to_string())?;
        return Ok(exit::SUCCESS);
    }
    for (revision, children) in &points {
        let ids: Vec<&str> = children.iter().map(|c| c.id.as_str()).collect();
        let line = format!(
            "{} {} (branches into {})",
            ctx.out.style.strong(&revision.id),
            revision.message,
            ids.join(", ")
        );
        ctx.print(&line)?;
    }
    if points.is_empty() {
        ctx.say("No branch points: every revision has at most one child.")?;
    }
    Ok(exit::SUCCESS)
}
