//! The diesel schema `#[derive(Model)]` emits for each model, so that the struct is also the
//! query model and no hand-written `table!` drifts from it (docs/diesel.md).
//!
//! The derive writes one [`__diesel_schema!`](crate::__diesel_schema) invocation per model:
//! data only (the table's name, key, columns with their SQL types, the foreign keys to other
//! models). The macro here turns it into diesel's `table!` and the `JoinTo` impls that
//! `joinable!` would write, naming the referenced table through its struct
//! (`<Author as Model>::DieselTable`): `references(Author)` knows the type, not the module
//! its table lives in. Built without the `diesel-schema` feature it expands to nothing.

/// The SQL types whose diesel spelling depends on the backend the application queries:
/// PostgreSQL's when this build has the `postgres` feature, else MySQL's with `mysql`, else
/// SQLite's.
#[cfg(feature = "diesel-schema")]
pub mod sql_types {
    #[cfg(feature = "postgres")]
    pub type Timestamptz = diesel::sql_types::Timestamptz;
    #[cfg(all(feature = "mysql", not(feature = "postgres")))]
    pub type Timestamptz = diesel::sql_types::Datetime;
    #[cfg(not(any(feature = "postgres", feature = "mysql")))]
    pub type Timestamptz = diesel::sql_types::TimestamptzSqlite;

    #[cfg(feature = "postgres")]
    pub type Uuid = diesel::sql_types::Uuid;
    /// Stored as text (SQLite `TEXT`, MySQL `CHAR(36)`).
    #[cfg(not(feature = "postgres"))]
    pub type Uuid = diesel::sql_types::Text;

    /// PostgreSQL columns are `JSONB`.
    #[cfg(feature = "postgres")]
    pub type Json = diesel::sql_types::Jsonb;
    #[cfg(not(feature = "postgres"))]
    pub type Json = diesel::sql_types::Json;
}

/// Expands a model's schema data into diesel's items (see the module's doc).
#[cfg(feature = "diesel-schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __diesel_schema {
    (
        module = $module:ident,
        table = { $($table:tt)* },
        joins = { $($joins:tt)* },
    ) => {
        $crate::__private::diesel::table! { $($table)* }
        $($joins)*
    };
}

/// A model's diesel table as a type (`type`) or a value (`value`): the `table!` module's
/// `table`, or `()` where the model has no diesel schema.
#[cfg(feature = "diesel-schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __diesel_table {
    (type $module:ident) => {
        $module::table
    };
    (value $module:ident) => {
        $module::table
    };
    (type) => {
        ()
    };
    (value) => {
        ()
    };
}

#[cfg(not(feature = "diesel-schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __diesel_table {
    (type $($module:ident)?) => {
        ()
    };
    (value $($module:ident)?) => {
        ()
    };
}

/// Without the `diesel-schema` feature, models carry no diesel schema.
#[cfg(not(feature = "diesel-schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __diesel_schema {
    ($($tokens:tt)*) => {};
}

#[cfg(feature = "diesel-schema")]
mod compare;
#[cfg(feature = "diesel-schema")]
pub use compare::{assert_matches, describe, differences, ColumnList, DieselColumn, DieselTable};
