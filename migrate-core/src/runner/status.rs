//! Where the database stands against the history, for a readiness probe: it needs the
//! history and the database, never the models.

use super::applied_rows;
use crate::db::Connection;
use crate::error::Result;
use crate::revision::Graph;
use crate::version_table::State;

/// The database against the history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    /// The applied revisions no applied revision builds on.
    pub current: Vec<String>,
    pub heads: Vec<String>,
    /// Revisions not applied yet, in apply order.
    pub pending: Vec<String>,
    /// Revisions the database records that no folder defines (a newer binary migrated it).
    pub unknown: Vec<String>,
    /// Revisions that stopped part-way (failed, or interrupted while running), as their
    /// rows record them.
    pub failed: Vec<Unfinished>,
}

/// A revision that stopped part-way, as its row records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unfinished {
    pub revision: String,
    pub state: State,
    /// How many of its statements completed.
    pub statements_completed: i64,
    pub error: Option<String>,
}

/// What a probe answers, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// A revision failed or was interrupted part-way; nothing runs until it is resolved.
    Failed,
    /// The database has revisions this history does not know.
    Ahead,
    /// Revisions are pending.
    Behind,
    /// Every head is applied.
    AtHeads,
}

impl Status {
    pub fn readiness(&self) -> Readiness {
        if !self.failed.is_empty() {
            Readiness::Failed
        } else if !self.unknown.is_empty() {
            Readiness::Ahead
        } else if !self.pending.is_empty() {
            Readiness::Behind
        } else {
            Readiness::AtHeads
        }
    }
}

/// Reads where the database stands. Reads only: nothing is created or written.
pub fn status(conn: &mut Connection, graph: &Graph, version_table: &str) -> Result<Status> {
    let rows = applied_rows(conn, graph, version_table)?;
    let applied = super::applied_ids(&rows);
    let ids = |revisions: Vec<&crate::revision::Revision>| {
        revisions.into_iter().map(|r| r.id.clone()).collect()
    };
    Ok(Status {
        current: ids(graph.current(&applied)),
        heads: ids(graph.heads()),
        pending: graph
            .revisions()
            .filter(|r| !applied.contains(&r.id))
            .map(|r| r.id.clone())
            .collect(),
        unknown: graph
            .unknown_applied(&applied)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        failed: rows
            .iter()
            .filter(|r| r.state.is_unfinished())
            .map(|r| Unfinished {
                revision: r.revision.clone(),
                state: r.state,
                statements_completed: r.statement_index.unwrap_or(0),
                error: r.error.clone(),
            })
            .collect(),
    })
}
