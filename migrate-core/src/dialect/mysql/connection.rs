//! A live MySQL or MariaDB database: DDL commits implicitly, so a revision is not atomic;
//! the run-wide lock is a named lock (`lock.rs`).

#![cfg(feature = "mysql")]

use diesel::MysqlConnection;

use super::Mysql;
use crate::dialect::backend::{diesel_common, establish};
use crate::dialect::Backend;
use crate::dialect::Target;
use crate::error::Result;

struct MysqlBackend(MysqlConnection);

pub(super) fn connect(target: &Target<'_>) -> Result<Box<dyn Backend>> {
    Ok(Box::new(MysqlBackend(establish(target)?)))
}

impl Backend for MysqlBackend {
    diesel_common!(
        dialect: Mysql,
        table_exists: "SELECT COUNT(*) AS n FROM information_schema.TABLES \
                       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
    );

    fn lock(&mut self, wait: &mut crate::dialect::LockWait<'_>) -> Result<()> {
        super::lock::acquire_lock(&mut self.0, wait)
    }

    fn release(&mut self) -> Result<()> {
        super::lock::release_lock(&mut self.0)
    }
}
