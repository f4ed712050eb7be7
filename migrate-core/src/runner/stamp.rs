//! `stamp`: record a target as applied without running anything.

use std::collections::BTreeSet;

use super::{applied_row, locked, Event, RunOptions};
use crate::db::Connection;
use crate::error::{Error, Result};
use crate::revision::Graph;
use crate::runner::describe_unfinished;
use crate::version_table;

/// What a stamp changed in the version table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamped {
    /// Revisions recorded as applied, in apply order.
    pub added: Vec<String>,
    /// Revisions whose rows were removed (not part of the target).
    pub removed: Vec<String>,
}

/// Records `target` as the applied state without running anything. With `purge`, the
/// version table is emptied first.
pub fn stamp(
    conn: &mut Connection,
    graph: &Graph,
    options: &RunOptions,
    target: &str,
    purge: bool,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Stamped> {
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
) -> Result<Stamped> {
    // Refusals first: an unknown target or an unfinished revision leaves nothing written.
    let wanted = if target == "base" {
        Vec::new()
    } else {
        graph.upgrade_plan(&BTreeSet::new(), target)?
    };
    let table_exists = version_table::exists(conn, version_table)?;
    let rows = if table_exists {
        version_table::read(conn, version_table)?
    } else {
        Vec::new()
    };
    if let (false, Some(unfinished)) = (purge, rows.iter().find(|r| r.state.is_unfinished())) {
        return Err(Error::Plan(format!(
            "{}\n  {}\n  (`stamp` records whole revisions; it does not say what became of a \
             revision that stopped part-way)",
            describe_unfinished(graph, unfinished, conn.dialect().name()),
            super::resolve::hint(unfinished)
        )));
    }
    if !table_exists {
        version_table::ensure(conn, version_table)?;
    }
    conn.backend().begin_revision()?;
    let result = (|| {
        let mut stamped = Stamped::default();
        if purge {
            version_table::delete_all(conn, version_table)?;
            stamped.removed = rows.iter().map(|r| r.revision.clone()).collect();
        }
        let wanted_ids: BTreeSet<&str> = wanted.iter().map(|r| r.id.as_str()).collect();
        // Rows that are not an applied revision of the target go; with --purge, all of them.
        let mut kept = BTreeSet::new();
        for row in rows.iter().filter(|_| !purge) {
            if wanted_ids.contains(row.revision.as_str()) {
                kept.insert(row.revision.as_str());
            } else {
                version_table::delete(conn, version_table, &row.revision)?;
                stamped.removed.push(row.revision.clone());
            }
        }
        let dialect = conn.dialect().name();
        for revision in &wanted {
            if kept.contains(revision.id.as_str()) {
                continue;
            }
            version_table::insert(conn, version_table, &applied_row(revision, dialect, 0))?;
            stamped.added.push(revision.id.clone());
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
