//! `history`: newest first.

use std::collections::{BTreeMap, BTreeSet};

use clap::Args;
use migrate_core::runner;

use crate::args::Format;
use crate::error::{exit, CliError};

use super::{json, Ctx};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only the revisions in this range, `A:B`, both ends included (either side may be
    /// omitted: `A:` runs to the heads, `:B` from the base). `current` and `-N`/`+N` steps
    /// from it read the database: `current:`, `-1:`, `base:current`.
    #[arg(short, long, value_name = "RANGE", allow_hyphen_values = true)]
    rev_range: Option<String>,

    /// Mark the revisions the database is at, and any that failed or were interrupted
    /// part-way (with the statement and error).
    #[arg(short, long)]
    indicate_current: bool,

    /// Output format: `json` prints one JSON document on stdout (fields in docs/commands.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &HistoryArgs) -> Result<i32, CliError> {
    // What stopped a revision part-way names its statement, so --indicate-current reads the
    // SQL; the plain listing does not.
    let graph = if args.indicate_current {
        ctx.graph()?
    } else {
        ctx.graph_listing()?
    };
    // The range may be relative to where the database is.
    let relative = args.rev_range.as_deref().is_some_and(|spec| {
        spec.split(':')
            .map(str::trim)
            .any(|side| side == "current" || side.starts_with('-') || side.starts_with('+'))
    });
    let mut applied_for_range: Option<BTreeSet<String>> = None;
    let (current, unfinished): (BTreeSet<String>, BTreeMap<String, String>) =
        if args.indicate_current || relative {
            let mut conn = ctx.connect_existing("history")?;
            let version_table = ctx.config.version_table.clone();
            let rows = runner::applied_rows(&mut conn, &graph, &version_table)?;
            let applied = runner::applied_ids(&rows);
            applied_for_range = Some(applied.clone());
            let dialect = conn.dialect().name();
            let unfinished = rows
                .iter()
                .filter(|r| r.state.is_unfinished())
                .map(|r| {
                    let text = runner::describe_unfinished_with_hint(&graph, r, dialect);
                    (r.revision.clone(), text)
                })
                .collect();
            let current = graph
                .current(&applied)
                .iter()
                .map(|r| r.id.clone())
                .collect();
            (current, unfinished)
        } else {
            (BTreeSet::new(), BTreeMap::new())
        };
    // Read for the range only: nothing marked unless asked.
    let (current, unfinished) = if args.indicate_current {
        (current, unfinished)
    } else {
        (BTreeSet::new(), BTreeMap::new())
    };
    let heads: BTreeSet<String> = graph.heads().iter().map(|r| r.id.clone()).collect();
    let revisions: Vec<_> = match args.rev_range.as_deref() {
        Some(range) => graph.history_range(range, applied_for_range.as_ref())?,
        None => graph.revisions().collect(),
    };
    if args.format == Format::Json {
        let listed: Vec<_> = revisions
            .iter()
            .rev()
            .map(|revision| {
                json::with(
                    json::revision(revision),
                    serde_json::json!({
                        "head": heads.contains(&revision.id),
                        "current": current.contains(&revision.id),
                        "mergepoint": revision.is_merge(),
                        "unfinished": unfinished.get(&revision.id),
                    }),
                )
            })
            .collect();
        ctx.print(&serde_json::json!({ "revisions": listed }).to_string())?;
        return Ok(exit::SUCCESS);
    }
    for revision in revisions.iter().rev() {
        let parents = if revision.parents.is_empty() {
            "<base>".to_owned()
        } else {
            revision.parents.join(", ")
        };
        let mut marks = Vec::new();
        if heads.contains(&revision.id) {
            marks.push("head");
        }
        if current.contains(&revision.id) {
            marks.push("current");
        }
        if revision.is_merge() {
            marks.push("mergepoint");
        }
        let stopped = unfinished.get(&revision.id);
        if stopped.is_some() {
            marks.push("unfinished");
        }
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!(" ({})", marks.join(", "))
        };
        let labels = if revision.branch_labels.is_empty() {
            String::new()
        } else {
            format!(" [{}]", revision.branch_labels.join(", "))
        };
        let line = format!(
            "{parents} -> {}{marks}{labels}, {}",
            ctx.out.style.strong(&revision.id),
            revision.message
        );
        ctx.print(&line)?;
        if let Some(text) = stopped {
            ctx.print(&format!("    {text}"))?;
        }
        if ctx.out.verbose {
            let detail = format!(
                "    created: {}\n    folder: {}",
                revision.created.as_deref().unwrap_or("unknown"),
                revision.dir.display()
            );
            ctx.print(&detail)?;
        }
    }
    Ok(exit::SUCCESS)
}
