//! A model in a private module that nothing re-exports: linking the crate still registers it.

use migrate_core::Model;

#[derive(Debug, Model)]
#[model(table = "audit_log")]
#[allow(dead_code)] // written by database triggers in production, never built in Rust
struct AuditEntry {
    id: i64,
    #[model(max_length = 40, index)]
    action: String,
    #[model(references = "authors.id", on_delete = "set null")]
    author_id: Option<i64>,
    #[model(default_sql = "CURRENT_TIMESTAMP")]
    at: chrono::NaiveDateTime,
}
