//! A live MySQL or MariaDB database: DDL commits implicitly, so a revision is not atomic;
//! the run-wide lock is a named lock (`lock.rs`).

use diesel::prelude::*;
use diesel::MysqlConnection;

use super::Mysql;
use crate::db::DatabaseUrl;
use crate::dialect::backend::diesel_common;
use crate::dialect::{Backend, Bind, Dialect};
use crate::error::{Error, Result};
use crate::schema::Schema;

struct MysqlBackend(MysqlConnection);

pub(super) fn connect(url: &DatabaseUrl) -> Result<Box<dyn Backend>> {
    let conn = MysqlConnection::establish(url.location()).map_err(|source| Error::Connect {
        url: url.display(),
        source,
    })?;
    Ok(Box::new(MysqlBackend(conn)))
}

impl Backend for MysqlBackend {
    diesel_common!();

    fn dialect(&self) -> &'static dyn Dialect {
        &Mysql
    }

    fn introspect(&mut self, version_table: &str) -> Result<Schema> {
        super::introspect::introspect(&mut self.0, version_table)
    }

    fn table_exists(&mut self, table: &str) -> Result<bool> {
        let n = self
            .count(
                "SELECT COUNT(*) AS n FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
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
