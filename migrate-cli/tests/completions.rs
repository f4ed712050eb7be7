//! `completions SHELL` writes a script that names every command and flag, and that the
//! shell itself accepts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn script(shell: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
        .args(["completions", shell])
        .current_dir(tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn bash_completions_name_the_commands_and_parse() {
    let bash = script("bash");
    for word in ["resolve", "upgrade", "--allow-table-drops", "--check-heads"] {
        assert!(bash.contains(word), "{word} missing");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("migrate.bash");
    std::fs::write(&path, &bash).unwrap();
    let checked = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(checked.status.success(), "{checked:?}");
}

#[test]
fn every_listed_shell_gets_a_script() {
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(script(shell).contains("resolve"), "{shell}");
    }
}
