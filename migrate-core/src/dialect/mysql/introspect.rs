//! Reads the connection's database (`DATABASE()`) into the neutral schema from
//! `information_schema`: one query per kind of object for the whole database, never one per
//! table. MySQL and MariaDB differ in how they report defaults, checks and JSON columns;
//! `VERSION()` tells which one answers.

#![cfg(feature = "mysql")]

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::MysqlConnection;

use super::Mysql;
use crate::dialect::catalog::{
    attach_foreign_keys, group_indexes, tables_by_name, ForeignKeyRow, IndexPart, TableRow,
};
use crate::dialect::Dialect;
use crate::dialect::Normalize;
use crate::error::{Error, Result};
use crate::schema::{Check, Column, ColumnType, Schema};

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = Text)]
    version: String,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
    #[diesel(sql_type = Nullable<Text>)]
    default_value: Option<String>,
    #[diesel(sql_type = Text)]
    extra: String,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = BigInt)]
    non_unique: i64,
    /// NULL for a functional key part (MySQL 8).
    #[diesel(sql_type = Nullable<Text>)]
    column_name: Option<String>,
    /// The prefix length of a key part that indexes only the start of a column.
    #[diesel(sql_type = Nullable<BigInt>)]
    sub_part: Option<i64>,
}

#[derive(QueryableByName)]
struct CheckRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    clause: String,
    /// `Column` for a check MariaDB attached to a column (JSON columns get one), else
    /// `Table`. MySQL has no such notion and reports `Table`.
    #[diesel(sql_type = Text)]
    level: String,
}

fn query<T: QueryableByName<diesel::mysql::Mysql> + 'static>(
    conn: &mut MysqlConnection,
    sql: &str,
    what: &str,
) -> Result<Vec<T>> {
    diesel::sql_query(sql)
        .load(conn)
        .map_err(Error::db(format!("reading {what}")))
}

/// Schemas are PostgreSQL\'s; autogenerate refuses models that use one elsewhere.
pub fn introspect(
    conn: &mut MysqlConnection,
    version_table: &str,
    _schemas: &[String],
) -> Result<Schema> {
    assemble(read_catalog(conn, version_table)?)
}

/// What the catalog queries return, one list per kind of object.
struct CatalogRows {
    /// MariaDB, not MySQL: they print defaults and JSON checks differently.
    mariadb: bool,
    tables: Vec<TableRow>,
    columns: Vec<ColumnRow>,
    indexes: Vec<IndexRow>,
    foreign_keys: Vec<ForeignKeyRow>,
    checks: Vec<CheckRow>,
}

/// One query per kind of object for the whole schema.
fn read_catalog(conn: &mut MysqlConnection, version_table: &str) -> Result<CatalogRows> {
    let mariadb = query::<VersionRow>(conn, "SELECT VERSION() AS version", "the server version")?
        .first()
        .is_some_and(|v| v.version.contains("MariaDB"));

    let tables: Vec<TableRow> = diesel::sql_query(
        "SELECT TABLE_NAME AS name FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' \
         AND TABLE_NAME <> ? AND TABLE_NAME <> '__diesel_schema_migrations' ORDER BY TABLE_NAME",
    )
    .bind::<Text, _>(version_table)
    .load(conn)
    .map_err(Error::db("reading the table list"))?;

    // The queries below cover every table of the database; rows of tables left out above
    // (the version table, views) find no table to join and are skipped.
    let columns: Vec<ColumnRow> = query(
        conn,
        "SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, COLUMN_TYPE AS ty, \
         IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS default_value, EXTRA AS extra \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
        "columns",
    )?;

    let indexes: Vec<IndexRow> = query(
        conn,
        "SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, \
         CAST(NON_UNIQUE AS SIGNED) AS non_unique, COLUMN_NAME AS column_name, \
         CAST(SUB_PART AS SIGNED) AS sub_part \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        "indexes",
    )?;

    let foreign_keys: Vec<ForeignKeyRow> = query(
        conn,
        "SELECT k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS name, \
         k.REFERENCED_TABLE_NAME AS ref_table, k.COLUMN_NAME AS column_name, \
         k.REFERENCED_COLUMN_NAME AS ref_column, r.DELETE_RULE AS on_delete, \
         r.UPDATE_RULE AS on_update \
         FROM information_schema.KEY_COLUMN_USAGE k \
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
          AND r.TABLE_NAME = k.TABLE_NAME \
         WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
         ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
        "foreign keys",
    )?;

    // MariaDB names the table in CHECK_CONSTRAINTS (check names are per table there);
    // MySQL only through TABLE_CONSTRAINTS (check names are per database).
    let checks: Vec<CheckRow> = if mariadb {
        query(
            conn,
            "SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, \
             CHECK_CLAUSE AS clause, LEVEL AS level \
             FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() \
             ORDER BY TABLE_NAME, CONSTRAINT_NAME",
            "check constraints",
        )?
    } else {
        query(
            conn,
            "SELECT t.TABLE_NAME AS table_name, c.CONSTRAINT_NAME AS name, \
             c.CHECK_CLAUSE AS clause, 'Table' AS level \
             FROM information_schema.TABLE_CONSTRAINTS t \
             JOIN information_schema.CHECK_CONSTRAINTS c \
               ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME \
             WHERE t.TABLE_SCHEMA = DATABASE() AND t.CONSTRAINT_TYPE = 'CHECK' \
             ORDER BY t.TABLE_NAME, c.CONSTRAINT_NAME",
            "check constraints",
        )?
    };
    Ok(CatalogRows {
        mariadb,
        tables,
        columns,
        indexes,
        foreign_keys,
        checks,
    })
}

