//! The round trip for every supported type and constraint on SQLite: autogenerate from empty,
//! upgrade, autogenerate again (nothing), downgrade to base (only the version table left).
//! Also: the generated history runs under diesel's own migration harness.

#![allow(clippy::unwrap_used, clippy::expect_used)]
// The models here only provide table definitions; no code reads their fields.
#![allow(dead_code, missing_debug_implementations)]

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use integration_tests::Project;
use migrate_core::registry::ModelDef;

mod common;

use common::all_types;

fn models() -> Vec<&'static ModelDef> {
    all_types::definitions()
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn tables(project: &Project) -> Vec<String> {
    let mut conn = SqliteConnection::establish(&project.database().display().to_string()).unwrap();
    diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .load::<Name>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect()
}

#[test]
fn every_type_and_constraint_round_trips() {
    let project = Project::new();
    let models = models();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run(&models, &["revision", "--autogenerate", "-m", "everything"])
        .expect_code(0);
    project.run(&models, &["upgrade", "head"]).expect_code(0);

    let out = project
        .run(&models, &["revision", "--autogenerate", "-m", "nothing"])
        .expect_code(0);
    assert!(out.stdout.contains("No changes detected"), "{}", out.stdout);
    assert_eq!(project.revisions().len(), 1);
    project.run(&models, &["check"]).expect_code(0);

    project.run(&models, &["downgrade", "base"]).expect_code(0);
    assert_eq!(tables(&project), ["migrate_versions"]);
}

#[test]
fn a_linear_history_runs_under_diesel_migrations() {
    let project = Project::new();
    let models = models();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run(&models, &["revision", "--autogenerate", "-m", "everything"])
        .expect_code(0);
    project.run(&models, &["upgrade"]).expect_code(0);
    project
        .run(&models, &["revision", "-m", "hand written"])
        .expect_code(0);
    let dir = project.revisions().pop().unwrap();
    std::fs::write(
        dir.join("up.sql"),
        "CREATE TABLE \"notes\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"body\" TEXT NOT NULL);\n",
    )
    .unwrap();
    std::fs::write(dir.join("down.sql"), "DROP TABLE \"notes\";\n").unwrap();

    // A fresh database migrated by diesel itself from the same folder.
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("diesel.db");
    let mut conn = SqliteConnection::establish(&path.display().to_string()).unwrap();
    let migrations = FileBasedMigrations::from_path(project.migrations()).unwrap();
    let applied = conn.run_pending_migrations(migrations).unwrap();
    assert_eq!(applied.len(), 2);
    let names: Vec<String> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '__diesel%' ORDER BY name",
    )
    .load::<Name>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect();
    assert_eq!(names, ["everything", "memberships", "notes", "owners"]);
    let migrations = FileBasedMigrations::from_path(project.migrations()).unwrap();
    conn.revert_all_migrations(migrations).unwrap();
}
