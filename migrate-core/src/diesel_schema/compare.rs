//! For a crate that keeps its own `schema.rs` (from `diesel print-schema`, models with
//! `diesel_schema = false`): a check, for its tests, that the registered models and those
//! `table!` modules say the same thing about every table, column, SQL type and NULL.
//!
//! ```ignore
//! #[test]
//! fn schema_rs_matches_the_models() {
//!     use migrate_core::diesel_schema::{assert_matches, describe};
//!     assert_matches(&[describe::<schema::users::table>(), describe::<schema::posts::table>()]);
//! }
//! ```

use std::collections::BTreeMap;

use diesel::query_builder::QueryFragment;
use diesel::sqlite::Sqlite;

use crate::registry::Registry;
use crate::schema::ColumnType;

/// A diesel `table!` as the comparison sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieselTable {
    /// The table's name in SQL (`#[sql_name]` applied), without its schema.
    pub name: String,
    pub columns: Vec<DieselColumn>,
}

/// One column of a `table!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieselColumn {
    /// The column's name in SQL.
    pub name: &'static str,
    /// The SQL type's name as diesel spells it (`BigInt`, `Text`, `Timestamptz`, a custom
    /// type's own name), without `Nullable`.
    pub sql_type: String,
    pub nullable: bool,
}

/// The columns of a `table!` (its `all_columns` tuple).
pub trait ColumnList {
    fn columns() -> Vec<DieselColumn>;
}

fn column<C>() -> DieselColumn
where
    C: diesel::Column,
{
    let (sql_type, nullable) = sql_type_name(std::any::type_name::<C::SqlType>());
    DieselColumn {
        name: C::NAME,
        sql_type,
        nullable,
    }
}

/// `diesel::sql_types::Nullable<diesel::sql_types::Text>` → (`Text`, nullable).
fn sql_type_name(full: &str) -> (String, bool) {
    let (inner, nullable) = match full
        .strip_prefix("diesel::sql_types::Nullable<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        Some(inner) => (inner, true),
        None => (full, false),
    };
    let path = inner.split('<').next().unwrap_or(inner);
    let last = path.rsplit("::").next().unwrap_or(path);
    (last.to_owned(), nullable)
}

macro_rules! column_list_for_tuples {
    ($first:ident $(, $rest:ident)*) => {
        impl<$first: diesel::Column, $($rest: diesel::Column),*> ColumnList for ($first, $($rest,)*) {
            fn columns() -> Vec<DieselColumn> {
                vec![column::<$first>() $(, column::<$rest>())*]
            }
        }
        column_list_for_tuples!($($rest),*);
    };
    () => {};
}

// As wide as the `32-column-tables` feature `migrate-core` enables.
column_list_for_tuples!(
    C32, C31, C30, C29, C28, C27, C26, C25, C24, C23, C22, C21, C20, C19, C18, C17, C16, C15, C14,
    C13, C12, C11, C10, C9, C8, C7, C6, C5, C4, C3, C2, C1
);

/// Reads a `table!`: `describe::<schema::users::table>()`.
pub fn describe<T>() -> DieselTable
where
    T: diesel::Table + Default + QueryFragment<Sqlite>,
    T::AllColumns: ColumnList,
{
    // The table's SQL name as diesel writes it in a query: `users`, or `app`.`users`.
    let written = diesel::debug_query::<Sqlite, _>(&T::default()).to_string();
    let name = written
        .split(" -- ")
        .next()
        .unwrap_or(&written)
        .rsplit('.')
        .next()
        .unwrap_or(&written)
        .trim_matches('`')
        .to_owned();
    DieselTable {
        name,
        columns: T::AllColumns::columns(),
    }
}

/// Every disagreement between the registered models and `tables`, one sentence each; empty
/// when they agree. A table on one side only is a disagreement too.
pub fn differences(tables: &[DieselTable]) -> Vec<String> {
    let registry = match Registry::collect() {
        Ok(registry) => registry,
        Err(e) => return vec![format!("the registered models cannot be read: {e}")],
    };
    let mut out = Vec::new();
    let by_name: BTreeMap<&str, &DieselTable> =
        tables.iter().map(|t| (t.name.as_str(), t)).collect();
    for model in &registry.models {
        let table = &model.table;
        let name = table.name.rsplit('.').next().unwrap_or(&table.name);
        let Some(diesel) = by_name.get(name) else {
            out.push(format!(
                "table `{name}` (model {}) is not in the diesel schema",
                model.struct_name
            ));
            continue;
        };
        let diesel_columns: BTreeMap<&str, &DieselColumn> =
            diesel.columns.iter().map(|c| (c.name, c)).collect();
        for column in &table.columns {
            let Some(found) = diesel_columns.get(column.name.as_str()) else {
                out.push(format!(
                    "`{name}.{}` is a column of the model but not of the diesel schema",
                    column.name
                ));
                continue;
            };
            let accepted = accepted_sql_types(&column.ty);
            if !accepted.is_empty() && !accepted.contains(&found.sql_type.as_str()) {
                out.push(format!(
                    "`{name}.{}`: the diesel schema says {}, the model's type wants {}",
                    column.name,
                    found.sql_type,
                    accepted.join(" or ")
                ));
            }
            if found.nullable != column.nullable {
                let says = |nullable: bool| if nullable { "NULL" } else { "NOT NULL" };
                out.push(format!(
                    "`{name}.{}`: the diesel schema says {}, the model says {}",
                    column.name,
                    says(found.nullable),
                    says(column.nullable)
                ));
            }
        }
        for column in &diesel.columns {
            if !table.columns.iter().any(|c| c.name == column.name) {
                out.push(format!(
                    "`{name}.{}` is a column of the diesel schema but not of the model",
                    column.name
                ));
            }
        }
    }
    for table in tables {
        let modelled = registry
            .models
            .iter()
            .any(|m| m.table.name.rsplit('.').next() == Some(table.name.as_str()));
        if !modelled {
            out.push(format!(
                "table `{}` of the diesel schema has no model",
                table.name
            ));
        }
    }
    out
}

/// Panics with every difference [`differences`] finds.
pub fn assert_matches(tables: &[DieselTable]) {
    let found = differences(tables);
    assert!(
        found.is_empty(),
        "the models and the diesel schema disagree:\n  {}",
        found.join("\n  ")
    );
}

/// The diesel SQL types that read a column of this type, on any backend (`diesel
/// print-schema` names MySQL's `DATETIME` `Datetime`, SQLite's zone-aware timestamps
/// `TimestamptzSqlite`); empty where any type may (an enum's or a custom type's own).
fn accepted_sql_types(ty: &ColumnType) -> &'static [&'static str] {
    match ty {
        ColumnType::Boolean => &["Bool"],
        ColumnType::SmallInt => &["SmallInt"],
        ColumnType::Integer => &["Integer"],
        ColumnType::BigInt => &["BigInt"],
        ColumnType::Real => &["Float"],
        ColumnType::Double => &["Double"],
        ColumnType::Text | ColumnType::Varchar { .. } => &["Text"],
        ColumnType::Blob => &["Binary"],
        ColumnType::Date => &["Date"],
        ColumnType::Time => &["Time"],
        ColumnType::Timestamp => &["Timestamp", "Datetime"],
        ColumnType::TimestampTz => &["Timestamptz", "TimestamptzSqlite", "Datetime"],
        ColumnType::Uuid => &["Uuid", "Text"],
        ColumnType::Json => &["Json", "Jsonb", "Text"],
        ColumnType::Numeric { .. } => &["Numeric"],
        ColumnType::Custom { .. } | ColumnType::Enum(_) => &[],
    }
}
