//! MySQL and MariaDB: in-place `ALTER TABLE … MODIFY COLUMN`, `AUTO_INCREMENT`, named locks.
//! DDL commits implicitly, so a revision is not atomic here; the runner records a failed
//! revision instead (DESIGN §6).
//!
//! The SQL written needs MySQL 8.0.19+ or MariaDB 10.5.2+ (`RENAME COLUMN`,
//! `DROP CONSTRAINT` for checks, parenthesized defaults on TEXT/BLOB/JSON columns). The same
//! files serve both servers: migrations are written offline, before anyone knows which one
//! runs them.
//!
//! Rendering and normalizing are always compiled; introspecting and locking come with the
//! `mysql` feature.

#[cfg(feature = "mysql")]
mod introspect;
#[cfg(feature = "mysql")]
mod lock;
mod normalize;
mod render;

#[cfg(feature = "mysql")]
pub use introspect::introspect;
#[cfg(feature = "mysql")]
pub use lock::{acquire_lock, release_lock, LOCK_TIMEOUT};

use super::Dialect;
use crate::diff::Op;
use crate::schema::{Column, ColumnType, DefaultValue, Schema, Table};
use crate::sql::IdentQuote;

#[derive(Debug, Clone, Copy)]
pub struct Mysql;

impl Dialect for Mysql {
    fn transactional_ddl(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "mysql"
    }

    fn ident_quote(&self) -> IdentQuote {
        IdentQuote::Backtick
    }

    fn column_type(&self, column: &Column) -> String {
        normalize::column_type(&column.ty)
    }

    fn parse_type(&self, sql: &str) -> ColumnType {
        normalize::parse_type(sql)
    }

    fn parse_default(&self, sql: &str, ty: &ColumnType) -> DefaultValue {
        normalize::parse_default(sql, ty)
    }

    fn bool_literal(&self, value: bool) -> &'static str {
        if value {
            "TRUE"
        } else {
            "FALSE"
        }
    }

    fn keeps_foreign_key_names(&self) -> bool {
        true
    }

    fn normalize_table(&self, table: &mut Table) {
        normalize::normalize_table(table);
    }

    fn render(&self, ops: &[Op], before: &Schema) -> Vec<String> {
        render::render(self, ops, before)
    }

    fn alter_column(&self, table: &str, from: &Column, to: &Column) -> Vec<String> {
        render::alter_column(self, table, from, to)
    }

    /// Index names are per table here, so the table must be named.
    fn drop_index(&self, table: &str, name: &str) -> String {
        let mut w = self.writer();
        w.raw("DROP INDEX ").ident(name).raw(" ON ").ident(table);
        w.finish()
    }

    fn drop_foreign_key(&self, table: &str, name: &str) -> String {
        let mut w = self.alter_table(table);
        w.raw(" DROP FOREIGN KEY ").ident(name);
        w.finish()
    }

    fn now_text_sql(&self) -> &'static str {
        // %f is microseconds; the runner's format has milliseconds.
        "CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')"
    }

    fn placeholder(&self, _n: usize) -> String {
        "?".to_owned()
    }

    /// `` `id` BIGINT AUTO_INCREMENT PRIMARY KEY ``. Also what `MODIFY COLUMN` restates in
    /// full, so it carries `AUTO_INCREMENT` whether or not the key is declared inline.
    fn column_definition(&self, column: &Column, primary_key_inline: bool) -> String {
        let mut w = self.writer();
        w.ident(&column.name)
            .raw(" ")
            .raw(&self.column_type(column));
        if !column.nullable && !primary_key_inline {
            w.raw(" NOT NULL");
        }
        if let Some(default) = &column.default {
            w.raw(" DEFAULT ")
                .raw(&normalize::default_clause(self, &column.ty, default));
        }
        if column.auto_increment {
            w.raw(self.auto_increment_keyword());
        }
        if primary_key_inline {
            w.raw(" PRIMARY KEY");
        }
        w.finish()
    }

    fn auto_increment_keyword(&self) -> &'static str {
        " AUTO_INCREMENT"
    }
}
