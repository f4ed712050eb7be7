//! The catalog queries behind introspection: five, whatever the number of tables, each a
//! plain scan of one catalog with no per-row join to `pg_attribute`. Keys, indexes and
//! foreign keys come back as arrays of column numbers, named here from the columns query;
//! rows come back unordered and are sorted here (the server's sort and joins were most of
//! introspection's time on hundreds of tables). A default is printed without its table
//! (`pg_get_expr(…, 0)`): a default cannot name a column, and naming the table costs opening
//! it, which on a new connection doubled the columns query; only a generated column's
//! expression, which names columns, is printed with it.

#![cfg(feature = "postgres")]

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Nullable, Oid, SmallInt, Text};
use diesel::PgConnection;

use super::introspect::{
    CatalogRows, CheckRow, ColumnRow, IndexRow, KeyColumnRow, Scope, ON_DELETE, ON_UPDATE,
};
use crate::dialect::catalog::{ForeignKeyRow, TableRow};
use crate::error::{Error, Result};

#[derive(QueryableByName)]
struct RawTable {
    #[diesel(sql_type = Oid)]
    oid: u32,
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct RawColumn {
    #[diesel(sql_type = Oid)]
    table_oid: u32,
    #[diesel(sql_type = SmallInt)]
    number: i16,
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
struct RawIndex {
    #[diesel(sql_type = Oid)]
    table_oid: u32,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Bool)]
    is_primary: bool,
    /// False for an expression or partial index.
    #[diesel(sql_type = Bool)]
    is_plain: bool,
    /// Key columns then `INCLUDE` columns; 0 for an expression.
    #[diesel(sql_type = Array<SmallInt>)]
    columns: Vec<i16>,
    #[diesel(sql_type = SmallInt)]
    key_columns: i16,
}

#[derive(QueryableByName)]
struct RawConstraint {
    #[diesel(sql_type = Oid)]
    table_oid: u32,
    #[diesel(sql_type = Text)]
    name: String,
    /// `f` or `c`.
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Array<SmallInt>>)]
    columns: Option<Vec<i16>>,
    #[diesel(sql_type = Nullable<Text>)]
    ref_table: Option<String>,
    /// The referenced columns' names, in key order (foreign keys only).
    #[diesel(sql_type = Nullable<Array<Text>>)]
    ref_columns: Option<Vec<String>>,
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
    /// `pg_get_constraintdef` (checks only).
    #[diesel(sql_type = Nullable<Text>)]
    definition: Option<String>,
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

