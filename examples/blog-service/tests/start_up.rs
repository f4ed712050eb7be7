//! The service binary, as a container would run it: eight copies start at once against one
//! fresh database, each revision runs exactly once, all eight report `ready`; the readiness
//! probe answers from a directory that holds nothing but the binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use integration_tests::server::{Backend, TestDatabase};
use migrate_core::db::{Connection, DatabaseUrl};

const COPIES: usize = 8;

/// The binary copied alone into a fresh directory: no migrations folder, no config, no
/// sources beside it.
fn lone_binary() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("blog-service");
    std::fs::copy(env!("CARGO_BIN_EXE_blog-service"), &binary).unwrap();
    (dir, binary)
}

/// Runs `start`, again while it fails with "Text file busy": another test thread that
/// forks while this test's copy of the binary is still open for writing hands the child that
/// descriptor until it execs, and running the copy meanwhile fails; it clears within moments.
fn when_not_busy<T>(mut start: impl FnMut() -> std::io::Result<T>) -> T {
    for _ in 0..50 {
        match start() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.unwrap(),
        }
    }
    start().unwrap()
}

fn run(binary: &Path, url: &str, args: &[&str]) -> Output {
    when_not_busy(|| {
        Command::new(binary)
            .args(args)
            .current_dir(binary.parent().unwrap())
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "info")
            .env_remove("MIGRATE_EMBED_MANIFEST_DIR")
            .output()
    })
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn revision_count() -> usize {
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("../blog/migrations");
    migrate_core::revision::Graph::load(&migrations)
        .unwrap()
        .len()
}

fn version_rows(url: &str) -> i64 {
    let mut conn = Connection::establish(&DatabaseUrl::parse(url).unwrap()).unwrap();
    let rows = migrate_core::runner::applied_rows(
        &mut conn,
        &migrate_core::revision::Graph::default(),
        migrate_core::version_table::DEFAULT_VERSION_TABLE,
    )
    .unwrap();
    i64::try_from(rows.len()).unwrap()
}

/// Starts the copies at once and checks the outcome.
fn eight_at_once(url: &str) {
    let (_dir, binary) = lone_binary();
    let children: Vec<_> = (0..COPIES)
        .map(|_| {
            when_not_busy(|| {
                Command::new(&binary)
                    .arg("--exit-when-ready")
                    .current_dir(binary.parent().unwrap())
                    .env("DATABASE_URL", url)
                    .env("RUST_LOG", "info")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
            })
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let mut applied_lines = 0;
    for output in &outputs {
        let all = text(output);
        assert!(output.status.success(), "{all}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("ready"),
            "{all}"
        );
        applied_lines += all
            .lines()
            .filter(|l| l.contains(" applied ") && l.contains(" in ") && l.contains(" ms"))
            .count();
    }
    let expected = revision_count();
    assert!(expected > 0);
    assert_eq!(
        applied_lines, expected,
        "each revision is applied by exactly one copy"
    );
    assert_eq!(version_rows(url), i64::try_from(expected).unwrap());
}

#[test]
fn eight_copies_start_at_once_on_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("blog.db").display());
    eight_at_once(&url);
}

#[cfg(feature = "postgres")]
#[test]
fn eight_copies_start_at_once_on_postgres() {
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    eight_at_once(&db.url);
}

/// behind (4) -> at head (0) -> ahead (5) -> failed (6), from the lone binary's embedded CLI.
fn probe_exit_codes(url: &str) {
    let (_dir, binary) = lone_binary();
    let probe = |binary: &Path| run(binary, url, &["migrate", "current", "--check-heads"]);
    let behind = probe(&binary);
    assert_eq!(behind.status.code(), Some(4), "{}", text(&behind));
    assert!(text(&behind).contains("behind"), "{}", text(&behind));

    let upgraded = run(&binary, url, &["migrate", "upgrade"]);
    assert!(upgraded.status.success(), "{}", text(&upgraded));
    let ready = probe(&binary);
    assert_eq!(ready.status.code(), Some(0), "{}", text(&ready));

    let mut conn = Connection::establish(&DatabaseUrl::parse(url).unwrap()).unwrap();
    conn.batch_execute(
        "INSERT INTO migrate_versions (revision, parents, checksum, applied_at, duration_ms, state) \
         VALUES ('ffffffffffff', '', '', '2099-01-01T00:00:00Z', 0, 'applied')",
    )
    .unwrap();
    let ahead = probe(&binary);
    assert_eq!(ahead.status.code(), Some(5), "{}", text(&ahead));
    assert!(text(&ahead).contains("ffffffffffff"), "{}", text(&ahead));

    conn.batch_execute(
        "UPDATE migrate_versions SET state = 'failed' WHERE revision = 'ffffffffffff'",
    )
    .unwrap();
    let failed = probe(&binary);
    assert_eq!(failed.status.code(), Some(6), "{}", text(&failed));

    let json = run(
        &binary,
        url,
        &["migrate", "current", "--check-heads", "--format", "json"],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["readiness"], "failed", "{value}");
}

#[test]
fn probe_exit_codes_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blog.db");
    let url = format!("sqlite://{}", file.display());
    // A database file that does not exist is an error for the probe, and it is not created.
    let (_bin_dir, binary) = lone_binary();
    let missing = run(&binary, &url, &["migrate", "current", "--check-heads"]);
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    assert!(
        text(&missing).contains("does not exist") && text(&missing).contains("`upgrade` creates"),
        "{}",
        text(&missing)
    );
    assert!(!file.exists(), "the probe created {}", file.display());
    // An empty file is an empty database: behind.
    std::fs::File::create(&file).unwrap();
    probe_exit_codes(&url);
}

#[cfg(feature = "postgres")]
#[test]
fn probe_exit_codes_on_postgres() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        probe_exit_codes(&db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn probe_exit_codes_on_mysql() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        probe_exit_codes(&db.url);
    }
}

/// An unreachable database is an error (1), never "ready".
#[test]
fn probe_reports_an_unusable_database_as_an_error() {
    let (_dir, binary) = lone_binary();
    let output = run(
        &binary,
        "redis://nowhere",
        &["migrate", "current", "--check-heads"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
}

/// The baseline flow: an empty database gets its tables from the models and the history is
/// recorded as applied; `check` (models, database, files) then agrees.
fn baseline(url: &str) {
    let (_dir, binary) = lone_binary();
    let started = run(&binary, url, &["--baseline", "--exit-when-ready"]);
    let all = text(&started);
    assert!(started.status.success(), "{all}");
    assert!(all.contains("table(s) from the models"), "{all}");
    assert!(
        all.contains(&format!(
            "0 applied, 0 adopted, {} baselined",
            revision_count()
        )),
        "{all}"
    );
    let check = run(&binary, url, &["migrate", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    // A second start finds nothing to do.
    let again = run(&binary, url, &["--baseline", "--exit-when-ready"]);
    assert!(
        text(&again).contains("ready: 0 applied, 0 adopted, 0 baselined"),
        "{}",
        text(&again)
    );
}

#[test]
fn baseline_on_an_empty_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    baseline(&format!(
        "sqlite://{}",
        dir.path().join("blog.db").display()
    ));
}

#[cfg(feature = "postgres")]
#[test]
fn baseline_on_an_empty_postgres_database() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        baseline(&db.url);
    }
}
