//! PostgreSQL and MySQL/MariaDB against real servers (DESIGN §9).
//!
//! `TEST_POSTGRES_URL` and `TEST_MYSQL_URL` name a server and an existing database to connect
//! to first, e.g. `postgres://postgres@127.0.0.1:5432/postgres` and
//! `mysql://root@127.0.0.1:3306/test`. Unset: that backend's tests return early with a note.
//! Set but unreachable: they fail. Each test creates a database of its own
//! (`migrate_test_<pid>_<n>`) and drops it afterwards, so the tests run in parallel.
//!
//! Build with `--features postgres`, `--features mysql` or both.

#![cfg(any(feature = "postgres", feature = "mysql"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Barrier;

// Linking the blog registers its models with `Registry::collect()`.
use blog as _;
use migrate_core::autogen;
use migrate_core::db::Connection;
use migrate_core::revision::{write_revision, Graph, NewRevision};
use migrate_core::runner;
use migrate_core::schema::{Column, ColumnType, DefaultValue, Index, Schema};
use migrate_core::version_table::{self, State, DEFAULT_VERSION_TABLE};
use migrate_core::Registry;

use integration_tests::server::{with_database, Backend, TestDatabase};

// Every mapped type and constraint kind, registered for `Registry::collect()` beside the blog.
mod common;

const VT: &str = DEFAULT_VERSION_TABLE;

fn new_revision<'a>(
    dir: &Path,
    message: &'a str,
    dialect: &'a str,
    parents: Vec<String>,
    up: &str,
    down: &str,
) -> String {
    write_revision(
        dir,
        NewRevision {
            id: None,
            parents,
            message,
            dialect,
            up_sql: up.to_owned(),
            down_sql: down.to_owned(),
            extra: vec![],
            branch_labels: vec![],
            run_in_transaction: true,
            timeouts: Default::default(),
        },
    )
    .unwrap()
    .id
}

/// Autogenerates a revision from the live database to `models` and writes it; `None` when
/// they already match.
fn autogenerate(
    conn: &mut Connection,
    dir: &Path,
    models: &Schema,
    message: &str,
    parents: Vec<String>,
) -> String {
    let dialect = conn.dialect();
    let live = conn.introspect(VT).unwrap();
    let comparison = autogen::compare(models, &live, dialect);
    assert!(!comparison.is_empty(), "{message}: nothing to do");
    let (up, down, _) = autogen::render_scripts(&comparison, dialect, false);
    new_revision(dir, message, dialect.name(), parents, &up, &down)
}

