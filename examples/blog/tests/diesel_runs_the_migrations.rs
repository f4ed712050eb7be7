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

/// A database `diesel migration run` migrated is taken as it is: `upgrade` records diesel's
/// versions as applied (and says so) instead of re-running them, and `check` passes.
fn adopted_after_diesel(url: &str) {
    let migrations_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let dir = migrations_dir.display().to_string();
    let cli = |args: &[&str]| {
        let argv = ["migrate", "--database-url", url, "--migrations-dir", &dir]
            .into_iter()
            .chain(args.iter().copied());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = migrate_cli::run_with(
            argv,
            &migrate_cli::Models::Linked,
            &mut out,
            &mut err,
            false,
        );
        (
            code,
            format!(
                "{}{}",
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&err)
            ),
        )
    };
    let (code, text) = cli(&["current", "--check-heads"]);
    assert_eq!(
        code, 0,
        "diesel's rows count as applied before anything is written: {text}"
    );
    let (code, text) = cli(&["upgrade"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("adopted 1 revision(s)"), "{text}");
    assert!(text.contains("Nothing to do"), "{text}");
    let (code, text) = cli(&["check"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = cli(&["upgrade"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        !text.contains("adopted"),
        "recorded once, the first time: {text}"
    );
}

#[test]
fn a_database_diesel_migrated_on_sqlite_is_adopted() {
    use blog as _;
    let migrations_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blog.db").display().to_string();
    let mut conn = SqliteConnection::establish(&file).unwrap();
    let migrations = FileBasedMigrations::from_path(&migrations_dir).unwrap();
    assert_eq!(conn.run_pending_migrations(migrations).unwrap().len(), 1);
    drop(conn);
    adopted_after_diesel(&format!("sqlite://{file}"));
}
