//! Parallel work on SQLite: branches, merges, offline SQL and the integrity errors a team
//! meets, through the CLI.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use integration_tests::Project;
use migrate_core::registry::ModelDef;
use migrate_core::Model;

mod models {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[allow(dead_code)] // only its table definition is used
    pub struct Team {
        pub id: i64,
        pub name: String,
    }
}

fn models() -> Vec<&'static ModelDef> {
    vec![models::Team::definition()]
}

/// A revision with hand-written SQL on top of `head` (or on `--head REV`).
fn hand_written(project: &Project, args: &[&str], up: &str, down: &str) -> String {
    let mut argv = vec!["revision"];
    argv.extend_from_slice(args);
    project.run(&models(), &argv).expect_code(0);
    let dir = newest(project);
    std::fs::write(dir.join("up.sql"), up).unwrap();
    std::fs::write(dir.join("down.sql"), down).unwrap();
    let metadata = std::fs::read_to_string(dir.join("metadata.toml")).unwrap();
    metadata
        .lines()
        .find_map(|l| l.strip_prefix("revision = \""))
        .unwrap()
        .trim_end_matches('"')
        .to_owned()
}

fn newest(project: &Project) -> std::path::PathBuf {
    project
        .revisions()
        .into_iter()
        .max_by_key(|d| std::fs::metadata(d).unwrap().modified().unwrap())
        .unwrap()
}

#[test]
fn two_branches_merge_and_go_back_to_base() {
    let project = Project::new();
    let m = models();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run(
            &m,
            &[
                "revision",
                "--autogenerate",
                "-m",
                "teams",
                "--rev-id",
                "base1",
            ],
        )
        .expect_code(0);
    project.run(&m, &["upgrade"]).expect_code(0);

    // Two people branch from the same head.
    hand_written(
        &project,
        &["-m", "alice", "--rev-id", "alice1", "--head", "base1"],
        "CREATE TABLE a (id INTEGER PRIMARY KEY);",
        "DROP TABLE a;",
    );
    hand_written(
        &project,
        &[
            "-m",
            "bob",
            "--rev-id",
            "bob1",
            "--head",
            "base1",
            "--branch-label",
            "bob",
        ],
        "CREATE TABLE b (id INTEGER PRIMARY KEY);",
        "DROP TABLE b;",
    );
    let heads = project.run(&m, &["heads"]).expect_code(0);
    assert!(
        heads.stdout.contains("alice1") && heads.stdout.contains("bob1"),
        "{}",
        heads.stdout
    );
    let branches = project.run(&m, &["branches"]).expect_code(0);
    assert!(branches.stdout.contains("base1"), "{}", branches.stdout);

    let out = project.run(&m, &["upgrade", "head"]).expect_code(1);
    assert!(
        out.stderr.contains("merge"),
        "suggests merge: {}",
        out.stderr
    );
    let out = project.run(&m, &["revision", "-m", "more"]).expect_code(1);
    assert!(out.stderr.contains("merge heads"), "{}", out.stderr);

    project
        .run(&m, &["merge", "heads", "-m", "join", "--rev-id", "merge1"])
        .expect_code(0);
    let out = project.run(&m, &["upgrade", "head"]).expect_code(0);
    assert!(
        out.stdout.contains("3 revision(s) applied"),
        "{}",
        out.stdout
    );
    let current = project.run(&m, &["current"]).expect_code(0);
    assert!(current.stdout.contains("merge1"), "{}", current.stdout);
    let history = project
        .run(&m, &["history", "--indicate-current"])
        .expect_code(0);
    assert!(
        history
            .stdout
            .contains("alice1, bob1 -> merge1 (head, current, mergepoint), join"),
        "{}",
        history.stdout
    );

    // -1 from the merge reverts the merge alone.
    let out = project.run(&m, &["downgrade", "-1"]).expect_code(0);
    assert!(
        out.stdout.contains("1 revision(s) reverted"),
        "{}",
        out.stdout
    );
    let current = project.run(&m, &["current"]).expect_code(0);
    assert!(
        current.stdout.contains("alice1") && current.stdout.contains("bob1"),
        "{}",
        current.stdout
    );

    // One branch by its label, then everything.
    project.run(&m, &["downgrade", "bob@base"]).expect_code(0);
    let current = project.run(&m, &["current"]).expect_code(0);
    assert!(
        current.stdout.contains("alice1") && !current.stdout.contains("bob1"),
        "{}",
        current.stdout
    );
    project.run(&m, &["upgrade", "heads"]).expect_code(0);
    project.run(&m, &["upgrade", "head"]).expect_code(0);
    let out = project.run(&m, &["downgrade", "base"]).expect_code(0);
    assert!(
        out.stdout.contains("4 revision(s) reverted"),
        "{}",
        out.stdout
    );
    let current = project.run(&m, &["current"]).expect_code(0);
    assert!(current.stdout.contains("base"), "{}", current.stdout);
}

