//! Reads the current schema (`current_schema()`, normally `public`) of a PostgreSQL database,
//! and the schemas the models name, into the neutral schema: one `pg_catalog` query per kind of object for the whole schema,
//! never one per table. `pg_catalog` rather than `information_schema` because only it has
//! index definitions, and it answers with one plan instead of layers of views.

#![cfg(feature = "postgres")]

use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::PgConnection;

use super::normalize::is_null_default;
use super::Postgres;
use crate::dialect::catalog::{
    attach_foreign_keys, group_indexes, tables_by_name, ForeignKeyRow, IndexPart, TableRow,
};
use crate::dialect::{Dialect, Normalize};
use crate::error::{Error, Result};
use crate::schema::{Check, Column, EnumType, Schema};

/// Which schemas are read, and how their tables are named: the current schema's bare, the
/// ones the models name (`#[model(schema = "…")]`) as `schema.table`.
struct Scope {
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
    fn name(&self, rel: &str, ns: &str) -> String {
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
    fn schemas(&self, ns: &str) -> String {
        if self.listed.is_empty() {
            format!("{ns}.nspname = current_schema()")
        } else {
            format!(
                "({ns}.nspname = current_schema() OR {ns}.nspname IN ({}))",
                self.listed
            )
        }
    }

    fn user_tables(&self) -> String {
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
const ON_DELETE: &str = action_name!("con.confdeltype");
const ON_UPDATE: &str = action_name!("con.confupdtype");

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
    #[diesel(sql_type = Nullable<Text>)]
    default_expr: Option<String>,
    #[diesel(sql_type = Bool)]
    is_identity: bool,
}

#[derive(QueryableByName)]
struct KeyColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    /// False for an expression or partial index, which the neutral schema cannot describe.
    #[diesel(sql_type = Bool)]
    is_plain: bool,
    #[diesel(sql_type = Nullable<Text>)]
    column_name: Option<String>,
}

#[derive(QueryableByName)]
struct EnumLabelRow {
    /// As `format_type` spells it, the same as the columns that use it.
    #[diesel(sql_type = Text)]
    type_name: String,
    #[diesel(sql_type = Text)]
    label: String,
}

#[derive(QueryableByName)]
struct CheckRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

fn load<T: QueryableByName<diesel::pg::Pg> + 'static>(
    conn: &mut PgConnection,
    sql: &str,
    version_table: &str,
    what: &str,
) -> Result<Vec<T>> {
    diesel::sql_query(sql)
        .bind::<Text, _>(version_table)
        .load(conn)
        .map_err(Error::db(format!("reading {what}")))
}

pub fn introspect(
    conn: &mut PgConnection,
    version_table: &str,
    schemas: &[String],
) -> Result<Schema> {
    assemble(read_catalog(conn, version_table, &Scope::new(schemas))?)
}

/// What the catalog queries return, one list per kind of object.
struct CatalogRows {
    tables: Vec<TableRow>,
    columns: Vec<ColumnRow>,
    primary_keys: Vec<KeyColumnRow>,
    indexes: Vec<IndexRow>,
    foreign_keys: Vec<ForeignKeyRow>,
    checks: Vec<CheckRow>,
    enum_labels: Vec<EnumLabelRow>,
}

/// One query per kind of object for the whole schema.
fn read_catalog(
    conn: &mut PgConnection,
    version_table: &str,
    scope: &Scope,
) -> Result<CatalogRows> {
    let user_tables = scope.user_tables();
    let table_name = scope.name("c", "n");
    let ref_name = scope.name("rc", "rn");
    let tables: Vec<TableRow> = load(
        conn,
        &format!(
            "SELECT {table_name} AS name FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user_tables} ORDER BY c.relname"
        ),
        version_table,
        "the table list",
    )?;

    let columns: Vec<ColumnRow> = load(
        conn,
        &format!(
            "SELECT {table_name} AS table_name, a.attname::text AS name, \
             format_type(a.atttypid, a.atttypmod) AS ty, a.attnotnull AS not_null, \
             pg_get_expr(d.adbin, d.adrelid) AS default_expr, \
             a.attidentity IN ('a', 'd') AS is_identity \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE {user_tables} AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY c.relname, a.attnum"
        ),
        version_table,
        "columns",
    )?;

    let primary_keys: Vec<KeyColumnRow> = load(
        conn,
        &format!(
            "SELECT {table_name} AS table_name, a.attname::text AS column_name \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
             WHERE {user_tables} AND con.contype = 'p' ORDER BY c.relname, k.ord"
        ),
        version_table,
        "primary keys",
    )?;

    // Indexes that back the primary key are the key itself, not indexes. Only key columns
    // count (`INCLUDE` columns are payload).
    let indexes: Vec<IndexRow> = load(
        conn,
        &format!(
            "SELECT {table_name} AS table_name, i.relname::text AS index_name, \
             ix.indisunique AS is_unique, \
             (ix.indexprs IS NULL AND ix.indpred IS NULL) AS is_plain, \
             a.attname::text AS column_name \
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
             JOIN pg_class c ON c.oid = ix.indrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             CROSS JOIN LATERAL unnest(ix.indkey::smallint[]) WITH ORDINALITY AS k(attnum, ord) \
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
             WHERE {user_tables} AND NOT ix.indisprimary AND k.ord <= ix.indnkeyatts \
             ORDER BY c.relname, i.relname, k.ord"
        ),
        version_table,
        "indexes",
    )?;

    let foreign_keys: Vec<ForeignKeyRow> = load(
        conn,
        &format!(
            "SELECT {table_name} AS table_name, con.conname::text AS name, \
             {ref_name} AS ref_table, a.attname::text AS column_name, \
             ra.attname::text AS ref_column, {ON_DELETE} AS on_delete, \
             {ON_UPDATE} AS on_update \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_class rc ON rc.oid = con.confrelid \
             JOIN pg_namespace rn ON rn.oid = rc.relnamespace \
             CROSS JOIN LATERAL unnest(con.conkey, con.confkey) \
                 WITH ORDINALITY AS k(attnum, ref_attnum, ord) \
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
             JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.ref_attnum \
             WHERE {user_tables} AND con.contype = 'f' \
             ORDER BY c.relname, con.conname, k.ord"
        ),
        version_table,
        "foreign keys",
    )?;

    let checks: Vec<CheckRow> = load(
        conn,
        &format!(
            "SELECT {table_name} AS table_name, con.conname::text AS name, \
             pg_get_constraintdef(con.oid) AS definition \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE {user_tables} AND con.contype = 'c' ORDER BY c.relname, con.conname"
        ),
        version_table,
        "check constraints",
    )?;

    // Every enum type of the schemas read, used or not: one the models no longer name and
    // no column uses is dropped. `$1 IS NOT NULL` only gives the shared bind a use.
    let schemas = scope.schemas("n");
    let enum_labels: Vec<EnumLabelRow> = load(
        conn,
        &format!(
            "SELECT format_type(t.oid, NULL) AS type_name, e.enumlabel::text AS label \
             FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
             JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE {schemas} AND $1 IS NOT NULL ORDER BY 1, e.enumsortorder"
        ),
        version_table,
        "enum types",
    )?;
    Ok(CatalogRows {
        tables,
        columns,
        primary_keys,
        indexes,
        foreign_keys,
        checks,
        enum_labels,
    })
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