#[track_caller]
fn assert_in_sync(conn: &mut Connection, models: &Schema, when: &str) {
    let live = conn.introspect(VT).unwrap();
    let comparison = autogen::compare(models, &live, conn.dialect());
    assert!(
        comparison.is_empty(),
        "{when}: the database differs from the models:\n{}",
        comparison
            .ops
            .iter()
            .map(|op| format!("  {op}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every table, the version table included (introspection under another version-table name).
fn all_tables(conn: &mut Connection) -> Vec<String> {
    conn.introspect("no_such_version_table")
        .unwrap()
        .tables
        .into_iter()
        .map(|t| t.name)
        .collect()
}

fn upgrade(
    conn: &mut Connection,
    graph: &Graph,
    target: &str,
) -> migrate_core::Result<Vec<String>> {
    runner::upgrade(
        conn,
        graph,
        &runner::RunOptions::new(VT),
        target,
        &mut |_| {},
    )
}

fn downgrade(conn: &mut Connection, graph: &Graph, target: &str) -> Vec<String> {
    runner::downgrade(
        conn,
        graph,
        &runner::RunOptions::new(VT),
        target,
        &mut |_| {},
    )
    .unwrap()
}

// ---------------------------------------------------------------------------------------
// (a) The round trip: autogenerate from empty, upgrade, compare (nothing), downgrade to base.

fn round_trip(backend: Backend) {
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    let models = Registry::collect().unwrap().schema();
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db.connect();
    assert!(conn.introspect(VT).unwrap().tables.is_empty());

    let id = autogenerate(&mut conn, dir.path(), &models, "everything", vec![]);
    let graph = Graph::load(dir.path()).unwrap();
    assert_eq!(
        upgrade(&mut conn, &graph, "head").unwrap(),
        std::slice::from_ref(&id)
    );
    assert_in_sync(&mut conn, &models, "after upgrade");

    // A fresh connection sees the same (nothing cached on the one that migrated).
    assert_in_sync(&mut db.connect(), &models, "from a new connection");

    assert_eq!(downgrade(&mut conn, &graph, "base"), [id]);
    assert_eq!(all_tables(&mut conn), [VT]);
    assert!(version_table::read(&mut conn, VT).unwrap().is_empty());
}

/// A second revision that alters what the first made, with rows in the tables: renamed
/// column that also becomes NOT NULL with a default (rows holding NULL take it), wider type,
/// dropped and added index, dropped foreign key, added column and check. Upgrading matches the
/// changed models; downgrading one step matches the original ones again.
fn alter_round_trip(backend: Backend) {
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    let original = Registry::collect().unwrap().schema();
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db.connect();
    let first = autogenerate(&mut conn, dir.path(), &original, "initial", vec![]);
    upgrade(&mut conn, &Graph::load(dir.path()).unwrap(), "head").unwrap();
    conn.batch_execute(
        "INSERT INTO organizations (name, slug) VALUES ('Org', 'org');\n\
         INSERT INTO authors (organization_id, display_name, email, active) \
         SELECT id, 'Ann', 'ann@example.com', TRUE FROM organizations",
    )
    .unwrap();
    assert!(conn.has_rows("authors").unwrap());
    assert!(!conn.has_rows("tags").unwrap());

    let mut changed = original.clone();
    for table in &mut changed.tables {
        match table.name.as_str() {
            "authors" => {
                let bio = table.columns.iter_mut().find(|c| c.name == "bio").unwrap();
                bio.renamed_from = Some("bio".into());
                bio.name = "biography".into();
                bio.nullable = false;
                bio.default = Some(DefaultValue::Text("(none)".into()));
                table.checks.push(migrate_core::schema::Check {
                    name: "ck_authors_email".into(),
                    expr: "email <> ''".into(),
                });
            }
            "posts" => {
                let title = table
                    .columns
                    .iter_mut()
                    .find(|c| c.name == "title")
                    .unwrap();
                title.ty = ColumnType::Varchar { max_length: 300 };
                table.indexes.clear();
                table.indexes.push(Index {
                    name: "ix_posts_status".into(),
                    columns: vec!["status".into()],
                    unique: false,
                    prefix_lengths: Default::default(),
                });
            }
            "comments" => {
                table.foreign_keys.retain(|fk| fk.ref_table != "authors");
                table.columns.push(Column {
                    name: "score".into(),
                    ty: ColumnType::Integer,
                    nullable: false,
                    default: Some(DefaultValue::Int(0)),
                    auto_increment: false,
                    renamed_from: None,
                    comment: None,
                });
            }
            _ => {}
        }
    }
    let second = autogenerate(&mut conn, dir.path(), &changed, "changes", vec![first]);
    let graph = Graph::load(dir.path()).unwrap();
    assert_eq!(
        upgrade(&mut conn, &graph, "head").unwrap(),
        std::slice::from_ref(&second)
    );
    assert_in_sync(&mut conn, &changed, "after the second upgrade");

    assert_eq!(downgrade(&mut conn, &graph, "-1"), [second]);
    assert_in_sync(&mut conn, &original, "after downgrading one step");
}

// ---------------------------------------------------------------------------------------
// (b) Six processes upgrading one database at once: each revision applied exactly once.

fn parallel_upgrades(backend: Backend) {
    const RUNNERS: usize = 6;
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dialect = db.connect().dialect().name();
    let a = new_revision(
        dir.path(),
        "a",
        dialect,
        vec![],
        "CREATE TABLE a (id INT PRIMARY KEY);",
        "DROP TABLE a;",
    );
    let b = new_revision(
        dir.path(),
        "b",
        dialect,
        vec![a.clone()],
        "CREATE TABLE b (id INT PRIMARY KEY);\nINSERT INTO b (id) VALUES (1);",
        "DROP TABLE b;",
    );
    let c = new_revision(
        dir.path(),
        "c",
        dialect,
        vec![b.clone()],
        "ALTER TABLE a ADD COLUMN note VARCHAR(10);",
        "ALTER TABLE a DROP COLUMN note;",
    );
    let graph = Graph::load(dir.path()).unwrap();
    let start = Barrier::new(RUNNERS);
    let results: Vec<migrate_core::Result<Vec<String>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..RUNNERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut conn = db.connect();
                    start.wait();
                    upgrade(&mut conn, &graph, "head")
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let mut applied: Vec<String> = Vec::new();
    for result in results {
        applied.extend(result.unwrap_or_else(|e| panic!("a concurrent upgrade failed: {e}")));
    }
    // Whoever got the lock first applied everything; the others found nothing to do.
    assert_eq!(applied, [a, b, c]);
    let mut conn = db.connect();
    let rows = version_table::read(&mut conn, VT).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.state == State::Applied));
}

// ---------------------------------------------------------------------------------------
// Failures part-way.

/// A revision whose second statement fails.
fn failing_revision(dir: &Path, dialect: &str) -> String {
    new_revision(
        dir,
        "fails half way",
        dialect,
        vec![],
        "CREATE TABLE first_table (id INT PRIMARY KEY);\n\
         INSERT INTO no_such_table (id) VALUES (1);\n\
         CREATE TABLE never_made (id INT PRIMARY KEY);",
        "DROP TABLE first_table;",
    )
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_failed_statement_is_recorded_and_refused_until_resolved() {
    let Some(db) = TestDatabase::create(Backend::Mysql) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let id = failing_revision(dir.path(), "mysql");
    let graph = Graph::load(dir.path()).unwrap();
    let mut conn = db.connect();

    let error = upgrade(&mut conn, &graph, "head").unwrap_err().to_string();
    assert!(error.contains("statement 2"), "{error}");
    assert!(
        error.contains(&format!("resolve {id} --applied")),
        "{error}"
    );
    let rows = version_table::read(&mut conn, VT).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].revision, id);
    assert_eq!(rows[0].state, State::Failed);
    // One statement completed.
    assert_eq!(rows[0].statement_index, Some(1));
    assert!(
        rows[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no_such_table")),
        "{rows:?}"
    );
    // DDL committed implicitly: the first statement's table is there, the third's is not.
    assert_eq!(all_tables(&mut conn), ["first_table", VT]);

    // From another connection too (the lock was released on the error path), the next run
    // refuses and says how to repair.
    let refusal = upgrade(&mut db.connect(), &graph, "head")
        .unwrap_err()
        .to_string();
    assert!(
        refusal.contains(&format!("resolve {id} --applied")),
        "{refusal}"
    );
    assert!(
        refusal.contains("failed while upgrading after statement 1 of 3 completed; statement 2 failed: INSERT INTO no_such_table"),
        "{refusal}"
    );

    // Repaired by hand (the rest of the revision run), recorded with resolve: runs again.
    conn.batch_execute("CREATE TABLE never_made (id INT PRIMARY KEY)")
        .unwrap();
    runner::resolve(
        &mut conn,
        &graph,
        &runner::RunOptions::new(VT),
        &id,
        runner::Outcome::Applied,
        &mut |_| {},
    )
    .unwrap();
    assert!(upgrade(&mut conn, &graph, "head").unwrap().is_empty());
    let rows = version_table::read(&mut conn, VT).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, State::Applied);
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_failing_first_statement_leaves_nothing_to_repair() {
    let Some(db) = TestDatabase::create(Backend::Mysql) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    new_revision(
        dir.path(),
        "typo",
        "mysql",
        vec![],
        "CREATE TABEL oops (id INT);",
        "",
    );
    let graph = Graph::load(dir.path()).unwrap();
    let mut conn = db.connect();
    let error = upgrade(&mut conn, &graph, "head").unwrap_err().to_string();
    assert!(error.contains("statement 1"), "{error}");
    assert!(version_table::read(&mut conn, VT).unwrap().is_empty());
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_failed_revision_rolls_back_whole() {
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    failing_revision(dir.path(), "postgres");
    let graph = Graph::load(dir.path()).unwrap();
    let mut conn = db.connect();

    let error = upgrade(&mut conn, &graph, "head").unwrap_err().to_string();
    assert!(error.contains("statement 2"), "{error}");
    // Transactional DDL: the first statement is undone and no row is written, so the same
    // connection (its lock released, its transaction closed) can simply try again.
    assert_eq!(all_tables(&mut conn), [VT]);
    assert!(version_table::read(&mut conn, VT).unwrap().is_empty());
    let again = upgrade(&mut conn, &graph, "head").unwrap_err().to_string();
    assert!(again.contains("statement 2"), "{again}");
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_revision_outside_a_transaction_can_create_an_index_concurrently() {
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let table = new_revision(
        dir.path(),
        "table",
        "postgres",
        vec![],
        "CREATE TABLE t (id INT PRIMARY KEY, v INT);",
        "DROP TABLE t;",
    );
    let index = write_revision(
        dir.path(),
        NewRevision {
            id: None,
            parents: vec![table.clone()],
            message: "index",
            dialect: "postgres",
            up_sql: "CREATE INDEX CONCURRENTLY ix_t_v ON t (v);".to_owned(),
            down_sql: "DROP INDEX CONCURRENTLY ix_t_v;".to_owned(),
            extra: vec![],
            branch_labels: vec![],
            run_in_transaction: false,
            timeouts: Default::default(),
        },
    )
    .unwrap()
    .id;
    let graph = Graph::load(dir.path()).unwrap();
    let mut conn = db.connect();
    assert_eq!(
        upgrade(&mut conn, &graph, "head").unwrap(),
        [table, index.clone()]
    );
    assert_eq!(downgrade(&mut conn, &graph, "-1"), [index]);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_round_trip() {
    round_trip(Backend::Postgres);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_alter_round_trip() {
    alter_round_trip(Backend::Postgres);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_parallel_upgrades() {
    parallel_upgrades(Backend::Postgres);
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_round_trip() {
    round_trip(Backend::Mysql);
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_alter_round_trip() {
    alter_round_trip(Backend::Mysql);
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_parallel_upgrades() {
    parallel_upgrades(Backend::Mysql);
}

#[test]
fn urls_get_the_test_database() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("mysql://root@localhost/test?ssl_mode=disabled", "x"),
        "mysql://root@localhost/x?ssl_mode=disabled"
    );
    assert_eq!(
        with_database("mysql://root@localhost", "x"),
        "mysql://root@localhost/x"
    );
}
