//! The naming convention for indexes and constraints a model leaves unnamed. The registry
//! names model objects with it, and the dialects name what a catalog reports without a name
//! (SQLite's inline UNIQUE and foreign keys), so both sides of a comparison agree.
//!
//! A generated name never exceeds [`GENERATED_NAME_LIMIT`] bytes, the tightest limit of the
//! dialects (PostgreSQL keeps 63 bytes, MySQL 64 characters, SQL Server 128): a longer one
//! keeps its start and ends with a hash of the whole name, the same on every run and
//! machine, so two long names that share their start still differ.

use sha2::{Digest, Sha256};

use crate::dialect::Dialect;
use crate::schema::Schema;

/// The longest name the convention writes, in bytes.
pub const GENERATED_NAME_LIMIT: usize = 63;

/// Hex digits of the hash a shortened name ends with.
const HASH_DIGITS: usize = 8;

pub fn index_name(table: &str, columns: &[&str], unique: bool) -> String {
    let prefix = if unique { "uq" } else { "ix" };
    fit(format!("{prefix}_{table}_{}", columns.join("_")))
}

pub fn foreign_key_name(table: &str, columns: &[&str], ref_table: &str) -> String {
    fit(format!("fk_{table}_{}_{ref_table}", columns.join("_")))
}

/// The CHECK that holds an enum column's labels where the backend has no enum type.
pub fn check_name(table: &str, column: &str) -> String {
    fit(format!("ck_{table}_{column}"))
}

/// [`foreign_key_name`] for owned column names.
pub fn foreign_key_name_of(table: &str, columns: &[String], ref_table: &str) -> String {
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    foreign_key_name(table, &columns, ref_table)
}

/// `name`, or when it is too long, its first bytes (cut at a character boundary), `_` and
/// the first hex digits of its SHA-256.
fn fit(name: String) -> String {
    if name.len() <= GENERATED_NAME_LIMIT {
        return name;
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest
        .iter()
        .take(HASH_DIGITS / 2)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let mut keep = GENERATED_NAME_LIMIT - HASH_DIGITS - 1;
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}_{hash}", &name[..keep])
}

/// Every name in `schema` longer than a dialect in `dialects` takes, described with where it
/// is; empty when all fit. Generated names always fit; these are names a model wrote.
pub fn over_limit(schema: &Schema, dialects: &[&dyn Dialect]) -> Vec<String> {
    let mut found = Vec::new();
    for table in &schema.tables {
        let mut names: Vec<(String, &str)> = vec![(format!("table `{}`", table.name), &table.name)];
        names.extend(table.columns.iter().map(|c| {
            (
                format!("column `{}.{}`", table.name, c.name),
                c.name.as_str(),
            )
        }));
        names.extend(table.indexes.iter().map(|i| {
            (
                format!("index `{}` on `{}`", i.name, table.name),
                i.name.as_str(),
            )
        }));
        names.extend(table.foreign_keys.iter().map(|f| {
            (
                format!("foreign key `{}` on `{}`", f.name, table.name),
                f.name.as_str(),
            )
        }));
        names.extend(table.checks.iter().map(|c| {
            (
                format!("check `{}` on `{}`", c.name, table.name),
                c.name.as_str(),
            )
        }));
        for (place, name) in names {
            for dialect in dialects {
                let Some(limit) = dialect.facts().identifier_limit else {
                    continue;
                };
                let length = limit.length(name);
                if length > limit.max {
                    found.push(format!(
                        "{place}: the name is {length} {} long; {} takes at most {}",
                        if limit.in_bytes {
                            "bytes"
                        } else {
                            "characters"
                        },
                        dialect.facts().label,
                        limit.describe()
                    ));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_kept_and_long_ones_fit_deterministically() {
        assert_eq!(index_name("users", &["email"], true), "uq_users_email");
        let table = "t".repeat(60);
        let a = index_name(&table, &["a".repeat(60).as_str()], false);
        let b = index_name(&table, &["b".repeat(60).as_str()], false);
        assert_eq!(a.len(), GENERATED_NAME_LIMIT);
        assert_ne!(a, b, "names that share their start still differ");
        assert_eq!(a, index_name(&table, &["a".repeat(60).as_str()], false));
        // A cut never splits a character.
        let wide = foreign_key_name(&"é".repeat(40), &["id"], "users");
        assert!(wide.len() <= GENERATED_NAME_LIMIT, "{wide}");
    }
}
