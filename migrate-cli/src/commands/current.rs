//! `current`: the revisions the database is at.

use migrate_core::revision::Revision;
use migrate_core::runner;

use crate::error::{exit, CliError};

use super::Ctx;

pub(crate) fn run(ctx: &mut Ctx<'_>) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    let mut conn = ctx.connect()?;
    let version_table = ctx.config.version_table.clone();
    let rows = runner::applied_rows(&mut conn, &version_table)?;
    let applied = runner::applied_ids(&rows);
    let current = graph.current(&applied);
    if current.is_empty() {
        ctx.print("base (no revision applied)")?;
    }
    let heads: Vec<String> = graph.heads().iter().map(|r| r.id.clone()).collect();
    for revision in current {
        let line = describe(ctx, revision, heads.contains(&revision.id));
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
