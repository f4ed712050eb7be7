//! `--help` for the program and every command: snapshotted, and quoted verbatim in
//! docs/commands.md so the documentation cannot drift from the binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_cli::{run_with, Models};

const COMMANDS: [&str; 22] = [
    "init",
    "models",
    "revision",
    "upgrade",
    "downgrade",
    "merge",
    "branches",
    "current",
    "history",
    "heads",
    "show",
    "stamp",
    "resolve",
    "check",
    "inspect",
    "fleet",
    "fleet upgrade",
    "fleet check",
    "fleet current",
    "lint",
    "completions",
    "man",
];

fn help(args: &[&str]) -> String {
    let mut argv = vec!["migrate"];
    // `fleet upgrade` is a command and its subcommand.
    argv.extend(args.iter().flat_map(|a| a.split(' ')));
    argv.push("--help");
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = run_with(argv, &Models::Given(vec![]), &mut out, &mut err, false);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    String::from_utf8(out).unwrap()
}

#[test]
fn help_texts() {
    insta::assert_snapshot!("migrate", help(&[]));
    for command in COMMANDS {
        insta::assert_snapshot!(command.replace(' ', "_"), help(&[command]));
    }
}

#[test]
fn docs_quote_every_help_text() {
    let docs = trim_lines(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/commands.md"),
        )
        .unwrap(),
    );
    for args in std::iter::once(vec![]).chain(COMMANDS.iter().map(|c| vec![*c])) {
        let text = trim_lines(&help(&args));
        // The docs quote the global options once, with the program's help.
        let text = if args.is_empty() {
            text
        } else {
            without_global_options(&text)
        };
        assert!(
            docs.contains(text.trim_end()),
            "docs/commands.md does not quote `migrate {} --help` as it prints now:\n{text}",
            args.join(" ")
        );
    }
}

/// Markdown files keep no trailing spaces; clap pads some blank lines.
fn trim_lines(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

const GLOBAL_FLAGS: [&str; 12] = [
    "--database-url",
    "--migrations-dir",
    "--dialects",
    "--lock-wait",
    "--connect-timeout",
    "--config",
    "--manifest-path",
    "-v, --verbose",
    "-q, --quiet",
    "--color",
    "-h, --help",
    "-V, --version",
];

/// A command's help without the options every command shares (and their continuation
/// lines), and without an `Options:` heading left empty.
fn without_global_options(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let flag = line.trim_start();
        if line.starts_with("  ") && flag.starts_with('-') {
            skipping = GLOBAL_FLAGS.iter().any(|g| flag.starts_with(g));
        } else if !line.starts_with("    ") {
            skipping = false;
        }
        if !skipping {
            kept.push(line);
        }
    }
    while kept
        .last()
        .is_some_and(|l| l.is_empty() || *l == "Options:")
    {
        kept.pop();
    }
    kept.join("\n")
}
