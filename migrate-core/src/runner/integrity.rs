//! What makes a run refuse: a failed revision, revisions the files no longer define, applied
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
    if let Some(failed) = rows.iter().find(|r| r.state == State::Failed) {
        return Err(Error::Integrity(format!(
            "revision {} failed part-way (statement {}): {}\n  \
             hint: repair the database by hand, then record the outcome with `stamp {}` \
             (it ran) or `stamp {}` (it did not)",
            failed.revision,
            failed.statement_index.unwrap_or(0),
            failed.error.as_deref().unwrap_or("unknown error"),
            failed.revision,
            failed.parents.first().map_or("base", String::as_str),
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
             re-record the history with `stamp <current revision> --purge`",
            listed.join(", ")
        )));
    }
    Ok(())
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
