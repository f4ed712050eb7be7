//! `show REV`.

use crate::error::{exit, CliError};
use clap::Args;

use super::Ctx;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A revision id, unique prefix, `head` or a branch label.
    revision: String,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &ShowArgs) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    let Some(revision) = graph.resolve(&args.revision)? else {
        return Err(CliError::Refused(
            "`base` is the empty state before any revision; there is nothing to show".to_owned(),
        ));
    };
    let text = format!(
        "Revision: {}\nParents: {}\nMessage: {}\nCreated: {}\nFolder: {}\nRun in transaction: {}\n\n-- up.sql\n{}\n-- down.sql\n{}",
        revision.id,
        if revision.parents.is_empty() {
            "(base)".to_owned()
        } else {
            revision.parents.join(", ")
        },
        revision.message,
        revision.created.as_deref().unwrap_or("unknown"),
        revision.dir.display(),
        revision.run_in_transaction,
        revision.up_sql,
        revision.down_sql
    );
    ctx.print(&text)?;
    Ok(exit::SUCCESS)
}
