//! Introspection sends the same number of statements for 2 tables as for 40: one catalog
//! query per kind of object, never one per table (the bench measures 10 against 500). On
//! SQLite always, on PostgreSQL and MySQL when their URLs are set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::db::{Connection, DatabaseUrl};

/// `tables` tables, each with every kind of object introspection reads.
fn schema_sql(tables: usize) -> String {
    (0..tables)
        .map(|i| {
            let parent = if i == 0 {
                String::new()
            } else {
                format!(", FOREIGN KEY (parent_id) REFERENCES t_{} (id)", i - 1)
            };
            format!(
                "CREATE TABLE t_{i} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL DEFAULT 'x', \
                 parent_id INTEGER, CONSTRAINT ck_t_{i} CHECK (parent_id > 0){parent});\n\
                 CREATE INDEX ix_t_{i}_name ON t_{i} (name);\n"
            )
        })
        .collect()
}

/// The statements one introspection of `conn`, holding `tables` tables, sends.
fn statements_for(mut conn: Connection, tables: usize) -> u64 {
    conn.batch_execute(&schema_sql(tables)).unwrap();
    let counter = conn.count_statements();
    assert_eq!(counter.get(), 0);
    let schema = conn.introspect("migrate_versions").unwrap();
    assert_eq!(schema.tables.len(), tables);
    counter.get()
}

fn sqlite(dir: &std::path::Path, name: &str) -> Connection {
    Connection::establish(&DatabaseUrl::sqlite(dir.join(name))).unwrap()
}

#[test]
fn sqlite_introspection_does_not_query_per_table() {
    let dir = tempfile::tempdir().unwrap();
    let few = statements_for(sqlite(dir.path(), "few.db"), 2);
    let many = statements_for(sqlite(dir.path(), "many.db"), 40);
    assert!(few > 0, "the counter counts");
    assert_eq!(few, many);
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
mod servers {
    use integration_tests::server::{Backend, TestDatabase};

    use super::statements_for;

    fn on(backend: Backend) {
        let (Some(few), Some(many)) =
            (TestDatabase::create(backend), TestDatabase::create(backend))
        else {
            return;
        };
        let few = statements_for(few.connect(), 2);
        let many = statements_for(many.connect(), 40);
        assert!(few > 0, "the counter counts");
        assert_eq!(few, many, "{backend:?}");
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn postgres_introspection_does_not_query_per_table() {
        on(Backend::Postgres);
    }

    #[cfg(feature = "mysql")]
    #[test]
    fn mysql_introspection_does_not_query_per_table() {
        on(Backend::Mysql);
    }
}
