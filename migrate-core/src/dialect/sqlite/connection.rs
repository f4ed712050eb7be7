//! A live SQLite database: the file is created on first use, the run-wide lock is the write
//! transaction (`lock.rs`), revisions are savepoints inside it.

use std::collections::BTreeSet;
use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use diesel::SqliteConnection;

use super::Sqlite;
use crate::dialect::backend::{diesel_common, establish, roll_back_above};
use crate::dialect::Backend;
use crate::dialect::Target;
use crate::error::{Error, Result};

/// The connection, and the foreign-key violations the database held when the run took its
/// lock: a revision is blamed only for the ones it adds.
struct SqliteBackend(SqliteConnection, BTreeSet<Violation>);

pub(super) fn connect(target: &Target<'_>) -> Result<Box<dyn Backend>> {
    create_parent_dir(Path::new(target.location))?;
    Ok(Box::new(SqliteBackend(establish(target)?, BTreeSet::new())))
}

fn create_parent_dir(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))
        }
        _ => Ok(()),
    }
}

#[derive(QueryableByName, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::BigInt>)]
    rowid: Option<i64>,
    #[diesel(sql_type = Text)]
    parent: String,
}

impl Backend for SqliteBackend {
    diesel_common!(
        dialect: Sqlite,
        table_exists: "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?"
    );

    fn lock(&mut self, wait: &mut crate::dialect::LockWait<'_>) -> Result<()> {
        // Rebuilding a table drops it; with foreign keys on, that would fire ON DELETE
        // actions on the rows that reference it. The pragma is ignored inside a
        // transaction, so it is set before the lock is taken.
        self.0
            .batch_execute("PRAGMA foreign_keys = OFF")
            .map_err(Error::db("turning foreign keys off for the run"))?;
        super::lock::begin_exclusive(&mut self.0, wait)?;
        self.1 = violations(&mut self.0).map_err(Error::db("checking foreign keys"))?;
        Ok(())
    }

    /// The run is one transaction: finished revisions (released savepoints) commit with it.
    fn release(&mut self) -> Result<()> {
        roll_back_above(&mut self.0, 1)?;
        use diesel::connection::TransactionManager as _;
        <SqliteConnection as Connection>::TransactionManager::commit_transaction(&mut self.0)
            .map_err(Error::db("committing the migration run"))
    }

    fn check_foreign_keys(&mut self) -> std::result::Result<(), String> {
        let now = violations(&mut self.0).map_err(|e| e.to_string())?;
        let added: Vec<&Violation> = now.difference(&self.1).collect();
        if added.is_empty() {
            self.1 = now;
            return Ok(());
        }
        let listed: Vec<String> = added
            .iter()
            .take(10)
            .map(|v| match v.rowid {
                Some(rowid) => format!(
                    "{} rowid {rowid} (no matching row in {})",
                    v.table, v.parent
                ),
                None => format!(
                    "{} (a row without rowid; no matching row in {})",
                    v.table, v.parent
                ),
            })
            .collect();
        Err(format!(
            "the revision leaves {} row(s) violating foreign keys: {}{}\n  hint: fix or delete \
             those rows in the revision before the change that checks them",
            added.len(),
            listed.join("; "),
            if added.len() > listed.len() {
                "; …"
            } else {
                ""
            }
        ))
    }
}

/// Every row that violates a foreign key now.
fn violations(conn: &mut SqliteConnection) -> diesel::QueryResult<BTreeSet<Violation>> {
    let rows: Vec<Violation> = diesel::sql_query(
        "SELECT \"table\" AS \"table\", rowid AS rowid, parent AS parent FROM pragma_foreign_key_check",
    )
    .load(conn)?;
    Ok(rows.into_iter().collect())
}
