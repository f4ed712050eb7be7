//! The naming convention for indexes and constraints a model leaves unnamed. The registry
//! names model objects with it, and the dialects name what a catalog reports without a name
//! (SQLite's inline UNIQUE and foreign keys), so both sides of a comparison agree.

pub fn index_name(table: &str, columns: &[&str], unique: bool) -> String {
    let prefix = if unique { "uq" } else { "ix" };
    format!("{prefix}_{table}_{}", columns.join("_"))
}

pub fn foreign_key_name(table: &str, columns: &[&str], ref_table: &str) -> String {
    format!("fk_{table}_{}_{ref_table}", columns.join("_"))
}

/// [`foreign_key_name`] for owned column names.
pub fn foreign_key_name_of(table: &str, columns: &[String], ref_table: &str) -> String {
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    foreign_key_name(table, &columns, ref_table)
}
