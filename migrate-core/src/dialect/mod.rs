//! What differs between backends. Each backend answers narrow questions (how a type is
//! spelled, how it reads a default back, whether it can alter a column in place); the shared
//! rendering here assembles statements from those answers. Every backend has the same files:
//! `introspect`, `render`, `normalize`, `lock`.

pub mod mysql;
pub mod postgres;
pub mod sqlite;

#[cfg(any(feature = "postgres", feature = "mysql"))]
mod catalog;
mod shared;

#[cfg(test)]
mod render_tests;

use crate::diff::Op;
use crate::schema::{Column, ColumnType, DefaultValue, ForeignKey, Index, Schema, Table};
use crate::sql::{IdentQuote, SqlWriter};

/// A backend's answers.
pub trait Dialect: Sync + std::fmt::Debug {
    /// `sqlite`, `postgres` or `mysql`: the name in file names and metadata.
    fn name(&self) -> &'static str;

    fn ident_quote(&self) -> IdentQuote;

    /// How a column type is spelled in DDL.
    fn column_type(&self, column: &Column) -> String;

    /// The neutral type for a type as the catalog reports it.
    fn parse_type(&self, sql: &str) -> ColumnType;

    /// The neutral default for a default expression as the catalog reports it.
    fn parse_default(&self, sql: &str, ty: &ColumnType) -> DefaultValue;

    /// How a boolean literal is written.
    fn bool_literal(&self, value: bool) -> &'static str;

    /// Whether foreign key names survive a round trip through the catalog. Where they do
    /// not, both sides get conventional names before comparing.
    fn keeps_foreign_key_names(&self) -> bool;

    /// The statements for a plan, given the schema it starts from.
    fn render(&self, ops: &[Op], before: &Schema) -> Vec<String>;

    /// A bind parameter for position `n` (1-based) in a statement.
    fn placeholder(&self, n: usize) -> String;

    /// Whether DDL runs inside a transaction (MySQL commits each DDL statement implicitly).
    fn transactional_ddl(&self) -> bool {
        true
    }

    /// Statements an offline script starts with, outside any transaction.
    fn offline_prelude(&self) -> Vec<String> {
        Vec::new()
    }

    /// An expression for the current UTC time as text in the runner's format
    /// (`2026-01-31T12:00:00.000Z`), for version rows written by offline scripts.
    fn now_text_sql(&self) -> &'static str;

    /// Backend-specific canonical forms, applied by [`Dialect::normalize`] to the models and
    /// to the database alike: how the catalog rewrites check expressions, which referential
    /// actions it cannot tell apart, how long a name it keeps.
    fn normalize_table(&self, _table: &mut Table) {}

    fn writer(&self) -> SqlWriter {
        SqlWriter::new(self.ident_quote())
    }

    /// The schema as this backend would report it back: types, defaults and names go
    /// through the same spelling and parsing the catalog applies, so comparing a normalized
    /// model with an introspected database finds only real differences.
    fn normalize(&self, schema: &Schema) -> Schema {
        let mut out = schema.clone();
        for table in &mut out.tables {
            for column in &mut table.columns {
                column.ty = self.parse_type(&self.column_type(column));
                if let Some(default) = &column.default {
                    let sql = self.default_sql(default);
                    column.default = Some(self.parse_default(&sql, &column.ty));
                }
                column.comment = None;
            }
            if !self.keeps_foreign_key_names() {
                for fk in &mut table.foreign_keys {
                    fk.name = crate::registry::default_foreign_key_name(
                        &table.name,
                        &fk.columns.iter().map(String::as_str).collect::<Vec<_>>(),
                        &fk.ref_table,
                    );
                }
            }
            self.normalize_table(table);
            table.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
            table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            table.checks.sort_by(|a, b| a.name.cmp(&b.name));
            table.comment = None;
        }
        out
    }

