//! `check`: exit 0 when models, database and files agree; exit 3 with the list otherwise.

use migrate_core::autogen;
use migrate_core::revision::Graph;

use crate::args::Format;
use crate::error::{exit, CliError};

use super::Ctx;

pub(crate) fn run(ctx: &mut Ctx<'_>, format: Format) -> Result<i32, CliError> {
    // The handshake on its own thread while the models and the history are read; what fails
    // is reported in the order of the steps (models, history, database).
    let pending = ctx.pending_existing("check");
    let ((registry, graph), conn) =
        super::alongside(pending, || (ctx.models.registry(), ctx.graph()));
    let registry = match registry {
        Ok(registry) => registry,
        Err(e @ migrate_core::Error::EmptyRegistry) => match ctx.unregistered_models(None)? {
            Some(report) => {
                ctx.print(&report)?;
                return Ok(exit::DIFFERENCES);
            }
            None => return Err(e.into()),
        },
        Err(e) => return Err(e.into()),
    };
    let graph = graph?;
    let mut conn = conn?;
    let version_table = ctx.config.version_table.clone();
    let drift = autogen::drift(
        &mut conn,
        &graph,
        registry.schema(),
        &version_table,
        &ctx.config.table_filter,
    )?;
    let mut problems: Vec<String> = Vec::new();
    if let Some(report) = ctx.unregistered_models(Some(&registry))? {
        problems.push(report);
    }
    problems.extend(drift_problems(&drift, &graph));
    let comparison = &drift.comparison;
    let lint = migrate_core::diff::lint(
        &comparison.ops,
        conn.dialect().facts(),
        ctx.config.online_schema_changes,
    );
    if format == Format::Json {
        let pending: Vec<&str> = drift.pending.iter().map(|r| r.id.as_str()).collect();
        let edited: Vec<&str> = drift.edited.iter().map(|r| r.id.as_str()).collect();
        let operations: Vec<String> = comparison.ops.iter().map(ToString::to_string).collect();
        let value = serde_json::json!({
            "ok": problems.is_empty(),
            "problems": problems,
            "pending": pending,
            "edited": edited,
            "unfinished": drift.unfinished,
            "operations": operations,
            "lint": lint,
        });
        ctx.print(&value.to_string())?;
        return Ok(if problems.is_empty() {
            exit::SUCCESS
        } else {
            exit::DIFFERENCES
        });
    }

    if problems.is_empty() {
        ctx.say(&format!(
            "{} models, database and migration files agree",
            ctx.out.style.good("ok:")
        ))?;
        return Ok(exit::SUCCESS);
    }
    ctx.print(&format!("{} difference(s) found:", problems.len()))?;
    for problem in &problems {
        ctx.print(&format!("  - {problem}"))?;
    }
    for finding in &lint {
        ctx.print(&format!(
            "  lint {}: {}: {}",
            finding.severity, finding.operation, finding.message
        ))?;
    }
    if !comparison.is_empty() {
        ctx.print(
            "  hint: `revision --autogenerate -m \"…\"` writes a revision for the model changes",
        )?;
    }
    if comparison
        .ops
        .iter()
        .any(|op| matches!(op, migrate_core::diff::Op::DropTable { .. }))
    {
        ctx.print(
            "  hint: a table no model defines that belongs to something else can be left out \
             with `exclude_tables` in migrate.toml",
        )?;
    }
    Ok(exit::DIFFERENCES)
}

/// What keeps one database from agreeing with the models and the files: revisions that
/// stopped part-way, were edited after they were applied, or are not applied, and each
/// difference between the models and the database. Empty when they agree.
pub(super) fn drift_problems(drift: &autogen::Drift<'_>, graph: &Graph) -> Vec<String> {
    let mut problems: Vec<String> = drift.unfinished.clone();
    for revision in &drift.edited {
        problems.push(format!(
            "revision {} ({}) was edited after it was applied: its up SQL no longer matches the recorded checksum",
            revision.id,
            revision.dir.display()
        ));
    }
    if !drift.pending.is_empty() {
        let ids: Vec<&str> = drift.pending.iter().map(|r| r.id.as_str()).collect();
        let all_pending = drift.pending.len() == graph.revisions().count();
        let hint = if all_pending && drift.comparison.is_empty() {
            // Nothing applied, yet the database already matches the models.
            "the database already matches the models: if it was built without migrations, \
             `stamp head` records that; otherwise run `upgrade head`"
        } else if graph.heads().len() > 1 {
            "run `upgrade heads`, or `merge` the heads into one first"
        } else {
            "run `upgrade head`"
        };
        problems.push(format!(
            "{} revision(s) not applied: {} ({hint})",
            drift.pending.len(),
            ids.join(", ")
        ));
    }
    for op in &drift.comparison.ops {
        problems.push(format!("models differ from the database: {op}"));
    }
    problems
}
