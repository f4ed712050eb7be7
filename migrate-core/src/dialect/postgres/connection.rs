//! A live PostgreSQL database: revisions are real transactions (DDL is transactional), the
//! run-wide lock is a session advisory lock (`lock.rs`).

#![cfg(feature = "postgres")]

use diesel::PgConnection;

use super::Postgres;
use crate::dialect::backend::{diesel_common, establish};
use crate::dialect::Backend;
use crate::dialect::Target;
use crate::error::Result;

struct PostgresBackend(PgConnection);

pub(super) fn connect(target: &Target<'_>) -> Result<Box<dyn Backend>> {
    Ok(Box::new(PostgresBackend(establish(target)?)))
}

impl Backend for PostgresBackend {
    diesel_common!(
        dialect: Postgres,
        table_exists: "SELECT COUNT(*) AS n FROM pg_catalog.pg_tables \
                       WHERE (schemaname = current_schema() AND tablename = $1) \
                       OR schemaname || '.' || tablename = $1"
    );

    fn lock(&mut self, wait: &mut crate::dialect::LockWait<'_>) -> Result<()> {
        super::lock::acquire_lock(&mut self.0, wait)
    }

    /// Also puts the session's timeouts back, for a caller that keeps the connection.
    fn release(&mut self) -> Result<()> {
        super::lock::release_lock(&mut self.0)?;
        super::timeouts::reset(&mut self.0)
    }

    fn set_revision_timeouts(&mut self, timeouts: crate::revision::RevisionTimeouts) -> Result<()> {
        super::timeouts::set(&mut self.0, timeouts)
    }

    fn lock_holders(&mut self, sql: &str, message: &str) -> Option<String> {
        super::timeouts::holders(&mut self.0, sql, message)
    }
}
