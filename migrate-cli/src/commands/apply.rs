//! What `upgrade` and `downgrade` share: running revisions with a progress bar, and the
//! offline script for a range.

use std::collections::BTreeSet;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use migrate_core::runner::{self, Direction, Event};

use crate::args::Format;
use crate::error::{exit, CliError};

use super::Ctx;

/// `--sql`: the script for a range, without connecting.
pub(super) fn offline(
    ctx: &mut Ctx<'_>,
    range: &str,
    direction: Direction,
) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    let dialect = ctx.url()?.dialect();
    let revisions = match direction {
        Direction::Up => graph.range_spec(range)?,
        Direction::Down => {
            let Some((from, to)) = range.split_once(':') else {
                return Err(CliError::Refused(format!(
                    "offline downgrade needs a range FROM:TO (e.g. `downgrade --sql head:base`), not `{range}`: \
                     without a database the starting point must be given"
                )));
            };
            let mut revisions = graph.range(Some(to), from)?;
            revisions.reverse();
            revisions
        }
    };
    let script =
        migrate_core::offline::script(dialect, &ctx.config.version_table, &revisions, direction)?;
    ctx.print(script.trim_end())?;
    Ok(exit::SUCCESS)
}

pub(super) fn run(
    ctx: &mut Ctx<'_>,
    target: &str,
    direction: Direction,
    format: Format,
) -> Result<i32, CliError> {
    let json = format == Format::Json;
    let graph = ctx.graph()?;
    let mut conn = match direction {
        Direction::Up => {
            if ctx.sqlite_file_missing()? {
                // The run would start from nothing: refuse a bad target or SQL for another
                // dialect before the file is created.
                let plan = graph.upgrade_plan(&BTreeSet::new(), target)?;
                migrate_core::revision::require_sql_for(plan, ctx.url()?.dialect().name())?;
            }
            ctx.connect()?
        }
        // Nothing to revert in a database that does not exist: do not create it.
        Direction::Down => ctx.connect_existing("downgrade")?,
    };
    let options = ctx.run_options();
    let quiet = ctx.out.quiet;
    let style = ctx.out.style;
    // The bar draws on stderr only when it is a terminal; each finished revision is a line
    // on the output as it happens either way, so logs without a terminal show progress.
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
    let out = &mut ctx.out;
    // With JSON the run's lines are gathered for the one document printed at the end.
    let mut finished: Vec<serde_json::Value> = Vec::new();
    let mut adopted: Vec<String> = Vec::new();
    // A failed write to the output must not end the run half-way; the run's result decides.
    let mut on_event = |event: Event<'_>| {
        match event {
        Event::WaitingForLock { holder, waited } => bar.suspend(|| {
            let _ = out.warn(&super::lock_wait_line(holder, waited));
        }),
        Event::Adopted { revisions } if json => {
            adopted.extend(revisions.iter().map(|r| r.id.clone()));
        }
        Event::Adopted { revisions } => bar.suspend(|| {
            let _ = out.say(&format!(
                "{} {} revision(s) that `diesel migration run` applied, recorded from {}: {}",
                style.good("adopted"),
                revisions.len(),
                migrate_core::diesel_table::DIESEL_TABLE,
                revisions
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }),
        Event::Retrying {
            revision,
            attempt,
            retries,
            pause,
        } => bar.suspend(|| {
            let _ = out.warn(&format!(
                "revision {} gave up waiting for a lock (lock_timeout); trying again in {} ms                  ({attempt} of {retries})",
                revision.id,
                pause.as_millis()
            ));
        }),
        Event::Planned { count, .. } => bar.set_length(count as u64),
        Event::Started { revision, .. } => bar.set_message(revision.id.clone()),
        Event::Empty { revision } => bar.suspend(|| {
            let _ = out.warn(&format!(
                "revision {} ({}) has no SQL statement in its up SQL: it is recorded as applied \
                 without changing anything",
                revision.id,
                revision.dir.display()
            ));
        }),
        Event::Finished {
            revision,
            direction,
            duration_ms,
        } => {
            bar.inc(1);
            if json {
                finished.push(serde_json::json!({
                    "id": revision.id,
                    "message": revision.message,
                    "duration_ms": duration_ms,
                }));
                return;
            }
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
            bar.suspend(|| {
                let _ = out.say(&line);
            });
        }
    }
    };
    let result = match direction {
        Direction::Up => runner::upgrade(&mut conn, &graph, &options, target, &mut on_event),
        Direction::Down => runner::downgrade(&mut conn, &graph, &options, target, &mut on_event),
    };
    bar.finish_and_clear();
    let done = result?;
    if json {
        let value = serde_json::json!({
            "direction": match direction {
                Direction::Up => "up",
                Direction::Down => "down",
            },
            "revisions": finished,
            "adopted": adopted,
        });
        ctx.print(&value.to_string())?;
        return Ok(exit::SUCCESS);
    }
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
