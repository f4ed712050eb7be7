//! A dropped and an added column of the same type may be a rename. On a terminal (a
//! pseudo-terminal made by `script`) autogenerate asks, and a yes keeps the data; without
//! one it refuses and names the `renamed_from` hint; a revision that loses data is asked
//! about too, and needs --allow-destructive without a terminal.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use integration_tests::Project;

const BIN: &str = env!("CARGO_BIN_EXE_players-migrate");

fn args(project: &Project, rest: &str) -> String {
    format!(
        "{BIN} --database-url {} --migrations-dir {} --color never {rest}",
        project.database_url(),
        project.migrations().display()
    )
}

/// Runs without a terminal.
fn plain(project: &Project, version: &str, rest: &str) -> Output {
    let line = args(project, rest);
    let mut words = line.split(' ');
    Command::new(words.next().unwrap())
        .args(words)
        .env("PLAYERS_VERSION", version)
        .stdin(Stdio::null())
        .current_dir(project.path())
        .output()
        .unwrap()
}

/// Runs on a pseudo-terminal, typing `answers`.
fn on_terminal(project: &Project, version: &str, rest: &str, answers: &str) -> Output {
    let mut child = Command::new("script")
        .args(["-qec", &args(project, rest), "/dev/null"])
        .env("PLAYERS_VERSION", version)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .current_dir(project.path())
        .spawn()
        .expect("`script` (util-linux) makes the pseudo-terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A project at the first version, with one player.
fn project_with_a_player() -> Project {
    let project = Project::new();
    assert!(plain(&project, "1", "init").status.success());
    let out = plain(&project, "1", "revision --autogenerate -m players");
    assert!(out.status.success(), "{}", text(&out));
    assert!(plain(&project, "1", "upgrade").status.success());
    let url = migrate_core::db::DatabaseUrl::parse(&project.database_url()).unwrap();
    migrate_core::db::Connection::establish(&url)
        .unwrap()
        .batch_execute("INSERT INTO players (id, nick) VALUES (1, 'ada')")
        .unwrap();
    project
}

#[test]
fn yes_on_the_terminal_writes_a_rename_that_keeps_the_data() {
    let project = project_with_a_player();
    let out = on_terminal(&project, "2", "revision --autogenerate -m handle", "y\n");
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("players.nick is dropped and players.handle added, both varchar(40): is `nick` renamed to `handle`"),
        "{said}"
    );
    assert!(
        said.contains("rename column players.nick to handle"),
        "{said}"
    );
    let (up, _) = project.last_revision_sql();
    assert!(up.contains("RENAME COLUMN \"nick\" TO \"handle\""), "{up}");
    assert!(!up.contains("DROP COLUMN"), "{up}");

    assert!(plain(&project, "2", "upgrade").status.success());
    let url = migrate_core::db::DatabaseUrl::parse(&project.database_url()).unwrap();
    let mut conn = migrate_core::db::Connection::establish(&url).unwrap();
    assert_eq!(
        conn.count_where_in("players", "handle", &["ada".to_owned()])
            .unwrap(),
        1,
        "the row kept its value"
    );
}

#[test]
fn no_twice_on_the_terminal_writes_nothing() {
    let project = project_with_a_player();
    let before = project.revisions().len();
    // Not a rename; then the drop is asked about, and declined.
    let out = on_terminal(&project, "2", "revision --autogenerate -m handle", "n\nn\n");
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("This revision loses data"), "{said}");
    assert!(said.contains("Nothing written."), "{said}");
    assert_eq!(project.revisions().len(), before);
}

#[test]
fn without_a_terminal_it_refuses_and_names_the_hint() {
    let project = project_with_a_player();
    let before = project.revisions().len();
    let out = plain(&project, "2", "revision --autogenerate -m handle");
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("#[model(renamed_from = \"nick\")]"), "{said}");
    assert!(said.contains("--allow-destructive"), "{said}");
    assert_eq!(project.revisions().len(), before, "nothing written");

    // Meant as a drop: the flag writes it without asking.
    let out = plain(
        &project,
        "2",
        "revision --autogenerate --allow-destructive -m handle",
    );
    assert!(out.status.success(), "{}", text(&out));
    let (up, _) = project.last_revision_sql();
    assert!(up.contains("DROP COLUMN \"nick\""), "{up}");
}
