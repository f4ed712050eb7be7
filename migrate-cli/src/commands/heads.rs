//! `heads`: the revisions nothing builds on.

use serde_json::json;

use super::current::describe;
use super::{json, Ctx};
use crate::args::Format;
use crate::error::{exit, CliError};

pub(crate) fn run(ctx: &mut Ctx<'_>, format: Format) -> Result<i32, CliError> {
    let graph = ctx.graph_listing()?;
    if format == Format::Json {
        let heads: Vec<_> = graph.heads().iter().map(|r| json::revision(r)).collect();
        ctx.print(&json!({ "heads": heads }).to_string())?;
        return Ok(exit::SUCCESS);
    }
    for revision in graph.heads() {
        let line = describe(ctx, revision, true);
        ctx.print(&line)?;
    }
    Ok(exit::SUCCESS)
}
