//! A PostgreSQL revision blocked by an application's open transaction does not wait
//! forever: it fails at its `lock_timeout` and the message names the blocking session.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "postgres")]

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use integration_tests::server::{Backend, TestDatabase};
use integration_tests::Project;

fn folder(root: &std::path::Path, name: &str, metadata: &str, up: &str, down: &str) {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("metadata.toml"), metadata).unwrap();
    std::fs::write(dir.join("up.sql"), up).unwrap();
    std::fs::write(dir.join("down.sql"), down).unwrap();
}

#[test]
fn a_blocked_revision_fails_at_its_lock_timeout_naming_the_blocker() {
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let project = Project::new();
    let migrations = project.migrations();
    folder(
        &migrations,
        "2026-01-01-000000_posts",
        "run_in_transaction = true\nrevision = \"aaaa00000001\"\nparents = []\ndialect = \"postgres\"\n",
        "CREATE TABLE posts (id BIGINT PRIMARY KEY);",
        "DROP TABLE posts;",
    );
    folder(
        &migrations,
        "2026-01-02-000000_add_title",
        "run_in_transaction = true\nrevision = \"aaaa00000002\"\nparents = [\"aaaa00000001\"]\n\
         dialect = \"postgres\"\nlock_timeout = \"1s\"\n",
        "ALTER TABLE posts ADD COLUMN title TEXT;",
        "ALTER TABLE posts DROP COLUMN title;",
    );
    let cli = |args: &[&str]| {
        let outcome = project.run_with_url(&[], &db.url, args);
        (
            outcome.code,
            format!("{}{}", outcome.stdout, outcome.stderr),
        )
    };
    let (code, text) = cli(&["upgrade", "aaaa00000001"]);
    assert_eq!(code, 0, "{text}");

    // An application's transaction that has read the table and stays open.
    let mut app = diesel::PgConnection::establish(&db.url).unwrap();
    let pid: i64 = diesel::select(diesel::dsl::sql::<BigInt>("pg_backend_pid()::bigint"))
        .get_result(&mut app)
        .unwrap();
    diesel::connection::SimpleConnection::batch_execute(
        &mut app,
        "BEGIN; SELECT count(*) FROM posts;",
    )
    .unwrap();

    let started = Instant::now();
    let (code, text) = cli(&["upgrade"]);
    let took = started.elapsed();
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("lock timeout"), "{text}");
    assert!(text.contains(&format!("server pid {pid} ")), "{text}");
    assert!(text.contains("on posts"), "{text}");
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(8),
        "{took:?}"
    );
    eprintln!("failed after {took:?} with:\n{text}");

    // Once the application's transaction ends, the same revision goes through.
    diesel::connection::SimpleConnection::batch_execute(&mut app, "COMMIT").unwrap();
    let (code, text) = cli(&["upgrade"]);
    assert_eq!(code, 0, "{text}");
}
