//! The test helper of `migrate_core::testing`: it fails, listing the operations, when a model
//! changed without a revision, and passes once `revision --autogenerate` wrote that revision.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};

use integration_tests::Project;
use migrate_core::db::DatabaseUrl;
use migrate_core::diff::Op;
use migrate_core::registry::ModelDef;
use migrate_core::testing::{
    assert_migrations_match_models, assert_registry_matches_migrations, compare_with_migrations,
    compare_with_migrations_on,
};
use migrate_core::{Model, Registry};

mod v1 {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "users")]
    pub struct User {
        pub id: i64,
        #[model(max_length = 30)]
        pub email: String,
    }

    #[derive(Model)]
    #[model(table = "posts")]
    pub struct Post {
        pub id: i64,
        #[model(references(User), on_delete = "cascade")]
        pub user_id: i64,
        pub title: String,
    }
}

/// users gets an optional column.
mod v2 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "users")]
    pub struct User {
        pub id: i64,
        #[model(max_length = 30)]
        pub email: String,
        pub bio: Option<String>,
    }
}

type Models = &'static [fn() -> &'static ModelDef];

const V1: Models = &[v1::User::definition, v1::Post::definition];
const V2: Models = &[v2::User::definition, v1::Post::definition];

fn defs(models: Models) -> Vec<&'static ModelDef> {
    models.iter().map(|f| f()).collect()
}

fn v1() -> Registry {
    Registry::from_definitions(&defs(V1)).unwrap()
}

fn v2() -> Registry {
    Registry::from_definitions(&defs(V2)).unwrap()
}

/// The panic message of `f`, or `None` when it did not panic.
fn panic_message(f: impl FnOnce()) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(f)).err()?;
    Some(
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default(),
    )
}

#[test]
fn a_model_change_without_a_revision_fails_until_the_revision_exists() {
    let project = Project::new();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run(&defs(V1), &["revision", "--autogenerate", "-m", "initial"])
        .expect_code(0);
    let dir = project.migrations();

    // The first revision produces the v1 models exactly.
    assert_eq!(compare_with_migrations(&v1(), &dir).unwrap(), vec![]);
    assert_registry_matches_migrations(&v1(), &dir);

    // v2 adds a column that no revision adds yet: one operation, and the assertion lists it.
    let ops = compare_with_migrations(&v2(), &dir).unwrap();
    match ops.as_slice() {
        [Op::AddColumn { table, column }] => {
            assert_eq!(table, "users");
            assert_eq!(column.name, "bio");
            assert!(column.nullable);
        }
        other => panic!("expected one added column, got {other:#?}"),
    }
    let message = panic_message(|| assert_registry_matches_migrations(&v2(), &dir))
        .expect("the models differ, so the assertion fails");
    assert!(
        message.contains("a new revision needs 1 operation(s)"),
        "{message}"
    );
    assert!(
        message.contains("\n  + add column users.bio text null\n"),
        "{message}"
    );
    assert!(
        message.contains("run `revision --autogenerate -m \"…\"` and commit the new revision"),
        "{message}"
    );

    // The CLI refuses to autogenerate against a database behind head, so upgrade first, as a
    // user would; then the new revision makes the helper pass.
    project.run(&defs(V1), &["upgrade"]).expect_code(0);
    project
        .run(&defs(V2), &["revision", "--autogenerate", "-m", "user bio"])
        .expect_code(0);
    assert_eq!(project.revisions().len(), 2);
    assert_eq!(compare_with_migrations(&v2(), &dir).unwrap(), vec![]);
    assert_registry_matches_migrations(&v2(), &dir);

    // Going back to v1 models against the v2 history would drop the column: marked.
    let message = panic_message(|| assert_registry_matches_migrations(&v1(), &dir))
        .expect("the models differ, so the assertion fails");
    assert!(
        message.contains("\n  ! drop column users.bio  (destructive: drops column `users.bio`"),
        "{message}"
    );
}

#[test]
fn the_scratch_database_must_be_empty() {
    let project = Project::new();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run(&defs(V1), &["revision", "--autogenerate", "-m", "initial"])
        .expect_code(0);
    project.run(&defs(V1), &["upgrade"]).expect_code(0);

    // A database that already holds tables is refused before anything runs.
    let used = DatabaseUrl::sqlite(project.database());
    let error = compare_with_migrations_on(&v1(), &project.migrations(), &used).unwrap_err();
    assert!(error.to_string().contains("is not empty"), "{error}");

    // A new file works like memory.
    let fresh = DatabaseUrl::sqlite(project.path().join("scratch.db"));
    assert_eq!(
        compare_with_migrations_on(&v1(), &project.migrations(), &fresh).unwrap(),
        vec![]
    );
}

#[test]
fn a_missing_history_fails_with_the_error() {
    let project = Project::new();
    let message = panic_message(|| assert_registry_matches_migrations(&v1(), project.migrations()))
        .expect("there is no migrations directory");
    assert!(message.contains("does not exist"), "{message}");
}

#[test]
fn a_registry_that_cannot_be_built_fails_with_the_error() {
    // This test binary links both versions of `User`, so the linked registry holds two models
    // for `users`: the helper must say so rather than compare anything.
    let project = Project::new();
    project.run(&[], &["init"]).expect_code(0);
    let message = panic_message(|| assert_migrations_match_models(project.migrations()))
        .expect("two models claim `users`");
    assert!(message.contains("cannot check the migrations"), "{message}");
    assert!(message.contains("claimed by two models"), "{message}");
}

/// A PostgreSQL-only project (its revisions written for `postgres`): the history is replayed
/// on a throwaway database on the server, which is dropped again, and the helper passes for
/// the models the revision came from and fails, naming the operation, for changed ones.
#[cfg(feature = "postgres")]
#[test]
fn a_postgres_only_project_is_replayed_on_the_server() {
    use integration_tests::server::{Backend, TestDatabase};
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let project = Project::new();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run_with_url(
            &defs(V1),
            &db.url,
            &["revision", "--autogenerate", "-m", "initial"],
        )
        .expect_code(0);
    let dir = project.migrations();
    let server = DatabaseUrl::parse(&db.url).unwrap();
    assert_eq!(
        compare_with_migrations_on(&v1(), &dir, &server).unwrap(),
        vec![]
    );
    let ops = compare_with_migrations_on(&v2(), &dir, &server).unwrap();
    assert_eq!(ops.len(), 1, "{ops:?}");
    assert!(
        ops[0].to_string().contains("add column users.bio"),
        "{ops:?}"
    );
    // The database the URL names was only connected to: nothing was applied there, and no
    // scratch database is left behind.
    let mut conn = db.connect();
    assert!(conn
        .introspect("migrate_versions")
        .unwrap()
        .tables
        .is_empty());
    let left = db.admin().batch_execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_database WHERE datname LIKE \
         'migrate\\_scratch\\_%') THEN RAISE EXCEPTION 'left'; END IF; END $$",
    );
    assert!(left.is_ok(), "a scratch database was left: {left:?}");
}
