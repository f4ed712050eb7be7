//! Revision files and the revision graph (DESIGN §5).
//!
//! [`files`] reads and writes revision folders in diesel's layout (plain diesel folders are
//! adopted as a linear history); [`Graph`] validates them as a DAG and answers Alembic-style
//! target specs (`head`, `heads`, `base`, ids and unique prefixes, branch labels,
//! `label@head`, `+N`, `-N`, `REV+N`, `REV-N`, `A:B` ranges).

mod files;
mod graph;
mod target;

pub use files::{
    checksum_sql, new_revision_id, require_sql_for, write_revision, NewRevision, Revision,
    RevisionWriter, DIALECTS,
};
pub use graph::Graph;

#[cfg(test)]
mod tests;
