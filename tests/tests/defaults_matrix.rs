//! Every mapped type with a literal default and with an SQL default, and an index on an
//! unbounded text column: autogenerate, upgrade, and a second autogenerate that finds
//! nothing, on every backend (no false diffs), then downgrade to base.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::Model;

#[allow(unused_imports)]
use integration_tests::server::{Backend, TestDatabase};
use integration_tests::Project;

#[allow(dead_code)] // the structs are only models: their fields are never read
mod models {
    use migrate_core::Model;

    /// A literal default on every type that takes one.
    #[derive(Model)]
    #[model(table = "literal_defaults")]
    pub struct Literal {
        pub id: i64,
        #[model(default = false)]
        pub flag: bool,
        #[model(default = 3)]
        pub small: i16,
        #[model(default = 40000)]
        pub medium: i32,
        #[model(default = 5000000000)]
        pub big: i64,
        #[model(default = 0.25)]
        pub ratio: f32,
        #[model(default = 1.125)]
        pub precise: f64,
        #[model(default = "plain text")]
        pub note: String,
        #[model(max_length = 20, default = "short")]
        pub code: String,
        #[model(default = "2026-01-31")]
        pub day: chrono::NaiveDate,
        #[model(default = "12:30:00")]
        pub at_time: chrono::NaiveTime,
        #[model(default = "2026-01-31 12:30:00")]
        pub at: chrono::NaiveDateTime,
        #[model(default = "2026-01-31 12:30:00")]
        pub stamped: chrono::DateTime<chrono::Utc>,
        #[model(default = "00000000-0000-0000-0000-000000000000")]
        pub external_id: uuid::Uuid,
        #[model(precision = 10, scale = 3, default = 1.5)]
        pub amount: bigdecimal::BigDecimal,
        #[model(default = "12:30:00.25")]
        pub fine_time: chrono::NaiveTime,
    }

    /// An SQL default on the types where every backend has one, and indexes on text.
    #[derive(Model)]
    #[model(table = "sql_defaults")]
    #[model(index(columns(body, kind)))]
    pub struct Expression {
        pub id: i64,
        #[model(default_sql = "CURRENT_TIMESTAMP")]
        pub created: chrono::NaiveDateTime,
        #[model(default_sql = "CURRENT_TIMESTAMP")]
        pub created_tz: chrono::DateTime<chrono::Utc>,
        #[model(index)]
        pub body: String,
        #[model(max_length = 10)]
        pub kind: String,
        #[model(unique)]
        pub slug: String,
        #[model(index, index_prefix = 100)]
        pub summary: String,
    }
}

/// The text index turned unique, the composite one dropped.
#[allow(dead_code)]
mod changed {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "sql_defaults")]
    pub struct Expression {
        pub id: i64,
        #[model(default_sql = "CURRENT_TIMESTAMP")]
        pub created: chrono::NaiveDateTime,
        #[model(default_sql = "CURRENT_TIMESTAMP")]
        pub created_tz: chrono::DateTime<chrono::Utc>,
        #[model(unique)]
        pub body: String,
        #[model(max_length = 10)]
        pub kind: String,
        #[model(unique)]
        pub slug: String,
        #[model(index, index_prefix = 120)]
        pub summary: String,
    }
}

fn matrix(project: &Project, url: &str) {
    let models = [
        models::Literal::definition(),
        models::Expression::definition(),
    ];
    let run = |args: &[&str]| project.run_with_url(&models, url, args);
    let mysql = url.starts_with("mysql");
    run(&["init"]).expect_code(0);
    run(&["revision", "--autogenerate", "-m", "matrix"]).expect_code(0);
    let (up, _) = project.last_revision_sql();
    if mysql {
        assert!(up.contains("(`body`(255), `kind`)"), "{up}");
        assert!(up.contains("(`summary`(100))"), "{up}");
    }
    run(&["upgrade"]).expect_code(0);
    let again = run(&["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "false diff:\n{}",
        again.stdout
    );
    run(&["check"]).expect_code(0);

    // An index on a text column turned unique: the old index goes, nothing is left behind.
    let models = [
        models::Literal::definition(),
        changed::Expression::definition(),
    ];
    let run = |args: &[&str]| project.run_with_url(&models, url, args);
    let out = run(&["revision", "--autogenerate", "-m", "unique body"]).expect_code(0);
    assert!(
        out.stdout.contains("drop index ix_sql_defaults_body"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("add unique index uq_sql_defaults_body"),
        "{}",
        out.stdout
    );
    run(&["upgrade"]).expect_code(0);
    let again = run(&["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "false diff:\n{}",
        again.stdout
    );
    run(&["downgrade", "base"]).expect_code(0);
}

#[test]
fn no_false_diffs_on_sqlite() {
    let project = Project::new();
    matrix(&project, &project.database_url());
}

#[cfg(feature = "postgres")]
#[test]
fn no_false_diffs_on_postgres() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        matrix(&Project::new(), &db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn no_false_diffs_on_mariadb() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        matrix(&Project::new(), &db.url);
    }
}
