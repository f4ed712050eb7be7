//! Output a reader stops reading ends the command quietly; `branches` says when there are
//! none.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("migrations/2026-01-01-000000_big");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("metadata.toml"),
        "run_in_transaction = true\nrevision = \"big1\"\nparents = []\n",
    )
    .unwrap();
    let up: String = (0..50_000)
        .map(|n| format!("INSERT INTO t (n) VALUES ({n});\n"))
        .collect();
    std::fs::write(folder.join("up.sql"), up).unwrap();
    std::fs::write(folder.join("down.sql"), "").unwrap();
    dir
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = project();
    let mut child = Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
        .args(["--database-url", "sqlite://app.db", "show", "big1"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = BufReader::new(stdout).lines().next().unwrap().unwrap();
    assert!(!first.is_empty());
    // The reader is gone; the rest of the output meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn branches_says_when_there_are_none() {
    let dir = project();
    let out = Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
        .args(["--database-url", "sqlite://app.db", "branches"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "No branch points: every revision has at most one child."
    );
}
