//! The run-wide lock: a named lock (`GET_LOCK`), held by the session across the revisions
//! and freed by the server if the process dies. Named locks are server-wide, so the name is
//! derived from the database: runs against different databases on one server do not wait for
//! each other. `GET_LOCK` waits on the server side, a few seconds at a time so that the
//! waiter can say who holds the lock, up to the run's lock wait.

#![cfg(feature = "mysql")]

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::MysqlConnection;

use crate::dialect::backend::{holders_text, roll_back_above};
use crate::dialect::LockWait;
use crate::error::{Error, Result};

/// The lock's name: a prefix and the SHA-1 of the database name, 48 characters (lock names
/// may not exceed 64).
const LOCK_NAME: &str = "CONCAT('migrate_', SHA1(DATABASE()))";

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Nullable<BigInt>)]
    result: Option<i64>,
}

#[derive(QueryableByName)]
struct Holder {
    #[diesel(sql_type = Text)]
    described: String,
}

/// Who holds the lock: connection id, user and host, what it is doing.
fn holder(conn: &mut MysqlConnection) -> String {
    let rows: QueryResult<Vec<Holder>> = diesel::sql_query(format!(
        "SELECT CONCAT('connection id ', ID, ' (user ', USER, '@', HOST, ', ', COMMAND, \
         ' for ', TIME, ' s)') AS described FROM information_schema.PROCESSLIST \
         WHERE ID = IS_USED_LOCK({LOCK_NAME})"
    ))
    .load(conn);
    holders_text(
        rows.map(|rows| rows.into_iter().map(|r| r.described).collect()),
        "a connection this user may not see (needs the PROCESS privilege)",
    )
}

pub(super) fn acquire_lock(conn: &mut MysqlConnection, wait: &mut LockWait<'_>) -> Result<()> {
    let conn = std::cell::RefCell::new(conn);
    wait.poll(
        |slice| {
            // GET_LOCK waits on the server, in whole seconds.
            let seconds = i64::try_from(slice.as_secs_f64().ceil() as u64)
                .unwrap_or(i64::MAX)
                .max(1);
            let rows: Vec<Outcome> = diesel::sql_query(format!(
                "SELECT CAST(GET_LOCK({LOCK_NAME}, ?) AS SIGNED) AS result"
            ))
            .bind::<BigInt, _>(seconds)
            .load(&mut **conn.borrow_mut())
            .map_err(Error::db("taking the migration lock (GET_LOCK)"))?;
            match rows.first().and_then(|r| r.result) {
                Some(1) => Ok(true),
                Some(_) => Ok(false),
                None => Err(Error::Lock(
                    "GET_LOCK failed (no database selected?)\n  hint: put the database name in \
                     the URL, e.g. mysql://user@host/app"
                        .to_owned(),
                )),
            }
        },
        || holder(&mut conn.borrow_mut()),
        |timeout, holder| {
            Error::Lock(format!(
                "another migration run has held the lock for over {} s; gave up waiting\n  \
                 held by: {holder}\n  \
                 hint: wait for it to finish and try again (or wait longer with --lock-wait); if \
                 no run is active, end the stuck connection with `KILL <id>`",
                timeout.as_secs()
            ))
        },
    )
}

/// Releases the lock, after rolling back whatever a failed `stamp` left open.
pub(super) fn release_lock(conn: &mut MysqlConnection) -> Result<()> {
    roll_back_above(conn, 0)?;
    let rows: Vec<Outcome> = diesel::sql_query(format!(
        "SELECT CAST(RELEASE_LOCK({LOCK_NAME}) AS SIGNED) AS result"
    ))
    .load(conn)
    .map_err(Error::db("releasing the migration lock"))?;
    match rows.first().and_then(|r| r.result) {
        Some(1) => Ok(()),
        _ => Err(Error::Lock(
            "the migration lock was not held by this session when the run ended".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait<'a>(seconds: u64, on_wait: &'a mut dyn FnMut(&str, Duration)) -> LockWait<'a> {
        LockWait {
            timeout: Duration::from_secs(seconds),
            on_wait,
        }
    }

    /// Against the server in `TEST_MYSQL_URL` (skipped when unset): a second session waits
    /// for the lock, gives up with a message after the timeout, and gets it once released.
    #[test]
    fn a_held_lock_times_out_then_passes_on() {
        let Ok(url) = std::env::var("TEST_MYSQL_URL") else {
            eprintln!("note: TEST_MYSQL_URL is not set; skipping");
            return;
        };
        let connect = || match MysqlConnection::establish(&url) {
            Ok(conn) => conn,
            Err(e) => panic!("TEST_MYSQL_URL is set but cannot be reached: {e}"),
        };
        let (mut holder, mut waiter) = (connect(), connect());
        let holder_id: i64 = diesel::select(diesel::dsl::sql::<BigInt>(
            "CAST(CONNECTION_ID() AS SIGNED)",
        ))
        .get_result(&mut holder)
        .unwrap_or(-1);
        let mut reports = Vec::new();
        assert!(acquire_lock(&mut holder, &mut wait(60, &mut |_, _| {})).is_ok());
        let started = Instant::now();
        let mut report = |who: &str, _: Duration| reports.push(who.to_owned());
        match acquire_lock(&mut waiter, &mut wait(3, &mut report)) {
            Err(Error::Lock(message)) => {
                assert!(
                    message.contains(&format!("connection id {holder_id} ")),
                    "{message}"
                )
            }
            other => panic!("expected a lock timeout, got {other:?}"),
        }
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(3) && waited < Duration::from_secs(6),
            "{waited:?}"
        );
        assert!(
            reports[0].contains(&format!("connection id {holder_id} ")),
            "{reports:?}"
        );
        assert!(release_lock(&mut holder).is_ok());
        assert!(acquire_lock(&mut waiter, &mut wait(5, &mut |_, _| {})).is_ok());
        assert!(release_lock(&mut waiter).is_ok());
    }
}
