//! The stock binary's readiness probe needs no models and no workspace: run from a directory
//! holding only a migrations folder, it answers 4 (behind), then 0 once upgraded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn the_stock_binary_probes_without_models() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("migrations/2026-01-01-000000_create_notes");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("metadata.toml"),
        "run_in_transaction = true\nrevision = \"cccc00000001\"\nparents = []\ndialect = \"sqlite\"\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("up.sql"),
        "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
    )
    .unwrap();
    std::fs::write(folder.join("down.sql"), "DROP TABLE notes;").unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
            .args(["--database-url", "sqlite://app.db"])
            .args(args)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code(), text)
    };
    let (code, text) = run(&["current", "--check-heads"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("app.db does not exist"), "{text}");
    assert!(
        !dir.path().join("app.db").exists(),
        "the probe created app.db"
    );
    std::fs::File::create(dir.path().join("app.db")).unwrap();
    let (code, text) = run(&["current", "--check-heads"]);
    assert_eq!(code, Some(4), "{text}");
    assert!(
        text.contains("behind: 1 revision(s) pending (cccc00000001)"),
        "{text}"
    );
    if dir.path().join("app.db").exists() {
        let url = migrate_core::db::DatabaseUrl::sqlite(dir.path().join("app.db"));
        let mut conn = migrate_core::db::Connection::establish(&url).unwrap();
        assert!(
            !migrate_core::version_table::exists(&mut conn, "migrate_versions").unwrap(),
            "the probe created the version table"
        );
    }
    let (code, text) = run(&["upgrade"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = run(&["current", "--check-heads"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("at head (cccc00000001)"), "{text}");
}
