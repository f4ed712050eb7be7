//! `man [COMMAND]` writes roff pages built from the same definitions as `--help`, which
//! `man` itself renders when it is installed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn man(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
        .arg("man")
        .args(args)
        .current_dir(tempfile::tempdir().unwrap().path())
        .output()
        .unwrap()
}

#[test]
fn the_program_page_lists_every_command() {
    let out = man(&[]);
    assert!(out.status.success(), "{out:?}");
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie"),
        "roff: {}",
        &page[..80.min(page.len())]
    );
    assert!(page.contains(".TH migrate 1"), "{page}");
    for command in ["upgrade", "downgrade", "inspect", "resolve", "completions"] {
        assert!(page.contains(command), "{command} missing");
    }
}

#[test]
fn a_command_page_has_its_flags() {
    let out = man(&["upgrade"]);
    assert!(out.status.success(), "{out:?}");
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH migrate-upgrade 1"), "{page}");
    assert!(page.contains("\\-\\-sql"), "{page}");
}

#[test]
fn an_unknown_command_is_refused_with_the_list() {
    let out = man(&["upgrad"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no command `upgrad`"), "{stderr}");
    assert!(stderr.contains("upgrade"), "{stderr}");
}
