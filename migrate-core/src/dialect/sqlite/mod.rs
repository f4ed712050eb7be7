//! SQLite: the embedded default.

#[cfg(feature = "connect")]
mod connection;
#[cfg(feature = "connect")]
mod introspect;
#[cfg(feature = "connect")]
mod lock;
mod normalize;
mod render;

use super::{ColumnClause, Dialect, DialectFacts, TypeNames};
use crate::diff::Op;
use crate::schema::{Column, Schema};

#[derive(Debug, Clone, Copy)]
pub struct Sqlite;

static FACTS: DialectFacts = DialectFacts {
    name: "sqlite",
    label: "SQLite",
    url_schemes: &["sqlite"],
    #[cfg(feature = "connect")]
    connect: Some(connection::connect),
    bool_literals: ["0", "1"],
    types: TypeNames {
        double: "DOUBLE",
        // diesel stores both as text on SQLite.
        uuid: "TEXT",
        json: "TEXT",
        ..TypeNames::STANDARD
    },
    auto_increment: " AUTOINCREMENT",
    auto_increment_needs_inline_key: true,
    numbered_key_is_64_bit: true,
    column_clauses: &[
        ColumnClause::PrimaryKey,
        ColumnClause::AutoIncrement,
        ColumnClause::NotNull,
        ColumnClause::Default,
    ],
    keeps_foreign_key_names: false,
    run_is_one_transaction: true,
    // Table rebuilds drop tables; with foreign keys on that would fire ON DELETE actions.
    offline_prelude: &["PRAGMA foreign_keys = OFF"],
    now_text_sql: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    alter_column_rewrites: Some("rebuilds the table: a copy of every row, under the write lock"),
    ..DialectFacts::STANDARD
};

impl Dialect for Sqlite {
    fn facts(&self) -> &'static DialectFacts {
        &FACTS
    }

    fn column_type(&self, column: &Column) -> String {
        // Only the exact spelling `INTEGER PRIMARY KEY` makes a column the rowid alias that
        // SQLite numbers itself.
        if column.auto_increment {
            return "INTEGER".to_owned();
        }
        FACTS.types.spell(&column.ty)
    }

    fn render(&self, ops: &[Op], before: &Schema) -> Vec<String> {
        render::render(self, ops, before)
    }

    /// Nothing changes a column in place on SQLite: `render` rebuilds the table instead and
    /// never asks for this.
    fn alter_column(&self, _table: &str, _from: &Column, _to: &Column) -> Vec<String> {
        Vec::new()
    }
}
