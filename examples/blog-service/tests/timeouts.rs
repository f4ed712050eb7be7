//! Nothing waits forever: a server that accepts and never answers hits the connect timeout;
//! a run waiting for another one's lock says who holds it and gives up at the lock wait.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn migrate(url: &str, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_blog-service"))
        .arg("migrate")
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .unwrap();
    (output, started.elapsed())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A listener that accepts connections and never says a word.
fn silent_server() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

fn connect_timeout_fires(scheme: &str) {
    let (_listener, port) = silent_server();
    let url = format!("{scheme}://user@127.0.0.1:{port}/app");
    let (output, took) = migrate(&url, &["current", "--connect-timeout", "2s"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("did not answer within 2 s"),
        "{}",
        stderr(&output)
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(10),
        "{took:?}"
    );
}

#[cfg(feature = "postgres")]
#[test]
fn connect_timeout_fires_on_a_silent_postgres_port() {
    connect_timeout_fires("postgres");
}

#[cfg(feature = "mysql")]
#[test]
fn connect_timeout_fires_on_a_silent_mysql_port() {
    connect_timeout_fires("mysql");
}

/// The test holds the run-wide lock on its own session; `upgrade --lock-wait 3s` reports the
/// holder (this session's server pid) while it waits, then gives up after about 3 s.
#[cfg(feature = "postgres")]
#[test]
fn a_waiter_names_the_postgres_session_holding_the_lock_and_gives_up() {
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;
    use integration_tests::server::{Backend, TestDatabase};

    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let mut holder = diesel::PgConnection::establish(&db.url).unwrap();
    let pid: i64 = diesel::select(diesel::dsl::sql::<BigInt>("pg_backend_pid()::bigint"))
        .get_result(&mut holder)
        .unwrap();
    diesel::sql_query(format!(
        "SELECT pg_advisory_lock({})",
        migrate_core::dialect::postgres::LOCK_KEY
    ))
    .execute(&mut holder)
    .unwrap();
    let (output, took) = migrate(&db.url, &["upgrade", "--lock-wait", "3s"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("waiting for the migration lock"), "{err}");
    assert!(err.contains(&format!("server pid {pid} ")), "{err}");
    assert!(err.contains("gave up waiting"), "{err}");
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(10),
        "{took:?}"
    );
}

/// On SQLite the lock is the write lock: a test connection holding `BEGIN IMMEDIATE` makes
/// `upgrade --lock-wait 2s` report the wait and give up.
#[test]
fn a_waiter_gives_up_on_a_locked_sqlite_file() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blog.db");
    let mut holder = diesel::SqliteConnection::establish(&file.display().to_string()).unwrap();
    holder
        .batch_execute(
            "CREATE TABLE held (id INTEGER); BEGIN IMMEDIATE; INSERT INTO held VALUES (1);",
        )
        .unwrap();
    let (output, took) = migrate(
        &format!("sqlite://{}", file.display()),
        &["upgrade", "--lock-wait", "2s"],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("waiting for the migration lock"), "{err}");
    assert!(err.contains("gave up waiting"), "{err}");
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(8),
        "{took:?}"
    );
    holder.batch_execute("COMMIT").unwrap();
}
