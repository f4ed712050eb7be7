//! Applies revisions: lock first, then read the applied set, refuse before writing anything,
//! then apply each revision (`apply.rs`), then release the lock on every path.

mod apply;
mod integrity;
mod resolve;
pub(crate) mod stamp;
mod status;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::db::Connection;
use crate::dialect::LockWait;
use crate::diesel_table;
use crate::error::{Error, Result};
use crate::revision::{Graph, Revision, RevisionTimeouts};
use crate::version_table::{self, State, VersionRow};

use integrity::check_integrity;
pub use integrity::{describe_unfinished, describe_unfinished_with_hint, edited_revisions};
pub use resolve::{resolve, Outcome};
pub use stamp::{stamp, Stamped};
pub use status::{status, Readiness, Status, Unfinished};

/// How long a run waits for another one's lock unless told otherwise.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(60);

/// How a run behaves.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The version table's name.
    pub version_table: String,
    /// How long to wait for the run-wide lock before giving up.
    pub lock_wait: Duration,
    /// The per-revision timeouts where a revision's metadata.toml sets none (PostgreSQL).
    pub revision_timeouts: RevisionTimeouts,
}

/// How long a revision's statement may wait for a table lock by default: long enough for
/// a busy table, short enough that the writers queueing behind the waiting DDL are not
/// stalled for long (PostgreSQL queues every later lock request behind it).
pub const DEFAULT_REVISION_LOCK_TIMEOUT: Duration = Duration::from_secs(10);

