//! Many databases at once: the targets of a fleet (databases listed by URL, PostgreSQL tenant
//! schemas matched by a pattern) and a bounded pool of workers that runs one piece of work per
//! target. Each target is migrated on its own connection under its own run-wide lock (a
//! tenant schema has a lock key of its own, see `dialect/postgres/lock.rs`), so a failing
//! target stops only itself; whether the others still start is the caller's policy.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::db::{Connection, DatabaseUrl};
use crate::error::{Error, Result};

/// One database, or one schema of a PostgreSQL database, to migrate.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub url: DatabaseUrl,
    /// The PostgreSQL schema the session works in (its `search_path`); `None` for the
    /// database's default.
    pub schema: Option<String>,
}

impl Target {
    pub fn database(url: DatabaseUrl) -> Target {
        Target { url, schema: None }
    }

    /// How the target is shown: the URL with its password masked, and the schema.
    pub fn label(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{} (schema {schema})", self.url.display()),
            None => self.url.display(),
        }
    }

    /// Connects for work that only reads: an SQLite file that does not exist is an error,
    /// not a new empty database.
    pub fn connect_existing(&self, timeout: Duration) -> Result<Connection> {
        let location = self.url.location();
        if self.url.is_sqlite()
            && location != ":memory:"
            && !std::path::Path::new(location).exists()
        {
            return Err(Error::Plan(format!(
                "the SQLite database {} does not exist (`fleet upgrade` creates it)",
                self.url.display()
            )));
        }
        self.connect(timeout)
    }

    /// Connects (creating a missing SQLite file); for a schema target, the session's `search_path` is that schema alone, so
    /// the version table and the models' tables are read and written there.
    pub fn connect(&self, timeout: Duration) -> Result<Connection> {
        let mut conn = Connection::establish_within(&self.url, timeout)?;
        if let Some(schema) = &self.schema {
            let mut w = conn.dialect().writer();
            w.raw("SET search_path TO ").ident(schema);
            conn.batch_execute(&w.finish())
                .map_err(Error::db(format!("switching to schema {schema}")))?;
        }
        Ok(conn)
    }
}

/// The schemas of the PostgreSQL database at `url` whose names match `pattern` (SQL `LIKE`:
/// `%` any run of characters, `_` one character), sorted by name, as targets.
pub fn tenant_schemas(url: &DatabaseUrl, pattern: &str, timeout: Duration) -> Result<Vec<Target>> {
    if !url.dialect().facts().schemas {
        return Err(Error::Plan(format!(
            "{}: tenant schemas are a PostgreSQL feature; list {} databases by URL instead",
            url.display(),
            url.dialect().facts().label
        )));
    }
    let mut conn = Connection::establish_within(url, timeout)?;
    let mut w = conn.dialect().writer();
    w.raw("SELECT nspname AS value FROM pg_namespace WHERE nspname LIKE ")
        .string(pattern)
        .raw(" ORDER BY nspname");
    let names = conn
        .backend()
        .load_texts(&w.finish())
        .map_err(Error::db(format!("listing the schemas like '{pattern}'")))?;
    Ok(names
        .into_iter()
        .map(|schema| Target {
            url: url.clone(),
            schema: Some(schema),
        })
        .collect())
}

/// What the pool does once a target has failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AfterFailure {
    /// Start no further target; those already running finish (the default: a revision that
    /// fails on one tenant is likely to fail on the next).
    #[default]
    Stop,
    /// Go on with every target.
    Continue,
}

/// What became of one target.
#[derive(Debug)]
pub struct Outcome<T> {
    pub target: Target,
    /// `None` when it was not started because an earlier target failed.
    pub result: Option<Result<T>>,
    pub elapsed: Duration,
}

/// Runs `work` on every target, at most `jobs` at a time, in the order given; `on_done`
/// hears of each outcome as it comes, on the calling thread (for progress). Outcomes come
/// back in the targets' order.
pub fn run<T: Send>(
    targets: Vec<Target>,
    jobs: usize,
    after_failure: AfterFailure,
    work: impl Fn(&Target) -> Result<T> + Sync,
    mut on_done: impl FnMut(&Outcome<T>),
) -> Vec<Outcome<T>> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let mut done: Vec<Option<(Result<T>, Duration)>> = targets.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let (report, reports) = std::sync::mpsc::channel();
        for _ in 0..jobs.clamp(1, targets.len().max(1)) {
            let report = report.clone();
            let (next, failed, targets, work) = (&next, &failed, &targets, &work);
            scope.spawn(move || loop {
                if after_failure == AfterFailure::Stop && failed.load(Ordering::SeqCst) {
                    return;
                }
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(target) = targets.get(index) else {
                    return;
                };
                let started = Instant::now();
                let result = work(target);
                if result.is_err() {
                    failed.store(true, Ordering::SeqCst);
                }
                if report.send((index, result, started.elapsed())).is_err() {
                    return;
                }
            });
        }
        // The workers hold the only senders left: the loop ends when the last one returns.
        drop(report);
        for (index, result, elapsed) in reports {
            let outcome = Outcome {
                target: targets[index].clone(),
                result: Some(result),
                elapsed,
            };
            on_done(&outcome);
            done[index] = outcome.result.map(|result| (result, elapsed));
        }
    });
    targets
        .into_iter()
        .zip(done)
        .map(|(target, done)| match done {
            Some((result, elapsed)) => Outcome {
                target,
                result: Some(result),
                elapsed,
            },
            None => Outcome {
                target,
                result: None,
                elapsed: Duration::ZERO,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(n: usize) -> Vec<Target> {
        (0..n)
            .map(|i| Target::database(DatabaseUrl::sqlite(format!("t{i}.db"))))
            .collect()
    }

    #[test]
    fn every_target_runs_once_in_order_of_the_report() {
        let seen = AtomicUsize::new(0);
        let mut heard = 0;
        let outcomes = run(
            targets(9),
            4,
            AfterFailure::Continue,
            |t| {
                seen.fetch_add(1, Ordering::SeqCst);
                if t.url.location() == "t4.db" {
                    Err(Error::Plan("broken".into()))
                } else {
                    Ok(t.url.location().to_owned())
                }
            },
            |_| heard += 1,
        );
        assert_eq!(seen.load(Ordering::SeqCst), 9);
        assert_eq!(heard, 9);
        for (i, outcome) in outcomes.iter().enumerate() {
            match (&outcome.result, i) {
                (Some(Err(_)), 4) => {}
                (Some(Ok(location)), _) => assert_eq!(location, &format!("t{i}.db")),
                other => panic!("target {i}: {other:?}"),
            }
        }
    }

    #[test]
    fn stop_starts_nothing_after_a_failure() {
        let outcomes = run(
            targets(6),
            1,
            AfterFailure::Stop,
            |t| match t.url.location() {
                "t2.db" => Err(Error::Plan("broken".into())),
                _ => Ok(()),
            },
            |_| {},
        );
        let started: Vec<bool> = outcomes.iter().map(|o| o.result.is_some()).collect();
        assert_eq!(started, [true, true, true, false, false, false]);
    }
}
