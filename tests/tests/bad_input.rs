//! Malformed input: every case exits with its code and a one-paragraph message, and leaves
//! the project's files and database byte for byte as they were. Then the same failures with
//! URLs that carry a password: it appears in no output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use integration_tests::{Outcome, Project};

/// Every file under the project (the SQLite database included) with its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.insert(path.clone(), Vec::new());
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A project with one applied revision in an existing SQLite database.
fn project() -> Project {
    let project = Project::new();
    revision(
        &project,
        "first1",
        "run_in_transaction = true\nrevision = \"first1\"\nparents = []\n",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
    );
    project.run(&[], &["upgrade"]).expect_code(0);
    project
}

fn revision(project: &Project, name: &str, metadata: &str, up: &str) -> PathBuf {
    let dir = project.migrations().join(format!(
        "2026-01-0{}-000000_{name}",
        project.revisions().len() + 1
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("metadata.toml"), metadata).unwrap();
    std::fs::write(dir.join("up.sql"), up).unwrap();
    std::fs::write(dir.join("down.sql"), "").unwrap();
    dir
}

/// Runs a command that must refuse: exit `code`, an `error:` paragraph holding `expected`,
/// and nothing under the project changed.
#[track_caller]
fn refused(project: &Project, url: Option<&str>, args: &[&str], code: i32, expected: &str) {
    let before = tree(project.path());
    let out = match url {
        Some(url) => project.run_with_url(&[], url, args),
        None => project.run(&[], args),
    };
    let out = out.expect_code(code);
    let message = out.stderr.trim();
    assert!(message.contains("error: "), "{message}");
    assert!(
        message.contains(expected),
        "wanted `{expected}` in:\n{message}"
    );
    assert!(!message.contains("\n\n"), "not one paragraph:\n{message}");
    assert_eq!(
        tree(project.path()).keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "files were created or removed"
    );
    let after = tree(project.path());
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(changed.is_empty(), "changed: {changed:?}");
}

#[test]
fn a_misspelled_metadata_key_is_refused_with_the_closest_key() {
    let project = project();
    revision(
        &project,
        "second2",
        "run_in_transacton = true\nrevision = \"second2\"\nparents = [\"first1\"]\n",
        "CREATE TABLE more (id INTEGER);",
    );
    refused(
        &project,
        None,
        &["upgrade"],
        1,
        "unknown key `run_in_transacton`\n  hint: did you mean `run_in_transaction`?",
    );
}

#[test]
fn metadata_with_graph_keys_but_no_run_in_transaction_is_refused() {
    let project = project();
    revision(
        &project,
        "second2",
        "revision = \"second2\"\nparents = [\"first1\"]\n",
        "CREATE TABLE more (id INTEGER);",
    );
    refused(
        &project,
        None,
        &["upgrade"],
        1,
        "`run_in_transaction` is missing",
    );
}

#[test]
fn a_revision_id_longer_than_the_version_column_is_refused_when_loading() {
    let project = project();
    let id = "x".repeat(65);
    revision(
        &project,
        "long",
        &format!("run_in_transaction = true\nrevision = \"{id}\"\nparents = [\"first1\"]\n"),
        "CREATE TABLE more (id INTEGER);",
    );
    refused(&project, None, &["history"], 1, "is 65 bytes long");
    refused(&project, None, &["upgrade"], 1, "at most 64");
}

/// A database an application made without migrations: one table, no version table.
fn application_database(project: &Project) {
    let mut conn = migrate_core::db::Connection::establish(&migrate_core::db::DatabaseUrl::sqlite(
        project.database(),
    ))
    .unwrap();
    conn.batch_execute("CREATE TABLE app_data (id INTEGER PRIMARY KEY)")
        .unwrap();
    std::fs::write(project.path().join("migrate.toml"), "").unwrap();
}

#[test]
fn an_unknown_target_creates_no_version_table() {
    let project = Project::new();
    revision(
        &project,
        "first1",
        "run_in_transaction = true\nrevision = \"first1\"\nparents = []\n",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
    );
    std::fs::write(project.path().join("migrate.toml"), "").unwrap();
    // Nor a database file where there was none.
    refused(
        &project,
        None,
        &["upgrade", "nosuch"],
        1,
        "unknown revision `nosuch`",
    );
    refused(
        &project,
        None,
        &["stamp", "nosuch"],
        1,
        "unknown revision `nosuch`",
    );
    application_database(&project);
    refused(
        &project,
        None,
        &["upgrade", "nosuch"],
        1,
        "unknown revision `nosuch`",
    );
    refused(
        &project,
        None,
        &["stamp", "nosuch"],
        1,
        "unknown revision `nosuch`",
    );
}

#[test]
fn a_dialect_mismatch_is_refused_before_anything_is_written() {
    let project = Project::new();
    revision(
        &project,
        "pg1",
        "run_in_transaction = true\nrevision = \"pg1\"\nparents = []\ndialect = \"postgres\"\n",
        "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY);",
    );
    std::fs::write(project.path().join("migrate.toml"), "").unwrap();
    refused(&project, None, &["upgrade"], 1, "have no sqlite SQL");
    application_database(&project);
    refused(&project, None, &["upgrade"], 1, "have no sqlite SQL");
}

#[test]
fn read_only_commands_on_a_mistyped_sqlite_path_create_nothing() {
    let project = project();
    let typo = format!("sqlite://{}/nodir/typo.db", project.path().display());
    for args in [
        &["current"][..],
        &["current", "--check-heads"],
        &["history", "-i"],
        &["downgrade", "base"],
        &["resolve", "first1", "--applied"],
    ] {
        refused(&project, Some(&typo), args, 1, "typo.db does not exist");
    }
    // `check` needs models first; with none registered it stops before connecting.
    assert!(!project.path().join("nodir").exists());
}

#[test]
fn a_server_url_must_name_its_database() {
    let project = project();
    refused(
        &project,
        Some("postgres://postgres@127.0.0.1:5432"),
        &["current"],
        1,
        "the URL names no database",
    );
    refused(
        &project,
        Some("mysql://root@127.0.0.1:3306/"),
        &["upgrade"],
        1,
        "the URL names no database",
    );
}

#[test]
fn empty_revisions_warn_when_written_and_when_run() {
    let project = project();
    let out = project
        .run(&[], &["revision", "-m", "later"])
        .expect_code(0);
    assert!(
        out.stderr
            .contains("warning: its up.sql and down.sql are empty"),
        "{}",
        out.stderr
    );
    let dir = revision(
        &project,
        "comments",
        "run_in_transaction = true\nrevision = \"cmt1\"\nparents = [\"first1\"]\n",
        "-- nothing yet\n/* still nothing */\n",
    );
    let out: Outcome = project.run(&[], &["upgrade", "cmt1"]).expect_code(0);
    assert!(
        out.stderr.contains(&format!(
            "warning: revision cmt1 ({}) has no SQL statement in its up SQL",
            dir.display()
        )),
        "{}",
        out.stderr
    );
}

#[test]
fn only_foreign_key_violations_a_revision_adds_block_it_on_sqlite() {
    let project = project();
    let mut conn = migrate_core::db::Connection::establish(&migrate_core::db::DatabaseUrl::sqlite(
        project.database(),
    ))
    .unwrap();
    conn.batch_execute(
        "PRAGMA foreign_keys = OFF;\n\
         CREATE TABLE owners (id INTEGER PRIMARY KEY);\n\
         CREATE TABLE pets (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owners (id));\n\
         INSERT INTO pets (id, owner_id) VALUES (1, 99);",
    )
    .unwrap();
    drop(conn);
    revision(
        &project,
        "unrelated",
        "run_in_transaction = true\nrevision = \"other2\"\nparents = [\"first1\"]\n",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);",
    );
    project.run(&[], &["upgrade"]).expect_code(0);
    revision(
        &project,
        "orphans",
        "run_in_transaction = true\nrevision = \"orph3\"\nparents = [\"other2\"]\n",
        "INSERT INTO pets (id, owner_id) VALUES (7, 98);",
    );
    let out = project.run(&[], &["upgrade"]).expect_code(1);
    assert!(
        out.stderr.contains(
            "the revision leaves 1 row(s) violating foreign keys: pets rowid 7 (no matching row in owners)"
        ),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------
// No secret in any output.

const PASSWORD: &str = "Pa55-w0rd-1917";
/// A password holding `@`, written unencoded as people do.
const AT_PASSWORD: &str = "se@cret-7x";

/// The failure cases, each as (URL, arguments), for URLs that carry a password.
fn failure_cases(urls: &[String]) -> Vec<(String, Vec<&'static str>)> {
    let commands: [&[&str]; 9] = [
        &["-v", "current"],
        &["current", "--check-heads", "--format", "json"],
        &["-v", "upgrade"],
        &["upgrade", "nosuch"],
        &["downgrade", "base"],
        &["history", "-i"],
        &["stamp", "head"],
        &["resolve", "first1", "--applied"],
        &["-v", "upgrade", "--sql"],
    ];
    urls.iter()
        .flat_map(|url| {
            commands
                .iter()
                .map(move |args| (url.clone(), args.to_vec()))
        })
        .collect()
}

#[test]
fn no_output_holds_a_password() {
    let project = project();
    // A revision that fails on every backend, so runs that connect fail part-way too.
    revision(
        &project,
        "broken",
        "run_in_transaction = true\nrevision = \"broken2\"\nparents = [\"first1\"]\n",
        "INSERT INTO no_such_table (id) VALUES (1);",
    );
    let mut urls: Vec<String> = vec![
        format!("redis://user:{PASSWORD}@127.0.0.1/db"),
        format!("postgres://user:{PASSWORD}@127.0.0.1:1/app"),
        format!("postgres://user:{AT_PASSWORD}@127.0.0.1:1/app"),
        format!("postgres://user:{PASSWORD}@127.0.0.1:5432"),
        format!("mysql://root:{PASSWORD}@127.0.0.1:1/app"),
        format!("mariadb://root:{AT_PASSWORD}@127.0.0.1:1/app"),
        format!("mssql://sa:{PASSWORD}@127.0.0.1/app"),
    ];
    // Live servers: PostgreSQL's trust authentication accepts any password, so these runs
    // get as far as the failing revision; MariaDB refuses the password.
    if let Ok(url) = std::env::var("TEST_POSTGRES_URL") {
        urls.push(url.replacen("://postgres@", &format!("://postgres:{PASSWORD}@"), 1));
    }
    if let Ok(url) = std::env::var("TEST_MYSQL_URL") {
        urls.push(url.replacen("://root@", &format!("://root:{PASSWORD}@"), 1));
    }
    let mut masked = 0;
    for (url, args) in failure_cases(&urls) {
        let out = project.run_with_url(&[], &url, &args);
        let all = format!("{}{}", out.stdout, out.stderr);
        for secret in [PASSWORD, AT_PASSWORD, "cret-7x", "se%40cret"] {
            assert!(
                !all.contains(secret),
                "`{args:?}` on {url} printed the password:\n{all}"
            );
        }
        masked += all.matches(":***@").count();
    }
    assert!(masked > 10, "the URLs were not shown at all ({masked})");
}

#[allow(dead_code)] // the struct is only a model: its fields are never read
mod model {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "notes")]
    pub struct Note {
        pub id: i64,
    }
}

