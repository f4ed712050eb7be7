//! Applies revisions: lock first, then read the applied set, then apply each revision and
//! its version row together, then release the lock on every path.

use std::collections::BTreeSet;
use std::time::Instant;

use crate::db::Connection;
use crate::error::{Error, Result};
use crate::revision::{Graph, Revision};
use crate::sql::split_statements;
use crate::version_table::{self, State, VersionRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// What the runner reports while it works.
#[derive(Debug)]
pub enum Event<'a> {
    /// The plan, before anything runs.
    Planned { count: usize, direction: Direction },
    Started {
        revision: &'a Revision,
        direction: Direction,
    },
    Finished {
        revision: &'a Revision,
        direction: Direction,
        duration_ms: i64,
    },
}

/// The applied set as recorded in the version table (empty when the table does not exist).
pub fn applied_rows(conn: &mut Connection, version_table: &str) -> Result<Vec<VersionRow>> {
    if !version_table::exists(conn, version_table)? {
        return Ok(vec![]);
    }
    version_table::read(conn, version_table)
}

pub fn applied_ids(rows: &[VersionRow]) -> BTreeSet<String> {
    rows.iter()
        .filter(|r| r.state == State::Applied)
        .map(|r| r.revision.clone())
        .collect()
}

/// Refuses to work on a history the files no longer explain.
fn check_integrity(
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

/// Upgrades to `target`; returns the ids applied, in order.
pub fn upgrade(
    conn: &mut Connection,
    graph: &Graph,
    version_table: &str,
    target: &str,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Vec<String>> {
    run(conn, graph, version_table, on_event, |applied| {
        Ok((graph.upgrade_plan(applied, target)?, Direction::Up))
    })
}

/// Downgrades to `target`; returns the ids reverted, in order.
pub fn downgrade(
    conn: &mut Connection,
    graph: &Graph,
    version_table: &str,
    target: &str,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Vec<String>> {
    run(conn, graph, version_table, on_event, |applied| {
        Ok((graph.downgrade_plan(applied, target)?, Direction::Down))
    })
}

fn run<'g>(
    conn: &mut Connection,
    graph: &'g Graph,
    version_table: &str,
    on_event: &mut dyn FnMut(Event<'_>),
    plan: impl FnOnce(&BTreeSet<String>) -> Result<(Vec<&'g Revision>, Direction)>,
) -> Result<Vec<String>> {
    locked(conn, |conn| {
        run_locked(conn, graph, version_table, on_event, plan)
    })
}

/// Runs `work` holding the run-wide lock, taken before anything is read and released on
/// every path; the work's own error wins over a release error.
fn locked<T>(conn: &mut Connection, work: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
    conn.backend().lock()?;
    let outcome = work(conn);
    let released = conn.backend().release();
    let done = outcome?;
    released?;
    Ok(done)
}

fn run_locked<'g>(
    conn: &mut Connection,
    graph: &'g Graph,
    version_table: &str,
    on_event: &mut dyn FnMut(Event<'_>),
    plan: impl FnOnce(&BTreeSet<String>) -> Result<(Vec<&'g Revision>, Direction)>,
) -> Result<Vec<String>> {
    version_table::ensure(conn, version_table)?;
    let rows = version_table::read(conn, version_table)?;
    check_integrity(graph, &rows, version_table, conn.dialect().name())?;
    let applied = applied_ids(&rows);
    let (revisions, direction) = plan(&applied)?;
    crate::revision::require_sql_for(revisions.iter().copied(), conn.dialect().name())?;
    on_event(Event::Planned {
        count: revisions.len(),
        direction,
    });
    let dialect = conn.dialect().name();
    let mut done = Vec::with_capacity(revisions.len());
    for revision in revisions {
        on_event(Event::Started {
            revision,
            direction,
        });
        let started = Instant::now();
        let (up, down) = revision.sql_for(dialect);
        let script = match direction {
            Direction::Up => up,
            Direction::Down => down,
        };
        let atomic = revision.runs_in_transaction_on(conn.dialect());
        if atomic {
            conn.backend().begin_revision()?;
        }
        let result = execute_revision(conn, revision, script).and_then(|()| match direction {
            Direction::Up => version_table::insert(
                conn,
                version_table,
                &VersionRow {
                    revision: revision.id.clone(),
                    parents: revision.parents.clone(),
                    checksum: revision.checksum(dialect),
                    applied_at: version_table::now_text(),
                    duration_ms: elapsed_ms(started),
                    state: State::Applied,
                    error: None,
                    statement_index: None,
                },
            ),
            Direction::Down => version_table::delete(conn, version_table, &revision.id),
        });
        match result {
            Ok(()) if atomic => conn.backend().commit_revision()?,
            Ok(()) => {}
            Err(error) if atomic => {
                conn.backend().rollback_revision()?;
                return Err(error);
            }
            Err(error) => {
                return Err(record_partial_failure(
                    conn,
                    version_table,
                    revision,
                    dialect,
                    started,
                    error,
                ))
            }
        }
        on_event(Event::Finished {
            revision,
            direction,
            duration_ms: elapsed_ms(started),
        });
        done.push(revision.id.clone());
    }
    Ok(done)
}

/// After a revision that ran without a transaction stopped part-way, records it as failed so
/// that every later run refuses until someone repairs the database and says so with `stamp`
/// (see `check_integrity`). When the first statement failed nothing ran, so there is nothing to
/// repair and no row is written: fixing the SQL and running again is enough.
fn record_partial_failure(
    conn: &mut Connection,
    version_table: &str,
    revision: &Revision,
    dialect: &str,
    started: Instant,
    error: Error,
) -> Error {
    let Error::StatementFailed {
        revision: described,
        statement,
        sql,
        message,
    } = error
    else {
        return error;
    };
    if statement == 1 {
        return Error::StatementFailed {
            revision: described,
            statement,
            sql,
            message,
        };
    }
    let row = VersionRow {
        revision: revision.id.clone(),
        parents: revision.parents.clone(),
        checksum: revision.checksum(dialect),
        applied_at: version_table::now_text(),
        duration_ms: elapsed_ms(started),
        state: State::Failed,
        error: Some(message.clone()),
        statement_index: i64::try_from(statement).ok(),
    };
    let message = match version_table::record_failed(conn, version_table, &row) {
        Ok(()) => format!(
            "{message}\n  the statements before it were committed (this database cannot roll back DDL); \
             the revision is recorded as failed, so nothing runs until the database is repaired \
             and the outcome recorded with `stamp`"
        ),
        Err(record_error) => format!(
            "{message}\n  the statements before it were committed, and recording the failure failed \
             too ({record_error}): repair the database by hand, then record the outcome with `stamp`"
        ),
    };
    Error::StatementFailed {
        revision: described,
        statement,
        sql,
        message,
    }
}

fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

fn execute_revision(conn: &mut Connection, revision: &Revision, script: &str) -> Result<()> {
    for (index, statement) in split_statements(script).iter().enumerate() {
        conn.batch_execute(statement)
            .map_err(|e| Error::StatementFailed {
                revision: format!("{} ({})", revision.id, revision.dir.display()),
                statement: index + 1,
                sql: statement.clone(),
                message: e.to_string(),
            })?;
    }
    conn.backend()
        .check_foreign_keys()
        .map_err(|message| Error::StatementFailed {
            revision: format!("{} ({})", revision.id, revision.dir.display()),
            statement: 0,
            sql: "PRAGMA foreign_key_check".to_owned(),
            message,
        })
}

/// Records `target` as the applied state without running anything. With `purge`, the
/// version table is emptied first.
pub fn stamp(
    conn: &mut Connection,
    graph: &Graph,
    version_table: &str,
    target: &str,
    purge: bool,
) -> Result<Vec<String>> {
    locked(conn, |conn| {
        stamp_locked(conn, graph, version_table, target, purge)
    })
}

fn stamp_locked(
    conn: &mut Connection,
    graph: &Graph,
    version_table: &str,
    target: &str,
    purge: bool,
) -> Result<Vec<String>> {
    version_table::ensure(conn, version_table)?;
    conn.backend().begin_revision()?;
    let result = (|| {
        if purge {
            version_table::delete_all(conn, version_table)?;
        }
        let wanted = if target == "base" {
            Vec::new()
        } else {
            graph.upgrade_plan(&BTreeSet::new(), target)?
        };
        let wanted_ids: BTreeSet<&str> = wanted.iter().map(|r| r.id.as_str()).collect();
        // Every row that is not an applied revision of the target goes: a stamp is also how a
        // failed or unknown row is repaired.
        let mut kept = BTreeSet::new();
        for row in version_table::read(conn, version_table)? {
            if row.state == State::Applied && wanted_ids.contains(row.revision.as_str()) {
                kept.insert(row.revision);
            } else {
                version_table::delete(conn, version_table, &row.revision)?;
            }
        }
        let dialect = conn.dialect().name();
        let mut stamped = Vec::new();
        for revision in wanted {
            if kept.contains(&revision.id) {
                continue;
            }
            version_table::insert(
                conn,
                version_table,
                &VersionRow {
                    revision: revision.id.clone(),
                    parents: revision.parents.clone(),
                    checksum: revision.checksum(dialect),
                    applied_at: version_table::now_text(),
                    duration_ms: 0,
                    state: State::Applied,
                    error: None,
                    statement_index: None,
                },
            )?;
            stamped.push(revision.id.clone());
        }
        Ok(stamped)
    })();
    match result {
        Ok(stamped) => {
            conn.backend().commit_revision()?;
            Ok(stamped)
        }
        Err(e) => {
            conn.backend().rollback_revision()?;
            Err(e)
        }
    }
}