    /// A default as SQL text.
    fn default_sql(&self, default: &DefaultValue) -> String {
        match default {
            DefaultValue::Bool(b) => self.bool_literal(*b).to_owned(),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Float(f) => f.clone(),
            DefaultValue::Text(s) => {
                let mut w = self.writer();
                w.string(s);
                w.finish()
            }
            DefaultValue::Sql(s) => s.clone(),
        }
    }

    /// `"name" TYPE [NOT NULL] [DEFAULT …]` for a column in CREATE TABLE or ADD COLUMN.
    fn column_definition(&self, column: &Column, primary_key_inline: bool) -> String {
        let mut w = self.writer();
        w.ident(&column.name)
            .raw(" ")
            .raw(&self.column_type(column));
        if primary_key_inline {
            w.raw(" PRIMARY KEY");
            if column.auto_increment {
                w.raw(self.auto_increment_keyword());
            }
        }
        if !column.nullable && !primary_key_inline {
            w.raw(" NOT NULL");
        }
        if let Some(default) = &column.default {
            w.raw(" DEFAULT ").raw(&self.default_sql(default));
        }
        w.finish()
    }

    /// What follows `PRIMARY KEY` for a column the database numbers itself.
    fn auto_increment_keyword(&self) -> &'static str;

    /// `CREATE TABLE` with columns, key, foreign keys and checks (not the indexes).
    fn create_table(&self, table: &Table) -> String {
        let inline_pk = match table.primary_key.as_slice() {
            [pk] => table
                .column(pk)
                .is_some_and(|c| c.auto_increment)
                .then_some(pk.as_str()),
            _ => None,
        };
        let mut w = self.writer();
        w.raw("CREATE TABLE ").ident(&table.name).raw(" (");
        let mut parts: Vec<String> = table
            .columns
            .iter()
            .map(|c| self.column_definition(c, inline_pk == Some(c.name.as_str())))
            .collect();
        if inline_pk.is_none() && !table.primary_key.is_empty() {
            let mut pk = self.writer();
            pk.raw("PRIMARY KEY (").idents(&table.primary_key).raw(")");
            parts.push(pk.finish());
        }
        for fk in &table.foreign_keys {
            parts.push(self.foreign_key_clause(fk));
        }
        for check in &table.checks {
            let mut c = self.writer();
            c.raw("CONSTRAINT ")
                .ident(&check.name)
                .raw(" CHECK (")
                .raw(&check.expr)
                .raw(")");
            parts.push(c.finish());
        }
        for (i, part) in parts.iter().enumerate() {
            w.raw(if i == 0 { "\n    " } else { ",\n    " }).raw(part);
        }
        w.raw("\n)");
        w.finish()
    }

    fn foreign_key_clause(&self, fk: &ForeignKey) -> String {
        let mut w = self.writer();
        w.raw("CONSTRAINT ")
            .ident(&fk.name)
            .raw(" FOREIGN KEY (")
            .idents(&fk.columns)
            .raw(") REFERENCES ")
            .ident(&fk.ref_table)
            .raw(" (")
            .idents(&fk.ref_columns)
            .raw(")");
        if fk.on_delete != Default::default() {
            w.raw(" ON DELETE ").raw(fk.on_delete.sql());
        }
        if fk.on_update != Default::default() {
            w.raw(" ON UPDATE ").raw(fk.on_update.sql());
        }
        w.finish()
    }

    fn create_index(&self, table: &str, index: &Index) -> String {
        let mut w = self.writer();
        w.raw(if index.unique {
            "CREATE UNIQUE INDEX "
        } else {
            "CREATE INDEX "
        })
        .ident(&index.name)
        .raw(" ON ")
        .ident(table)
        .raw(" (")
        .idents(&index.columns)
        .raw(")");
        w.finish()
    }

    /// `ALTER TABLE "table"`, to be continued.
    fn alter_table(&self, table: &str) -> SqlWriter {
        let mut w = self.writer();
        w.raw("ALTER TABLE ").ident(table);
        w
    }

    /// The statements that change a column in place, from `from` to `to`.
    fn alter_column(&self, table: &str, from: &Column, to: &Column) -> Vec<String>;

