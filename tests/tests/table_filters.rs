//! `include_tables` / `exclude_tables`: tables no model defines stop autogenerate until they
//! are filtered out or `--allow-table-drops` is given; filtered tables are left alone by
//! autogenerate, `check`, upgrade and downgrade, rows included. On every backend.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::db::{Connection, DatabaseUrl};
use migrate_core::Model;

#[allow(unused_imports)]
use integration_tests::server::{Backend, TestDatabase};
use integration_tests::Project;

#[allow(dead_code)] // the struct is only a model: its fields are never read
mod models {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "notes")]
    pub struct Note {
        pub id: i64,
        #[model(max_length = 40)]
        pub title: String,
    }
}

fn connect(url: &str) -> Connection {
    Connection::establish(&DatabaseUrl::parse(url).unwrap()).unwrap()
}

fn legacy_rows(url: &str) -> i64 {
    migrate_core::testing::query_number(&mut connect(url), "SELECT COUNT(*) AS n FROM legacy_audit")
        .unwrap()
}

fn filters(project: &Project, url: &str) {
    let models = [models::Note::definition()];
    let run = |args: &[&str]| project.run_with_url(&models, url, args);
    run(&["init"]).expect_code(0);
    let config = project.path().join("migrate.toml");
    let initial = std::fs::read_to_string(&config).unwrap();
    connect(url)
        .batch_execute(
            "CREATE TABLE legacy_audit (id INT PRIMARY KEY);\n\
             INSERT INTO legacy_audit (id) VALUES (1);\n\
             CREATE TABLE other_app_jobs (id INT PRIMARY KEY)",
        )
        .unwrap();

    // Unknown tables stop autogenerate; nothing is written.
    let out = run(&["revision", "--autogenerate", "-m", "notes"]).expect_code(1);
    assert!(
        out.stderr
            .contains("tables that no model defines: legacy_audit, other_app_jobs"),
        "{}",
        out.stderr
    );
    assert!(project.revisions().is_empty());
    let out = run(&["check"]).expect_code(3);
    assert!(out.stdout.contains("`exclude_tables`"), "{}", out.stdout);

    // Excluded, they are not part of anything.
    std::fs::write(
        &config,
        format!("{initial}\nexclude_tables = [\"legacy_*\", \"other_app_*\"]\n"),
    )
    .unwrap();
    let out = run(&["revision", "--autogenerate", "-m", "notes"]).expect_code(0);
    assert!(out.stdout.contains("create table notes"), "{}", out.stdout);
    assert!(!out.stdout.contains("legacy"), "{}", out.stdout);
    run(&["upgrade"]).expect_code(0);
    let again = run(&["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}",
        again.stdout
    );
    run(&["check"]).expect_code(0);
    run(&["downgrade", "base"]).expect_code(0);
    assert_eq!(legacy_rows(url), 1, "the excluded table lost its row");
    run(&["upgrade"]).expect_code(0);

    // The same with include_tables naming only the managed table.
    std::fs::write(&config, format!("{initial}\ninclude_tables = [\"no*\"]\n")).unwrap();
    run(&["check"]).expect_code(0);

    // A bad glob is a configuration error naming the key.
    std::fs::write(
        &config,
        format!("{initial}\nexclude_tables = [\"[oops\"]\n"),
    )
    .unwrap();
    let out = run(&["check"]).expect_code(1);
    assert!(
        out.stderr.contains("`exclude_tables` holds `[oops`"),
        "{}",
        out.stderr
    );
}

#[test]
fn filters_on_sqlite() {
    let project = Project::new();
    filters(&project, &project.database_url());
}

#[cfg(feature = "postgres")]
#[test]
fn filters_on_postgres() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        filters(&Project::new(), &db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn filters_on_mysql() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        filters(&Project::new(), &db.url);
    }
}
