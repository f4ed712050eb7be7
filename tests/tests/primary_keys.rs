//! Primary-key changes: a column added to the key, then the key's columns reordered, then
//! back, on every backend; rows are kept and a second autogenerate finds nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::db::{Connection, DatabaseUrl};
use migrate_core::registry::ModelDef;
use migrate_core::Model;

#[allow(unused_imports)]
use integration_tests::server::{Backend, TestDatabase};
use integration_tests::Project;

#[allow(dead_code)] // the structs are only models: their fields are never read
mod v1 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "seats")]
    pub struct Seat {
        #[model(primary_key, max_length = 10)]
        pub hall: String,
        pub row_no: i32,
    }
}

#[allow(dead_code)]
mod v2 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "seats")]
    pub struct Seat {
        #[model(primary_key, max_length = 10)]
        pub hall: String,
        #[model(primary_key)]
        pub row_no: i32,
    }
}

#[allow(dead_code)]
mod v3 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "seats")]
    pub struct Seat {
        #[model(primary_key)]
        pub row_no: i32,
        #[model(primary_key, max_length = 10)]
        pub hall: String,
    }
}

fn seats(url: &str) -> i64 {
    let mut conn = Connection::establish(&DatabaseUrl::parse(url).unwrap()).unwrap();
    migrate_core::testing::query_number(&mut conn, "SELECT COUNT(*) AS n FROM seats").unwrap()
}

fn step(project: &Project, url: &str, models: &[&'static ModelDef], message: &str, shown: &str) {
    let run = |args: &[&str]| project.run_with_url(models, url, args);
    let out = run(&["revision", "--autogenerate", "-m", message]).expect_code(0);
    assert!(out.stdout.contains(shown), "{}", out.stdout);
    run(&["upgrade"]).expect_code(0);
    let again = run(&["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}",
        again.stdout
    );
}

fn primary_keys(project: &Project, url: &str) {
    let first = [v1::Seat::definition()];
    project.run_with_url(&first, url, &["init"]).expect_code(0);
    project
        .run_with_url(&first, url, &["revision", "--autogenerate", "-m", "seats"])
        .expect_code(0);
    project
        .run_with_url(&first, url, &["upgrade"])
        .expect_code(0);
    Connection::establish(&DatabaseUrl::parse(url).unwrap())
        .unwrap()
        .batch_execute("INSERT INTO seats (hall, row_no) VALUES ('a', 1), ('b', 1)")
        .unwrap();
    step(
        project,
        url,
        &[v2::Seat::definition()],
        "widen",
        "alter primary key of seats: (hall) -> (hall, row_no)",
    );
    step(
        project,
        url,
        &[v3::Seat::definition()],
        "reorder",
        "alter primary key of seats: (hall, row_no) -> (row_no, hall)",
    );
    assert_eq!(seats(url), 2);
    // Down through both changes: the original key again, rows kept.
    project
        .run_with_url(&first, url, &["downgrade", "-2"])
        .expect_code(0);
    assert_eq!(seats(url), 2);
    // The first model matches the database again; only the two revisions are pending.
    let out = project.run_with_url(&first, url, &["check"]).expect_code(3);
    assert!(
        out.stdout.contains("1 difference(s) found"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("2 revision(s) not applied"),
        "{}",
        out.stdout
    );
}

#[test]
fn primary_key_changes_on_sqlite() {
    let project = Project::new();
    primary_keys(&project, &project.database_url());
}

#[cfg(feature = "postgres")]
#[test]
fn primary_key_changes_on_postgres() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        primary_keys(&Project::new(), &db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn primary_key_changes_on_mariadb() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        primary_keys(&Project::new(), &db.url);
    }
}
