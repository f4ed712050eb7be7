//! `upgrade` and `downgrade`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use migrate_core::runner::{self, Direction, Event};

use crate::error::{exit, CliError};

use super::Ctx;

pub(crate) fn upgrade(ctx: &mut Ctx<'_>, target: &str) -> Result<i32, CliError> {
    run(ctx, target, Direction::Up)
}

pub(crate) fn downgrade(ctx: &mut Ctx<'_>, target: &str) -> Result<i32, CliError> {
    run(ctx, target, Direction::Down)
}

fn run(ctx: &mut Ctx<'_>, target: &str, direction: Direction) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    let mut conn = ctx.connect()?;
    let version_table = ctx.config.version_table.clone();
    let quiet = ctx.config.quiet;
    let style = ctx.style;
    // The bar draws on stderr only when it is a terminal; lines go to the output either way.
    let target_draw = if quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(None, target_draw);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut lines: Vec<String> = Vec::new();
    let mut on_event = |event: Event<'_>| match event {
        Event::Planned { count, .. } => bar.set_length(count as u64),
        Event::Started { revision, .. } => bar.set_message(revision.id.clone()),
        Event::Finished {
            revision,
            direction,
            duration_ms,
        } => {
            bar.inc(1);
            let arrow = match direction {
                Direction::Up => "upgraded",
                Direction::Down => "downgraded",
            };
            let line = format!(
                "{} {} {} {}",
                style.good(arrow),
                style.strong(&revision.id),
                revision.message,
                style.dim(&format!("({duration_ms} ms)"))
            );
            lines.push(line);
        }
    };
    let result = match direction {
        Direction::Up => runner::upgrade(&mut conn, &graph, &version_table, target, &mut on_event),
        Direction::Down => {
            runner::downgrade(&mut conn, &graph, &version_table, target, &mut on_event)
        }
    };
    bar.finish_and_clear();
    for line in &lines {
        ctx.say(line)?;
    }
    let done = result?;
    if done.is_empty() {
        ctx.say("Nothing to do: the database is already at the target.")?;
    } else {
        ctx.say(&format!(
            "{} revision(s) {}",
            done.len(),
            match direction {
                Direction::Up => "applied",
                Direction::Down => "reverted",
            }
        ))?;
    }
    Ok(exit::SUCCESS)
}
