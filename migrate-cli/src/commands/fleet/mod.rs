//! `fleet upgrade|check|current`: one command over many databases and PostgreSQL tenant
//! schemas, a few at a time, each under its own lock, with a table (or JSON) of what became
//! of each target.

mod report;
mod targets;

use clap::{Args, Subcommand};
use migrate_core::fleet::{self, AfterFailure, Target};
use migrate_core::runner::{self, Readiness};
use migrate_core::startup::{self, FreshDatabase, StartupOptions};

use super::Ctx;
use crate::args::Format;
use crate::error::{exit, CliError};
use report::{Action, Row};

#[derive(Debug, Args)]
pub struct FleetArgs {
    #[command(subcommand)]
    action: FleetAction,
}

#[derive(Debug, Subcommand)]
enum FleetAction {
    /// Upgrade every target to the heads of the history.
    Upgrade(TargetArgs),
    /// Exit 0 when, on every target, the models, the database and the applied files agree;
    /// exit 3 when any target differs.
    Check(TargetArgs),
    /// The revisions each target is at; with --check-heads, a readiness probe per target.
    Current(CurrentArgs),
}

#[derive(Debug, Args)]
struct CurrentArgs {
    /// Exit 0 only when every target is at the heads; else the code `current --check-heads`
    /// gives for the worst target: 6 (a revision failed part-way), 5 (ahead), 4 (behind).
    #[arg(long)]
    check_heads: bool,

    #[command(flatten)]
    targets: TargetArgs,
}

/// Which targets, how many at once, what after a failure. With none of `--database`,
/// `--databases-file` and `--schemas`, the targets are those of `[fleet]` in the config file.
#[derive(Debug, Args)]
pub(super) struct TargetArgs {
    /// A database URL to include (repeatable).
    #[arg(long = "database", value_name = "URL")]
    databases: Vec<String>,

    /// A file with one database URL per line; blank lines and lines starting with `#` are
    /// skipped.
    #[arg(long, value_name = "FILE")]
    databases_file: Option<std::path::PathBuf>,

    /// The PostgreSQL schemas of the database (--database-url, DATABASE_URL or the config
    /// file) whose names match this SQL LIKE pattern, e.g. 'tenant_%' (repeatable).
    #[arg(long = "schemas", value_name = "PATTERN")]
    schemas: Vec<String>,

    /// How many targets are worked on at once. Default: `jobs` in `[fleet]`, else 4.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,

    /// `upgrade`: go on with the other targets after one fails (default: start no new target
    /// once one has failed; those running finish). Default: `keep_going` in `[fleet]`.
    /// `check` and `current` always read every target.
    #[arg(long)]
    keep_going: bool,

    /// Output format: `json` prints one JSON document on stdout when every target is done
    /// (fields in docs/commands.md); progress stays on stderr.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

impl FleetArgs {
    /// `fleet check` compares with the models.
    pub fn needs_models(&self) -> bool {
        matches!(self.action, FleetAction::Check(_))
    }
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &FleetArgs) -> Result<i32, CliError> {
    match &args.action {
        FleetAction::Upgrade(targets) => run_on(ctx, targets, Action::Upgrade),
        FleetAction::Check(targets) => run_on(ctx, targets, Action::Check),
        FleetAction::Current(current) => {
            let action = if current.check_heads {
                Action::CheckHeads
            } else {
                Action::Current
            };
            run_on(ctx, &current.targets, action)
        }
    }
}

fn run_on(ctx: &mut Ctx<'_>, args: &TargetArgs, action: Action) -> Result<i32, CliError> {
    let targets = targets::resolve(ctx, args)?;
    let graph = match action {
        // Upgrading and checksums need the SQL; readiness and the current revisions do not.
        Action::Upgrade | Action::Check => ctx.graph()?,
        Action::Current | Action::CheckHeads => ctx.graph_listing()?,
    };
    let models = match action {
        Action::Check => Some(ctx.models.registry()?.schema()),
        _ => None,
    };
    let jobs = args
        .jobs
        .map(usize::from)
        .or(ctx.config.fleet.jobs)
        .unwrap_or(4);
    // Reading harms nothing, so a read goes on past a failed target; an upgrade stops
    // starting new ones unless told to keep going.
    let keep_going = args.keep_going || ctx.config.fleet.keep_going == Some(true);
    let after_failure = if action != Action::Upgrade || keep_going {
        AfterFailure::Continue
    } else {
        AfterFailure::Stop
    };
    let total = targets.len();
    let json = args.format == Format::Json;
    let start_line = format!(
        "{} {total} target(s), {} at a time",
        action.verb(),
        jobs.min(total)
    );
    progress(&mut ctx.out, json, &start_line)?;
    let connect_timeout = ctx.config.connect_timeout;
    let run_options = ctx.run_options();
    let version_table = ctx.config.version_table.clone();
    let filter = &ctx.config.table_filter;
    let work = |target: &Target| -> migrate_core::Result<Row> {
        let mut conn = match action {
            Action::Upgrade => target.connect(connect_timeout)?,
            _ => target.connect_existing(connect_timeout)?,
        };
        match action {
            Action::Upgrade => {
                let options = StartupOptions {
                    run: run_options.clone(),
                    connect_timeout,
                    fresh: FreshDatabase::ApplyHistory,
                };
                let report = startup::upgrade_connection(&mut conn, &graph, &options)?;
                Ok(Row::upgraded(
                    report.before,
                    report.current,
                    report.applied.len(),
                ))
            }
            Action::Current | Action::CheckHeads => {
                let status = runner::status(&mut conn, &graph, &version_table)?;
                let code = match status.readiness() {
                    Readiness::AtHeads => exit::SUCCESS,
                    Readiness::Behind => exit::BEHIND,
                    Readiness::Ahead => exit::AHEAD,
                    Readiness::Failed => exit::FAILED,
                };
                Ok(Row::status(status, code))
            }
            Action::Check => {
                let models = models.clone().unwrap_or_default();
                let drift = migrate_core::autogen::drift(
                    &mut conn,
                    &graph,
                    models,
                    &version_table,
                    filter,
                )?;
                let problems = super::check::drift_problems(&drift, &graph);
                Ok(Row::checked(problems))
            }
        }
    };
    let mut finished = 0;
    let out = &mut ctx.out;
    let outcomes = fleet::run(targets, jobs, after_failure, work, |outcome| {
        finished += 1;
        let line = format!(
            "[{finished}/{total}] {}: {}",
            outcome.target.label(),
            report::summary(action, outcome, &out.style)
        );
        // A failed write to the output must not stop the targets still running.
        let _ = progress(out, json, &line);
    });
    report::print(ctx, action, &outcomes, args.format)
}

/// A line of progress: on stderr when stdout carries the JSON document, else on stdout.
fn progress(out: &mut crate::output::Output<'_>, json: bool, line: &str) -> Result<(), CliError> {
    if json {
        out.progress(line)
    } else {
        out.say(line)
    }
}
