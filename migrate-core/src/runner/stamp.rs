//! `stamp`: record a target as applied without running anything.

use std::collections::BTreeSet;

use super::{applied_row, locked, Event, RunOptions};
use crate::db::Connection;
use crate::error::Result;
use crate::revision::Graph;
use crate::version_table::{self, State};

/// Records `target` as the applied state without running anything. With `purge`, the
/// version table is emptied first.
pub fn stamp(
    conn: &mut Connection,
    graph: &Graph,
    options: &RunOptions,
    target: &str,
    purge: bool,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Vec<String>> {
    locked(conn, options, on_event, |conn, _| {
        stamp_locked(conn, graph, &options.version_table, target, purge)
    })
}

pub(crate) fn stamp_locked(
    conn: &mut Connection,
    graph: &Graph,
    version_table: &str,
    target: &str,
    purge: bool,
) -> Result<Vec<String>> {
    version_table::ensure(conn, version_table)?;
    conn.backend().begin_revision()?;
    let result = (|| {
        if purge {
            version_table::delete_all(conn, version_table)?;
        }
        let wanted = if target == "base" {
            Vec::new()
        } else {
            graph.upgrade_plan(&BTreeSet::new(), target)?
        };
        let wanted_ids: BTreeSet<&str> = wanted.iter().map(|r| r.id.as_str()).collect();
        // Every row that is not an applied revision of the target goes: a stamp is also how a
        // failed or unknown row is repaired.
        let mut kept = BTreeSet::new();
        for row in version_table::read(conn, version_table)? {
            if row.state == State::Applied && wanted_ids.contains(row.revision.as_str()) {
                kept.insert(row.revision);
            } else {
                version_table::delete(conn, version_table, &row.revision)?;
            }
        }
        let dialect = conn.dialect().name();
        let mut stamped = Vec::new();
        for revision in wanted {
            if kept.contains(&revision.id) {
                continue;
            }
            version_table::insert(conn, version_table, &applied_row(revision, dialect, 0))?;
            stamped.push(revision.id.clone());
        }
        Ok(stamped)
    })();
    match result {
        Ok(stamped) => {
            conn.backend().commit_revision()?;
            Ok(stamped)
        }
        Err(e) => {
            conn.backend().rollback_revision()?;
            Err(e)
        }
    }
}
