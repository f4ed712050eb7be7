//! The blog's own `migrate` binary, which links the models crate with `use blog as _;`,
//! sees every model, including those in private modules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

const TABLES: [&str; 7] = [
    "audit_log",
    "authors",
    "comments",
    "organizations",
    "post_tags",
    "posts",
    "tags",
];

fn migrate(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_migrate"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

#[test]
fn models_lists_every_model_with_its_location() {
    let out = migrate(&["models"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    for table in TABLES {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{table} "))),
            "{table} missing from:\n{text}"
        );
    }
    assert!(
        text.contains("AuditEntry (examples/blog/src/audit.rs:"),
        "{text}"
    );
    assert!(text.contains("7 models"), "{text}");
}

#[test]
fn models_as_json_is_valid_and_complete() {
    let out = migrate(&["models", "--format", "json"]);
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut tables: Vec<&str> = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["table"]["name"].as_str().unwrap())
        .collect();
    tables.sort();
    assert_eq!(tables, TABLES);
    let posts = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["table"]["name"] == "posts")
        .unwrap();
    assert_eq!(posts["struct"], "Post");
    assert_eq!(posts["sql_types"]["sqlite"]["title"], "VARCHAR(200)");
    assert_eq!(posts["table"]["foreign_keys"][0]["ref_table"], "authors");
}
