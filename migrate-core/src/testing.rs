//! A check for a project's own tests: do the migrations produce the registered models?
//!
//! The history is replayed on a scratch database (in-memory SQLite by default), the result is
//! introspected and compared with the models exactly as `revision --autogenerate` would. A
//! model changed without a revision shows up as the operations that revision would hold.
//!
//! ```no_run
//! // tests/migrations_up_to_date.rs of the crate that holds the models (or links them with
//! // `use my_models as _;`)
//! #[test]
//! fn migrations_are_up_to_date() {
//!     migrate_core::testing::assert_migrations_match_models(concat!(
//!         env!("CARGO_MANIFEST_DIR"),
//!         "/migrations"
//!     ));
//! }
//! ```

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::autogen;
use crate::db::{Connection, DatabaseUrl};
use crate::diff::Op;
use crate::error::{Error, Result};
use crate::registry::Registry;
use crate::revision::{require_sql_for, Graph};
use crate::runner;
use crate::version_table::DEFAULT_VERSION_TABLE;

/// The scratch database [`compare_with_migrations`] uses: SQLite in memory, gone when the
/// connection closes.
pub fn in_memory_sqlite() -> DatabaseUrl {
    DatabaseUrl::sqlite(":memory:")
}

/// The operations a new revision would need so that the migrations in `migrations_dir`
/// produce `registry`'s models; empty when they already do.
///
/// Replays the whole history (up to every head) on an in-memory SQLite database. Revisions
/// written for another dialect need an `up.sqlite.sql`/`down.sqlite.sql` pair for this.
///
/// # Errors
///
/// When the history cannot be loaded (see [`Graph::load`]) or a revision fails to apply.
pub fn compare_with_migrations(registry: &Registry, migrations_dir: &Path) -> Result<Vec<Op>> {
    compare_with_migrations_on(registry, migrations_dir, &in_memory_sqlite())
}

/// [`compare_with_migrations`] on a given scratch database, whose dialect is the one
/// compared in.
///
/// - SQLite (in memory, or a new file): the database must be empty, not even a version
///   table; this is checked before anything runs, so pointing it at a real database by
///   mistake changes nothing.
/// - A PostgreSQL or MySQL URL names the server: a throwaway database
///   (`migrate_scratch_<pid>_<n>`) is created there, the history replayed in it, and it is
///   dropped again, also when the replay fails. The URL's own database is only connected to.
///
/// # Errors
///
/// When the scratch database cannot be opened, made or is not empty, when the history cannot
/// be loaded, when a revision has no SQL for the scratch database's dialect, or when a
/// revision fails to apply.
pub fn compare_with_migrations_on(
    registry: &Registry,
    migrations_dir: &Path,
    scratch: &DatabaseUrl,
) -> Result<Vec<Op>> {
    let graph = Graph::load(migrations_dir)?;
    let dialect = scratch.dialect();
    require_sql_for(graph.revisions(), dialect.name())?;
    if scratch.is_sqlite() {
        return replay(registry, &graph, scratch);
    }
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "migrate_scratch_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut server = Connection::establish(scratch)?;
    let mut create = dialect.writer();
    create.raw("CREATE DATABASE ").ident(&name);
    server
        .batch_execute(&create.finish())
        .map_err(Error::db(format!("creating the scratch database {name}")))?;
    let replayed = scratch
        .with_database(&name)
        .and_then(|url| replay(registry, &graph, &url));
    let dropped = server
        .batch_execute(&dialect.drop_database_sql(&name))
        .map_err(Error::db(format!("dropping the scratch database {name}")));
    let ops = replayed?;
    dropped?;
    Ok(ops)
}

/// Upgrades the empty database at `url` to every head and compares it with the models.
fn replay(registry: &Registry, graph: &Graph, url: &DatabaseUrl) -> Result<Vec<Op>> {
    let mut conn = Connection::establish(url)?;
    let before = conn.introspect(DEFAULT_VERSION_TABLE)?;
    if !before.tables.is_empty() || crate::version_table::exists(&mut conn, DEFAULT_VERSION_TABLE)?
    {
        return Err(Error::Plan(format!(
            "the scratch database {} is not empty; the migrations are replayed from nothing\n  \
             hint: give a new, empty database",
            url.display()
        )));
    }
    runner::upgrade(
        &mut conn,
        graph,
        &runner::RunOptions::default(),
        "heads",
        &mut |_| {},
    )?;
    let live = conn.introspect(DEFAULT_VERSION_TABLE)?;
    Ok(autogen::compare(&registry.schema(), &live, url.dialect()).ops)
}

