use migrate_core::Model;

// A table name that gives diesel's `table!` no module name is reported with the way out
// (`audit-log` would be spelled `audit_log`; a leading digit cannot be).
#[derive(Model)]
#[model(table = "2024-audit")]
pub struct AuditEntry {
    pub id: i64,
}

fn main() {}
