//! SQLite has no advisory locks; a write transaction started with `BEGIN IMMEDIATE` takes
//! the database's write lock at once, so two processes cannot both read the applied set and
//! then apply the same revision. The connection's busy timeout makes the second one wait.

use diesel::connection::{AnsiTransactionManager, SimpleConnection};
use diesel::SqliteConnection;

use diesel::result::Error as DieselError;

use crate::dialect::LockWait;
use crate::error::{Error, Result};

/// Starts the run's transaction through diesel's transaction manager, so that revisions
/// begun after it nest as savepoints. The busy timeout is set to the slice being waited, so
/// the waiter can report between slices.
pub fn begin_exclusive(conn: &mut SqliteConnection, wait: &mut LockWait<'_>) -> Result<()> {
    let conn = std::cell::RefCell::new(conn);
    wait.poll(
        |slice| {
            let ms = u32::try_from(slice.as_millis()).unwrap_or(u32::MAX).max(1);
            let mut conn = conn.borrow_mut();
            conn.batch_execute(&format!("PRAGMA busy_timeout = {ms}"))
                .map_err(Error::db("setting the busy timeout"))?;
            match AnsiTransactionManager::begin_transaction_sql(&mut **conn, "BEGIN IMMEDIATE") {
                Ok(()) => Ok(true),
                Err(DieselError::DatabaseError(_, info)) if info.message().contains("locked") => {
                    Ok(false)
                }
                Err(e) => Err(Error::db(
                    "taking the database write lock (BEGIN IMMEDIATE)",
                )(e)),
            }
        },
        || {
            "another connection holds the database's write lock (SQLite does not say which process)"
                .to_owned()
        },
        |timeout, holder| {
            Error::Lock(format!(
                "the database stayed locked for over {} s; gave up waiting\n  held by: {holder}\n  \
                 hint: wait for the other migration run (or long write) to finish and try again, \
                 or wait longer with --lock-wait",
                timeout.as_secs()
            ))
        },
    )
}