    /// Rows holding NULL take the default before a column becomes NOT NULL.
    fn fill_nulls(&self, table: &str, column: &str, default: &DefaultValue) -> String {
        let mut w = self.writer();
        w.raw("UPDATE ")
            .ident(table)
            .raw(" SET ")
            .ident(column)
            .raw(" = ")
            .raw(&self.default_sql(default))
            .raw(" WHERE ")
            .ident(column)
            .raw(" IS NULL");
        w.finish()
    }

    fn drop_index(&self, _table: &str, name: &str) -> String {
        let mut w = self.writer();
        w.raw("DROP INDEX ").ident(name);
        w.finish()
    }

    fn drop_foreign_key(&self, table: &str, name: &str) -> String {
        let mut w = self.alter_table(table);
        w.raw(" DROP CONSTRAINT ").ident(name);
        w.finish()
    }

    /// The in-place statements for one operation, assembled from the answers above. A
    /// dialect's `render` calls it for every operation it has nothing special to do for.
    fn in_place_statements(&self, op: &Op) -> Vec<String> {
        let one = |w: SqlWriter| vec![w.finish()];
        match op {
            Op::CreateTable { table } => std::iter::once(self.create_table(table))
                .chain(
                    table
                        .indexes
                        .iter()
                        .map(|index| self.create_index(&table.name, index)),
                )
                .collect(),
            Op::DropTable { table } => {
                let mut w = self.writer();
                w.raw("DROP TABLE ").ident(&table.name);
                one(w)
            }
            Op::RenameTable { from, to } => {
                let mut w = self.alter_table(from);
                w.raw(" RENAME TO ").ident(to);
                one(w)
            }
            Op::AddColumn { table, column } => {
                let mut w = self.alter_table(table);
                w.raw(" ADD COLUMN ")
                    .raw(&self.column_definition(column, false));
                one(w)
            }
            Op::DropColumn { table, column } => {
                let mut w = self.alter_table(table);
                w.raw(" DROP COLUMN ").ident(&column.name);
                one(w)
            }
            Op::RenameColumn { table, from, to } => {
                let mut w = self.alter_table(table);
                w.raw(" RENAME COLUMN ").ident(from).raw(" TO ").ident(to);
                one(w)
            }
            Op::AlterColumn { table, from, to } => self.alter_column(table, from, to),
            Op::AddIndex { table, index } => vec![self.create_index(table, index)],
            Op::DropIndex { table, index } => vec![self.drop_index(table, &index.name)],
            Op::AddForeignKey { table, foreign_key } => {
                let mut w = self.alter_table(table);
                w.raw(" ADD ").raw(&self.foreign_key_clause(foreign_key));
                one(w)
            }
            Op::DropForeignKey { table, foreign_key } => {
                vec![self.drop_foreign_key(table, &foreign_key.name)]
            }
            Op::AddCheck { table, check } => {
                let mut w = self.alter_table(table);
                w.raw(" ADD CONSTRAINT ")
                    .ident(&check.name)
                    .raw(" CHECK (")
                    .raw(&check.expr)
                    .raw(")");
                one(w)
            }
            Op::DropCheck { table, check } => {
                // DROP CONSTRAINT rather than DROP CHECK: MariaDB knows only the former.
                let mut w = self.alter_table(table);
                w.raw(" DROP CONSTRAINT ").ident(&check.name);
                one(w)
            }
        }
    }
}

/// Every dialect this build can render. Rendering needs no driver, so PostgreSQL and MySQL
/// are here even without their features (a project can write their migrations from SQLite).
pub fn all() -> Vec<&'static dyn Dialect> {
    vec![&sqlite::Sqlite, &postgres::Postgres, &mysql::Mysql]
}

/// The dialect for a name, as written in metadata and config files.
pub fn by_name(name: &str) -> Option<&'static dyn Dialect> {
    match name {
        "sqlite" => Some(&sqlite::Sqlite),
        "postgres" | "postgresql" => Some(&postgres::Postgres),
        "mysql" | "mariadb" => Some(&mysql::Mysql),
        _ => None,
    }
}
