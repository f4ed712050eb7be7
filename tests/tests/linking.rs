//! A crate the binary never names is not linked, so its models are not registered: the
//! result must be an error with the fix, never an empty schema (which would drop every table).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn a_binary_that_does_not_name_the_models_crate_gets_the_hint() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_unlinked-migrate"))
        .arg("models")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no models are registered"), "{stderr}");
    assert!(stderr.contains("use your_models_crate as _;"), "{stderr}");
}

#[test]
fn autogenerate_with_no_models_refuses_instead_of_dropping_tables() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_unlinked-migrate"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    assert!(run(&["init"]).status.success());
    let out = run(&["revision", "--autogenerate", "-m", "oops"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no models are registered"));
    assert_eq!(
        std::fs::read_dir(dir.path().join("migrations"))
            .unwrap()
            .count(),
        0
    );
}
