//! `resolve`: after a revision stopped part-way and someone repaired the database, record
//! what is now true of that one revision, and of nothing else. Also how an applied revision
//! whose file was edited on purpose gets its new checksum without losing its applied time.

use super::{applied_row, locked, Event, RunOptions};
use crate::db::Connection;
use crate::diesel_table;
use crate::error::{Error, Result};
use crate::revision::Graph;
use crate::version_table::{self, State, VersionRow};

/// What the database now holds of a revision that stopped part-way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every change of its up SQL is in place (it ran, or was finished by hand, or a
    /// failed downgrade was undone by hand).
    Applied,
    /// None of its changes are in place (it was undone by hand, or a failed downgrade was
    /// finished by hand).
    RolledBack,
}

/// Records `outcome` for the unfinished revision `id`: its row becomes an applied row (the
/// checksum of today's files, the first applied time kept) or goes. Every other row is
/// left as it is. Returns the row as it was.
pub fn resolve(
    conn: &mut Connection,
    graph: &Graph,
    options: &RunOptions,
    id: &str,
    outcome: Outcome,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<VersionRow> {
    locked(conn, options, on_event, |conn, _| {
        resolve_locked(conn, graph, &options.version_table, id, outcome)
    })
}

fn resolve_locked(
    conn: &mut Connection,
    graph: &Graph,
    table: &str,
    id: &str,
    outcome: Outcome,
) -> Result<VersionRow> {
    let rows = if version_table::exists(conn, table)? {
        version_table::read(conn, table)?
    } else {
        Vec::new()
    };
    let Some(row) = rows.iter().find(|r| r.revision == id) else {
        let unfinished: Vec<&str> = rows
            .iter()
            .filter(|r| r.state.is_unfinished())
            .map(|r| r.revision.as_str())
            .collect();
        return Err(Error::Plan(format!(
            "{table} has no row for revision {id}: only a revision that failed or was \
             interrupted can be resolved ({})",
            if unfinished.is_empty() {
                "none is".to_owned()
            } else {
                format!("unfinished: {}", unfinished.join(", "))
            }
        )));
    };
    let revision = graph.get(id);
    // An applied revision whose file was edited since may be re-recorded as applied: the
    // author says the edited file matches what the database has (its applied time stays).
    let edited = revision.is_some_and(|r| r.checksum(conn.dialect().name()) != row.checksum);
    let resolvable = row.state.is_unfinished() || (edited && outcome == Outcome::Applied);
    if !resolvable {
        return Err(Error::Plan(format!(
            "revision {id} is applied{}: there is nothing to resolve\n  \
             hint: `downgrade` reverts it; `stamp` records another state without running SQL",
            if edited {
                " and edited since; `resolve --applied` records the edited file's checksum"
            } else {
                ", and its file is as it ran"
            }
        )));
    }
    let diesel_kept = diesel_table::versions(conn)?.is_some();
    conn.backend().begin_revision()?;
    let written = (|| {
        match outcome {
            Outcome::Applied => {
                let Some(revision) = revision else {
                    return Err(Error::Plan(format!(
                        "no migration folder defines revision {id}, so its checksum is unknown\n  \
                         hint: restore its folder, or record it as rolled back"
                    )));
                };
                let applied = VersionRow {
                    duration_ms: row.duration_ms,
                    ..applied_row(revision, conn.dialect().name(), 0)
                };
                version_table::update(conn, table, &applied)?;
                if diesel_kept {
                    // A failed downgrade may or may not have reached diesel's row.
                    diesel_table::forget(conn, revision)?;
                    diesel_table::record(conn, revision)?;
                }
            }
            Outcome::RolledBack => {
                version_table::delete(conn, table, id)?;
                if let (true, Some(revision)) = (diesel_kept, revision) {
                    diesel_table::forget(conn, revision)?;
                }
            }
        }
        Ok(())
    })();
    match written {
        Ok(()) => conn.backend().commit_revision()?,
        Err(e) => {
            conn.backend().rollback_revision()?;
            return Err(e);
        }
    }
    Ok(row.clone())
}

/// The hint every refusal over an unfinished revision ends with.
pub(crate) fn hint(row: &VersionRow) -> String {
    let id = &row.revision;
    match row.state {
        State::Reverting | State::RevertFailed => format!(
            "hint: repair the database, then record the outcome: `resolve {id} --rolled-back` \
             once the rest of the downgrade is done by hand, or `resolve {id} --applied` once \
             what the downgrade did is undone"
        ),
        _ => format!(
            "hint: repair the database, then record the outcome: `resolve {id} --applied` once \
             the rest of it is done by hand, or `resolve {id} --rolled-back` once what it did \
             is undone"
        ),
    }
}
