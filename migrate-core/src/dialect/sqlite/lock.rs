//! SQLite has no advisory locks; a write transaction started with `BEGIN IMMEDIATE` takes
//! the database's write lock at once, so two processes cannot both read the applied set and
//! then apply the same revision. The connection's busy timeout makes the second one wait.

use diesel::connection::{AnsiTransactionManager, SimpleConnection};
use diesel::SqliteConnection;

use crate::error::{Error, Result};

/// How long a process waits for another one's migration transaction, in milliseconds.
pub const BUSY_TIMEOUT_MS: u32 = 60_000;

/// Starts the run's transaction through diesel's transaction manager, so that revisions
/// begun after it nest as savepoints.
pub fn begin_exclusive(conn: &mut SqliteConnection) -> Result<()> {
    conn.batch_execute(&format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"))
        .map_err(Error::db("setting the busy timeout"))?;
    AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN IMMEDIATE").map_err(Error::db(
        "taking the database write lock (BEGIN IMMEDIATE)",
    ))
}
