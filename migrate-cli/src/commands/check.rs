//! `check`: exit 0 when models, database and files agree; exit 3 with the list otherwise.

use migrate_core::autogen;
use migrate_core::runner;

use crate::error::{exit, CliError};

use super::Ctx;

pub(crate) fn run(ctx: &mut Ctx<'_>) -> Result<i32, CliError> {
    let registry = match ctx.models.registry() {
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
    let graph = ctx.graph()?;
    let mut conn = ctx.connect()?;
    let version_table = ctx.config.version_table.clone();
    let dialect = conn.dialect();
    let rows = runner::applied_rows(&mut conn, &version_table)?;
    let mut problems: Vec<String> = Vec::new();
    if let Some(report) = ctx.unregistered_models(Some(&registry))? {
        problems.push(report);
    }

    for revision in runner::edited_revisions(&graph, &rows, dialect.name()) {
        problems.push(format!(
            "revision {} ({}) was edited after it was applied: its up SQL no longer matches the recorded checksum",
            revision.id,
            revision.dir.display()
        ));
    }
    let applied = runner::applied_ids(&rows);
    let pending = graph.upgrade_plan(&applied, "heads")?;
    if !pending.is_empty() {
        let ids: Vec<&str> = pending.iter().map(|r| r.id.as_str()).collect();
        problems.push(format!(
            "{} revision(s) not applied: {} (run `upgrade head`)",
            pending.len(),
            ids.join(", ")
        ));
    }
    let live = conn.introspect(&version_table)?;
    let comparison = autogen::compare(&registry.schema(), &live, dialect);
    for op in &comparison.ops {
        problems.push(format!("models differ from the database: {op}"));
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
    if !comparison.is_empty() {
        ctx.print(
            "  hint: `revision --autogenerate -m \"…\"` writes a revision for the model changes",
        )?;
    }
    Ok(exit::DIFFERENCES)
}