/// One query per kind of object for the whole schema.
pub(super) fn read(
    conn: &mut PgConnection,
    version_table: &str,
    scope: &Scope,
) -> Result<CatalogRows> {
    let user_tables = scope.user_tables();
    let table_name = scope.name("c", "n");
    let ref_name = scope.name("rc", "rn");
    // The table `c` (in namespace `n`) a catalog row belongs to, by the row's table oid.
    let of_table = |oid: &str| {
        format!("JOIN pg_class c ON c.oid = {oid} JOIN pg_namespace n ON n.oid = c.relnamespace")
    };
    let tables: Vec<RawTable> = load(
        conn,
        &format!(
            "SELECT c.oid, {table_name} AS name FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {user_tables}"
        ),
        version_table,
        "the table list",
    )?;
    let columns: Vec<RawColumn> = load(
        conn,
        &format!(
            "SELECT a.attrelid AS table_oid, a.attnum AS number, a.attname::text AS name, \
             format_type(a.atttypid, a.atttypmod) AS ty, a.attnotnull AS not_null, \
             CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) \
                  ELSE pg_get_expr(d.adbin, d.adrelid) END AS default_expr, \
             a.attidentity IN ('a', 'd') AS is_identity \
             FROM pg_attribute a {} \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE {user_tables} AND a.attnum > 0 AND NOT a.attisdropped",
            of_table("a.attrelid")
        ),
        version_table,
        "columns",
    )?;
    let indexes: Vec<RawIndex> = load(
        conn,
        &format!(
            "SELECT ix.indrelid AS table_oid, i.relname::text AS name, \
             ix.indisunique AS is_unique, ix.indisprimary AS is_primary, \
             (ix.indexprs IS NULL AND ix.indpred IS NULL) AS is_plain, \
             ix.indkey::smallint[] AS columns, ix.indnkeyatts AS key_columns \
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid {} \
             WHERE {user_tables}",
            of_table("ix.indrelid")
        ),
        version_table,
        "indexes",
    )?;
    let constraints: Vec<RawConstraint> = load(
        conn,
        &format!(
            "SELECT con.conrelid AS table_oid, con.conname::text AS name, \
             con.contype::text AS kind, con.conkey AS columns, \
             CASE WHEN con.contype = 'f' THEN {ref_name} END AS ref_table, \
             CASE WHEN con.contype = 'f' THEN ARRAY( \
                 SELECT ra.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.attnum \
                 ORDER BY k.ord) END AS ref_columns, \
             {ON_DELETE} AS on_delete, {ON_UPDATE} AS on_update, \
             CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid) END AS definition \
             FROM pg_constraint con {} \
             LEFT JOIN pg_class rc ON rc.oid = con.confrelid \
             LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace \
             WHERE {user_tables} AND con.contype IN ('f', 'c')",
            of_table("con.conrelid")
        ),
        version_table,
        "foreign keys and checks",
    )?;
    // Every enum type of the schemas read, used or not: one the models no longer name and
    // no column uses is dropped. `$1 IS NOT NULL` only gives the shared bind a use.
    let schemas = scope.schemas("n");
    let enum_labels = load(
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
    Ok(name_and_order(
        tables,
        columns,
        indexes,
        constraints,
        enum_labels,
    ))
}

/// The raw rows as the introspection reads them: named, and ordered by table, then by
/// position.
fn name_and_order(
    tables: Vec<RawTable>,
    mut columns: Vec<RawColumn>,
    mut indexes: Vec<RawIndex>,
    mut constraints: Vec<RawConstraint>,
    enum_labels: Vec<super::introspect::EnumLabelRow>,
) -> CatalogRows {
    let table_names: HashMap<u32, String> =
        tables.iter().map(|t| (t.oid, t.name.clone())).collect();
    let table_ref = |oid: u32| table_names.get(&oid).map_or("", String::as_str);
    let table_of = |oid: u32| table_ref(oid).to_owned();
    let column_names: HashMap<(u32, i16), String> = columns
        .iter()
        .map(|c| ((c.table_oid, c.number), c.name.clone()))
        .collect();
    let column_of = |oid: u32, number: i16| column_names.get(&(oid, number)).cloned();

    columns.sort_by(|a, b| {
        (table_ref(a.table_oid), a.number).cmp(&(table_ref(b.table_oid), b.number))
    });
    indexes
        .sort_by(|a, b| (table_ref(a.table_oid), &a.name).cmp(&(table_ref(b.table_oid), &b.name)));
    constraints
        .sort_by(|a, b| (table_ref(a.table_oid), &a.name).cmp(&(table_ref(b.table_oid), &b.name)));

    let mut primary_keys = Vec::new();
    let mut index_rows = Vec::new();
    for index in indexes {
        let table_name = table_of(index.table_oid);
        let keys = usize::try_from(index.key_columns).unwrap_or(0);
        // Only key columns count (`INCLUDE` columns are payload).
        let key_columns = index.columns.iter().take(keys);
        if index.is_primary {
            // The index that backs the primary key is the key itself, not an index.
            primary_keys.extend(
                key_columns
                    .filter_map(|&n| column_of(index.table_oid, n))
                    .map(|column_name| KeyColumnRow {
                        table_name: table_name.clone(),
                        column_name,
                    }),
            );
            continue;
        }
        for &number in key_columns {
            index_rows.push(IndexRow {
                table_name: table_name.clone(),
                index_name: index.name.clone(),
                is_unique: index.is_unique,
                is_plain: index.is_plain,
                // attnum 0 is an expression: no column.
                column_name: column_of(index.table_oid, number),
            });
        }
    }

    let mut foreign_keys = Vec::new();
    let mut checks = Vec::new();
    for constraint in constraints {
        let table_name = table_of(constraint.table_oid);
        if constraint.kind == "c" {
            checks.push(CheckRow {
                table_name,
                name: constraint.name,
                definition: constraint.definition.unwrap_or_default(),
            });
            continue;
        }
        let local = constraint.columns.unwrap_or_default();
        let referenced = constraint.ref_columns.unwrap_or_default();
        for (number, ref_column) in local.iter().zip(referenced) {
            foreign_keys.push(ForeignKeyRow {
                table_name: table_name.clone(),
                name: constraint.name.clone(),
                ref_table: constraint.ref_table.clone().unwrap_or_default(),
                column_name: column_of(constraint.table_oid, *number).unwrap_or_default(),
                ref_column: Some(ref_column),
                on_delete: constraint.on_delete.clone(),
                on_update: constraint.on_update.clone(),
            });
        }
    }

    let column_rows = columns
        .into_iter()
        .map(|c| ColumnRow {
            table_name: table_of(c.table_oid),
            name: c.name,
            ty: c.ty,
            not_null: c.not_null,
            default_expr: c.default_expr,
            is_identity: c.is_identity,
        })
        .collect();
    CatalogRows {
        tables: tables
            .into_iter()
            .map(|t| TableRow { name: t.name })
            .collect(),
        columns: column_rows,
        primary_keys,
        indexes: index_rows,
        foreign_keys,
        checks,
        enum_labels,
    }
}
