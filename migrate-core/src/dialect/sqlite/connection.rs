//! A live SQLite database: the file is created on first use, the run-wide lock is the write
//! transaction (`lock.rs`), revisions are savepoints inside it.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use diesel::SqliteConnection;

use super::Sqlite;
use crate::db::DatabaseUrl;
use crate::dialect::backend::{diesel_common, roll_back_above};
use crate::dialect::{Backend, Bind, Dialect};
use crate::error::{Error, Result};
use crate::schema::Schema;

struct SqliteBackend(SqliteConnection);

pub(super) fn connect(url: &DatabaseUrl) -> Result<Box<dyn Backend>> {
    let path = Path::new(url.location());
    create_parent_dir(path)?;
    let conn = SqliteConnection::establish(url.location()).map_err(|source| Error::Connect {
        url: url.display(),
        source,
    })?;
    Ok(Box::new(SqliteBackend(conn)))
}

fn create_parent_dir(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))
        }
        _ => Ok(()),
    }
}

#[derive(QueryableByName)]
struct Violation {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::BigInt>)]
    rowid: Option<i64>,
    #[diesel(sql_type = Text)]
    parent: String,
}

impl Backend for SqliteBackend {
    diesel_common!();

    fn dialect(&self) -> &'static dyn Dialect {
        &Sqlite
    }

    fn introspect(&mut self, version_table: &str) -> Result<Schema> {
        super::introspect::introspect(&mut self.0, version_table)
    }

    fn table_exists(&mut self, table: &str) -> Result<bool> {
        let n = self
            .count(
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
                &[Bind::Text(table)],
            )
            .map_err(Error::db(format!("looking for the table {table}")))?;
        Ok(n > 0)
    }

    fn lock(&mut self) -> Result<()> {
        // Rebuilding a table drops it; with foreign keys on, that would fire ON DELETE
        // actions on the rows that reference it. The pragma is ignored inside a
        // transaction, so it is set before the lock is taken.
        self.0
            .batch_execute("PRAGMA foreign_keys = OFF")
            .map_err(Error::db("turning foreign keys off for the run"))?;
        super::lock::begin_exclusive(&mut self.0)
    }

    /// The run is one transaction: finished revisions (released savepoints) commit with it.
    fn release(&mut self) -> Result<()> {
        roll_back_above(&mut self.0, 1)?;
        use diesel::connection::TransactionManager as _;
        <SqliteConnection as Connection>::TransactionManager::commit_transaction(&mut self.0)
            .map_err(Error::db("committing the migration run"))
    }

    fn check_foreign_keys(&mut self) -> std::result::Result<(), String> {
        let rows: Vec<Violation> = diesel::sql_query(
            "SELECT \"table\" AS \"table\", rowid AS rowid, parent AS parent FROM pragma_foreign_key_check",
        )
        .load(&mut self.0)
        .map_err(|e| e.to_string())?;
        if rows.is_empty() {
            return Ok(());
        }
        let listed: Vec<String> = rows
            .iter()
            .take(10)
            .map(|v| format!("{} row {} -> {}", v.table, v.rowid.unwrap_or(0), v.parent))
            .collect();
        Err(format!(
            "{} row(s) violate foreign keys: {}",
            rows.len(),
            listed.join("; ")
        ))
    }
}
