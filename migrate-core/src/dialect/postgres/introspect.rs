//! Reads the current schema (`current_schema()`, normally `public`) of a PostgreSQL database,
//! and the schemas the models name, into the neutral schema: one `pg_catalog` query per kind
//! of object for the whole schema (`catalog.rs`),
//! never one per table. `pg_catalog` rather than `information_schema` because only it has
//! index definitions, and it answers with one plan instead of layers of views.

#![cfg(feature = "postgres")]

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::PgConnection;

use super::normalize::is_null_default;
use super::Postgres;
use crate::dialect::catalog::{
    attach_foreign_keys, group_indexes, tables_by_name, ForeignKeyRow, IndexPart, TableRow,
};
use crate::dialect::{Dialect, Normalize};
use crate::error::Result;
use crate::schema::{Check, Column, EnumType, Schema};

/// Which schemas are read, and how their tables are named: the current schema's bare, the
/// ones the models name (`#[model(schema = "…")]`) as `schema.table`.
pub(super) struct Scope {
    /// `'billing', 'ops'`, quoted by the writer; empty for the current schema only.
    listed: String,
}

impl Scope {
    fn new(schemas: &[String]) -> Scope {
        let mut w = Postgres.writer();
        for (position, schema) in schemas.iter().enumerate() {
            if position > 0 {
                w.raw(", ");
            }
            w.string(schema);
        }
        Scope { listed: w.finish() }
    }

    /// The name of relation `rel` in namespace `ns`, as the models spell it.
    pub(super) fn name(&self, rel: &str, ns: &str) -> String {
        if self.listed.is_empty() {
            format!("{rel}.relname::text")
        } else {
            format!(
                "CASE WHEN {ns}.nspname IN ({}) THEN {ns}.nspname || '.' || {rel}.relname \
                 ELSE {rel}.relname::text END",
                self.listed
            )
        }
    }

    /// The user tables of the schemas read, without this tool's version table ($1) and
    /// diesel's. Partitions are left out: their parent is the table the models describe.
    /// Namespace `ns` is one of the schemas read.
    pub(super) fn schemas(&self, ns: &str) -> String {
        if self.listed.is_empty() {
            format!("{ns}.nspname = current_schema()")
        } else {
            format!(
                "({ns}.nspname = current_schema() OR {ns}.nspname IN ({}))",
                self.listed
            )
        }
    }

    pub(super) fn user_tables(&self) -> String {
        let schemas = self.schemas("n");
        format!(
            "{schemas} AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
             AND {} <> $1 AND c.relname <> '__diesel_schema_migrations'",
            self.name("c", "n")
        )
    }
}

/// `pg_constraint` codes a referential action with one letter; spelled out here, an unknown
/// code reaches [`attach_foreign_keys`] as itself and is reported, not guessed.
macro_rules! action_name {
    ($column:literal) => {
        concat!(
            "CASE ",
            $column,
            " WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' ",
            "WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' ",
            "ELSE ",
            $column,
            "::text END"
        )
    };
}
pub(super) const ON_DELETE: &str = action_name!("con.confdeltype");
pub(super) const ON_UPDATE: &str = action_name!("con.confupdtype");

pub(super) struct ColumnRow {
    pub(super) table_name: String,
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) not_null: bool,
    pub(super) default_expr: Option<String>,
    pub(super) is_identity: bool,
}

pub(super) struct KeyColumnRow {
    pub(super) table_name: String,
    pub(super) column_name: String,
}

pub(super) struct IndexRow {
    pub(super) table_name: String,
    pub(super) index_name: String,
    pub(super) is_unique: bool,
    /// False for an expression or partial index, which the neutral schema cannot describe.
    pub(super) is_plain: bool,
    pub(super) column_name: Option<String>,
}

#[derive(QueryableByName)]
pub(super) struct EnumLabelRow {
    /// As `format_type` spells it, the same as the columns that use it.
    #[diesel(sql_type = Text)]
    pub(super) type_name: String,
    #[diesel(sql_type = Text)]
    pub(super) label: String,
}

pub(super) struct CheckRow {
    pub(super) table_name: String,
    pub(super) name: String,
    pub(super) definition: String,
}

