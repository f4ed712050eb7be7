//! Reads a SQLite database into the neutral schema. One catalog query per kind of object
//! for the whole database (table-valued pragma functions joined to `sqlite_master`), never
//! one per table.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text};
use diesel::SqliteConnection;

use super::Sqlite;
use crate::dialect::catalog::{attach_foreign_keys, group_indexes, ForeignKeyRow, IndexPart};
use crate::dialect::Normalize;
use crate::error::{Error, Result};
use crate::schema::{Check, Column, Schema, Table};

#[derive(QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Nullable<Text>)]
    dflt_value: Option<String>,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Integer)]
    is_unique: i32,
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = Nullable<Text>)]
    column_name: Option<String>,
}

/// Tables that belong to SQLite itself or to this tool, never part of a diff.
const USER_TABLES: &str = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
     AND m.name NOT LIKE '\\_\\_diesel\\_%' ESCAPE '\\' AND m.name <> ?";

/// Schemas are PostgreSQL\'s; autogenerate refuses models that use one elsewhere.
pub fn introspect(
    conn: &mut SqliteConnection,
    version_table: &str,
    _schemas: &[String],
) -> Result<Schema> {
    assemble(read_catalog(conn, version_table)?)
}

/// What the catalog queries return, one list per kind of object.
struct CatalogRows {
    tables: Vec<TableRow>,
    columns: Vec<ColumnRow>,
    indexes: Vec<IndexRow>,
    foreign_keys: Vec<ForeignKeyRow>,
}

/// One query per kind of object for the whole schema.
fn read_catalog(conn: &mut SqliteConnection, version_table: &str) -> Result<CatalogRows> {
    let tables: Vec<TableRow> = diesel::sql_query(format!(
        "SELECT m.name AS name, m.sql AS sql FROM sqlite_master m WHERE {USER_TABLES} ORDER BY m.name"
    ))
    .bind::<Text, _>(version_table)
    .load(conn)
    .map_err(Error::db("reading the table list"))?;

    let columns: Vec<ColumnRow> = diesel::sql_query(format!(
        "SELECT m.name AS table_name, p.name AS name, p.type AS ty, p.\"notnull\" AS not_null, \
         p.dflt_value AS dflt_value, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE {USER_TABLES} \
         ORDER BY m.name, p.cid"
    ))
    .bind::<Text, _>(version_table)
    .load(conn)
    .map_err(Error::db("reading columns"))?;

    let indexes: Vec<IndexRow> = diesel::sql_query(format!(
        "SELECT m.name AS table_name, il.name AS index_name, il.\"unique\" AS is_unique, \
         il.origin AS origin, ii.name AS column_name \
         FROM sqlite_master m JOIN pragma_index_list(m.name) il \
         JOIN pragma_index_info(il.name) ii WHERE {USER_TABLES} \
         ORDER BY m.name, il.name, ii.seqno"
    ))
    .bind::<Text, _>(version_table)
    .load(conn)
    .map_err(Error::db("reading indexes"))?;

    let foreign_keys: Vec<ForeignKeyRow> = diesel::sql_query(format!(
        "SELECT m.name AS table_name, CAST(fk.id AS TEXT) AS name, fk.\"table\" AS ref_table, \
         fk.\"from\" AS column_name, fk.\"to\" AS ref_column, fk.on_update AS on_update, \
         fk.on_delete AS on_delete \
         FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk WHERE {USER_TABLES} \
         ORDER BY m.name, fk.id, fk.seq"
    ))
    .bind::<Text, _>(version_table)
    .load(conn)
    .map_err(Error::db("reading foreign keys"))?;
    Ok(CatalogRows {
        tables,
        columns,
        indexes,
        foreign_keys,
    })
}

