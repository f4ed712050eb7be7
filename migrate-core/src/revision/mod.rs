//! Revision files and the revision graph (DESIGN §5).
//!
//! `format` is the layout of one revision folder (diesel's, plus graph keys in
//! metadata.toml); `read` loads a migrations directory (plain diesel folders are adopted as a
//! linear history); `write` adds new folders. [`Graph`] validates the revisions as a DAG and
//! answers Alembic-style target specs (`head`, `heads`, `base`, ids and unique prefixes,
//! branch labels, `label@head`, `+N`, `-N`, `REV+N`, `REV-N`, `A:B` ranges).

mod build;
mod cache;
mod embed;
mod folder;
mod format;
mod graph;
#[cfg(feature = "lint")]
pub mod lint;
mod read;
mod target;
mod write;

pub use embed::{EmbeddedFolder, EmbeddedMigrations};
pub use folder::{down_file, up_file, FolderFiles};
pub use format::{checksum_sql, Revision, RevisionTimeouts, MAX_REVISION_ID_LEN};
pub use graph::Graph;
pub use read::{require_sql_for, scan_for_embedding};
pub use write::{new_revision_id, write_revision, NewRevision, RevisionWriter};

#[cfg(test)]
mod tests;
