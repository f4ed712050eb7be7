//! Model-first migrations for diesel users.
//!
//! Structs with `#[derive(Model)]` register their table definitions at link time; this crate
//! compares them with a live database, writes reviewable revisions, and applies them under a
//! lock with a checksummed version table.

#[cfg(feature = "connect")]
pub mod autogen;
#[cfg(feature = "connect")]
pub mod db;
pub mod dialect;
pub mod diesel_schema;
#[cfg(feature = "connect")]
pub mod diesel_table;
pub mod diff;
pub mod error;
pub mod file_cache;
pub mod filter;
#[cfg(feature = "connect")]
pub mod fleet;
pub mod inspect;
pub mod naming;
#[cfg(feature = "connect")]
pub mod offline;
pub mod registry;
pub mod revision;
#[cfg(feature = "connect")]
pub mod runner;
pub mod schema;
pub mod sql;
#[cfg(feature = "connect")]
pub mod startup;
pub mod suggest;
#[cfg(feature = "connect")]
pub mod testing;
pub mod types;
#[cfg(feature = "connect")]
pub mod version_table;

pub use error::{Error, Result};
pub use model_derive::{Model, ModelEnum};
pub use registry::{Model, Registry};
pub use types::ModelEnum;

/// Used by the code `#[derive(Model)]` generates. Not a public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "diesel-schema")]
    pub use crate::diesel_schema::sql_types;
    pub use crate::registry::{
        CheckDef, ColumnDef, DefaultDef, ForeignKeyDef, IndexDef, Model, ModelDef, Registration,
        SourceLocation,
    };
    pub use crate::schema::{ColumnType, EnumType, FkAction, LabelRename};
    pub use crate::types::{custom, DecimalColumn, ModelEnum, SqlMapped, StringColumn};
    pub use core::option::Option::{None, Some};
    #[cfg(feature = "diesel-schema")]
    pub use diesel;
    pub use inventory;
    pub use std::borrow::Cow;
}
