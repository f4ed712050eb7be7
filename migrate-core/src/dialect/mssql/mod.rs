//! SQL Server (T-SQL), render only: migrations and offline scripts for a server this tool
//! does not connect to (no driver in diesel). `[bracket]` quoting, `IDENTITY(1,1)` keys,
//! defaults as named constraints (`df_<table>_<column>`) so they can be dropped, `sp_rename`
//! for renames, and `GO` after each revision of a script.
//!
//! The SQL is checked by parsing (sqlparser's MsSqlDialect) and by snapshots, not against a
//! live server; see docs/decisions.md.

mod normalize;
#[cfg(test)]
pub(crate) mod parse_tests;
mod render;

use super::{Dialect, DialectFacts, IdentifierLimit, TypeNames};
use crate::diff::Op;
use crate::schema::{Column, Schema};
use crate::sql::{IdentQuote, Quoting};

#[derive(Debug, Clone, Copy)]
pub struct Mssql;

static FACTS: DialectFacts = DialectFacts {
    name: "mssql",
    label: "SQL Server",
    url_schemes: &["mssql", "sqlserver"],
    quoting: Quoting {
        ident: IdentQuote::Bracket,
        backslash_escapes: false,
    },
    text_literal_prefix: "N",
    bool_literals: ["0", "1"],
    types: TypeNames {
        boolean: "BIT",
        integer: "INT",
        double: "FLOAT",
        // N-types: SQL Server stores VARCHAR in the column's code page, NVARCHAR as UTF-16,
        // which is what a Rust String holds.
        text: "NVARCHAR(MAX)",
        varchar: "NVARCHAR",
        blob: "VARBINARY(MAX)",
        timestamp: "DATETIME2",
        timestamp_tz: "DATETIMEOFFSET",
        uuid: "UNIQUEIDENTIFIER",
        json: "NVARCHAR(MAX)",
        numeric: "DECIMAL",
        ..TypeNames::STANDARD
    },
    auto_increment: " IDENTITY(1,1)",
    // A failed statement then rolls the whole transaction back instead of carrying on.
    offline_prelude: &["SET XACT_ABORT ON"],
    begin_transaction: "BEGIN TRANSACTION",
    commit_transaction: "COMMIT TRANSACTION",
    batch_separator: Some("GO"),
    // Style 126 is ISO 8601 with milliseconds.
    now_text_sql: "CONVERT(VARCHAR(23), SYSUTCDATETIME(), 126) + 'Z'",
    identifier_limit: Some(IdentifierLimit {
        max: 128,
        in_bytes: false,
        truncates: false,
    }),
    ..DialectFacts::STANDARD
};

impl Dialect for Mssql {
    fn facts(&self) -> &'static DialectFacts {
        &FACTS
    }

    /// ` CONSTRAINT [df_table_column] DEFAULT …`: a named default, so that changing or
    /// dropping it later can name it.
    fn default_clause(&self, table: &str, column: &Column) -> Option<String> {
        let default = column.default.as_ref()?;
        let mut w = self.writer();
        w.raw(" CONSTRAINT ")
            .ident(&render::default_name(table, &column.name))
            .raw(" DEFAULT ")
            .raw(&self.default_sql(default));
        Some(w.finish())
    }

    fn cannot_express(&self, op: &Op, target: &Schema) -> Option<String> {
        render::cannot_express(op, target)
    }

    /// Renames and drops name the default constraints; see `render.rs`.
    fn render(&self, ops: &[Op], before: &Schema) -> Vec<String> {
        render::render(self, ops, before)
    }

    fn alter_column(&self, table: &str, from: &Column, to: &Column) -> Vec<String> {
        render::alter_column(self, table, from, to)
    }

    fn drop_index(&self, table: &str, name: &str) -> String {
        let mut w = self.writer();
        w.raw("DROP INDEX ").ident(name).raw(" ON ").ident(table);
        w.finish()
    }

    /// T-SQL has no `CREATE TABLE IF NOT EXISTS`.
    fn create_table_if_missing(&self, table: &str, columns: &str) -> String {
        let mut name = self.writer();
        name.ident(table);
        let name = name.finish();
        let mut w = self.writer();
        w.raw("IF OBJECT_ID(")
            .raw("N")
            .string(&name)
            .raw(", N'U') IS NULL CREATE TABLE ")
            .raw(&name)
            .raw(" (")
            .raw(columns)
            .raw(")");
        w.finish()
    }
}
