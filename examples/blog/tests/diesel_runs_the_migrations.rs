//! The blog's migrations hold an SQL pair per dialect (`up.sql` for SQLite, `up.postgres.sql`
//! beside it); diesel's own harness still reads only `up.sql`/`down.sql` and runs them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::{Connection, SqliteConnection};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};

#[test]
fn diesel_runs_and_reverts_the_sqlite_pairs() {
    let migrations_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let every_folder_has_a_postgres_pair = std::fs::read_dir(&migrations_dir)
        .unwrap()
        .flatten()
        .all(|entry| entry.path().join("up.postgres.sql").exists());
    assert!(every_folder_has_a_postgres_pair);

    let dir = tempfile::tempdir().unwrap();
    let mut conn =
        SqliteConnection::establish(&dir.path().join("blog.db").display().to_string()).unwrap();
    let migrations = FileBasedMigrations::from_path(&migrations_dir).unwrap();
    let applied = conn.run_pending_migrations(migrations.clone()).unwrap();
    assert_eq!(applied.len(), 1);
    let reverted = conn.revert_all_migrations(migrations).unwrap();
    assert_eq!(reverted.len(), 1);
}
