//! PostgreSQL schemas: models in `billing` beside one in the current schema, a foreign key
//! across them, the version table in `ops`; the schemas are created when missing, read back
//! in bulk, and a second autogenerate finds nothing. Elsewhere a schema is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::registry::ModelDef;
use migrate_core::Model;

#[allow(unused_imports)]
use integration_tests::server::{Backend, TestDatabase};
use integration_tests::Project;

#[allow(dead_code)] // the structs are only models: their fields are never read
mod v1 {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "customers")]
    pub struct Customer {
        pub id: i64,
    }

    #[derive(Debug, Model)]
    #[model(table = "invoices", schema = "billing")]
    pub struct Invoice {
        pub id: i64,
        #[model(references(Customer))]
        pub customer_id: i64,
        #[model(max_length = 20, index)]
        pub number: String,
    }

    #[derive(Model)]
    #[model(table = "payments", schema = "billing")]
    pub struct Payment {
        pub id: i64,
        #[model(references(Invoice), on_delete = "cascade")]
        pub invoice_id: i64,
    }
}

#[allow(dead_code)]
mod v2 {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "customers")]
    pub struct Customer {
        pub id: i64,
    }

    #[derive(Debug, Model)]
    #[model(table = "invoices", schema = "billing")]
    pub struct Invoice {
        pub id: i64,
        #[model(references(Customer))]
        pub customer_id: i64,
        #[model(max_length = 20, unique)]
        pub number: String,
        pub note: Option<String>,
    }

    #[derive(Model)]
    #[model(table = "payments", schema = "billing")]
    pub struct Payment {
        pub id: i64,
        #[model(references(Invoice), on_delete = "cascade")]
        pub invoice_id: i64,
    }
}

fn first() -> Vec<&'static ModelDef> {
    vec![
        v1::Customer::definition(),
        v1::Invoice::definition(),
        v1::Payment::definition(),
    ]
}

#[cfg(feature = "postgres")]
#[test]
fn models_in_schemas_on_postgres() {
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let project = Project::new();
    let first = first();
    let second = [
        v2::Customer::definition(),
        v2::Invoice::definition(),
        v2::Payment::definition(),
    ];
    let run =
        |models: &[&'static ModelDef], args: &[&str]| project.run_with_url(models, &db.url, args);
    run(&first, &["init"]).expect_code(0);
    let config = project.path().join("migrate.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\nversion_table = \"ops.migrate_versions\"\n"),
    )
    .unwrap();

    run(&first, &["revision", "--autogenerate", "-m", "billing"]).expect_code(0);
    let (up, _) = project.last_revision_sql();
    assert!(
        up.contains("CREATE SCHEMA IF NOT EXISTS \"billing\""),
        "{up}"
    );
    assert!(up.contains("CREATE TABLE \"billing\".\"invoices\""), "{up}");
    assert!(up.contains("REFERENCES \"billing\".\"invoices\""), "{up}");
    run(&first, &["upgrade"]).expect_code(0);
    let again = run(&first, &["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}",
        again.stdout
    );
    run(&first, &["check"]).expect_code(0);
    let mut conn = db.connect();
    let recorded = migrate_core::testing::query_number(
        &mut conn,
        "SELECT COUNT(*) AS n FROM ops.migrate_versions",
    )
    .unwrap();
    assert_eq!(recorded, 1);

    // A change inside the schema: a column, and the index turned unique (dropped by its
    // schema-qualified name).
    let out = run(&second, &["revision", "--autogenerate", "-m", "note"]).expect_code(0);
    assert!(
        out.stdout.contains("add column billing.invoices.note"),
        "{}",
        out.stdout
    );
    run(&second, &["upgrade"]).expect_code(0);
    let again = run(&second, &["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}",
        again.stdout
    );
    run(&second, &["downgrade", "base"]).expect_code(0);
    let left = migrate_core::testing::query_number(
        &mut conn,
        "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = 'billing'",
    )
    .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn a_schema_is_refused_where_the_backend_has_none() {
    let project = Project::new();
    let models = first();
    project.run(&models, &["init"]).expect_code(0);
    let out = project
        .run(&models, &["revision", "--autogenerate", "-m", "x"])
        .expect_code(1);
    assert!(
        out.stderr
            .contains("models put tables in a schema (billing.invoices, billing.payments), which SQLite does not have"),
        "{}",
        out.stderr
    );
    assert!(project.revisions().is_empty());
}
