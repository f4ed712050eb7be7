//! `fleet`: 50 SQLite databases and 20 PostgreSQL tenant schemas upgraded by one command
//! with `-j 4`, one tenant made to fail: the others reach head, the report names the
//! failure, the exit code is non-zero, the JSON parses; `fleet current --check-heads` and
//! `fleet check` read the same fleet. Without TEST_POSTGRES_URL, the SQLite half runs alone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use integration_tests::server::{Backend, TestDatabase};
use integration_tests::Project;
use migrate_core::registry::ModelDef;
use migrate_core::Model;
use serde_json::Value;

#[derive(Debug, Model)]
pub struct Gadget {
    pub id: i64,
    #[model(max_length = 40)]
    pub label: String,
}

fn models() -> Vec<&'static ModelDef> {
    vec![<Gadget as Model>::definition()]
}

const SQLITE_TARGETS: usize = 50;
const TENANTS: usize = 20;
/// The tenant that already holds a `gadgets` table of its own, so the first revision fails.
const BROKEN_TENANT: &str = "tenant_07";

fn statuses(report: &Value) -> Vec<(String, String)> {
    report["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| {
            (
                t["target"].as_str().unwrap().to_owned(),
                t["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn one_command_upgrades_many_targets_and_reports_the_one_that_failed() {
    let project = Project::new();
    std::fs::create_dir_all(project.migrations()).unwrap();
    project
        .run(
            &models(),
            &[
                "--dialects=sqlite,postgres",
                "revision",
                "--autogenerate",
                "-m",
                "gadgets",
            ],
        )
        .expect_code(0);
    project
        .run(
            &models(),
            &["--dialects=sqlite,postgres", "revision", "-m", "seed"],
        )
        .expect_code(0);
    let seed = project.revisions().pop().unwrap();
    for script in ["up.sql", "up.postgres.sql"] {
        std::fs::write(
            seed.join(script),
            "INSERT INTO gadgets (id, label) VALUES (1, 'first');\n",
        )
        .unwrap();
    }

    // The SQLite half: a file listing 50 databases, none of which exists yet.
    let dir = project.path().join("tenants");
    std::fs::create_dir_all(&dir).unwrap();
    let mut list = String::from("# one database per customer\n\n");
    for i in 0..SQLITE_TARGETS {
        list.push_str(&format!(
            "sqlite://{}\n",
            dir.join(format!("c{i:02}.db")).display()
        ));
    }
    let list_file = project.path().join("fleet.txt");
    std::fs::write(&list_file, list).unwrap();
    let list_arg = list_file.display().to_string();

    let pg = TestDatabase::create(Backend::Postgres);
    let mut args = vec![
        "fleet",
        "upgrade",
        "-j",
        "4",
        "--keep-going",
        "--databases-file",
        &list_arg,
        "--format",
        "json",
    ];
    let url = match &pg {
        Some(db) => {
            let mut conn = db.connect();
            for i in 0..TENANTS {
                conn.batch_execute(&format!("CREATE SCHEMA tenant_{i:02}"))
                    .unwrap();
            }
            // A schema the pattern does not match stays untouched.
            conn.batch_execute("CREATE SCHEMA other; CREATE TABLE tenant_07.gadgets (x int)")
                .unwrap();
            args.extend(["--schemas", "tenant\\_%"]);
            db.url.clone()
        }
        None => project.database_url(),
    };
    let expected_targets = SQLITE_TARGETS + if pg.is_some() { TENANTS } else { 0 };

    let out = project.run_with_url(&models(), &url, &args);
    let report: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", out.stdout, out.stderr));
    let statuses = statuses(&report);
    assert_eq!(statuses.len(), expected_targets, "{statuses:?}");
    assert_eq!(report["counts"]["targets"], expected_targets);
    let failed: Vec<&(String, String)> = statuses.iter().filter(|(_, s)| s != "ok").collect();
    if pg.is_some() {
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(report["ok"], false);
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(
            failed[0].0.ends_with(&format!("(schema {BROKEN_TENANT})")),
            "{failed:?}"
        );
        assert_eq!(failed[0].1, "failed");
        let broken = report["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["schema"] == BROKEN_TENANT)
            .unwrap();
        let error = broken["error"].as_str().unwrap();
        assert!(error.contains("gadgets"), "{error}");
    } else {
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(failed.is_empty(), "{failed:?}");
    }
    // Every other target went from base to head, two revisions each.
    for target in report["targets"].as_array().unwrap() {
        if target["schema"] == BROKEN_TENANT {
            continue;
        }
        assert_eq!(target["from"], serde_json::json!([]), "{target}");
        assert_eq!(target["revisions"], 2, "{target}");
    }
    // Progress went to stderr, one line per target.
    assert_eq!(
        out.stderr.lines().filter(|l| l.starts_with('[')).count(),
        expected_targets,
        "{}",
        out.stderr
    );
    for i in [0, 17, 49] {
        let mut conn = migrate_core::db::Connection::establish(
            &migrate_core::db::DatabaseUrl::sqlite(dir.join(format!("c{i:02}.db"))),
        )
        .unwrap();
        assert!(conn.has_rows("gadgets").unwrap());
    }

    // The readiness probe over the same fleet: all at head but the broken tenant (behind:
    // its failed revision rolled back with its transaction).
    let mut probe = vec![
        "fleet",
        "current",
        "--check-heads",
        "--databases-file",
        &list_arg,
    ];
    if pg.is_some() {
        probe.extend(["--schemas", "tenant\\_%"]);
    }
    let out = project.run_with_url(&models(), &url, &probe);
    if pg.is_some() {
        assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains(&format!(
                "(schema {BROKEN_TENANT}):\n  - behind: 2 revision(s) pending"
            )),
            "{}",
            out.stdout
        );
    } else {
        assert_eq!(out.code, 0, "{}", out.stdout);
    }
    assert!(
        out.stdout.contains(&format!(
            "{expected_targets} target(s): {} ok, 0 failed",
            expected_targets - usize::from(pg.is_some())
        )),
        "{}",
        out.stdout
    );

    // `fleet check` compares each target with the models; the text table names the one
    // that differs.
    let mut check = vec!["fleet", "check", "--databases-file", &list_arg];
    if pg.is_some() {
        check.extend(["--schemas", "tenant\\_%"]);
    }
    let out = project.run_with_url(&models(), &url, &check);
    if pg.is_some() {
        assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
        // Its progress line, then its row of the table.
        let lines: Vec<&str> = out
            .stdout
            .lines()
            .filter(|l| l.contains(BROKEN_TENANT))
            .collect();
        assert!(
            lines.iter().any(|l| l.ends_with("differences")),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout
                .contains(&format!("{expected_targets} target(s): 69 ok, 0 failed")),
            "{}",
            out.stdout
        );
    } else {
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    }

    // Stop is the default: without --keep-going, no target starts after the first failure.
    if pg.is_some() {
        let out = project.run_with_url(
            &models(),
            &url,
            &["fleet", "upgrade", "-j", "1", "--schemas", "tenant\\_%"],
        );
        assert_eq!(out.code, 1, "{}", out.stdout);
        assert!(out.stdout.contains("failed: postgres://"), "{}", out.stdout);
        assert!(
            out.stdout.contains(&format!(
                "{TENANTS} target(s): 7 ok, 1 failed, 12 not started"
            )),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn a_fleet_needs_targets_and_reads_without_writing() {
    let project = Project::new();
    std::fs::create_dir_all(project.migrations()).unwrap();
    let out = project.run(&models(), &["fleet", "upgrade"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("no fleet to work on"), "{}", out.stderr);

    let missing = project.path().join("missing.db");
    let url = format!("sqlite://{}", missing.display());
    let out = project.run(&models(), &["fleet", "current", "--database", &url]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("does not exist"), "{}", out.stdout);
    assert!(!missing.exists(), "a read created the database");

    std::fs::write(
        project.path().join("bad.txt"),
        "sqlite://ok.db\nredis://x\n",
    )
    .unwrap();
    let bad = project.path().join("bad.txt").display().to_string();
    let out = project.run(&models(), &["fleet", "upgrade", "--databases-file", &bad]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("line 2"), "{}", out.stderr);
}
