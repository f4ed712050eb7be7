//! `show REV`.

use crate::args::Format;
use crate::error::{exit, CliError};
use clap::Args;

use super::{json, Ctx};

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A revision id, unique prefix, `head` or a branch label.
    revision: String,

    /// Output format: `json` prints one JSON document on stdout (fields in docs/commands.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &ShowArgs) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    let Some(revision) = graph.resolve(&args.revision)? else {
        return Err(CliError::Refused(
            "`base` is the empty state before any revision; there is nothing to show".to_owned(),
        ));
    };
    if args.format == Format::Json {
        let dialect_sql: serde_json::Map<String, serde_json::Value> = revision
            .dialect_sql
            .iter()
            .map(|(dialect, (up, down))| {
                (
                    dialect.clone(),
                    serde_json::json!({ "up_sql": up, "down_sql": down }),
                )
            })
            .collect();
        let value = json::with(
            json::revision(revision),
            serde_json::json!({
                "dialect": revision.dialect,
                "up_sql": revision.up_sql,
                "down_sql": revision.down_sql,
                "dialect_sql": dialect_sql,
            }),
        );
        ctx.print(&value.to_string())?;
        return Ok(exit::SUCCESS);
    }
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
