//! A database of a test's own on the PostgreSQL or MySQL server named by
//! `TEST_POSTGRES_URL` / `TEST_MYSQL_URL`: created for the test, dropped after it (also when
//! it panics), so tests run in parallel. Unset variable: `None` with a note. Set but
//! unreachable: a panic, never a skip.

use std::sync::atomic::{AtomicUsize, Ordering};

use migrate_core::db::{Connection, DatabaseUrl};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Mysql,
}

impl Backend {
    pub fn env(self) -> &'static str {
        match self {
            Backend::Postgres => "TEST_POSTGRES_URL",
            Backend::Mysql => "TEST_MYSQL_URL",
        }
    }
}

/// A database of the test's own, dropped when the test ends (also when it panics).
#[derive(Debug)]
pub struct TestDatabase {
    pub backend: Backend,
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    /// `None` (with a note) when the backend's variable is unset; panics when the server
    /// cannot be reached or the database cannot be made.
    pub fn create(backend: Backend) -> Option<TestDatabase> {
        let Ok(admin_url) = std::env::var(backend.env()) else {
            eprintln!(
                "note: {} is not set; skipping this {backend:?} test",
                backend.env()
            );
            return None;
        };
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "migrate_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let url = with_database(&admin_url, &name);
        let db = TestDatabase {
            backend,
            admin_url,
            name,
            url,
        };
        let mut admin = db.admin();
        // A database left by an earlier run whose process had the same id.
        admin.batch_execute(&db.drop_sql()).unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {}", db.name))
            .unwrap_or_else(|e| panic!("creating database {}: {e}", db.name));
        Some(db)
    }

    pub fn admin(&self) -> Connection {
        let url = DatabaseUrl::parse(&self.admin_url).unwrap();
        Connection::establish(&url).unwrap_or_else(|e| {
            panic!(
                "{} is set but the server cannot be reached: {e}",
                self.backend.env()
            )
        })
    }

    pub fn connect(&self) -> Connection {
        Connection::establish(&DatabaseUrl::parse(&self.url).unwrap())
            .unwrap_or_else(|e| panic!("connecting to {}: {e}", self.name))
    }

    fn drop_sql(&self) -> String {
        match self.backend {
            // Sessions a failed test left open would otherwise block the drop.
            Backend::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            Backend::Mysql => format!("DROP DATABASE IF EXISTS {}", self.name),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let dropped = DatabaseUrl::parse(&self.admin_url)
            .ok()
            .and_then(|url| Connection::establish(&url).ok())
            .map(|mut admin| admin.batch_execute(&self.drop_sql()));
        if !matches!(dropped, Some(Ok(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}

/// `url` with its database (the first path segment) replaced, query string kept.
pub fn with_database(url: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let (authority_and_path, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    let authority = authority_and_path
        .split_once('/')
        .map_or(authority_and_path, |(authority, _)| authority);
    let mut out = format!("{scheme}://{authority}/{database}");
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}