/// `check` and `current` show a revision that stopped part-way, with its statement, error
/// and the `resolve` command; `stamp` refuses to paper over it.
#[test]
fn a_failed_revision_is_shown_by_check_and_current_and_refused_by_stamp() {
    let project = project();
    let mut conn = migrate_core::db::Connection::establish(&migrate_core::db::DatabaseUrl::sqlite(
        project.database(),
    ))
    .unwrap();
    conn.batch_execute(
        "UPDATE migrate_versions SET state = 'failed', statement_index = 0, error = 'boom' \
         WHERE revision = 'first1'",
    )
    .unwrap();
    drop(conn);
    let models = [<model::Note as migrate_core::Model>::definition()];
    let shown = "revision first1 failed while upgrading after statement 0 of 1 completed; \
                 statement 1 failed: CREATE TABLE notes (id INTEGER PRIMARY KEY)\n  error: boom";
    let out = project.run(&models, &["check"]).expect_code(3);
    assert!(out.stdout.contains(shown), "{}", out.stdout);
    assert!(
        out.stdout.contains("`resolve first1 --applied`"),
        "{}",
        out.stdout
    );
    let out = project.run(&models, &["current"]).expect_code(0);
    assert!(out.stdout.contains(shown), "{}", out.stdout);
    refused(
        &project,
        None,
        &["stamp", "head"],
        1,
        "`resolve first1 --rolled-back`",
    );
    let out = project
        .run(&models, &["resolve", "first1", "--applied"])
        .expect_code(0);
    assert!(
        out.stdout
            .contains("Resolved first1: was failed while upgrading after 0 statement(s)"),
        "{}",
        out.stdout
    );
    project.run(&models, &["check"]).expect_code(0);
}

