//! Upgrading when the application starts (DESIGN §8): one call connects, takes the run-wide
//! lock (waiting as configured), applies what is pending and returns what it did, logging
//! each step through the `log` facade. Any number of instances may start at once: the lock
//! makes every revision run exactly once, and the others find nothing left to do.

use std::time::{Duration, Instant};

use crate::db::{Connection, DatabaseUrl, DEFAULT_CONNECT_TIMEOUT};
use crate::error::Result;
use crate::registry::Registry;
use crate::revision::{EmbeddedMigrations, Graph};
use crate::runner::{self, Direction, Event, RunOptions};
use crate::schema::Schema;
use crate::sql::split_statements;
use crate::version_table;

/// What to do with a database that has no tables at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FreshDatabase {
    /// Run every revision from the first (the default).
    #[default]
    ApplyHistory,
    /// Create the tables straight from the registered models and record every revision as
    /// applied (Alembic's "create_all, then stamp head"): quicker on a long history, and the
    /// result is what the models say. `check` confirms the two agree.
    CreateFromModels,
}

/// How the start-up upgrade behaves.
#[derive(Debug, Clone)]
pub struct StartupOptions {
    pub run: RunOptions,
    pub connect_timeout: Duration,
    pub fresh: FreshDatabase,
}

impl Default for StartupOptions {
    fn default() -> StartupOptions {
        StartupOptions {
            run: RunOptions::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            fresh: FreshDatabase::default(),
        }
    }
}

/// What the start-up upgrade did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Revisions applied by this call, in order.
    pub applied: Vec<String>,
    /// Revisions `diesel migration run` had applied, recorded now.
    pub adopted: Vec<String>,
    /// Revisions recorded as applied because the tables were created from the models.
    pub baselined: Vec<String>,
    /// The revisions the database was at when this call took the lock (empty: base).
    pub before: Vec<String>,
    /// The revisions the database is at afterwards.
    pub current: Vec<String>,
    /// How long this call waited for another instance's lock.
    pub lock_waited: Duration,
}

/// Connects to `database_url` and upgrades it to the heads of the embedded history.
pub fn upgrade_on_start(
    database_url: &str,
    migrations: &EmbeddedMigrations,
    options: &StartupOptions,
) -> Result<Report> {
    let url = DatabaseUrl::parse(database_url)?;
    let graph = migrations.graph()?;
    log::debug!("connecting to {}", url.display());
    let mut conn = Connection::establish_within(&url, options.connect_timeout)?;
    upgrade_connection(&mut conn, &graph, options)
}

/// Upgrades the database of an open connection to the heads of `graph`.
pub fn upgrade_connection(
    conn: &mut Connection,
    graph: &Graph,
    options: &StartupOptions,
) -> Result<Report> {
    let mut report = Report::default();
    let asked = Instant::now();
    let mut locked_at = None;
    let mut on_event = |event: Event<'_>| {
        if locked_at.is_none() && !matches!(event, Event::WaitingForLock { .. }) {
            locked_at = Some(asked.elapsed());
        }
        log_event(&event, &mut report);
    };
    let version_table = options.run.version_table.clone();
    let mut before = Vec::new();
    let baselined = runner::locked(conn, &options.run, &mut on_event, |conn, on_event| {
        if options.fresh == FreshDatabase::CreateFromModels && is_fresh(conn, &version_table)? {
            return baseline(conn, graph, &version_table, on_event);
        }
        runner::run_locked(conn, graph, &options.run, on_event, |applied| {
            before = graph
                .current(applied)
                .iter()
                .map(|r| r.id.clone())
                .collect();
            Ok((graph.upgrade_plan(applied, "heads")?, Direction::Up))
        })
        .map(|_| Vec::new())
    })?;
    report.baselined = baselined;
    report.before = before;
    report.lock_waited = locked_at.unwrap_or_else(|| asked.elapsed());
    let status = runner::status(conn, graph, &version_table)?;
    report.current = status.current;
    log::info!(
        "database at {} ({} applied now)",
        if report.current.is_empty() {
            "base".to_owned()
        } else {
            report.current.join(", ")
        },
        report.applied.len()
    );
    Ok(report)
}

fn log_event(event: &Event<'_>, report: &mut Report) {
    match event {
        Event::WaitingForLock { holder, waited } => log::warn!(
            "waiting for the migration lock ({} s so far), held by {holder}",
            waited.as_secs()
        ),
        Event::Adopted { revisions } => {
            for revision in revisions.iter() {
                log::info!("adopted {} (applied by diesel)", revision.id);
                report.adopted.push(revision.id.clone());
            }
        }
        Event::Planned { count, .. } if *count > 0 => {
            log::info!("{count} revision(s) to apply");
        }
        Event::Planned { .. } => log::info!("no revision to apply"),
        Event::Started { revision, .. } => {
            log::info!("applying {} {}", revision.id, revision.message);
        }
        Event::Empty { revision } => log::warn!(
            "revision {} holds no SQL statement in its up SQL; recorded as applied without changing anything",
            revision.id
        ),
        Event::Retrying {
            revision,
            attempt,
            retries,
            pause,
        } => log::warn!(
            "revision {} gave up waiting for a lock; trying again in {} ms ({attempt} of {retries})",
            revision.id,
            pause.as_millis()
        ),
        Event::Finished {
            revision,
            duration_ms,
            ..
        } => {
            log::info!("applied {} in {duration_ms} ms", revision.id);
            report.applied.push(revision.id.clone());
        }
    }
}

/// No version table and no table at all: nothing the models could clash with.
fn is_fresh(conn: &mut Connection, version_table: &str) -> Result<bool> {
    Ok(!version_table::exists(conn, version_table)?
        && conn.introspect(version_table)?.tables.is_empty())
}

/// Creates the models' tables and records every revision up to the heads as applied, in one
/// transaction where the database has transactional DDL.
fn baseline(
    conn: &mut Connection,
    graph: &Graph,
    version_table: &str,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Vec<String>> {
    let models = Registry::collect()?.schema();
    let dialect = conn.dialect();
    let comparison = crate::autogen::compare(&models, &Schema::default(), dialect);
    let statements = dialect.render(&comparison.ops, &comparison.live);
    log::info!(
        "fresh database: creating {} table(s) from the models, then recording the history as applied",
        models.tables.len()
    );
    version_table::ensure(conn, version_table)?;
    conn.backend().begin_revision()?;
    let created = (|| {
        for statement in statements.iter().flat_map(|s| split_statements(s)) {
            conn.batch_execute(&statement)
                .map_err(crate::error::Error::db(format!(
                    "creating the tables from the models: {statement}"
                )))?;
        }
        runner::stamp::stamp_locked(conn, graph, version_table, "heads", false)
    })();
    match created {
        Ok(stamped) => {
            conn.backend().commit_revision()?;
            for id in &stamped.added {
                log::info!("recorded {id} as applied (baseline)");
            }
            on_event(Event::Planned {
                count: 0,
                direction: Direction::Up,
            });
            Ok(stamped.added)
        }
        Err(e) => {
            conn.backend().rollback_revision()?;
            Err(e)
        }
    }
}
