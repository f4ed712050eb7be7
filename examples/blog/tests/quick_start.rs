//! The README's quick start: the committed migrations upgrade a fresh SQLite file, and the
//! models, database and files then agree.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn migrate(dir: &Path, args: &[&str]) -> std::process::Output {
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let database = dir.join("dev.db");
    Command::new(env!("CARGO_BIN_EXE_migrate"))
        .arg("--migrations-dir")
        .arg(&migrations)
        .arg("--database-url")
        .arg(format!("sqlite://{}", database.display()))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

#[test]
fn committed_migrations_match_the_models() {
    let dir = tempfile::tempdir().unwrap();
    let up = migrate(dir.path(), &["upgrade"]);
    assert!(up.status.success(), "{up:?}");
    assert!(String::from_utf8_lossy(&up.stdout).contains("revision(s) applied"));
    let check = migrate(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let down = migrate(dir.path(), &["downgrade", "base"]);
    assert!(down.status.success(), "{down:?}");
}

#[test]
fn without_configuration_the_embedded_sqlite_file_is_used_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_migrate"))
        .args(["init"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::fs::remove_file(dir.path().join("migrate.toml")).unwrap();
    let embedded = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_migrate"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    // `current` only reads: it names the file, says which command creates it, creates nothing.
    let out = embedded(&["current"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no database configured; using the embedded SQLite file sqlite://dev.db"),
        "{stderr}"
    );
    assert!(stderr.contains("`upgrade` creates the file"), "{stderr}");
    assert!(!dir.path().join("dev.db").exists());
    let out = embedded(&["upgrade"]);
    assert!(out.status.success(), "{out:?}");
    assert!(dir.path().join("dev.db").exists());
}