/// An applied revision whose file was edited on purpose gets its new checksum from
/// `resolve --applied`, keeping its applied time; an unedited one has nothing to resolve.
#[test]
fn an_edited_applied_revision_is_re_recorded_by_resolve() {
    let project = project();
    let times = |project: &Project| {
        let mut conn = migrate_core::db::Connection::establish(
            &migrate_core::db::DatabaseUrl::sqlite(project.database()),
        )
        .unwrap();
        migrate_core::version_table::read(&mut conn, "migrate_versions")
            .unwrap()
            .into_iter()
            .map(|r| (r.revision, r.applied_at, r.checksum))
            .collect::<Vec<_>>()
    };
    let before = times(&project);
    refused(
        &project,
        None,
        &["resolve", "first1", "--applied"],
        1,
        "its file is as it ran",
    );
    let up = project.revisions()[0].join("up.sql");
    std::fs::write(
        &up,
        "-- the notes\nCREATE TABLE notes (id INTEGER PRIMARY KEY);",
    )
    .unwrap();
    let out = project.run(&[], &["upgrade"]).expect_code(1);
    assert!(
        out.stderr.contains("`resolve REV --applied`"),
        "{}",
        out.stderr
    );
    project
        .run(&[], &["resolve", "first1", "--applied"])
        .expect_code(0);
    let after = times(&project);
    assert_eq!(after[0].1, before[0].1, "the applied time changed");
    assert_ne!(after[0].2, before[0].2, "the checksum was not re-recorded");
    project.run(&[], &["upgrade"]).expect_code(0);
}
