//! `merge`: one revision whose parents are the given heads. It holds no SQL of its own.

use clap::Args;
use migrate_core::revision::{write_revision, NewRevision};

use crate::error::{exit, CliError};

use super::Ctx;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The revisions to merge (default: every head).
    #[arg(default_value = "heads")]
    revisions: Vec<String>,

    /// The revision message.
    #[arg(short, long)]
    message: String,

    /// The revision id to use instead of a generated one.
    #[arg(long, value_name = "ID")]
    rev_id: Option<String>,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &MergeArgs) -> Result<i32, CliError> {
    let (specs, message, rev_id) = (
        &args.revisions,
        args.message.as_str(),
        args.rev_id.as_deref(),
    );
    let graph = ctx.graph()?;
    let mut parents: Vec<String> = Vec::new();
    for spec in specs {
        if spec == "heads" {
            parents.extend(graph.heads().iter().map(|r| r.id.clone()));
            continue;
        }
        match graph.resolve(spec)? {
            Some(revision) => parents.push(revision.id.clone()),
            None => {
                return Err(CliError::Refused(
                    "`base` cannot be merged: it is not a revision".to_owned(),
                ))
            }
        }
    }
    parents.dedup();
    if parents.len() < 2 {
        return Err(CliError::Refused(format!(
            "a merge needs at least two revisions; {} given ({})\n  hint: `heads` lists the heads to merge",
            parents.len(),
            parents.join(", ")
        )));
    }
    let dialect = ctx.url()?.dialect();
    let written = write_revision(
        &ctx.config.migrations_dir,
        NewRevision {
            id: rev_id.map(str::to_owned),
            parents,
            message,
            dialect: dialect.name(),
            up_sql: String::new(),
            down_sql: String::new(),
            extra: vec![],
            branch_labels: vec![],
            run_in_transaction: true,
            timeouts: Default::default(),
        },
    )?;
    ctx.say(&format!(
        "Wrote merge revision {} ({}) in {}",
        ctx.out.style.strong(&written.id),
        written.parents.join(" + "),
        written.dir.display()
    ))?;
    Ok(exit::SUCCESS)
}
