//! The runner under real faults: a process SIGKILLed in the middle of a revision that runs
//! outside a transaction, failed merges and failed downgrades, and their repair with
//! `resolve`. Each scenario runs the CLI binary as its own process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use migrate_core::db::{Connection, DatabaseUrl};
use migrate_core::version_table::{self, State, VersionRow, DEFAULT_VERSION_TABLE};

#[allow(unused_imports)]
use integration_tests::server::{Backend, TestDatabase};

/// Writes one revision folder by hand, as a user would.
fn folder(dir: &Path, id: &str, parents: &[&str], in_transaction: bool, up: &str, down: &str) {
    let path = dir.join(format!("2026-01-01-0000{:02}_{id}", dir_count(dir)));
    std::fs::create_dir_all(&path).unwrap();
    let parents: Vec<String> = parents.iter().map(|p| format!("\"{p}\"")).collect();
    std::fs::write(
        path.join("metadata.toml"),
        format!(
            "run_in_transaction = {in_transaction}\nrevision = \"{id}\"\nparents = [{}]\nmessage = \"{id}\"\n",
            parents.join(", ")
        ),
    )
    .unwrap();
    std::fs::write(path.join("up.sql"), up).unwrap();
    std::fs::write(path.join("down.sql"), down).unwrap();
}

fn dir_count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
}

fn cli(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_unlinked-migrate"));
    command
        .args(["--database-url", url, "--migrations-dir"])
        .arg(dir.join("migrations"))
        .args(["--color", "never"])
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL");
    command
}

fn run(dir: &Path, url: &str, args: &[&str]) -> (i32, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cli(dir, url, args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (status.code().unwrap_or(-1), text)
}

fn connect(url: &str) -> Connection {
    Connection::establish(&DatabaseUrl::parse(url).unwrap()).unwrap()
}

fn rows(url: &str) -> Vec<VersionRow> {
    let mut conn = connect(url);
    if !version_table::exists(&mut conn, DEFAULT_VERSION_TABLE).unwrap() {
        return Vec::new();
    }
    version_table::read(&mut conn, DEFAULT_VERSION_TABLE).unwrap()
}

fn row<'r>(rows: &'r [VersionRow], id: &str) -> &'r VersionRow {
    rows.iter()
        .find(|r| r.revision == id)
        .unwrap_or_else(|| panic!("no row for {id}: {rows:?}"))
}

fn number(url: &str, sql: &str) -> i64 {
    migrate_core::testing::query_number(&mut connect(url), sql).unwrap()
}

fn balance(url: &str) -> i64 {
    number(url, "SELECT balance AS n FROM accounts WHERE id = 1")
}

