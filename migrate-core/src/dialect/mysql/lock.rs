//! The run-wide lock: a named lock (`GET_LOCK`), held by the session across the revisions
//! and freed by the server if the process dies. Named locks are server-wide, so the name is
//! derived from the database: runs against different databases on one server do not wait for
//! each other. `GET_LOCK` waits on the server side up to [`LOCK_TIMEOUT`].

#![cfg(feature = "mysql")]

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};
use diesel::MysqlConnection;

use crate::dialect::backend::roll_back_above;
use crate::error::{Error, Result};

/// How long a run waits for another one to finish.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// The lock's name: a prefix and the SHA-1 of the database name, 48 characters (lock names
/// may not exceed 64).
const LOCK_NAME: &str = "CONCAT('migrate_', SHA1(DATABASE()))";

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Nullable<BigInt>)]
    result: Option<i64>,
}

pub(super) fn acquire_lock(conn: &mut MysqlConnection) -> Result<()> {
    acquire_lock_within(conn, LOCK_TIMEOUT)
}

fn acquire_lock_within(conn: &mut MysqlConnection, timeout: Duration) -> Result<()> {
    let rows: Vec<Outcome> = diesel::sql_query(format!(
        "SELECT CAST(GET_LOCK({LOCK_NAME}, ?) AS SIGNED) AS result"
    ))
    .bind::<BigInt, _>(i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX))
    .load(conn)
    .map_err(Error::db("taking the migration lock (GET_LOCK)"))?;
    match rows.first().and_then(|r| r.result) {
        Some(1) => Ok(()),
        Some(_) => Err(Error::Lock(format!(
            "another migration run has held the lock for over {} s; gave up waiting\n  \
             hint: wait for it to finish and try again; if no run is active, a stuck session \
             holds it: `SELECT IS_USED_LOCK(CONCAT('migrate_', SHA1(DATABASE())))` gives its \
             connection id, `KILL <id>` ends it",
            timeout.as_secs()
        ))),
        None => Err(Error::Lock(
            "GET_LOCK failed (no database selected?)\n  hint: put the database name in the URL, \
             e.g. mysql://user@host/app"
                .to_owned(),
        )),
    }
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
        assert!(acquire_lock(&mut holder).is_ok());
        match acquire_lock_within(&mut waiter, Duration::from_secs(1)) {
            Err(Error::Lock(message)) => assert!(message.contains("IS_USED_LOCK"), "{message}"),
            other => panic!("expected a lock timeout, got {other:?}"),
        }
        assert!(release_lock(&mut holder).is_ok());
        assert!(acquire_lock_within(&mut waiter, Duration::from_secs(5)).is_ok());
        assert!(release_lock(&mut waiter).is_ok());
    }
}