#[test]
fn offline_sql_runs_in_the_sqlite_client() {
    let project = Project::new();
    let m = models();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run(
            &m,
            &[
                "revision",
                "--autogenerate",
                "-m",
                "teams",
                "--rev-id",
                "aaa111",
            ],
        )
        .expect_code(0);
    hand_written(
        &project,
        &["-m", "add motto", "--rev-id", "bbb222"],
        "ALTER TABLE teams ADD COLUMN motto TEXT;\nINSERT INTO teams (name, motto) VALUES ('it''s; us', 'go');",
        "DELETE FROM teams;\nALTER TABLE teams DROP COLUMN motto;",
    );

    // `revision --autogenerate` compared with an empty database without creating the file.
    assert!(!project.database().exists());
    let up = project
        .run(&m, &["upgrade", "--sql", "base:head"])
        .expect_code(0);
    assert!(
        !project.database().exists(),
        "offline mode must not connect"
    );
    let script = up.stdout.clone();
    insta::assert_snapshot!("offline_upgrade_sqlite", without_checksums(&script));
    // The same range for the server dialects: their quoting, clock and transactions. Offline
    // mode needs no server, so these run everywhere. SQL written for SQLite is refused there
    // until the revisions carry a pair for that dialect.
    let refused = project
        .run_with_url(
            &m,
            "postgres://app@db.invalid/app",
            &["upgrade", "--sql", ":head"],
        )
        .expect_code(1);
    assert!(
        refused.stderr.contains("no postgres SQL"),
        "{}",
        refused.stderr
    );
    for dir in project.revisions() {
        for side in ["up", "down"] {
            let sql = std::fs::read_to_string(dir.join(format!("{side}.sql"))).unwrap();
            for dialect in ["postgres", "mysql"] {
                let mut ported = sql
                    .replace(" AUTOINCREMENT", "")
                    .replace("INTEGER PRIMARY KEY", "BIGINT PRIMARY KEY");
                if dialect == "mysql" {
                    ported = ported.replace('"', "`");
                }
                std::fs::write(dir.join(format!("{side}.{dialect}.sql")), ported).unwrap();
            }
        }
    }
    for (name, url) in [
        ("postgres", "postgres://app@db.invalid/app"),
        ("mysql", "mysql://app@db.invalid/app"),
    ] {
        let out = project
            .run_with_url(&m, url, &["upgrade", "--sql", ":head"])
            .expect_code(0);
        insta::assert_snapshot!(
            format!("offline_upgrade_{name}"),
            without_checksums(&out.stdout)
        );
    }

    // The database's own client runs the script as it is.
    let status = std::process::Command::new("sqlite3")
        .arg(project.database())
        .stdin(std::fs::File::open(write(&project, "up.sql", &up.stdout)).unwrap())
        .output()
        .expect("the sqlite3 client (scripts/install-system-deps.sh installs it)");
    assert!(status.status.success(), "{status:?}");
    assert!(
        status.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let current = project.run(&m, &["current"]).expect_code(0);
    assert!(current.stdout.contains("bbb222"), "{}", current.stdout);
    project.run(&m, &["check"]).expect_code(3); // the motto column is not in the models

    let down = project
        .run(&m, &["downgrade", "--sql", "head:base"])
        .expect_code(0);
    let status = std::process::Command::new("sqlite3")
        .arg(project.database())
        .stdin(std::fs::File::open(write(&project, "down.sql", &down.stdout)).unwrap())
        .output()
        .unwrap();
    assert!(
        status.status.success() && status.stderr.is_empty(),
        "{status:?}"
    );
    let current = project.run(&m, &["current"]).expect_code(0);
    assert!(current.stdout.contains("base"), "{}", current.stdout);
}

/// The script with the version rows' checksums and clock cut off (they change with the
/// header timestamps).
fn without_checksums(script: &str) -> String {
    script
        .lines()
        .map(|l| {
            if l.contains("migrate_versions") && l.starts_with("INSERT") {
                l.split(", '").take(2).collect::<Vec<_>>().join(", '") + ", <checksum>, …)"
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn write(project: &Project, name: &str, text: &str) -> std::path::PathBuf {
    let path = project.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn integrity_errors_name_the_revision_and_the_fix() {
    let project = Project::new();
    let m = models();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run(
            &m,
            &[
                "revision",
                "--autogenerate",
                "-m",
                "teams",
                "--rev-id",
                "first1",
            ],
        )
        .expect_code(0);
    hand_written(
        &project,
        &["-m", "second", "--rev-id", "second2"],
        "SELECT 1;",
        "SELECT 1;",
    );
    project.run(&m, &["upgrade"]).expect_code(0);

    // An applied revision's up.sql edited afterwards.
    let dir = newest(&project);
    std::fs::write(dir.join("up.sql"), "SELECT 2;").unwrap();
    let out = project.run(&m, &["check"]).expect_code(3);
    assert!(out.stdout.contains("second2"), "{}", out.stdout);
    assert!(
        out.stdout.contains("edited after it was applied"),
        "{}",
        out.stdout
    );

    // A revision recorded in the database whose folder is gone.
    std::fs::remove_dir_all(&dir).unwrap();
    let out = project.run(&m, &["upgrade"]).expect_code(1);
    assert!(out.stderr.contains("second2"), "{}", out.stderr);
    assert!(out.stderr.contains("stamp"), "{}", out.stderr);
    let out = project.run(&m, &["current"]).expect_code(0);
    assert!(out.stderr.contains("second2"), "{}", out.stderr);

    // stamp repairs it.
    project
        .run(&m, &["stamp", "first1", "--purge"])
        .expect_code(0);
    project.run(&m, &["upgrade"]).expect_code(0);
    project.run(&m, &["check"]).expect_code(0);

    // A missing parent names the folder.
    let orphan = project.migrations().join("2099-01-01-000000_orphan");
    std::fs::create_dir(&orphan).unwrap();
    std::fs::write(orphan.join("up.sql"), "").unwrap();
    std::fs::write(orphan.join("down.sql"), "").unwrap();
    std::fs::write(
        orphan.join("metadata.toml"),
        "run_in_transaction = true\nrevision = \"orphan\"\nparents = [\"nowhere\"]\nmessage = \"x\"\n",
    )
    .unwrap();
    let out = project.run(&m, &["heads"]).expect_code(1);
    assert!(
        out.stderr.contains("nowhere") && out.stderr.contains("2099-01-01-000000_orphan"),
        "{}",
        out.stderr
    );
}
