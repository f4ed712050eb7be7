//! diesel's own version table, `__diesel_schema_migrations`. A database that
//! `diesel migration run` (or `diesel_migrations`) migrated lists there the versions it ran,
//! the part of each folder name before the first `_` without dashes. Those revisions count as
//! applied: a run records them in the version table the first time (and says so), and
//! read-only commands count them without writing. While diesel's table exists, every revision
//! applied or reverted here is also recorded in it, so an application that still calls
//! `diesel_migrations` at start-up sees the same history and re-runs nothing.

use std::collections::BTreeSet;

use crate::db::Connection;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::revision::{Graph, Revision};
use crate::version_table::VersionRow;

pub const DIESEL_TABLE: &str = "__diesel_schema_migrations";

/// The versions diesel recorded; `None` when the database has no diesel table.
pub fn versions(conn: &mut Connection) -> Result<Option<BTreeSet<String>>> {
    if !conn.backend().table_exists(DIESEL_TABLE)? {
        return Ok(None);
    }
    let mut w = conn.dialect().writer();
    w.raw("SELECT version AS value FROM ").ident(DIESEL_TABLE);
    let versions = conn
        .backend()
        .load_texts(&w.finish())
        .map_err(Error::db(format!("reading {DIESEL_TABLE}")))?;
    Ok(Some(versions.into_iter().collect()))
}

/// The revisions diesel ran that the version table does not record yet, in apply order.
pub fn not_yet_recorded<'g>(
    graph: &'g Graph,
    rows: &[VersionRow],
    diesel_versions: &BTreeSet<String>,
) -> Vec<&'g Revision> {
    let recorded: BTreeSet<&str> = rows.iter().map(|r| r.revision.as_str()).collect();
    graph
        .revisions()
        .filter(|r| !recorded.contains(r.id.as_str()))
        .filter(|r| diesel_versions.contains(&r.diesel_version()))
        .collect()
}

/// Records in diesel's table that `revision` ran.
pub fn record(conn: &mut Connection, revision: &Revision) -> Result<()> {
    let sql = record_sql(conn.dialect(), revision);
    conn.batch_execute(&sql).map_err(Error::db(format!(
        "recording {} in {DIESEL_TABLE}",
        revision.diesel_version()
    )))
}

/// The INSERT that records `revision` in diesel's table, with a literal value, so that it can
/// travel with other statements (a revision's commit) in one round trip.
pub fn record_sql(dialect: &dyn Dialect, revision: &Revision) -> String {
    let mut w = dialect.writer();
    w.raw("INSERT INTO ")
        .ident(DIESEL_TABLE)
        .raw(" (version) VALUES (")
        .string(&revision.diesel_version())
        .raw(")");
    w.finish()
}

/// Removes `revision` from diesel's table after it was reverted.
pub fn forget(conn: &mut Connection, revision: &Revision) -> Result<()> {
    let sql = forget_sql(conn.dialect(), revision);
    conn.batch_execute(&sql).map_err(Error::db(format!(
        "removing {} from {DIESEL_TABLE}",
        revision.diesel_version()
    )))
}

/// The DELETE that removes `revision` from diesel's table, with a literal value.
pub fn forget_sql(dialect: &dyn Dialect, revision: &Revision) -> String {
    let mut w = dialect.writer();
    w.raw("DELETE FROM ")
        .ident(DIESEL_TABLE)
        .raw(" WHERE version = ")
        .string(&revision.diesel_version());
    w.finish()
}
