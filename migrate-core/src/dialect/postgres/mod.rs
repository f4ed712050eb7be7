//! PostgreSQL: transactional DDL, in-place `ALTER TABLE`, identity columns, advisory locks.
//!
//! Rendering and normalizing are plain text work and always compiled, so a build without the
//! `postgres` feature can still write PostgreSQL migrations; introspecting and locking need a
//! live connection and come with the feature.

mod catalog;
mod connection;
mod enums;
mod introspect;
mod lock;

mod normalize;
mod online;
mod render;
mod timeouts;

/// The advisory lock key every run takes (for tools and tests that look for it in pg_locks).
#[cfg(feature = "postgres")]
pub use lock::LOCK_KEY;

use super::{
    ConnectTimeout, Dialect, DialectFacts, EnumStyle, IdentifierLimit, OnlinePlan, Placeholder,
    TypeNames,
};
use crate::dialect::statements::in_place;
use crate::diff::{apply, Op};
use crate::schema::{Column, Schema};

#[derive(Debug, Clone, Copy)]
pub struct Postgres;

static FACTS: DialectFacts = DialectFacts {
    name: "postgres",
    label: "PostgreSQL",
    url_schemes: &["postgres", "postgresql"],
    placeholder: Placeholder::Numbered,
    types: TypeNames {
        blob: "BYTEA",
        // JSONB rather than JSON: it can be indexed and compared, and diesel maps
        // serde_json::Value to both.
        json: "JSONB",
        ..TypeNames::STANDARD
    },
    // NAMEDATALEN - 1.
    schemas: true,
    identifier_limit: Some(IdentifierLimit {
        max: 63,
        in_bytes: true,
        truncates: true,
    }),
    now_text_sql: "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
    // The driver, with the cargo feature.
    connect_timeout: ConnectTimeout::UrlParameter("connect_timeout"),
    cargo_feature: Some("postgres"),
    #[cfg(feature = "postgres")]
    connect: Some(connection::connect),
    enum_style: EnumStyle::NamedType,
    index_build_locks: Some("blocks writes to the table until the index is built (the online plan, `online_schema_changes = true` in migrate.toml, builds it CONCURRENTLY instead)"),
    alter_column_rewrites: Some("rewrites (a type change) or scans (NOT NULL) the table under an exclusive lock: reads and writes wait"),
    online_type_change: Some("a type change rewrites the table under an exclusive lock: reads and writes wait until it is done, online plan or not (add a new column, backfill it in batches, then switch)"),
    lock_timeout_error: Some("lock timeout"),
    ..DialectFacts::STANDARD
};

impl Dialect for Postgres {
    fn facts(&self) -> &'static DialectFacts {
        &FACTS
    }

    /// `WITH (FORCE)` ends the sessions a failed replay left (PostgreSQL 13+).
    fn drop_database_sql(&self, name: &str) -> String {
        let mut w = self.writer();
        w.raw("DROP DATABASE IF EXISTS ")
            .ident(name)
            .raw(" WITH (FORCE)");
        w.finish()
    }

    fn alter_column(&self, table: &str, from: &Column, to: &Column) -> Vec<String> {
        render::alter_column(self, table, from, to)
    }

    fn render_online(&self, ops: &[Op], before: &Schema) -> Option<OnlinePlan> {
        online::render_online(self, ops, before).map(|statements| OnlinePlan {
            statements,
            outside_transaction: true,
        })
    }

    /// In place, as the trait's default, except for enum label changes, which need the
    /// columns that use the type at that point of the plan.
    fn render(&self, ops: &[Op], before: &Schema) -> Vec<String> {
        let mut state = before.clone();
        let mut out = Vec::new();
        for op in ops {
            match op {
                Op::AlterEnum { from, to } => {
                    out.extend(enums::alter_enum(self, from, to, &state));
                }
                other => out.extend(in_place(self, other)),
            }
            apply(&mut state, op);
        }
        out
    }
}
