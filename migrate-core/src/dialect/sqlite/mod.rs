//! SQLite: the embedded default.

mod introspect;
mod lock;
mod normalize;
mod render;

pub use introspect::introspect;
pub use lock::begin_exclusive;

use super::Dialect;
use crate::diff::Op;
use crate::schema::{Column, ColumnType, DefaultValue, Schema};
use crate::sql::IdentQuote;

#[derive(Debug, Clone, Copy)]
pub struct Sqlite;

impl Dialect for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn ident_quote(&self) -> IdentQuote {
        IdentQuote::Double
    }

    fn column_type(&self, column: &Column) -> String {
        normalize::column_type(column)
    }

    fn parse_type(&self, sql: &str) -> ColumnType {
        normalize::parse_type(sql)
    }

    fn parse_default(&self, sql: &str, ty: &ColumnType) -> DefaultValue {
        normalize::parse_default(sql, ty)
    }

    fn bool_literal(&self, value: bool) -> &'static str {
        if value {
            "1"
        } else {
            "0"
        }
    }

    fn keeps_foreign_key_names(&self) -> bool {
        false
    }

    fn auto_increment_keyword(&self) -> &'static str {
        " AUTOINCREMENT"
    }

    fn render(&self, ops: &[Op], before: &Schema) -> Vec<String> {
        render::render(self, ops, before)
    }

    /// Nothing changes a column in place on SQLite: `render` rebuilds the table instead and
    /// never asks for this.
    fn alter_column(&self, _table: &str, _from: &Column, _to: &Column) -> Vec<String> {
        Vec::new()
    }

    fn offline_prelude(&self) -> Vec<String> {
        // Table rebuilds drop tables; with foreign keys on that would fire ON DELETE actions.
        vec!["PRAGMA foreign_keys = OFF".to_owned()]
    }

    fn now_text_sql(&self) -> &'static str {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    }

    fn placeholder(&self, _n: usize) -> String {
        "?".to_owned()
    }
}
