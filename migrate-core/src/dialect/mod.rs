//! What differs between backends, one folder each with the same files (`introspect`,
//! `render`, `normalize`, `lock`, `connection`). Two narrow traits keep them apart from the
//! rest: [`Dialect`] is text only (render, normalize, quote, and the backend's constant facts
//! as one [`DialectFacts`] value); [`Backend`] is a live connection (introspection, lock,
//! transactions, probes). [`ALL`] lists every dialect and drives URL schemes, name lookup and
//! messages. The shared rendering here assembles statements from the dialects' answers.

pub mod mssql;
pub mod mysql;
pub mod postgres;
pub mod sqlite;

#[cfg(feature = "connect")]
mod backend;
#[cfg(feature = "connect")]
mod catalog;
mod enums;
mod facts;
pub(crate) mod statements;
mod text;

#[cfg(test)]
mod enum_render_tests;
#[cfg(test)]
mod render_tests;

#[cfg(feature = "connect")]
pub use backend::{Backend, Bind, ConnectFn, LockWait, RawVersionRow, StatementCounter, Target};
pub use facts::{
    ColumnClause, ConnectTimeout, Connector, DialectFacts, EnumStyle, IdentifierLimit, Placeholder,
    TypeNames,
};

use mssql::Mssql;
use mysql::Mysql;
use postgres::Postgres;
use sqlite::Sqlite;

use crate::diff::Op;
use crate::schema::{Column, ColumnType, DefaultValue, Schema, Table};
use crate::sql::SqlWriter;

/// Every dialect, in the order messages list them. Rendering needs no driver, so each is
/// here whatever the build's features; [`Dialect::connector`] says whether this build can
/// also connect to it.
pub static ALL: &[&dyn Dialect] = &[&Sqlite, &Postgres, &Mysql, &Mssql];

/// The cargo features of the drivers this build has, as the stock binary passes them on to
/// the binary it builds.
pub fn enabled_features() -> Vec<&'static str> {
    ALL.iter()
        .filter(|d| matches!(d.connector(), Connector::Driver(_)))
        .filter_map(|d| d.facts().cargo_feature)
        .collect()
}

/// The dialect called `name` in file names and config (`postgres`).
pub fn by_name(name: &str) -> Option<&'static dyn Dialect> {
    ALL.iter().copied().find(|d| d.name() == name)
}

/// The known dialect names, for messages.
pub fn names() -> Vec<&'static str> {
    ALL.iter().map(|d| d.name()).collect()
}

/// How a backend's catalog prints types and defaults, read back into the neutral schema.
/// Each backend's `normalize.rs` implements it.
pub trait Normalize {
    /// The neutral type for a type as the catalog reports it.
    fn parse_type(&self, sql: &str) -> ColumnType;

    /// The neutral default for a default expression as the catalog reports it.
    fn parse_default(&self, sql: &str, ty: &ColumnType) -> DefaultValue;

    /// Backend-specific canonical forms, applied by [`Dialect::normalize`] to the models and
    /// to the database alike: how the catalog rewrites check expressions, which referential
    /// actions it cannot tell apart.
    fn normalize_table(&self, _table: &mut Table) {}
}

/// Index prefix lengths as the backend keeps them: where text is indexed by prefix, each TEXT
/// or BLOB column of a plain index has one (the default unless the model gives one) and no
/// other column does; a unique index takes none (a prefix would make it unique over the
/// prefix only). Elsewhere there are none.
fn normalize_prefixes(table: &mut Table, default: Option<u32>) {
    let columns: Vec<(String, bool)> = table
        .columns
        .iter()
        .map(|c| {
            let text = matches!(c.ty, ColumnType::Text | ColumnType::Blob);
            (c.name.clone(), text)
        })
        .collect();
    for index in &mut table.indexes {
        let Some(default) = default.filter(|_| !index.unique) else {
            index.prefix_lengths.clear();
            continue;
        };
        let text = |name: &str| columns.iter().any(|(c, text)| c == name && *text);
        index.prefix_lengths.retain(|name, _| text(name));
        for name in index.columns.iter().filter(|name| text(name)) {
            index.prefix_lengths.entry(name.clone()).or_insert(default);
        }
    }
}

/// A plan in online forms ([`Dialect::render_online`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlinePlan {
    pub statements: Vec<String>,
    /// Whether each statement must commit on its own, so the revision runs outside a
    /// transaction (PostgreSQL's `CONCURRENTLY`, `VALIDATE` after `NOT VALID`).
    pub outside_transaction: bool,
}

/// A backend's answers about SQL text. Everything here is pure: no connection is needed, so
/// a project can write migrations for a dialect it has no server (or driver) for.
pub trait Dialect: Normalize + Sync + std::fmt::Debug {
    /// The constant facts: name, quoting, literals, capabilities.
    fn facts(&self) -> &'static DialectFacts;

