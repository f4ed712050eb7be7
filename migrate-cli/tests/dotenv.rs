//! A `.env` that does not parse is reported, not silently skipped (it would otherwise leave
//! DATABASE_URL unset and point the command at the embedded default database).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn a_malformed_env_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "DATABASE_URL=sqlite://app.db\nthis line has no equals sign\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
        .arg("current")
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(".env"), "{stderr}");
    assert!(stderr.contains("this line has no equals sign"), "{stderr}");
    // Nothing was created: neither the configured database nor the embedded default.
    assert!(!dir.path().join("app.db").exists());
    assert!(!dir.path().join("dev.db").exists());
}
