//! One revision, one way: inside a transaction with its version row, or, where that is
//! impossible, tracked statement by statement in its row so that a process that dies part-way
//! leaves a record of how far it got.

use std::time::Instant;

use super::{applied_row, Direction};
use crate::db::Connection;
use crate::diesel_table;
use crate::error::{Error, Result};
use crate::revision::Revision;
use crate::sql::split_statements;
use crate::version_table::{self, State, VersionRow};

/// What applying one revision needs to know besides the revision.
pub(super) struct Step<'a> {
    pub revision: &'a Revision,
    pub direction: Direction,
    pub version_table: &'a str,
    /// Whether `__diesel_schema_migrations` exists and is kept in step.
    pub keep_diesel_in_step: bool,
    /// The revision's row before this run (a downgrade keeps its applied time).
    pub existing: Option<&'a VersionRow>,
    pub started: Instant,
}

impl Step<'_> {
    fn statements(&self, conn: &Connection) -> Vec<String> {
        let (up, down) = self.revision.sql_for(conn.dialect().name());
        split_statements(match self.direction {
            Direction::Up => up,
            Direction::Down => down,
        })
    }

    /// The statements that record the revision as done once its own statements ran: its
    /// version row (inserted, or updated when `row` exists) and diesel's table.
    fn done_sql(
        &self,
        dialect: &dyn crate::dialect::Dialect,
        row: Option<&VersionRow>,
    ) -> Vec<String> {
        let mut sql = Vec::with_capacity(2);
        match self.direction {
            Direction::Up => {
                let done = applied_row(
                    self.revision,
                    dialect.name(),
                    super::elapsed_ms(self.started),
                );
                sql.push(match row {
                    Some(_) => version_table::update_row_sql(dialect, self.version_table, &done),
                    None => version_table::insert_row_sql(dialect, self.version_table, &done),
                });
                if self.keep_diesel_in_step {
                    sql.push(diesel_table::record_sql(dialect, self.revision));
                }
            }
            Direction::Down => {
                sql.push(version_table::delete_literal_sql(
                    dialect,
                    self.version_table,
                    &self.revision.id,
                ));
                if self.keep_diesel_in_step {
                    sql.push(diesel_table::forget_sql(dialect, self.revision));
                }
            }
        }
        sql
    }

    fn recording(&self) -> String {
        format!(
            "recording revision {} in {}",
            self.revision.id, self.version_table
        )
    }
}

/// Asked after a statement failed, with the error and how many times it was tried again so
/// far: whether to try once more (it gave up waiting for a lock, and retries are left); it
/// pauses before it answers yes.
pub(super) type Retry<'r> = dyn FnMut(&Error, u32) -> bool + 'r;

/// The revision and its version row in one transaction: all or nothing. A revision that
/// gave up waiting for a lock is rolled back and run again while `retry` says so.
pub(super) fn atomic(conn: &mut Connection, step: &Step<'_>, retry: &mut Retry<'_>) -> Result<()> {
    let mut attempt = 0;
    loop {
        match atomic_once(conn, step) {
            Err(error) if retry(&error, attempt) => attempt += 1,
            done => return done,
        }
    }
}

fn atomic_once(conn: &mut Connection, step: &Step<'_>) -> Result<()> {
    conn.backend().begin_revision()?;
    let statements = step.statements(conn);
    // No retry inside: the failed statement aborted the transaction.
    let outcome = execute(
        conn,
        step.revision,
        &statements,
        &mut |_, _| Ok(()),
        &mut |_, _| false,
    )
    .map_err(|(_, error)| error)
    .and_then(|()| check_foreign_keys(conn, step.revision));
    match outcome {
        // The bookkeeping travels with the commit (one round trip where the server allows).
        Ok(()) => {
            let done = step.done_sql(conn.dialect(), None);
            conn.backend()
                .commit_revision_with(&done, &step.recording())
        }
        Err(error) => {
            // Rolled back first: an aborted transaction answers no further query, and the
            // lock holders are asked for next.
            match conn.backend().rollback_revision() {
                Ok(()) => Err(super::name_blockers(conn, error)),
                // A lost connection fails the rollback too; the statement's own error says
                // why, and the server discards the open transaction with the connection.
                Err(rollback) => Err(with_note(
                    error,
                    &format!(
                        "the rollback failed as well ({rollback}); the server discards an \
                         uncommitted transaction when its connection ends, so nothing of this \
                         revision was kept"
                    ),
                )),
            }
        }
    }
}

