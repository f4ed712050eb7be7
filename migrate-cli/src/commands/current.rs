//! `current`: the revisions the database is at; `--check-heads` makes it a readiness probe
//! that needs the history and the database, never the models.

use clap::Args;
use migrate_core::revision::Revision;
use migrate_core::runner::{self, Readiness};

use serde_json::json;

use crate::args::Format;
use crate::error::{exit, CliError};

use super::{json, Ctx};

#[derive(Debug, Args)]
pub struct CurrentArgs {
    /// Exit 0 only when every head is applied: 4 when revisions are pending, 5 when the
    /// database records revisions this history does not define (a newer release migrated
    /// it), 6 when a revision failed part-way, 1 on any error (e.g. unreachable database).
    /// Writes nothing.
    #[arg(long)]
    check_heads: bool,

    /// Output format: `json` prints one JSON document on stdout (fields in docs/commands.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &CurrentArgs) -> Result<i32, CliError> {
    if args.check_heads {
        return check_heads(ctx, args.format);
    }
    // The listing suffices unless a revision stopped part-way: then its statement is shown,
    // and that needs the SQL.
    let mut graph = ctx.graph_listing()?;
    let mut conn = ctx.connect_existing("current")?;
    let version_table = ctx.config.version_table.clone();
    let rows = runner::applied_rows(&mut conn, &graph, &version_table)?;
    if rows.iter().any(|r| r.state.is_unfinished()) {
        graph = ctx.graph()?;
    }
    let applied = runner::applied_ids(&rows);
    let current = graph.current(&applied);
    let heads: Vec<String> = graph.heads().iter().map(|r| r.id.clone()).collect();
    let dialect = conn.dialect().name();
    if args.format == Format::Json {
        let listed: Vec<_> = current
            .iter()
            .map(|r| json::with(json::revision(r), json!({ "head": heads.contains(&r.id) })))
            .collect();
        let unfinished: Vec<String> = rows
            .iter()
            .filter(|r| r.state.is_unfinished())
            .map(|r| runner::describe_unfinished_with_hint(&graph, r, dialect))
            .collect();
        let unknown: Vec<&str> = rows
            .iter()
            .filter(|r| graph.get(&r.revision).is_none())
            .map(|r| r.revision.as_str())
            .collect();
        let value = json!({ "current": listed, "unfinished": unfinished, "unknown": unknown });
        ctx.print(&value.to_string())?;
        return Ok(exit::SUCCESS);
    }
    if current.is_empty() {
        ctx.print("base (no revision applied)")?;
    }
    for revision in current {
        let line = describe(ctx, revision, heads.contains(&revision.id));
        ctx.print(&line)?;
    }
    for row in rows.iter().filter(|r| r.state.is_unfinished()) {
        let text = runner::describe_unfinished_with_hint(&graph, row, dialect);
        let line = format!("{} {text}", ctx.out.style.error("unfinished:"));
        ctx.print(&line)?;
    }
    for row in rows.iter().filter(|r| graph.get(&r.revision).is_none()) {
        ctx.warn(&format!(
            "the database records revision {} which no migration folder defines",
            row.revision
        ))?;
    }
    Ok(exit::SUCCESS)
}

fn check_heads(ctx: &mut Ctx<'_>, format: Format) -> Result<i32, CliError> {
    // Readiness is the graph's shape against the version table: no SQL needed.
    let graph = ctx.graph_listing()?;
    let mut conn = ctx.connect_existing("current")?;
    let status = runner::status(&mut conn, &graph, &ctx.config.version_table)?;
    let readiness = status.readiness();
    let (code, summary) = match readiness {
        Readiness::AtHeads => (exit::SUCCESS, format!("at head ({})", list(&status.heads))),
        Readiness::Behind => (
            exit::BEHIND,
            format!(
                "behind: {} revision(s) pending ({})",
                status.pending.len(),
                list(&status.pending)
            ),
        ),
        Readiness::Ahead => (
            exit::AHEAD,
            format!(
                "ahead: the database records revisions this history does not define ({})",
                list(&status.unknown)
            ),
        ),
        Readiness::Failed => (
            exit::FAILED,
            format!(
                "failed: revision {} stopped part-way; nothing runs until it is resolved \
                 (`resolve REV --applied|--rolled-back`)",
                status
                    .failed
                    .iter()
                    .map(|f| format!(
                        "{} ({} after {} statement(s))",
                        f.revision,
                        f.state.describe(),
                        f.statements_completed
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    };
    match format {
        Format::Text => ctx.print(&summary)?,
        Format::Json => {
            let value = json!({ "readiness": readiness, "status": status });
            ctx.print(&value.to_string())?;
        }
    }
    Ok(code)
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.join(", ")
    }
}

/// One line for a revision (with `--verbose`, its parents and folder too).
pub(super) fn describe(ctx: &Ctx<'_>, revision: &Revision, head: bool) -> String {
    let mut line = format!(
        "{} {}",
        ctx.out.style.strong(&revision.id),
        revision.message
    );
    if head {
        line.push_str(" (head)");
    }
    if !revision.branch_labels.is_empty() {
        line.push_str(&format!(" [{}]", revision.branch_labels.join(", ")));
    }
    if ctx.out.verbose {
        line.push_str(&format!(
            "\n    parents: {}\n    folder: {}",
            if revision.parents.is_empty() {
                "(base)".to_owned()
            } else {
                revision.parents.join(", ")
            },
            revision.dir.display()
        ));
    }
    line
}
