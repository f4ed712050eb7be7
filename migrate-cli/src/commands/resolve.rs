//! `resolve REV --applied | --rolled-back`: record what became of a revision that failed or
//! was interrupted part-way, after the database was repaired by hand.

use clap::{ArgGroup, Args};
use migrate_core::runner::{self, Outcome};

use crate::error::{exit, CliError};

use super::Ctx;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("outcome").required(true).args(["applied", "rolled_back"])))]
pub struct ResolveArgs {
    /// The revision that failed or was interrupted (as `current` or the refusal names it), or
    /// an applied one whose up.sql was edited on purpose.
    revision: String,

    /// Every change of the revision's up SQL is now in the database (the rest was finished by
    /// hand, or a failed downgrade was undone). Records it as applied with the checksum of
    /// today's files, keeping its first applied time.
    #[arg(long)]
    applied: bool,

    /// None of the revision's changes are in the database (what it did was undone by hand,
    /// or a failed downgrade was finished by hand). Removes its row.
    #[arg(long)]
    rolled_back: bool,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &ResolveArgs) -> Result<i32, CliError> {
    let outcome = if args.applied {
        Outcome::Applied
    } else {
        Outcome::RolledBack
    };
    let graph = ctx.graph()?;
    let mut conn = ctx.connect_existing("resolve")?;
    let options = ctx.run_options();
    let out = &mut ctx.out;
    let before = runner::resolve(
        &mut conn,
        &graph,
        &options,
        &args.revision,
        outcome,
        &mut |event| {
            if let runner::Event::WaitingForLock { holder, waited } = event {
                // A failed write to the terminal must not end the run.
                let _ = out.warn(&super::lock_wait_line(holder, waited));
            }
        },
    )?;
    let recorded = match outcome {
        Outcome::Applied => "recorded as applied",
        Outcome::RolledBack => "recorded as rolled back (its row removed)",
    };
    ctx.say(&format!(
        "Resolved {}: was {} after {} statement(s); {recorded}. Every other row is unchanged.",
        before.revision,
        before.state.describe(),
        before.statement_index.unwrap_or(0)
    ))?;
    Ok(exit::SUCCESS)
}