/// The neutral schema the rows describe.
fn assemble(rows: CatalogRows) -> Result<Schema> {
    let mut by_name: BTreeMap<String, Table> = rows
        .tables
        .into_iter()
        .map(|row| {
            let checks = row
                .sql
                .as_deref()
                .map(|sql| parse_checks(&row.name, sql))
                .unwrap_or_default();
            let table = Table {
                checks,
                ..Table::new(row.name.clone())
            };
            (row.name, table)
        })
        .collect();

    let mut pk_positions: BTreeMap<String, Vec<(i32, String)>> = BTreeMap::new();
    for row in rows.columns {
        let Some(table) = by_name.get_mut(&row.table_name) else {
            continue;
        };
        let ty = Sqlite.parse_type(&row.ty);
        let default = row
            .dflt_value
            .as_deref()
            .map(|d| Sqlite.parse_default(d, &ty));
        if row.pk > 0 {
            pk_positions
                .entry(row.table_name.clone())
                .or_default()
                .push((row.pk, row.name.clone()));
        }
        table.columns.push(Column {
            name: row.name,
            nullable: row.not_null == 0 && row.pk == 0,
            ty,
            default,
            auto_increment: false,
            renamed_from: None,
            comment: None,
        });
    }
    for (table_name, mut positions) in pk_positions {
        let Some(table) = by_name.get_mut(&table_name) else {
            continue;
        };
        positions.sort();
        table.primary_key = positions.into_iter().map(|(_, name)| name).collect();
        // An `INTEGER PRIMARY KEY` column is the rowid alias: the database numbers it.
        if let [pk] = table.primary_key.as_slice() {
            if let Some(column) = table.columns.iter_mut().find(|c| &c.name == pk) {
                column.auto_increment = column.ty == crate::schema::ColumnType::Integer;
            }
        }
    }

    // Indexes SQLite makes for a PRIMARY KEY clause are part of the key, not rows.indexes.
    let parts = rows.indexes.into_iter().filter(|row| row.origin != "pk");
    let grouped = group_indexes(parts.map(|row| IndexPart {
        table: row.table_name,
        index: row.index_name,
        unique: row.is_unique != 0,
        column: row.column_name,
        prefix: None,
    }));
    for ((table_name, _), (mut index, _)) in grouped {
        let Some(table) = by_name.get_mut(&table_name) else {
            continue;
        };
        if index.name.starts_with("sqlite_autoindex_") {
            // An inline UNIQUE constraint has no name of its own; give it the conventional one.
            let columns: Vec<&str> = index.columns.iter().map(String::as_str).collect();
            index.name = crate::naming::index_name(&table_name, &columns, true);
        }
        table.indexes.push(index);
    }

    attach_foreign_keys(&mut by_name, rows.foreign_keys)?;
    let primary_keys: BTreeMap<String, Vec<String>> = by_name
        .iter()
        .map(|(name, table)| (name.clone(), table.primary_key.clone()))
        .collect();
    for table in by_name.values_mut() {
        for fk in &mut table.foreign_keys {
            // A key written without target rows.columns points at the referenced primary key.
            if fk.ref_columns.is_empty() {
                if let Some(key) = primary_keys.get(&fk.ref_table) {
                    fk.ref_columns.clone_from(key);
                }
            }
            // SQLite keeps no foreign key names: the conventional one stands in.
            fk.name = crate::naming::foreign_key_name_of(&table.name, &fk.columns, &fk.ref_table);
        }
    }

    Ok(Schema::new(by_name.into_values().collect()))
}

/// The CHECK constraints in a CREATE TABLE statement, which SQLite reports nowhere else.
fn parse_checks(table: &str, sql: &str) -> Vec<Check> {
    let tokens = tokenize(sql);
    let mut checks = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !token.text.eq_ignore_ascii_case("CHECK") || token.depth != 1 {
            continue;
        }
        let Some(open) = tokens.get(i + 1).filter(|t| t.text == "(") else {
            continue;
        };
        let Some(close) = tokens[i + 1..]
            .iter()
            .find(|t| t.text == ")" && t.depth == open.depth)
        else {
            continue;
        };
        let expr = sql[open.end..close.start].trim().to_owned();
        let name = match (
            i.checked_sub(2).map(|k| &tokens[k]),
            tokens.get(i.wrapping_sub(1)),
        ) {
            (Some(keyword), Some(name)) if keyword.text.eq_ignore_ascii_case("CONSTRAINT") => {
                unquote(&name.text)
            }
            _ => format!("ck_{table}_{}", checks.len() + 1),
        };
        checks.push(Check { name, expr });
    }
    checks
}

struct Token {
    text: String,
    start: usize,
    end: usize,
    /// Parenthesis depth before the token; `(` and `)` carry the depth of their contents
    /// minus one, so a pair shares one depth.
    depth: usize,
}

fn tokenize(sql: &str) -> Vec<Token> {
    let bytes = sql.as_bytes();
    let mut tokens = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        match c {
            b'(' => {
                depth += 1;
                i += 1;
                tokens.push(Token {
                    text: "(".into(),
                    start,
                    end: i,
                    depth,
                });
                continue;
            }
            b')' => {
                i += 1;
                tokens.push(Token {
                    text: ")".into(),
                    start,
                    end: i,
                    depth,
                });
                depth = depth.saturating_sub(1);
                continue;
            }
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == close {
                        if close != b']' && bytes.get(i + 1) == Some(&close) {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
        tokens.push(Token {
            text: sql[start..i].to_owned(),
            start,
            end: i,
            depth,
        });
    }
    tokens
}

fn unquote(name: &str) -> String {
    let inner = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .map(|n| n.replace("\"\"", "\""))
        .or_else(|| {
            name.strip_prefix('`')
                .and_then(|n| n.strip_suffix('`'))
                .map(|n| n.replace("``", "`"))
        })
        .or_else(|| {
            name.strip_prefix('[')
                .and_then(|n| n.strip_suffix(']'))
                .map(str::to_owned)
        });
    inner.unwrap_or_else(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_are_read_from_the_create_statement() {
        let sql = "CREATE TABLE \"t\" (\n    \"a\" TEXT CHECK (a <> 'x(y'),\n    \
                   CONSTRAINT \"ck_len\" CHECK (length(\"a\") > (0))\n)";
        let checks = parse_checks("t", sql);
        assert_eq!(
            checks,
            vec![
                Check {
                    name: "ck_t_1".into(),
                    expr: "a <> 'x(y'".into()
                },
                Check {
                    name: "ck_len".into(),
                    expr: "length(\"a\") > (0)".into()
                },
            ]
        );
    }
}