impl RunOptions {
    /// The defaults, with this version table.
    pub fn new(version_table: impl Into<String>) -> RunOptions {
        RunOptions {
            version_table: version_table.into(),
            lock_wait: DEFAULT_LOCK_WAIT,
            revision_timeouts: RevisionTimeouts {
                lock: Some(DEFAULT_REVISION_LOCK_TIMEOUT),
                statement: None,
                lock_retries: None,
            },
        }
    }
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions::new(version_table::DEFAULT_VERSION_TABLE)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// What the runner reports while it works.
#[derive(Debug)]
pub enum Event<'a> {
    /// Another run holds the lock; said every few seconds while waiting.
    WaitingForLock { holder: &'a str, waited: Duration },
    /// Revisions `diesel migration run` applied, recorded in the version table now.
    Adopted { revisions: &'a [&'a Revision] },
    /// The plan, before anything runs.
    Planned { count: usize, direction: Direction },
    Started {
        revision: &'a Revision,
        direction: Direction,
    },
    /// The revision's up SQL holds no statement (empty or only comments): it is recorded as
    /// applied without changing anything, which is rarely what its author meant.
    Empty { revision: &'a Revision },
    Finished {
        revision: &'a Revision,
        direction: Direction,
        duration_ms: i64,
    },
    /// A statement of the revision gave up waiting for a lock (its `lock_timeout`); it is
    /// tried again after `pause`, the `attempt`-th of `retries` (`lock_retries`).
    Retrying {
        revision: &'a Revision,
        attempt: u32,
        retries: u32,
        pause: Duration,
    },
}

/// The applied set: the version table's rows (none when it does not exist), plus the
/// revisions diesel's own table records and the version table does not yet (see
/// [`diesel_table`]). Reads only.
pub fn applied_rows(
    conn: &mut Connection,
    graph: &Graph,
    version_table: &str,
) -> Result<Vec<VersionRow>> {
    let mut rows = if version_table::exists(conn, version_table)? {
        version_table::read(conn, version_table)?
    } else {
        Vec::new()
    };
    if let Some(versions) = diesel_table::versions(conn)? {
        let dialect = conn.dialect().name();
        let adopted: Vec<VersionRow> = diesel_table::not_yet_recorded(graph, &rows, &versions)
            .into_iter()
            .map(|revision| applied_row(revision, dialect, 0))
            .collect();
        rows.extend(adopted);
    }
    Ok(rows)
}

pub fn applied_ids(rows: &[VersionRow]) -> BTreeSet<String> {
    rows.iter()
        .filter(|r| r.state == State::Applied)
        .map(|r| r.revision.clone())
        .collect()
}

/// The row recording that `revision` ran.
fn applied_row(revision: &Revision, dialect: &str, duration_ms: i64) -> VersionRow {
    VersionRow {
        revision: revision.id.clone(),
        parents: revision.parents.clone(),
        checksum: revision.checksum(dialect),
        applied_at: version_table::now_text(),
        duration_ms,
        state: State::Applied,
        error: None,
        statement_index: None,
    }
}

/// Upgrades to `target`; returns the ids applied, in order.
pub fn upgrade(
    conn: &mut Connection,
    graph: &Graph,
    options: &RunOptions,
    target: &str,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Vec<String>> {
    run(conn, graph, options, on_event, |applied| {
        Ok((graph.upgrade_plan(applied, target)?, Direction::Up))
    })
}

/// Downgrades to `target`; returns the ids reverted, in order.
pub fn downgrade(
    conn: &mut Connection,
    graph: &Graph,
    options: &RunOptions,
    target: &str,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Vec<String>> {
    run(conn, graph, options, on_event, |applied| {
        Ok((graph.downgrade_plan(applied, target)?, Direction::Down))
    })
}

fn run<'g>(
    conn: &mut Connection,
    graph: &'g Graph,
    options: &RunOptions,
    on_event: &mut dyn FnMut(Event<'_>),
    plan: impl FnOnce(&BTreeSet<String>) -> Result<(Vec<&'g Revision>, Direction)>,
) -> Result<Vec<String>> {
    locked(conn, options, on_event, |conn, on_event| {
        run_locked(conn, graph, options, on_event, plan)
    })
}

/// Runs `work` holding the run-wide lock, taken before anything is read and released on
/// every path; the work's own error wins over a release error.
pub(crate) fn locked<T>(
    conn: &mut Connection,
    options: &RunOptions,
    on_event: &mut dyn FnMut(Event<'_>),
    work: impl FnOnce(&mut Connection, &mut dyn FnMut(Event<'_>)) -> Result<T>,
) -> Result<T> {
    let mut on_wait = |holder: &str, waited: Duration| {
        on_event(Event::WaitingForLock { holder, waited });
    };
    conn.backend().lock(&mut LockWait {
        timeout: options.lock_wait,
        on_wait: &mut on_wait,
    })?;
    let outcome = work(conn, on_event);
    let released = conn.backend().release();
    let done = outcome?;
    released?;
    Ok(done)
}

pub(crate) fn run_locked<'g>(
    conn: &mut Connection,
    graph: &'g Graph,
    options: &RunOptions,
    on_event: &mut dyn FnMut(Event<'_>),
    plan: impl FnOnce(&BTreeSet<String>) -> Result<(Vec<&'g Revision>, Direction)>,
) -> Result<Vec<String>> {
    // Everything that can refuse comes before the first write: a refused run leaves the
    // database as it found it, without even a version table.
    let version_table = options.version_table.as_str();
    let table_exists = version_table::exists(conn, version_table)?;
    let mut rows = if table_exists {
        version_table::read(conn, version_table)?
    } else {
        Vec::new()
    };
    let diesel_versions = diesel_table::versions(conn)?;
    let adopted = match &diesel_versions {
        Some(versions) => diesel_table::not_yet_recorded(graph, &rows, versions),
        None => Vec::new(),
    };
    let dialect = conn.dialect().name();
    let mut known = rows.clone();
    known.extend(adopted.iter().map(|r| applied_row(r, dialect, 0)));
    check_integrity(graph, &known, version_table, dialect)?;
    let applied = applied_ids(&known);
    let (revisions, direction) = plan(&applied)?;
    crate::revision::require_sql_for(revisions.iter().copied(), dialect)?;

    if !table_exists {
        version_table::ensure(conn, version_table)?;
    }
    if !adopted.is_empty() {
        rows.extend(record_adopted(conn, version_table, &adopted)?);
        on_event(Event::Adopted {
            revisions: &adopted,
        });
    }
    on_event(Event::Planned {
        count: revisions.len(),
        direction,
    });
    let one_transaction = conn.dialect().facts().run_is_one_transaction;
    let mut done = Vec::with_capacity(revisions.len());
    for revision in revisions {
        on_event(Event::Started {
            revision,
            direction,
        });
        if direction == Direction::Up && revision.has_no_statements(dialect) {
            on_event(Event::Empty { revision });
        }
        let step = apply::Step {
            revision,
            direction,
            version_table,
            keep_diesel_in_step: diesel_versions.is_some(),
            existing: rows.iter().find(|r| r.revision == revision.id),
            started: Instant::now(),
        };
        let timeouts = revision.timeouts.or(options.revision_timeouts);
        conn.backend().set_revision_timeouts(timeouts)?;
        let retries = timeouts.lock_retries.unwrap_or(0);
        let lock_timeout_words = conn.dialect().facts().lock_timeout_error;
        let mut retry = |error: &Error, attempt: u32| {
            let gave_up_waiting =
                lock_timeout_words.is_some_and(|words| error.to_string().contains(words));
            if !gave_up_waiting || attempt >= retries {
                return false;
            }
            let pause = retry_pause(attempt);
            on_event(Event::Retrying {
                revision,
                attempt: attempt + 1,
                retries,
                pause,
            });
            std::thread::sleep(pause);
            true
        };
        if one_transaction || revision.runs_in_transaction_on(conn.dialect()) {
            apply::atomic(conn, &step, &mut retry)?;
        } else {
            apply::tracked(conn, &step, &mut retry)?;
        }
        on_event(Event::Finished {
            revision,
            direction,
            duration_ms: elapsed_ms(step.started),
        });
        done.push(revision.id.clone());
    }
    Ok(done)
}

/// A statement that gave up waiting for a lock: the sessions holding locks on the tables it
/// names, so the message says whom to look at.
pub(super) fn name_blockers(conn: &mut Connection, error: Error) -> Error {
    let Error::StatementFailed {
        revision,
        statement,
        sql,
        message,
    } = error
    else {
        return error;
    };
    let message = match conn.backend().lock_holders(&sql, &message) {
        Some(holders) => format!(
            "{message}\n  blocked by: {holders}\n  hint: end or finish that transaction, or give \
             the revision longer with `lock_timeout = \"30s\"` in its metadata.toml"
        ),
        None => message,
    };
    Error::StatementFailed {
        revision,
        statement,
        sql,
        message,
    }
}

/// Records in the version table, in one transaction, the revisions diesel applied.
fn record_adopted(
    conn: &mut Connection,
    version_table: &str,
    adopted: &[&Revision],
) -> Result<Vec<VersionRow>> {
    let dialect = conn.dialect().name();
    let rows: Vec<VersionRow> = adopted
        .iter()
        .map(|revision| applied_row(revision, dialect, 0))
        .collect();
    conn.backend().begin_revision()?;
    for row in &rows {
        if let Err(e) = version_table::insert(conn, version_table, row) {
            conn.backend().rollback_revision()?;
            return Err(e);
        }
    }
    conn.backend().commit_revision()?;
    Ok(rows)
}

/// The pause before the next try of a statement that gave up waiting for a lock: short at
/// first (a lock held for a moment), doubling up to a few seconds (a long transaction).
fn retry_pause(attempt: u32) -> Duration {
    Duration::from_millis(100)
        .saturating_mul(1 << attempt.min(6))
        .min(Duration::from_secs(5))
}

pub(super) fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}
