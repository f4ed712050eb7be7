//! A table rename keeps its indexes and foreign keys, renamed in place where the backend
//! can (no drop and re-create, and no SQLite rebuild), and a plain column drop on SQLite is
//! `DROP COLUMN`, not a rebuild. On every backend, rows kept, no second diff.

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

    #[derive(Debug, Model)]
    #[model(table = "authors")]
    pub struct Author {
        pub id: i64,
    }

    #[derive(Model)]
    #[model(table = "posts")]
    pub struct Post {
        pub id: i64,
        #[model(references(Author), index)]
        pub author_id: i64,
        pub draft_note: Option<String>,
    }
}

#[allow(dead_code)]
mod v2 {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "authors")]
    pub struct Author {
        pub id: i64,
    }

    #[derive(Model)]
    #[model(table = "articles", renamed_from = "posts")]
    pub struct Article {
        pub id: i64,
        #[model(references(Author), index)]
        pub author_id: i64,
    }
}

fn renames(project: &Project, url: &str) {
    let first: [&'static ModelDef; 2] = [v1::Author::definition(), v1::Post::definition()];
    let second: [&'static ModelDef; 2] = [v2::Author::definition(), v2::Article::definition()];
    let run = |models: &[&'static ModelDef], args: &[&str]| project.run_with_url(models, url, args);
    run(&first, &["init"]).expect_code(0);
    run(&first, &["revision", "--autogenerate", "-m", "posts"]).expect_code(0);
    run(&first, &["upgrade"]).expect_code(0);
    Connection::establish(&DatabaseUrl::parse(url).unwrap())
        .unwrap()
        .batch_execute(
            "INSERT INTO authors (id) VALUES (1);\n\
             INSERT INTO posts (id, author_id, draft_note) VALUES (10, 1, 'x')",
        )
        .unwrap();

    // The dropped `draft_note` is meant to go.
    let out = run(
        &second,
        &[
            "revision",
            "--autogenerate",
            "--allow-destructive",
            "-m",
            "articles",
        ],
    )
    .expect_code(0);
    assert!(
        out.stdout.contains("rename table posts to articles"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("rename index ix_posts_author_id on articles to ix_articles_author_id"),
        "{}",
        out.stdout
    );
    let (up, down) = project.last_revision_sql();
    assert!(!up.contains("_migrate_rebuild_"), "{up}");
    assert!(!down.contains("_migrate_rebuild_"), "{down}");
    if url.starts_with("sqlite") {
        assert!(up.contains("DROP COLUMN \"draft_note\""), "{up}");
    }
    run(&second, &["upgrade"]).expect_code(0);
    let again = run(&second, &["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}",
        again.stdout
    );
    let mut conn = Connection::establish(&DatabaseUrl::parse(url).unwrap()).unwrap();
    let rows = migrate_core::testing::query_number(
        &mut conn,
        "SELECT COUNT(*) AS n FROM articles WHERE author_id = 1",
    )
    .unwrap();
    assert_eq!(rows, 1);
    drop(conn);
    run(&first, &["downgrade", "-1"]).expect_code(0);
    run(&first, &["check"]).expect_code(3);
}

#[test]
fn renames_in_place_on_sqlite() {
    let project = Project::new();
    renames(&project, &project.database_url());
}

#[cfg(feature = "postgres")]
#[test]
fn renames_in_place_on_postgres() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        renames(&Project::new(), &db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn renames_in_place_on_mariadb() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        renames(&Project::new(), &db.url);
    }
}
