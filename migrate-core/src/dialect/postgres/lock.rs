//! The run-wide lock: a session-level advisory lock, so it is held across the per-revision
//! transactions and freed by the server if the process dies. It is taken with
//! `pg_try_advisory_lock` in a loop rather than the blocking `pg_advisory_lock`, so a run
//! waiting behind a stuck one gives up after [`LOCK_TIMEOUT`] with a message instead of
//! hanging forever.

#![cfg(feature = "postgres")]

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use diesel::PgConnection;

use crate::dialect::backend::roll_back_above;
use crate::error::{Error, Result};

/// The advisory lock key: the first 8 bytes of SHA-256("migrate-core run lock"), fixed so
/// that every version of this tool (and every process) agrees on it. Advisory locks are per
/// database, so runs against different databases do not wait for each other.
pub const LOCK_KEY: i64 = 0x6ccc_55b3_92e6_a9f2;

/// How long a run waits for another one to finish.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// The first retry comes quickly (most runs are short); later ones back off to this.
const MAX_RETRY_INTERVAL: Duration = Duration::from_millis(500);

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Bool)]
    ok: bool,
}

/// Runs `SELECT <lock function>($1) AS ok` with the key.
fn call(conn: &mut PgConnection, sql: &'static str) -> QueryResult<bool> {
    let rows: Vec<Outcome> = diesel::sql_query(sql)
        .bind::<BigInt, _>(LOCK_KEY)
        .load(conn)?;
    Ok(rows.first().is_some_and(|r| r.ok))
}

pub(super) fn acquire_lock(conn: &mut PgConnection) -> Result<()> {
    acquire_lock_within(conn, LOCK_TIMEOUT)
}

fn acquire_lock_within(conn: &mut PgConnection, timeout: Duration) -> Result<()> {
    let started = Instant::now();
    let mut interval = Duration::from_millis(25);
    loop {
        if call(conn, "SELECT pg_try_advisory_lock($1) AS ok").map_err(Error::db(
            "taking the migration lock (pg_try_advisory_lock)",
        ))? {
            return Ok(());
        }
        if started.elapsed() >= timeout {
            return Err(Error::Lock(format!(
                "another migration run has held the lock for over {} s; gave up waiting\n  \
                 hint: wait for it to finish and try again; if no run is active, a stuck session \
                 holds it: find it with `SELECT pid FROM pg_locks WHERE locktype = 'advisory' \
                 AND objid = {}` and end it with pg_terminate_backend(pid)",
                timeout.as_secs(),
                // pg_locks shows the key's low 32 bits as objid.
                LOCK_KEY & 0xffff_ffff,
            )));
        }
        std::thread::sleep(interval.min(timeout.saturating_sub(started.elapsed())));
        interval = (interval * 2).min(MAX_RETRY_INTERVAL);
    }
}

/// Releases the lock. A revision an error left open is rolled back first: in an aborted
/// transaction PostgreSQL refuses every statement, the unlock included, and the lock would
/// then stay with the session until it closes.
pub(super) fn release_lock(conn: &mut PgConnection) -> Result<()> {
    roll_back_above(conn, 0)?;
    let released = call(conn, "SELECT pg_advisory_unlock($1) AS ok")
        .map_err(Error::db("releasing the migration lock"))?;
    if released {
        Ok(())
    } else {
        Err(Error::Lock(
            "the migration lock was not held by this session when the run ended".to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the server in `TEST_POSTGRES_URL` (skipped when unset): a second session waits
    /// for the lock, gives up with a message after the timeout, and gets it once released.
    #[test]
    fn a_held_lock_times_out_then_passes_on() {
        let Ok(url) = std::env::var("TEST_POSTGRES_URL") else {
            eprintln!("note: TEST_POSTGRES_URL is not set; skipping");
            return;
        };
        let connect = || match PgConnection::establish(&url) {
            Ok(conn) => conn,
            Err(e) => panic!("TEST_POSTGRES_URL is set but cannot be reached: {e}"),
        };
        let (mut holder, mut waiter) = (connect(), connect());
        assert!(acquire_lock(&mut holder).is_ok());
        match acquire_lock_within(&mut waiter, Duration::from_millis(300)) {
            Err(Error::Lock(message)) => assert!(message.contains("pg_locks"), "{message}"),
            other => panic!("expected a lock timeout, got {other:?}"),
        }
        assert!(release_lock(&mut holder).is_ok());
        assert!(acquire_lock_within(&mut waiter, Duration::from_secs(5)).is_ok());
        assert!(release_lock(&mut waiter).is_ok());
    }
}
