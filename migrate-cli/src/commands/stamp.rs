//! `stamp TARGET [--purge]`.

use clap::Args;
use migrate_core::runner;

use crate::error::{exit, CliError};

use super::Ctx;

#[derive(Debug, Args)]
pub struct StampArgs {
    /// `head`, `base` or a revision.
    target: String,

    /// Empty the version table first.
    #[arg(long)]
    purge: bool,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &StampArgs) -> Result<i32, CliError> {
    let (target, purge) = (args.target.as_str(), args.purge);
    let graph = ctx.graph()?;
    if target != "base" && ctx.sqlite_file_missing()? {
        // A bad target is refused before the file is created.
        graph.upgrade_plan(&std::collections::BTreeSet::new(), target)?;
    }
    let mut conn = ctx.connect()?;
    let options = ctx.run_options();
    let out = &mut ctx.out;
    let stamped = runner::stamp(&mut conn, &graph, &options, target, purge, &mut |event| {
        if let runner::Event::WaitingForLock { holder, waited } = event {
            // A failed write to the terminal must not end the run.
            let _ = out.warn(&super::lock_wait_line(holder, waited));
        }
    })?;
    let line = if stamped.added.is_empty() && stamped.removed.is_empty() {
        format!("Stamped {target}: the version table already recorded it; nothing changed")
    } else {
        format!(
            "Stamped {target}: {} revision(s) recorded as applied without running them, {} row(s) removed{}",
            stamped.added.len(),
            stamped.removed.len(),
            if stamped.removed.is_empty() {
                String::new()
            } else {
                format!(" ({})", stamped.removed.join(", "))
            }
        )
    };
    ctx.say(&line)?;
    Ok(exit::SUCCESS)
}