pub fn introspect(
    conn: &mut PgConnection,
    version_table: &str,
    schemas: &[String],
) -> Result<Schema> {
    assemble(super::catalog::read(
        conn,
        version_table,
        &Scope::new(schemas),
    )?)
}

/// What the catalog queries return, one list per kind of object, each ordered by table (and
/// by position within a table's column, key or index).
pub(super) struct CatalogRows {
    pub(super) tables: Vec<TableRow>,
    pub(super) columns: Vec<ColumnRow>,
    pub(super) primary_keys: Vec<KeyColumnRow>,
    pub(super) indexes: Vec<IndexRow>,
    pub(super) foreign_keys: Vec<ForeignKeyRow>,
    pub(super) checks: Vec<CheckRow>,
    pub(super) enum_labels: Vec<EnumLabelRow>,
}

/// The neutral schema the rows describe.
fn assemble(rows: CatalogRows) -> Result<Schema> {
    let mut by_name = tables_by_name(rows.tables);

    for row in rows.columns {
        let Some(table) = by_name.get_mut(&row.table_name) else {
            continue;
        };
        let ty = Postgres.parse_type(&row.ty);
        // A `serial` column is numbered by its `nextval(…)` default: the same as an
        // identity column to the models, which never spell the sequence.
        let serial = row
            .default_expr
            .as_deref()
            .is_some_and(|d| d.trim_start().starts_with("nextval("));
        let default = row
            .default_expr
            .as_deref()
            .filter(|d| !serial && !is_null_default(d))
            .map(|d| Postgres.parse_default(d, &ty));
        table.columns.push(Column {
            name: row.name,
            ty,
            nullable: !row.not_null,
            default,
            auto_increment: row.is_identity || serial,
            renamed_from: None,
            comment: None,
        });
    }

    for row in rows.primary_keys {
        if let Some(table) = by_name.get_mut(&row.table_name) {
            table.primary_key.push(row.column_name);
        }
    }
    // Only a single-column key is numbered by the database in the models' terms.
    for table in by_name.values_mut() {
        if table.primary_key.len() != 1 {
            for column in &mut table.columns {
                column.auto_increment = false;
            }
        } else {
            let key = table.primary_key[0].clone();
            for column in &mut table.columns {
                column.auto_increment &= column.name == key;
            }
        }
    }

    let grouped = group_indexes(rows.indexes.into_iter().map(|row| IndexPart {
        table: row.table_name,
        index: row.index_name,
        unique: row.is_unique,
        // attnum 0, an expression, has no column; a partial index is not plain either.
        column: row.column_name.filter(|_| row.is_plain),
        prefix: None,
    }));
    for ((table_name, _), (index, plain)) in grouped {
        // Expression and partial rows.indexes are left out rather than misread: the differ
        // would otherwise drop them, and the models cannot declare them anyway.
        if !plain {
            continue;
        }
        if let Some(table) = by_name.get_mut(&table_name) {
            table.indexes.push(index);
        }
    }

    attach_foreign_keys(&mut by_name, rows.foreign_keys)?;

    for row in rows.checks {
        if let Some(table) = by_name.get_mut(&row.table_name) {
            table.checks.push(Check {
                name: row.name,
                expr: check_expression(&row.definition),
            });
        }
    }

    let mut schema = Schema::new(by_name.into_values().collect());
    for row in rows.enum_labels {
        match schema.enums.last_mut() {
            Some(ty) if ty.name == row.type_name => ty.labels.to_mut().push(row.label.into()),
            _ => schema
                .enums
                .push(EnumType::new(row.type_name, vec![row.label])),
        }
    }
    Ok(schema)
}

/// The expression inside `CHECK (…)` as `pg_get_constraintdef()` prints it, without the
/// `NOT VALID` a constraint added without checking old rows carries.
fn check_expression(definition: &str) -> String {
    let text = definition.trim();
    let text = text.strip_suffix("NOT VALID").map_or(text, str::trim_end);
    text.strip_prefix("CHECK")
        .map(str::trim_start)
        .and_then(|t| t.strip_prefix('('))
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(text)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_definitions_lose_their_wrapper() {
        assert_eq!(check_expression("CHECK ((small >= 0))"), "(small >= 0)");
        assert_eq!(
            check_expression("CHECK ((length(title) > 0)) NOT VALID"),
            "(length(title) > 0)"
        );
    }
}
