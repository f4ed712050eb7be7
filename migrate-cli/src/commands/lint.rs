//! `lint`: reads the up SQL of revisions as written (generated or by hand) and reports what
//! loses data (errors) or holds a live table locked (warnings), as `check` and
//! `revision --autogenerate` do for a plan.

use clap::Args;
use migrate_core::diff::{Finding, Severity};
use migrate_core::revision::lint::lint_revision;
use migrate_core::revision::Revision;
use migrate_core::runner;
use serde_json::json;

use super::{json, Ctx};
use crate::args::Format;
use crate::error::{exit, CliError};

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Revisions to lint (ids, unique prefixes, `head`, branch labels). Default: the revisions
    /// the database has not applied yet, read without writing (all of them when the SQLite
    /// file does not exist yet).
    #[arg(value_name = "REVISION", conflicts_with = "all")]
    revisions: Vec<String>,

    /// Lint every revision in the history, without connecting to the database. The dialect is
    /// still the database URL's.
    #[arg(long)]
    all: bool,

    /// Exit 3 on warnings too, not only on errors.
    #[arg(long)]
    strict: bool,

    /// Output format: `json` prints one JSON document on stdout (fields in docs/commands.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &LintArgs) -> Result<i32, CliError> {
    let graph = ctx.graph()?;
    let dialect = ctx.url()?.dialect();
    let chosen: Vec<&Revision> =
        if args.all {
            graph.revisions().collect()
        } else if !args.revisions.is_empty() {
            let mut chosen = Vec::new();
            for spec in &args.revisions {
                match graph.resolve(spec)? {
                    Some(revision) => chosen.push(revision),
                    None => return Err(CliError::Refused(
                        "`base` is the empty state before any revision; there is nothing to lint"
                            .to_owned(),
                    )),
                }
            }
            chosen
        } else if ctx.sqlite_file_missing()? {
            graph.revisions().collect()
        } else {
            let mut conn = ctx.connect_existing("lint")?;
            let rows = runner::applied_rows(&mut conn, &graph, &ctx.config.version_table)?;
            graph.upgrade_plan(&runner::applied_ids(&rows), "heads")?
        };

    let linted: Vec<(&Revision, Vec<Finding>)> = chosen
        .into_iter()
        .map(|revision| (revision, lint_revision(revision, dialect)))
        .collect();
    let count = |severity: Severity| {
        linted
            .iter()
            .flat_map(|(_, findings)| findings)
            .filter(|f| f.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let code = if errors > 0 || (args.strict && warnings > 0) {
        exit::DIFFERENCES
    } else {
        exit::SUCCESS
    };

    if args.format == Format::Json {
        let revisions: Vec<_> = linted
            .iter()
            .map(|(revision, findings)| {
                json::with(json::revision(revision), json!({ "findings": findings }))
            })
            .collect();
        let value = json!({
            "dialect": dialect.name(),
            "revisions": revisions,
            "errors": errors,
            "warnings": warnings,
            "ok": code == exit::SUCCESS,
        });
        ctx.print(&value.to_string())?;
        return Ok(code);
    }
    for (revision, findings) in &linted {
        if findings.is_empty() {
            continue;
        }
        ctx.print(&format!("{} {}", revision.id, revision.message))?;
        for finding in findings {
            let severity = match finding.severity {
                Severity::Error => ctx.out.style.error("error"),
                Severity::Warning => ctx.out.style.warning("warning"),
            };
            ctx.print(&format!(
                "  {severity}: {}: {}",
                finding.operation, finding.message
            ))?;
        }
    }
    ctx.say(&format!(
        "{} revision(s) linted for {}: {errors} error(s), {warnings} warning(s)",
        linted.len(),
        dialect.facts().label
    ))?;
    Ok(code)
}
