//! What a fleet command says: a line per target as it finishes, then a table (target, from,
//! to, revisions, time, result) or one JSON document, and the exit code.

use migrate_core::fleet::Outcome;
use migrate_core::runner::{Readiness, Status};
use serde_json::json;

use crate::args::Format;
use crate::commands::Ctx;
use crate::error::{exit, CliError};
use crate::output::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Upgrade,
    Check,
    Current,
    CheckHeads,
}

impl Action {
    pub(super) fn verb(self) -> &'static str {
        match self {
            Action::Upgrade => "upgrading",
            Action::Check => "checking",
            Action::Current | Action::CheckHeads => "reading",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Action::Upgrade => "upgrade",
            Action::Check => "check",
            Action::Current => "current",
            Action::CheckHeads => "current --check-heads",
        }
    }
}

/// What one target came to, when its work did not fail.
#[derive(Debug)]
pub(super) struct Row {
    /// Where an upgrade started.
    from: Option<Vec<String>>,
    /// The revisions the target is at now.
    to: Vec<String>,
    /// How many revisions an upgrade applied.
    revisions: Option<usize>,
    /// `check`: the differences; `current`: why the target is not at the heads.
    problems: Vec<String>,
    /// The exit code this target alone would give.
    code: i32,
}

impl Row {
    pub(super) fn upgraded(from: Vec<String>, to: Vec<String>, revisions: usize) -> Row {
        Row {
            from: Some(from),
            to,
            revisions: Some(revisions),
            problems: Vec::new(),
            code: exit::SUCCESS,
        }
    }