/// The neutral schema the rows describe.
fn assemble(rows: CatalogRows) -> Result<Schema> {
    let mut by_name = tables_by_name(rows.tables);

    // MariaDB's JSON is LONGTEXT plus a column check `json_valid(col)` named after the
    // column: together they are the JSON type, and the check is not the model's.
    let mut json_columns: Vec<(String, String)> = Vec::new();
    for check in &rows.checks {
        if rows.mariadb
            && check.level == "Column"
            && is_json_valid_check(&check.name, &check.clause)
        {
            json_columns.push((check.table_name.clone(), check.name.clone()));
        }
    }

    for row in rows.columns {
        let Some(table) = by_name.get_mut(&row.table_name) else {
            continue;
        };
        let mut ty = Mysql.parse_type(&row.ty);
        if json_columns
            .iter()
            .any(|(t, c)| *t == row.table_name && *c == row.name)
        {
            ty = ColumnType::Json;
        }
        let default = row
            .default_value
            .as_deref()
            .and_then(|d| default_text(d, &row.extra, rows.mariadb))
            .map(|d| Mysql.parse_default(&d, &ty));
        table.columns.push(Column {
            auto_increment: row.extra.to_ascii_lowercase().contains("auto_increment"),
            name: row.name,
            nullable: row.is_nullable == "YES",
            ty,
            default,
            renamed_from: None,
            comment: None,
        });
    }

    let grouped = group_indexes(rows.indexes.into_iter().map(|row| IndexPart {
        table: row.table_name,
        index: row.index_name,
        unique: row.non_unique == 0,
        // A functional key part has no column and cannot be described by the neutral
        // schema. A prefix part is read as its column: text columns are indexed by prefix
        // (see `render::create_index`), and MariaDB makes a prefix index by itself for a
        // single text column, which would otherwise be re-created on every autogenerate.
        column: row.column_name,
        prefix: row.sub_part.and_then(|n| u32::try_from(n).ok()),
    }));

    attach_foreign_keys(&mut by_name, rows.foreign_keys)?;

    for ((table_name, index_name), (index, plain)) in grouped {
        let Some(table) = by_name.get_mut(&table_name) else {
            continue;
        };
        if index_name == "PRIMARY" {
            table.primary_key = index.columns;
            continue;
        }
        // Expression indexes are left out rather than misread: the differ would
        // otherwise drop them, and the models cannot declare them anyway. So is the index
        // MySQL makes for a foreign key that has none to use: it carries the key's name and
        // comes and goes with the key.
        let made_for_key = table
            .foreign_keys
            .iter()
            .any(|fk| fk.name == index.name && fk.columns == index.columns);
        if plain && !made_for_key {
            table.indexes.push(index);
        }
    }

    for check in rows.checks {
        let is_json = json_columns
            .iter()
            .any(|(t, c)| *t == check.table_name && *c == check.name);
        if is_json {
            continue;
        }
        if let Some(table) = by_name.get_mut(&check.table_name) {
            table.checks.push(Check {
                name: check.name,
                expr: check.clause,
            });
        }
    }

    Ok(Schema::new(by_name.into_values().collect()))
}

fn is_json_valid_check(column: &str, clause: &str) -> bool {
    let mut expected = Mysql.writer();
    expected.raw("json_valid(").ident(column).raw(")");
    clause.trim().eq_ignore_ascii_case(&expected.finish())
}

/// A column default in the form `parse_default` reads (literals quoted, expressions bare),
/// or `None` when the column has no default.
///
/// MariaDB (10.2.7+) already quotes literals and reports an explicit `DEFAULT NULL` as the
/// word `NULL`. MySQL reports literals bare and marks expressions with `DEFAULT_GENERATED`
/// in EXTRA, printing their string parts with a character set introducer and escaped
/// quotes (`_utf8mb4\'x\'`).
fn default_text(value: &str, extra: &str, mariadb: bool) -> Option<String> {
    if mariadb {
        return (!value.eq_ignore_ascii_case("null")).then(|| value.to_owned());
    }
    let is_function = {
        let lower = value.to_ascii_lowercase();
        lower.starts_with("current_timestamp") || lower.starts_with("now(")
    };
    if extra.contains("DEFAULT_GENERATED") || is_function {
        return Some(without_introducers(&value.replace("\\'", "'")));
    }
    let mut w = Mysql.writer();
    w.string(value);
    Some(w.finish())
}

/// `_utf8mb4'x'` as `'x'`: the character set introducer MySQL prints before string literals
/// in expression defaults.
fn without_introducers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('_') {
        let after = &rest[start + 1..];
        let name_len = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        let preceded_by_word = rest[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if name_len > 0 && !preceded_by_word && after[name_len..].starts_with('\'') {
            out.push_str(&rest[..start]);
            rest = &after[name_len..];
        } else {
            out.push_str(&rest[..=start]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_brought_to_one_form() {
        assert_eq!(
            default_text("'draft'", "", true).as_deref(),
            Some("'draft'")
        );
        assert_eq!(default_text("NULL", "", true), None);
        assert_eq!(default_text("draft", "", false).as_deref(), Some("'draft'"));
        assert_eq!(default_text("it's", "", false).as_deref(), Some("'it''s'"));
        assert_eq!(
            default_text("CURRENT_TIMESTAMP(6)", "DEFAULT_GENERATED", false).as_deref(),
            Some("CURRENT_TIMESTAMP(6)")
        );
        assert_eq!(
            default_text(r"_utf8mb4\'it\'\'s\'", "DEFAULT_GENERATED", false).as_deref(),
            Some("'it''s'")
        );
    }

    #[test]
    fn mariadb_json_checks_are_recognized() {
        assert!(is_json_valid_check("doc", "json_valid(`doc`)"));
        assert!(!is_json_valid_check("doc", "json_valid(`other`)"));
    }
}
