//! The tool as a cargo subcommand: `cargo migrate …` finds `cargo-migrate` on the PATH, and
//! it is the same tool, under the same name, as `migrate-cli`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

#[test]
fn cargo_migrate_is_the_same_tool() {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cargo-migrate"))
        .parent()
        .unwrap()
        .to_owned();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cargo = |args: &[&str]| {
        Command::new(env!("CARGO"))
            .arg("migrate")
            .args(args)
            .env("PATH", &path)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    let version = cargo(&["--version"]);
    assert!(version.status.success(), "{version:?}");
    let direct = Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(version.stdout, direct.stdout, "one name, one version line");
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("migrate "));

    // A command through cargo: init writes the same files.
    let init = cargo(&["init"]);
    assert!(init.status.success(), "{init:?}");
    assert!(dir.path().join("migrations").is_dir());
    assert!(dir.path().join("migrate.toml").is_file());
    let heads = cargo(&["heads", "--format", "json"]);
    assert!(heads.status.success(), "{heads:?}");
    assert_eq!(
        String::from_utf8_lossy(&heads.stdout).trim(),
        r#"{"heads":[]}"#
    );
}
