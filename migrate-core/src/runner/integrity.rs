//! What makes a run refuse: a failed or interrupted revision, revisions the files no longer define, applied
//! revisions whose files were edited.

use crate::error::{Error, Result};
use crate::revision::{Graph, Revision};
use crate::version_table::{State, VersionRow};

/// Refuses to work on a history the files no longer explain.
pub(super) fn check_integrity(
    graph: &Graph,
    rows: &[VersionRow],
    version_table: &str,
    dialect: &str,
) -> Result<()> {
    if let Some(unfinished) = rows.iter().find(|r| r.state.is_unfinished()) {
        return Err(Error::Integrity(describe_unfinished_with_hint(
            graph, unfinished, dialect,
        )));
    }
    let missing: Vec<&str> = rows
        .iter()
        .filter(|r| graph.get(&r.revision).is_none())
        .map(|r| r.revision.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Error::Integrity(format!(
            "the database records revisions that no migration folder defines: {}\n  \
             hint: restore those folders (e.g. from version control), or, if they were removed on \
             purpose, stamp the database at a revision that exists (`stamp REV --purge` rewrites {version_table})",
            missing.join(", ")
        )));
    }
    let edited = edited_revisions(graph, rows, dialect);
    if !edited.is_empty() {
        let listed: Vec<String> = edited
            .iter()
            .map(|r| format!("{} ({})", r.id, r.dir.display()))
            .collect();
        return Err(Error::Integrity(format!(
            "applied revisions were edited after they ran (their up SQL no longer matches the \
             checksum recorded in {version_table}): {}\n  \
             hint: restore the original files (e.g. `git checkout -- <folder>`); put further \
             changes in a new revision. If the edit only matches what the database already has, \
             record the file's new checksum with `resolve REV --applied` (its applied time \
             stays)",
            listed.join(", ")
        )));
    }
    Ok(())
}

/// What a failed or interrupted revision's row says, with the statement it stopped at:
/// `revision a1 was interrupted while upgrading after statement 1 of 3; statement 2 had
/// started: UPDATE accounts …`.
pub fn describe_unfinished(graph: &Graph, row: &VersionRow, dialect: &str) -> String {
    let completed = row
        .statement_index
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    let statements = graph.get(&row.revision).map(|revision| {
        let (up, down) = revision.sql_for(dialect);
        let script = match row.state {
            State::Reverting | State::RevertFailed => down,
            _ => up,
        };
        crate::sql::split_statements(script)
    });
    let of = statements
        .as_ref()
        .map(|s| format!(" of {}", s.len()))
        .unwrap_or_default();
    let next = statements
        .as_ref()
        .and_then(|s| s.get(completed))
        .map(|sql| format!(": {}", one_line(sql)))
        .unwrap_or_default();
    let verb = match row.state {
        State::Running | State::Reverting => "had started",
        _ => "failed",
    };
    let mut text = format!(
        "revision {} {} after statement {completed}{of} completed; statement {} {verb}{next}",
        row.revision,
        row.state.describe(),
        completed + 1
    );
    if let Some(error) = &row.error {
        text.push_str(&format!("\n  error: {}", one_line(error)));
    }
    if matches!(row.state, State::Running | State::Reverting) {
        text.push_str(
            "\n  the process running it stopped (killed, or its connection was lost) before it \
             finished; the statements before it are committed",
        );
    }
    text
}

/// [`describe_unfinished`] followed by the `resolve` hint.
pub fn describe_unfinished_with_hint(graph: &Graph, row: &VersionRow, dialect: &str) -> String {
    format!(
        "{}\n  {}",
        describe_unfinished(graph, row, dialect),
        super::resolve::hint(row)
    )
}

/// The first line of `text`, cut to a readable length.
fn one_line(text: &str) -> String {
    const LIMIT: usize = 120;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let cut: String = line.chars().take(LIMIT).collect();
    if cut.len() < line.len() || text.trim().lines().count() > 1 {
        format!("{cut} …")
    } else {
        cut
    }
}

/// Applied revisions whose up SQL no longer matches the checksum recorded when they ran.
pub fn edited_revisions<'g>(
    graph: &'g Graph,
    rows: &[VersionRow],
    dialect: &str,
) -> Vec<&'g Revision> {
    rows.iter()
        .filter(|r| r.state == State::Applied)
        .filter_map(|r| {
            graph
                .get(&r.revision)
                .filter(|rev| rev.checksum(dialect) != r.checksum)
        })
        .collect()
}