    pub(super) fn status(status: Status, code: i32) -> Row {
        let problem = match status.readiness() {
            Readiness::AtHeads => None,
            Readiness::Behind => Some(format!(
                "behind: {} revision(s) pending",
                status.pending.len()
            )),
            Readiness::Ahead => Some(format!(
                "ahead: records {} revision(s) this history does not define",
                status.unknown.len()
            )),
            Readiness::Failed => Some(format!(
                "failed: {} stopped part-way; run `resolve` on this target",
                status
                    .failed
                    .iter()
                    .map(|f| f.revision.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        Row {
            from: None,
            to: status.current,
            revisions: None,
            problems: problem.into_iter().collect(),
            code,
        }
    }

    pub(super) fn checked(problems: Vec<String>) -> Row {
        let code = if problems.is_empty() {
            exit::SUCCESS
        } else {
            exit::DIFFERENCES
        };
        Row {
            from: None,
            to: Vec::new(),
            revisions: None,
            problems,
            code,
        }
    }
}

fn revisions(ids: &[String]) -> String {
    if ids.is_empty() {
        "base".to_owned()
    } else {
        ids.join(",")
    }
}

/// The first line of an error: the table keeps one line per target.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// A target's result in a few words.
pub(super) fn summary(action: Action, outcome: &Outcome<Row>, style: &Style) -> String {
    match &outcome.result {
        None => "not started (an earlier target failed)".to_owned(),
        Some(Err(e)) => format!("{} {}", style.error("failed:"), first_line(&e.to_string())),
        Some(Ok(row)) => match action {
            Action::Upgrade => match row.revisions {
                Some(0) => format!("already at {}", revisions(&row.to)),
                Some(n) => format!(
                    "{} {n} revision(s) in {} ms, now at {}",
                    style.good("applied"),
                    outcome.elapsed.as_millis(),
                    revisions(&row.to)
                ),
                None => revisions(&row.to),
            },
            Action::Check if row.problems.is_empty() => style.good("ok").to_string(),
            Action::Check => format!("{} difference(s)", row.problems.len()),
            Action::Current | Action::CheckHeads => match row.problems.first() {
                None => format!("at {} (head)", revisions(&row.to)),
                Some(problem) => format!("at {}, {problem}", revisions(&row.to)),
            },
        },
    }
}

fn status_word(action: Action, outcome: &Outcome<Row>) -> &'static str {
    match &outcome.result {
        None => "not started",
        Some(Err(_)) => "failed",
        Some(Ok(row)) => match (action, row.code) {
            (_, exit::SUCCESS) => "ok",
            (Action::Check, _) => "differences",
            (_, exit::BEHIND) => "behind",
            (_, exit::AHEAD) => "ahead",
            _ => "unfinished",
        },
    }
}

/// The exit code of the whole fleet: 1 when any target failed or was not started; else the
/// worst of the targets' own codes (6, then 5, then 4 for readiness; 3 for differences).
fn exit_code(action: Action, outcomes: &[Outcome<Row>]) -> i32 {
    let mut codes = Vec::new();
    for outcome in outcomes {
        match &outcome.result {
            Some(Ok(row)) => codes.push(row.code),
            _ => return exit::ERROR,
        }
    }
    if action == Action::Current {
        return exit::SUCCESS;
    }
    [exit::FAILED, exit::AHEAD, exit::BEHIND, exit::DIFFERENCES]
        .into_iter()
        .find(|code| codes.contains(code))
        .unwrap_or(exit::SUCCESS)
}

pub(super) fn print(
    ctx: &mut Ctx<'_>,
    action: Action,
    outcomes: &[Outcome<Row>],
    format: Format,
) -> Result<i32, CliError> {
    let code = exit_code(action, outcomes);
    let count = |word: &str| {
        outcomes
            .iter()
            .filter(|o| status_word(action, o) == word)
            .count()
    };
    let (ok, failed, not_started) = (count("ok"), count("failed"), count("not started"));
    if format == Format::Json {
        let targets: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|outcome| {
                let row = outcome.result.as_ref().and_then(|r| r.as_ref().ok());
                json!({
                    "target": outcome.target.label(),
                    "database": outcome.target.url.display(),
                    "schema": outcome.target.schema,
                    "status": status_word(action, outcome),
                    "from": row.and_then(|r| r.from.clone()),
                    "to": row.map(|r| r.to.clone()),
                    "revisions": row.and_then(|r| r.revisions),
                    "ms": outcome.elapsed.as_millis() as u64,
                    "problems": row.map(|r| r.problems.clone()).unwrap_or_default(),
                    "error": outcome.result.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()),
                })
            })
            .collect();
        let value = json!({
            "action": action.name(),
            "ok": code == exit::SUCCESS,
            "exit_code": code,
            "counts": { "targets": outcomes.len(), "ok": ok, "failed": failed, "not_started": not_started },
            "targets": targets,
        });
        ctx.print(&value.to_string())?;
        return Ok(code);
    }
    let style = ctx.out.style;
    let mut table = vec![header(action)];
    for outcome in outcomes {
        let row = outcome.result.as_ref().and_then(|r| r.as_ref().ok());
        let time = match outcome.result {
            Some(_) => format!("{} ms", outcome.elapsed.as_millis()),
            None => String::new(),
        };
        let result = status_word(action, outcome).to_owned();
        let label = outcome.target.label();
        table.push(match action {
            Action::Upgrade => vec![
                label,
                row.and_then(|r| r.from.as_deref())
                    .map(revisions)
                    .unwrap_or_default(),
                row.map(|r| revisions(&r.to)).unwrap_or_default(),
                row.and_then(|r| r.revisions)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                time,
                result,
            ],
            Action::Current | Action::CheckHeads => vec![
                label,
                row.map(|r| revisions(&r.to)).unwrap_or_default(),
                time,
                result,
            ],
            Action::Check => vec![label, time, result],
        });
    }
    for line in aligned(&table) {
        ctx.print(&line)?;
    }
    for outcome in outcomes {
        match &outcome.result {
            Some(Err(e)) => {
                ctx.print(&format!(
                    "{} {}",
                    style.error("failed:"),
                    outcome.target.label()
                ))?;
                for line in e.to_string().lines() {
                    ctx.print(&format!("  {line}"))?;
                }
            }
            Some(Ok(row)) if !row.problems.is_empty() => {
                ctx.print(&format!("{}:", outcome.target.label()))?;
                for problem in &row.problems {
                    ctx.print(&format!("  - {problem}"))?;
                }
            }
            _ => {}
        }
    }
    ctx.print(&format!(
        "{} target(s): {ok} ok, {failed} failed, {not_started} not started{}",
        outcomes.len(),
        match outcomes.len() - ok - failed - not_started {
            0 => String::new(),
            other => format!(", {other} not at the heads or differing"),
        }
    ))?;
    Ok(code)
}

fn header(action: Action) -> Vec<String> {
    let names: &[&str] = match action {
        Action::Upgrade => &["TARGET", "FROM", "TO", "REVISIONS", "TIME", "RESULT"],
        Action::Current | Action::CheckHeads => &["TARGET", "AT", "TIME", "RESULT"],
        Action::Check => &["TARGET", "TIME", "RESULT"],
    };
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// The cells padded to their column's width, two spaces apart.
fn aligned(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect()
}