/// A revision that cannot run in a transaction: its row says `running` (or `reverting`)
/// before the first statement and counts the statements as they complete, so a process that
/// dies leaves the row behind and the next run refuses until `resolve` says what happened.
/// A statement that gave up waiting for a lock changed nothing, and is tried again while
/// `retry` says so.
pub(super) fn tracked(conn: &mut Connection, step: &Step<'_>, retry: &mut Retry<'_>) -> Result<()> {
    let dialect = conn.dialect().name();
    let revision = step.revision;
    let (running, failed) = match step.direction {
        Direction::Up => (State::Running, State::Failed),
        Direction::Down => (State::Reverting, State::RevertFailed),
    };
    let mut row = VersionRow {
        state: running,
        statement_index: Some(0),
        ..applied_row(revision, dialect, 0)
    };
    match step.existing {
        Some(existing) => {
            row.applied_at = existing.applied_at.clone();
            version_table::update(conn, step.version_table, &row)?;
        }
        None => version_table::insert(conn, step.version_table, &row)?,
    }
    let statements = step.statements(conn);
    let table = step.version_table;
    let progressed = execute(
        conn,
        revision,
        &statements,
        &mut |conn, completed| {
            row.statement_index = i64::try_from(completed).ok();
            version_table::update(conn, table, &row)
        },
        retry,
    );
    let outcome = match progressed {
        Ok(()) => check_foreign_keys(conn, revision).map_err(|e| (statements.len(), e)),
        Err(failure) => Err(failure),
    };
    match outcome {
        Ok(()) => {
            let done = step.done_sql(conn.dialect(), Some(&row));
            conn.batch_execute(&done.join(";\n"))
                .map_err(Error::db(step.recording()))
        }
        Err((completed, error)) => {
            let error = super::name_blockers(conn, error);
            Err(record_stop(conn, step, row, failed, completed, error))
        }
    }
}

/// Records where a tracked revision stopped. When no statement completed nothing changed,
/// so the row goes back to what it was and fixing the SQL is enough.
fn record_stop(
    conn: &mut Connection,
    step: &Step<'_>,
    mut row: VersionRow,
    failed: State,
    completed: usize,
    error: Error,
) -> Error {
    let table = step.version_table;
    let id = &step.revision.id;
    if completed == 0 {
        let restored = match step.existing {
            Some(existing) => version_table::update(conn, table, existing),
            None => version_table::delete(conn, table, id),
        };
        return match restored {
            Ok(()) => error,
            Err(record) => with_note(
                error,
                &format!(
                    "no statement of it completed, but its row could not be put back ({record}); \
                     once the database is reachable, run `resolve {id} --rolled-back`"
                ),
            ),
        };
    }
    row.state = failed;
    row.statement_index = i64::try_from(completed).ok();
    row.error = Some(first_paragraph(&error));
    row.duration_ms = super::elapsed_ms(step.started);
    let kept = if completed == 1 {
        "statement 1 was committed (this revision does not run in a transaction)".to_owned()
    } else {
        format!(
            "statements 1 to {completed} were committed (this revision does not run in a transaction)"
        )
    };
    match version_table::update(conn, table, &row) {
        Ok(()) => with_note(
            error,
            &format!(
                "{kept}; the revision is recorded as {}, and nothing runs until the database is \
                 repaired and the outcome recorded with `resolve {id} --applied` (its changes are \
                 all in place) or `resolve {id} --rolled-back` (none are)",
                failed.as_str()
            ),
        ),
        Err(record) => with_note(
            error,
            &format!(
                "{kept}, and recording the failure failed too ({record}); the row still says \
                 {}, so the next run refuses: repair the database, then run `resolve {id} \
                 --applied` or `resolve {id} --rolled-back`",
                row_state_before(failed).as_str()
            ),
        ),
    }
}

fn row_state_before(failed: State) -> State {
    if failed == State::RevertFailed {
        State::Reverting
    } else {
        State::Running
    }
}

/// The error's message without the notes added to it, as the row records it.
fn first_paragraph(error: &Error) -> String {
    match error {
        Error::StatementFailed { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// `error` with a line added to its message.
fn with_note(error: Error, note: &str) -> Error {
    match error {
        Error::StatementFailed {
            revision,
            statement,
            sql,
            message,
        } => Error::StatementFailed {
            revision,
            statement,
            sql,
            message: format!("{message}\n  {note}"),
        },
        other => Error::Plan(format!("{other}\n  {note}")),
    }
}

/// Runs the statements in order; after each, `completed(conn, n)` (n statements done). A
/// failed statement runs again while `retry` says so. On failure, how many completed and the
/// error.
fn execute(
    conn: &mut Connection,
    revision: &Revision,
    statements: &[String],
    completed: &mut dyn FnMut(&mut Connection, usize) -> Result<()>,
    retry: &mut Retry<'_>,
) -> std::result::Result<(), (usize, Error)> {
    for (index, statement) in statements.iter().enumerate() {
        let mut attempt = 0;
        while let Err(e) = conn.batch_execute(statement) {
            let error = Error::StatementFailed {
                revision: describe(revision),
                statement: index + 1,
                sql: statement.clone(),
                message: e.to_string().trim_end().to_owned(),
            };
            if !retry(&error, attempt) {
                return Err((index, error));
            }
            attempt += 1;
        }
        completed(conn, index + 1).map_err(|e| (index + 1, e))?;
    }
    Ok(())
}

fn check_foreign_keys(conn: &mut Connection, revision: &Revision) -> Result<()> {
    conn.backend()
        .check_foreign_keys()
        .map_err(|message| Error::StatementFailed {
            revision: describe(revision),
            statement: 0,
            sql: "PRAGMA foreign_key_check".to_owned(),
            message,
        })
}

fn describe(revision: &Revision) -> String {
    format!("{} ({})", revision.id, revision.dir.display())
}