/// Waits until `done` says so, or panics after `limit`.
fn wait_for(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn kill(mut child: Child) {
    // `Child::kill` is SIGKILL on Unix: no handler runs, nothing is cleaned up.
    child.kill().unwrap();
    child.wait().unwrap();
}

/// The accounts history: `open` makes the table with a balance of 100; `pay` (outside a
/// transaction) adds 50, then runs a slow statement, then adds a column; `after` follows.
fn accounts_history(dir: &Path, sleep: &str) {
    let migrations = dir.join("migrations");
    folder(
        &migrations,
        "open",
        &[],
        true,
        "CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL);\n\
         INSERT INTO accounts (id, balance) VALUES (1, 100);",
        "DROP TABLE accounts;",
    );
    folder(
        &migrations,
        "pay",
        &["open"],
        false,
        &format!(
            "UPDATE accounts SET balance = balance + 50 WHERE id = 1;\n{sleep};\n\
             ALTER TABLE accounts ADD COLUMN note VARCHAR(20);"
        ),
        "ALTER TABLE accounts DROP COLUMN note;\nUPDATE accounts SET balance = balance - 50 WHERE id = 1;",
    );
    folder(
        &migrations,
        "after",
        &["pay"],
        true,
        "CREATE TABLE after_pay (id INT PRIMARY KEY);",
        "DROP TABLE after_pay;",
    );
}

/// A server backend: killed while `pay`'s slow second statement runs, the next run refuses
/// naming the revision and statement; after the rest is done by hand and `resolve --applied`,
/// `upgrade` completes and the balance shows the first statement ran once.
fn killed_outside_a_transaction(url: &str, sleep: &str) {
    let dir = tempfile::tempdir().unwrap();
    accounts_history(dir.path(), sleep);
    let child = cli(dir.path(), url, &["upgrade"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(
        Duration::from_secs(60),
        "pay to start its slow statement",
        || {
            rows(url)
                .iter()
                .any(|r| r.revision == "pay" && r.statement_index == Some(1))
        },
    );
    kill(child);
    let left = rows(url);
    assert_eq!(row(&left, "pay").state, State::Running, "{left:?}");
    let started_at = row(&left, "pay").applied_at.clone();
    assert_eq!(balance(url), 150);

    let (code, text) = run(dir.path(), url, &["upgrade"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(
            "revision pay interrupted while upgrading after statement 1 of 3 completed; statement 2 had started"
        ),
        "{text}"
    );
    assert!(text.contains("resolve pay --applied"), "{text}");
    let (code, text) = run(dir.path(), url, &["current"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("unfinished: revision pay"), "{text}");
    let (code, text) = run(dir.path(), url, &["current", "--check-heads"]);
    assert_eq!(code, 6, "{text}");

    // The rest of the revision, done by hand; then recorded.
    connect(url)
        .batch_execute("ALTER TABLE accounts ADD COLUMN note VARCHAR(20)")
        .unwrap();
    let (code, text) = run(dir.path(), url, &["resolve", "pay", "--applied"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(dir.path(), url, &["upgrade"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("upgraded after"), "{text}");
    assert_eq!(balance(url), 150, "a statement ran twice");
    let done = rows(url);
    assert!(done.iter().all(|r| r.state == State::Applied), "{done:?}");
    assert_eq!(done.len(), 3, "{done:?}");
    assert_eq!(row(&done, "pay").applied_at, started_at);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_killed_outside_a_transaction_refuses_until_resolved() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        killed_outside_a_transaction(&db.url, "SELECT pg_sleep(2)");
    }
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_killed_mid_revision_refuses_until_resolved() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        killed_outside_a_transaction(&db.url, "DO SLEEP(2)");
    }
}

/// On SQLite the run is one transaction: a kill mid-revision leaves the database as it was,
/// and the next run applies everything once.
#[test]
fn sqlite_killed_mid_revision_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    // Seconds of work in one statement.
    accounts_history(
        dir.path(),
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) \
         SELECT max(x) FROM c",
    );
    let mut child = cli(dir.path(), &url, &["upgrade"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Each revision is a line as it finishes: after `open`, `pay` is running.
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("upgraded open"), "{first}");
    std::thread::sleep(Duration::from_millis(300));
    kill(child);
    let mut conn = connect(&url);
    assert!(
        !version_table::exists(&mut conn, DEFAULT_VERSION_TABLE).unwrap(),
        "the killed run's writes were rolled back with it"
    );
    drop(conn);

    let (code, text) = run(dir.path(), &url, &["upgrade"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("3 revision(s) applied"), "{text}");
    assert_eq!(balance(&url), 150, "a statement ran twice");
}

fn count(url: &str, value: &str) -> i64 {
    number(
        url,
        &format!("SELECT COUNT(*) AS n FROM log WHERE v = '{value}'"),
    )
}

fn applied_times(rows: &[VersionRow]) -> Vec<(String, String)> {
    let mut times: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.revision.clone(), r.applied_at.clone()))
        .collect();
    times.sort();
    times
}

/// A merge revision that fails part-way: `resolve` settles that one row; both branches keep
/// their rows and applied times, and nothing runs twice.
fn failed_merge_is_resolved(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    folder(
        &migrations,
        "root",
        &[],
        true,
        "CREATE TABLE log (v VARCHAR(20));",
        "DROP TABLE log;",
    );
    for branch in ["left", "right"] {
        folder(
            &migrations,
            branch,
            &["root"],
            true,
            &format!("INSERT INTO log (v) VALUES ('{branch}');"),
            &format!("DELETE FROM log WHERE v = '{branch}';"),
        );
    }
    folder(
        &migrations,
        "join",
        &["left", "right"],
        false,
        "INSERT INTO log (v) VALUES ('join');\nINSERT INTO missing_table (id) VALUES (1);",
        "DELETE FROM log WHERE v = 'join';",
    );
    let (code, text) = run(dir.path(), url, &["upgrade", "heads"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("resolve join --applied"), "{text}");
    let before = rows(url);
    assert_eq!(row(&before, "join").state, State::Failed, "{before:?}");
    let branches: Vec<(String, String)> = applied_times(&before)
        .into_iter()
        .filter(|(id, _)| id != "join")
        .collect();
    assert_eq!(branches.len(), 3, "{before:?}");

    // `stamp` is not the repair, and says which command is.
    let (code, text) = run(dir.path(), url, &["stamp", "left"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("resolve join"), "{text}");
    assert_eq!(rows(url), before, "a refused stamp wrote");

    // The author fixes the second statement, runs it by hand, and records the outcome.
    let fixed = "INSERT INTO log (v) VALUES ('join');\nINSERT INTO log (v) VALUES ('fixed');";
    let join_dir = std::fs::read_dir(&migrations)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("_join"))
        .unwrap();
    std::fs::write(join_dir.join("up.sql"), fixed).unwrap();
    connect(url)
        .batch_execute("INSERT INTO log (v) VALUES ('fixed')")
        .unwrap();
    let (code, text) = run(dir.path(), url, &["resolve", "join", "--applied"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(dir.path(), url, &["resolve", "join", "--applied"]);
    assert_eq!(code, 1, "resolving twice is refused: {text}");
    assert!(text.contains("nothing to resolve"), "{text}");

    // The edited up.sql is what was recorded: no edited-file refusal, nothing runs again.
    let (code, text) = run(dir.path(), url, &["upgrade", "heads"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Nothing to do"), "{text}");
    let after = rows(url);
    assert!(after.iter().all(|r| r.state == State::Applied), "{after:?}");
    let kept: Vec<(String, String)> = applied_times(&after)
        .into_iter()
        .filter(|(id, _)| id != "join")
        .collect();
    assert_eq!(kept, branches, "applied times changed");
    for value in ["left", "right", "join", "fixed"] {
        assert_eq!(
            count(url, value),
            1,
            "{value} ran {} times",
            count(url, value)
        );
    }
}

/// A downgrade that fails part-way, resolved both ways: undone by hand (`--applied`, the
/// first applied time kept) and finished by hand (`--rolled-back`, then upgraded once).
fn failed_downgrade_is_resolved(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    folder(
        &migrations,
        "root",
        &[],
        true,
        "CREATE TABLE log (v VARCHAR(20));",
        "DROP TABLE log;",
    );
    folder(
        &migrations,
        "tip",
        &["root"],
        false,
        "INSERT INTO log (v) VALUES ('tip');",
        "DELETE FROM log WHERE v = 'tip';\nDROP TABLE missing_table;",
    );
    let (code, text) = run(dir.path(), url, &["upgrade"]);
    assert_eq!(code, 0, "{text}");
    let applied = applied_times(&rows(url));

    let (code, text) = run(dir.path(), url, &["downgrade", "root"]);
    assert_eq!(code, 1, "{text}");
    let failed = rows(url);
    assert_eq!(row(&failed, "tip").state, State::RevertFailed, "{failed:?}");
    assert_eq!(row(&failed, "tip").statement_index, Some(1));
    assert_eq!(
        applied_times(&failed),
        applied,
        "the failed downgrade kept the times"
    );
    let (code, text) = run(dir.path(), url, &["upgrade"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("revision tip failed while downgrading after statement 1 of 2 completed"),
        "{text}"
    );
    assert!(text.contains("resolve tip --rolled-back"), "{text}");
    let (code, text) = run(dir.path(), url, &["history", "-i"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("root -> tip (head, unfinished)"), "{text}");

    // Undone by hand: the revision is applied again, with its first applied time.
    connect(url)
        .batch_execute("INSERT INTO log (v) VALUES ('tip')")
        .unwrap();
    let (code, text) = run(dir.path(), url, &["resolve", "tip", "--applied"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(applied_times(&rows(url)), applied);
    let (code, text) = run(dir.path(), url, &["upgrade"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Nothing to do"), "{text}");
    assert_eq!(count(url, "tip"), 1);

    // Failing again, and this time the downgrade is taken as done: upgrading runs it once.
    let (code, text) = run(dir.path(), url, &["downgrade", "root"]);
    assert_eq!(code, 1, "{text}");
    let (code, text) = run(dir.path(), url, &["resolve", "tip", "--rolled-back"]);
    assert_eq!(code, 0, "{text}");
    let left = rows(url);
    assert_eq!(applied_times(&left), applied[..1].to_vec(), "{left:?}");
    assert_eq!(count(url, "tip"), 0);
    let (code, text) = run(dir.path(), url, &["upgrade"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("1 revision(s) applied"), "{text}");
    assert_eq!(count(url, "tip"), 1);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_failed_merge_and_failed_downgrade_are_resolved() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        failed_merge_is_resolved(&db.url);
    }
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        failed_downgrade_is_resolved(&db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_failed_merge_and_failed_downgrade_are_resolved() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        failed_merge_is_resolved(&db.url);
    }
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        failed_downgrade_is_resolved(&db.url);
    }
}

/// A connection that drops in the middle of a revision: the error says so with the server's
/// words; outside a transaction the row stays `running`, so the next run refuses.
#[cfg(feature = "postgres")]
#[test]
fn postgres_dropped_connection_keeps_its_cause() {
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    for in_transaction in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        folder(
            &dir.path().join("migrations"),
            "drop1",
            &[],
            in_transaction,
            "CREATE TABLE dropped (id INT);\nSELECT pg_terminate_backend(pg_backend_pid());",
            "DROP TABLE dropped;",
        );
        let (code, text) = run(dir.path(), &db.url, &["upgrade"]);
        assert_eq!(code, 1, "{text}");
        assert!(
            text.contains("failed at statement 2: ") && text.contains("closed"),
            "the cause is lost: {text}"
        );
        assert!(!text.contains("\n\n"), "{text}");
        let (code, text) = run(dir.path(), &db.url, &["upgrade"]);
        if in_transaction {
            // Nothing was kept: the next run applies the revision again and drops again.
            assert_eq!(code, 1, "{text}");
            assert!(rows(&db.url).is_empty());
        } else {
            assert_eq!(code, 1, "{text}");
            assert!(
                text.contains(
                    "revision drop1 interrupted while upgrading after statement 1 of 2 completed"
                ),
                "{text}"
            );
            connect(&db.url)
                .batch_execute("DROP TABLE dropped; DELETE FROM migrate_versions")
                .unwrap();
        }
    }
}

/// An offline script (`upgrade --sql`) run by a client that stops at the first error leaves
/// the revision outside a transaction `running` with its completed statements, so the next
/// online run refuses instead of running its first statements again.
fn offline_script_stopped_part_way(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    folder(
        &migrations,
        "root",
        &[],
        true,
        "CREATE TABLE log (v VARCHAR(20));",
        "DROP TABLE log;",
    );
    folder(
        &migrations,
        "half",
        &["root"],
        false,
        "INSERT INTO log (v) VALUES ('half');\nINSERT INTO missing_table (id) VALUES (1);\n\
         INSERT INTO log (v) VALUES ('end');",
        "DELETE FROM log;",
    );
    let (code, script) = run(dir.path(), url, &["upgrade", "--sql"]);
    assert_eq!(code, 0, "{script}");
    let mut conn = connect(url);
    let mut failed = false;
    for statement in migrate_core::sql::split_statements(&script) {
        if conn.batch_execute(&statement).is_err() {
            failed = true;
            break;
        }
    }
    assert!(
        failed,
        "the script's second statement of `half` should fail"
    );
    let (code, text) = run(dir.path(), url, &["upgrade"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("revision half interrupted while upgrading after statement 1 of 3 completed"),
        "{text}"
    );
    assert_eq!(count(url, "half"), 1);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_offline_script_stopped_part_way_is_refused() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        offline_script_stopped_part_way(&db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_offline_script_stopped_part_way_is_refused() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        offline_script_stopped_part_way(&db.url);
    }
}