    /// `sqlite`, `postgres`, …: the name in file names, metadata and config.
    fn name(&self) -> &'static str {
        self.facts().name
    }

    /// How this build reaches a live database of this dialect.
    fn connector(&self) -> Connector {
        self.facts().connector()
    }

    /// How a column type is spelled in DDL.
    fn column_type(&self, column: &Column) -> String {
        match &column.ty {
            ColumnType::Enum(ty) => enums::spell(self, ty),
            ty => self.facts().types.spell(ty),
        }
    }

    /// The statements for a plan, given the schema it starts from. Dialects that alter
    /// everything in place keep this; SQLite rebuilds tables, MySQL reorders around
    /// foreign-key indexes.
    fn render(&self, ops: &[Op], _before: &Schema) -> Vec<String> {
        ops.iter()
            .flat_map(|op| statements::in_place(self, op))
            .collect()
    }

    /// The statements for a plan in forms that keep the live tables of `before` writable
    /// while they run, where this backend has such forms and the plan needs one; `None`
    /// otherwise (`render` is then the plan).
    fn render_online(&self, _ops: &[Op], _before: &Schema) -> Option<OnlinePlan> {
        None
    }

    /// Why this dialect cannot express an operation of a plan that ends at `target`, when it
    /// cannot; autogenerate then writes nothing rather than a migration that fails there.
    fn cannot_express(&self, _op: &Op, _target: &Schema) -> Option<String> {
        None
    }

    /// The statements that change a column in place, from `from` to `to`.
    fn alter_column(&self, table: &str, from: &Column, to: &Column) -> Vec<String>;

    /// ` DEFAULT …` as it follows a column's type in a definition.
    fn default_clause(&self, _table: &str, column: &Column) -> Option<String> {
        let default = column.default.as_ref()?;
        Some(format!(" DEFAULT {}", self.default_sql(default)))
    }

    fn drop_index(&self, table: &str, name: &str) -> String {
        let mut w = self.writer();
        w.raw("DROP INDEX ")
            .ident(&crate::sql::in_schema_of(table, name));
        w.finish()
    }

    fn drop_foreign_key(&self, table: &str, name: &str) -> String {
        let mut w = self.alter_table(table);
        w.raw(" DROP CONSTRAINT ").ident(name);
        w.finish()
    }

    /// `CREATE TABLE` for a table that may exist already, with its column list as given.
    fn create_table_if_missing(&self, table: &str, columns: &str) -> String {
        let mut w = self.writer();
        w.raw("CREATE TABLE IF NOT EXISTS ")
            .ident(table)
            .raw(" (")
            .raw(columns)
            .raw(")");
        w.finish()
    }

    /// Drops a database that may have sessions left (the test helper's scratch database).
    fn drop_database_sql(&self, name: &str) -> String {
        let mut w = self.writer();
        w.raw("DROP DATABASE IF EXISTS ").ident(name);
        w.finish()
    }

    fn writer(&self) -> SqlWriter {
        SqlWriter::new(self.facts().quoting)
    }

    /// A bind parameter for position `n` (1-based) in a statement.
    fn placeholder(&self, n: usize) -> String {
        self.facts().placeholder.at(n)
    }

    /// The schema as this backend would report it back: types, defaults and names go
    /// through the same spelling and parsing the catalog applies, so comparing a normalized
    /// model with an introspected database finds only real differences.
    fn normalize(&self, schema: &Schema) -> Schema {
        let facts = self.facts();
        let mut out = schema.clone();
        enums::lower(self, &mut out);
        for table in &mut out.tables {
            for column in &mut table.columns {
                // An enum's rename hints are the models' alone; the spelling drops them.
                let hints = match &column.ty {
                    ColumnType::Enum(ty) => Some(ty.renamed.clone()),
                    _ => None,
                };
                column.ty = self.parse_type(&self.column_type(column));
                if let (ColumnType::Enum(ty), Some(hints)) = (&mut column.ty, hints) {
                    ty.renamed = hints;
                }
                if let Some(default) = &column.default {
                    let sql = self.default_sql(default);
                    column.default = Some(self.parse_default(&sql, &column.ty));
                }
                column.comment = None;
            }
            if !facts.keeps_foreign_key_names {
                // Both sides under the convention: the database kept no name to compare. A
                // renamed table's keys then pair as renames, which such a backend skips.
                for fk in &mut table.foreign_keys {
                    fk.name =
                        crate::naming::foreign_key_name_of(&table.name, &fk.columns, &fk.ref_table);
                }
            }
            normalize_prefixes(table, facts.text_index_prefix);
            if let Some(limit) = facts
                .identifier_limit
                .filter(|l| l.truncates)
                .map(|l| l.max)
            {
                let names = table.indexes.iter_mut().map(|i| &mut i.name);
                let names = names.chain(table.foreign_keys.iter_mut().map(|f| &mut f.name));
                for name in names.chain(table.checks.iter_mut().map(|c| &mut c.name)) {
                    text::truncate_identifier(name, limit);
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
            DefaultValue::Bool(b) => self.facts().bool_literals[usize::from(*b)].to_owned(),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Float(f) => f.clone(),
            DefaultValue::Text(s) => {
                let mut w = self.writer();
                w.raw(self.facts().text_literal_prefix).string(s);
                w.finish()
            }
            DefaultValue::Sql(s) => s.clone(),
        }
    }

    /// `"name" TYPE …` for a column in CREATE TABLE or ADD COLUMN, its clauses in the order
    /// [`DialectFacts::column_clauses`] gives.
    fn column_definition(&self, table: &str, column: &Column, primary_key_inline: bool) -> String {
        let facts = self.facts();
        let mut w = self.writer();
        w.ident(&column.name)
            .raw(" ")
            .raw(&self.column_type(column));
        for clause in facts.column_clauses {
            match clause {
                ColumnClause::AutoIncrement
                    if column.auto_increment
                        && (primary_key_inline || !facts.auto_increment_needs_inline_key) =>
                {
                    w.raw(facts.auto_increment);
                }
                ColumnClause::PrimaryKey if primary_key_inline => {
                    w.raw(" PRIMARY KEY");
                }
                ColumnClause::NotNull if !column.nullable && !primary_key_inline => {
                    w.raw(" NOT NULL");
                }
                ColumnClause::Default => {
                    if let Some(default) = self.default_clause(table, column) {
                        w.raw(&default);
                    }
                }
                _ => {}
            }
        }
        w.finish()
    }

    /// `ALTER TABLE "table"`, to be continued.
    fn alter_table(&self, table: &str) -> SqlWriter {
        let mut w = self.writer();
        w.raw("ALTER TABLE ").ident(table);
        w
    }
}
