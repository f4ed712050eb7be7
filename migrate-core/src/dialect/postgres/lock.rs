//! The run-wide lock: a session-level advisory lock, so it is held across the per-revision
//! transactions and freed by the server if the process dies. It is taken with
//! `pg_try_advisory_lock` in a loop rather than the blocking `pg_advisory_lock`, so a run
//! waiting behind a stuck one says who holds the lock every few seconds and gives up after
//! the run's lock wait with a message instead of hanging forever.

#![cfg(feature = "postgres")]

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::PgConnection;

use crate::dialect::backend::{holders_text, roll_back_above};
use crate::dialect::LockWait;
use crate::error::{Error, Result};

/// The advisory lock key: the first 8 bytes of SHA-256("migrate-core run lock"), fixed so
/// that every version of this tool (and every process) agrees on it. Advisory locks are per
/// database, so runs against different databases do not wait for each other.
pub const LOCK_KEY: i64 = 0x6ccc_55b3_92e6_a9f2;

/// The key of the schema the session migrates (its `current_schema()`, where the version
/// table lives): [`LOCK_KEY`] (bound as `$1`) for `public`, the default, so every release
/// agrees on it; for another schema (a tenant's) a key of its own, derived from its name, so
/// tenants of one database upgrade side by side while two runs on one tenant still exclude
/// each other.
const KEY_SQL: &str = "CASE WHEN coalesce(current_schema(), 'public') = 'public' THEN $1 \
     ELSE ('x' || left(md5('migrate-core run lock ' || current_schema()), 16))::bit(64)::bigint END";

/// The first retry comes quickly (most runs are short); later ones back off to this.
const MAX_RETRY_INTERVAL: Duration = Duration::from_millis(500);

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Bool)]
    ok: bool,
}

/// Runs `SELECT <lock function>(<key>) AS ok`.
fn call(conn: &mut PgConnection, function: &'static str) -> QueryResult<bool> {
    let rows: Vec<Outcome> = diesel::sql_query(format!("SELECT {function}({KEY_SQL}) AS ok"))
        .bind::<BigInt, _>(LOCK_KEY)
        .load(conn)?;
    Ok(rows.first().is_some_and(|r| r.ok))
}

#[derive(QueryableByName)]
struct Holder {
    #[diesel(sql_type = Text)]
    described: String,
}

/// Who holds the lock in this database: server pid, user, application, client, state.
fn holder(conn: &mut PgConnection) -> String {
    // pg_locks shows a bigint advisory key as classid (high 32 bits), objid (low 32 bits)
    // and objsubid 1.
    let rows: QueryResult<Vec<Holder>> = diesel::sql_query(format!(
        "WITH k AS (SELECT {KEY_SQL} AS key) SELECT format('server pid %s (user %s, application \"%s\", client %s, %s since %s)', \
                a.pid, a.usename, a.application_name, coalesce(host(a.client_addr), 'local socket'), \
                coalesce(a.state, 'unknown state'), to_char(a.state_change, 'HH24:MI:SS')) AS described \
         FROM k, pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND l.classid::bigint = (k.key >> 32) & 4294967295 \
           AND l.objid::bigint = k.key & 4294967295",
    ))
    .bind::<BigInt, _>(LOCK_KEY)
    .load(conn);
    holders_text(
        rows.map(|rows| rows.into_iter().map(|r| r.described).collect()),
        "a session that has just released it",
    )
}

pub(super) fn acquire_lock(conn: &mut PgConnection, wait: &mut LockWait<'_>) -> Result<()> {
    let conn = std::cell::RefCell::new(conn);
    let mut interval = Duration::from_millis(25);
    wait.poll(
        |slice| {
            let started = Instant::now();
            loop {
                if call(&mut conn.borrow_mut(), "pg_try_advisory_lock").map_err(Error::db(
                    "taking the migration lock (pg_try_advisory_lock)",
                ))? {
                    return Ok(true);
                }
                if started.elapsed() >= slice {
                    return Ok(false);
                }
                std::thread::sleep(interval.min(slice.saturating_sub(started.elapsed())));
                interval = (interval * 2).min(MAX_RETRY_INTERVAL);
            }
        },
        || holder(&mut conn.borrow_mut()),
        |timeout, holder| {
            Error::Lock(format!(
                "another migration run has held the lock for over {} s; gave up waiting\n  \
                 held by: {holder}\n  \
                 hint: wait for it to finish and try again (or wait longer with --lock-wait); if \
                 no run is active, end the stuck session with `SELECT pg_terminate_backend(pid)`",
                timeout.as_secs()
            ))
        },
    )
}

/// Releases the lock. A revision an error left open is rolled back first: in an aborted
/// transaction PostgreSQL refuses every statement, the unlock included, and the lock would
/// then stay with the session until it closes.
pub(super) fn release_lock(conn: &mut PgConnection) -> Result<()> {
    roll_back_above(conn, 0)?;
    let released =
        call(conn, "pg_advisory_unlock").map_err(Error::db("releasing the migration lock"))?;
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

    fn wait<'a>(ms: u64, on_wait: &'a mut dyn FnMut(&str, Duration)) -> LockWait<'a> {
        LockWait {
            timeout: Duration::from_millis(ms),
            on_wait,
        }
    }

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
        let holder_pid: i64 =
            diesel::select(diesel::dsl::sql::<BigInt>("pg_backend_pid()::bigint"))
                .get_result(&mut holder)
                .unwrap_or(-1);
        let mut reports = Vec::new();
        assert!(acquire_lock(&mut holder, &mut wait(60_000, &mut |_, _| {})).is_ok());
        let started = Instant::now();
        let mut report = |who: &str, _: Duration| reports.push(who.to_owned());
        match acquire_lock(&mut waiter, &mut wait(2_500, &mut report)) {
            Err(Error::Lock(message)) => {
                assert!(
                    message.contains(&format!("server pid {holder_pid} ")),
                    "{message}"
                )
            }
            other => panic!("expected a lock timeout, got {other:?}"),
        }
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(2_500) && waited < Duration::from_secs(5),
            "{waited:?}"
        );
        assert!(!reports.is_empty(), "nothing was reported while waiting");
        assert!(
            reports[0].contains(&format!("server pid {holder_pid} ")),
            "{reports:?}"
        );
        assert!(release_lock(&mut holder).is_ok());
        assert!(acquire_lock(&mut waiter, &mut wait(5_000, &mut |_, _| {})).is_ok());
        assert!(release_lock(&mut waiter).is_ok());
    }
}
