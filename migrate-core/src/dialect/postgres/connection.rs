//! A live PostgreSQL database: revisions are real transactions (DDL is transactional), the
//! run-wide lock is a session advisory lock (`lock.rs`).

#![cfg(feature = "postgres")]

use diesel::PgConnection;

use diesel::connection::SimpleConnection;

use super::Postgres;
use crate::dialect::backend::{diesel_common, establish, roll_back_above};
use crate::dialect::Backend;
use crate::dialect::Target;
use crate::error::{Error, Result};
use crate::revision::RevisionTimeouts;

/// The connection, and the revision timeouts last set on its session (`None`: the server's).
struct PostgresBackend(PgConnection, Option<RevisionTimeouts>);

pub(super) fn connect(target: &Target<'_>) -> Result<Box<dyn Backend>> {
    Ok(Box::new(PostgresBackend(establish(target)?, None)))
}

/// Whether diesel's transaction manager has a transaction open on the session.
fn in_transaction(conn: &mut PgConnection) -> bool {
    use diesel::connection::TransactionManager as _;
    <PgConnection as diesel::Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .ok()
        .flatten()
        .is_some()
}

impl Backend for PostgresBackend {
    diesel_common!(
        dialect: Postgres,
        // The catalogs themselves, not the `pg_tables` view: a first query on a new
        // session plans every join the view hides.
        table_exists: "SELECT COUNT(*) AS n FROM pg_catalog.pg_class c \
                       JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace \
                       WHERE c.relkind IN ('r', 'p') \
                       AND ((s.nspname = current_schema() AND c.relname = $1) \
                       OR s.nspname || '.' || c.relname = $1)"
    );

    fn lock(&mut self, wait: &mut crate::dialect::LockWait<'_>) -> Result<()> {
        super::lock::acquire_lock(&mut self.0, wait)
    }

    /// Also puts the session's timeouts back, for a caller that keeps the connection.
    fn release(&mut self) -> Result<()> {
        super::lock::release_lock(&mut self.0)?;
        self.1 = None;
        super::timeouts::reset(&mut self.0)
    }

    fn set_revision_timeouts(&mut self, timeouts: RevisionTimeouts) -> Result<()> {
        // Most runs give every revision the same limits: one SET for the whole run.
        if self.1 != Some(timeouts) {
            super::timeouts::set(&mut self.0, timeouts)?;
            self.1 = Some(timeouts);
        }
        Ok(())
    }

    fn commit_revision_with(&mut self, statements: &[String], context: &str) -> Result<()> {
        let mut batch = statements.join(";\n");
        batch.push_str(";\nCOMMIT");
        match self.0.batch_execute(&batch) {
            // diesel follows libpq's transaction status, so it saw the COMMIT end the
            // transaction; the manager's own COMMIT is only for a session still inside one.
            Ok(()) => {
                if in_transaction(&mut self.0) {
                    self.commit_revision()?;
                }
                Ok(())
            }
            Err(e) => {
                // A failed statement leaves an aborted transaction; a failed COMMIT none.
                roll_back_above(&mut self.0, 0)?;
                Err(Error::db(context.to_owned())(e))
            }
        }
    }

    fn lock_holders(&mut self, sql: &str, message: &str) -> Option<String> {
        super::timeouts::holders(&mut self.0, sql, message)
    }
}
