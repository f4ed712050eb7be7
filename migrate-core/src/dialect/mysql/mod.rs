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

mod connection;
mod introspect;
mod lock;
mod normalize;
mod render;

use super::{
    ColumnClause, ConnectTimeout, Dialect, DialectFacts, EnumStyle, IdentifierLimit, TypeNames,
};
use crate::diff::Op;
use crate::schema::{Column, Schema};
use crate::sql::{IdentQuote, Quoting};

#[derive(Debug, Clone, Copy)]
pub struct Mysql;

static FACTS: DialectFacts = DialectFacts {
    name: "mysql",
    label: "MySQL/MariaDB",
    url_schemes: &["mysql", "mariadb"],
    quoting: Quoting {
        ident: IdentQuote::Backtick,
        // MySQL treats backslash as an escape inside string literals by default.
        backslash_escapes: true,
    },
    types: TypeNames {
        integer: "INT",
        real: "FLOAT",
        double: "DOUBLE",
        // BLOB stops at 64 KiB; binary payloads (files, images) often do not.
        blob: "LONGBLOB",
        // Microseconds, as PostgreSQL and chrono keep them.
        time: "TIME(6)",
        // MySQL has no zone-aware type; diesel stores DateTime<Utc> as its UTC wall time.
        // DATETIME rather than TIMESTAMP: no 2038 limit, no session time zone conversion.
        timestamp: "DATETIME(6)",
        timestamp_tz: "DATETIME(6)",
        uuid: "CHAR(36)",
        numeric: "DECIMAL",
        ..TypeNames::STANDARD
    },
    auto_increment: " AUTO_INCREMENT",
    // `MODIFY COLUMN` restates a column in full with the same clauses, so AUTO_INCREMENT is
    // there whether or not the key is declared inline.
    column_clauses: &[
        ColumnClause::NotNull,
        ColumnClause::Default,
        ColumnClause::AutoIncrement,
        ColumnClause::PrimaryKey,
    ],
    transactional_ddl: false,
    // 255 four-byte characters leave room for two more in InnoDB's 3072-byte keys.
    text_index_prefix: Some(255),
    identifier_limit: Some(IdentifierLimit {
        max: 64,
        in_bytes: false,
        truncates: false,
    }),
    // %f is microseconds; the runner's format has milliseconds.
    now_text_sql: "CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')",
    // The driver, with the cargo feature.
    connect_timeout: ConnectTimeout::Watchdog,
    cargo_feature: Some("mysql"),
    #[cfg(feature = "mysql")]
    connect: Some(connection::connect),
    enum_style: EnumStyle::InlineColumnType,
    alter_column_rewrites: Some(
        "copies the table for a type or NULL change (writes may wait while it copies)",
    ),
    ..DialectFacts::STANDARD
};

impl Dialect for Mysql {
    fn facts(&self) -> &'static DialectFacts {
        &FACTS
    }

    fn render(&self, ops: &[Op], before: &Schema) -> Vec<String> {
        render::render(self, ops, before)
    }

    /// Each statement commits on its own here anyway: only the clauses change.
    fn render_online(&self, ops: &[Op], before: &Schema) -> Option<super::OnlinePlan> {
        render::render_online(self, ops, before).map(|statements| super::OnlinePlan {
            statements,
            outside_transaction: false,
        })
    }

    fn alter_column(&self, table: &str, from: &Column, to: &Column) -> Vec<String> {
        render::alter_column(self, table, from, to)
    }

    fn default_clause(&self, _table: &str, column: &Column) -> Option<String> {
        let default = column.default.as_ref()?;
        Some(format!(
            " DEFAULT {}",
            normalize::default_clause(self, &column.ty, default)
        ))
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
}