/// Fails (panics) when the models linked into this test binary differ from what the
/// migrations in `migrations_dir` produce, listing the operations a new revision would need.
///
/// Call it from a test of a crate that links every model crate (`use my_models as _;` in the
/// test file, or the test lives in the models crate itself). The history is replayed on the
/// dialect its revisions are written for: an in-memory SQLite database, or a throwaway
/// database on the PostgreSQL or MySQL server `DATABASE_URL` names; see
/// [`compare_with_migrations_on`].
///
/// # Panics
///
/// That is its job: when the models and the migrations differ, with one line per operation
/// and the fix. Also when no models are registered, when the history cannot be loaded, or
/// when a revision fails to apply, with that error.
#[track_caller]
pub fn assert_migrations_match_models(migrations_dir: impl AsRef<Path>) {
    match Registry::collect() {
        Ok(registry) => assert_registry_matches_migrations(&registry, migrations_dir),
        Err(error) => panic!("cannot check the migrations against the models: {error}"),
    }
}

/// [`assert_migrations_match_models`] for a given set of models instead of the linked ones.
///
/// # Panics
///
/// As [`assert_migrations_match_models`].
#[track_caller]
pub fn assert_registry_matches_migrations(registry: &Registry, migrations_dir: impl AsRef<Path>) {
    let dir = migrations_dir.as_ref();
    let compared =
        primary_scratch(dir).and_then(|url| compare_with_migrations_on(registry, dir, &url));
    match compared {
        Ok(ops) if ops.is_empty() => {}
        Ok(ops) => panic!("{}", mismatch_message(dir, &ops)),
        Err(error) => panic!(
            "cannot check the migrations in {} against the models: {error}",
            dir.display()
        ),
    }
}

/// Where the history is replayed: in memory when its revisions are SQLite's (or a plain
/// diesel history's), else on the server `DATABASE_URL` names, which must be of the
/// revisions' dialect.
fn primary_scratch(dir: &Path) -> Result<DatabaseUrl> {
    let graph = Graph::load(dir)?;
    let primary = graph.revisions().find_map(|r| r.dialect.clone());
    let in_memory = in_memory_sqlite();
    let Some(primary) = primary.filter(|d| d != in_memory.dialect().name()) else {
        return Ok(in_memory);
    };
    let missing = || {
        Error::Plan(format!(
            "the migrations in {} are written for {primary}, so they are replayed on a throwaway \
             database on a {primary} server\n  hint: set DATABASE_URL to that server (any \
             database on it; it is only connected to)",
            dir.display()
        ))
    };
    let url = std::env::var("DATABASE_URL").map_err(|_| missing())?;
    let url = DatabaseUrl::parse(&url)?;
    if url.dialect().name() != primary {
        return Err(missing());
    }
    Ok(url)
}

fn mismatch_message(dir: &Path, ops: &[Op]) -> String {
    let mut text = format!(
        "the models differ from what the migrations in {} produce; a new revision needs {} \
         operation(s):\n",
        dir.display(),
        ops.len()
    );
    for op in ops {
        let _ = match op.destructive() {
            Some(why) => writeln!(text, "  ! {op}  (destructive: {why})"),
            None => writeln!(text, "  + {op}"),
        };
    }
    text.push_str(
        "fix: run `revision --autogenerate -m \"…\"` and commit the new revision (the \
         development database must be at head first: `upgrade`)",
    );
    text
}

/// The number a query returns in a column named `n` (`SELECT balance AS n FROM …`), for
/// tests that check what migrations did to the data on any backend.
///
/// # Errors
///
/// When the query fails or returns no row.
pub fn query_number(conn: &mut Connection, sql: &str) -> Result<i64> {
    conn.backend()
        .count(sql, &[])
        .map_err(Error::db(format!("running {sql}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_history_is_reported_before_any_connection() {
        let registry = Registry { models: vec![] };
        let url = DatabaseUrl::parse("postgres://u:secret@localhost/app").expect("a valid URL");
        let error = compare_with_migrations_on(&registry, Path::new("no-such-dir"), &url)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("no-such-dir"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }
}
