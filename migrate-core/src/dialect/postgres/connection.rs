//! A live PostgreSQL database: revisions are real transactions (DDL is transactional), the
//! run-wide lock is a session advisory lock (`lock.rs`).

use diesel::prelude::*;
use diesel::PgConnection;

use super::Postgres;
use crate::db::DatabaseUrl;
use crate::dialect::backend::diesel_common;
use crate::dialect::{Backend, Bind, Dialect};
use crate::error::{Error, Result};
use crate::schema::Schema;

struct PostgresBackend(PgConnection);

pub(super) fn connect(url: &DatabaseUrl) -> Result<Box<dyn Backend>> {
    let conn = PgConnection::establish(url.location()).map_err(|source| Error::Connect {
        url: url.display(),
        source,
    })?;
    Ok(Box::new(PostgresBackend(conn)))
}

impl Backend for PostgresBackend {
    diesel_common!();

    fn dialect(&self) -> &'static dyn Dialect {
        &Postgres
    }

    fn introspect(&mut self, version_table: &str) -> Result<Schema> {
        super::introspect::introspect(&mut self.0, version_table)
    }

    fn table_exists(&mut self, table: &str) -> Result<bool> {
        let n = self
            .count(
                "SELECT COUNT(*) AS n FROM pg_catalog.pg_tables \
                 WHERE schemaname = current_schema() AND tablename = $1",
                &[Bind::Text(table)],
            )
            .map_err(Error::db(format!("looking for the table {table}")))?;
        Ok(n > 0)
    }

    fn lock(&mut self) -> Result<()> {
        super::lock::acquire_lock(&mut self.0)
    }

    fn release(&mut self) -> Result<()> {
        super::lock::release_lock(&mut self.0)
    }
}
