//! The connection-bound half of a backend: what needs a live database. Each backend's
//! `connection.rs` implements [`Backend`] for its diesel connection; the parts that are the
//! same for every diesel connection come from [`diesel_common!`], compiled once per
//! connection type (diesel's query types are generic over the backend, so one text serves
//! all three without a trait-bound for every SQL type).

use std::time::{Duration, Instant};

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::QueryableByName;

use super::Dialect;
use crate::error::Result;
use crate::schema::Schema;

/// Opens a live connection to a database of the dialect.
pub type ConnectFn = fn(&Target<'_>) -> Result<Box<dyn Backend>>;

/// What a driver connects to, and how messages show it (password hidden).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// A file path for SQLite, the URL for a server.
    pub location: &'a str,
    pub shown: &'a str,
}

/// How long a run waits for the lock, and whom it tells while it waits.
pub struct LockWait<'a> {
    pub timeout: Duration,
    /// Called every few seconds while another session holds the lock, with a description
    /// of that session (as far as the database says) and the time waited so far.
    pub on_wait: &'a mut dyn FnMut(&str, Duration),
}

impl std::fmt::Debug for LockWait<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockWait")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl LockWait<'_> {
    /// Waits for a lock taken by `attempt`, which tries for at most the slice it is given
    /// and says whether it got the lock. Between attempts, `holder` describes who has it and
    /// [`LockWait::on_wait`] is told: first after a second, then every few seconds.
    pub(crate) fn poll(
        &mut self,
        mut attempt: impl FnMut(Duration) -> Result<bool>,
        mut holder: impl FnMut() -> String,
        gave_up: impl FnOnce(Duration, &str) -> crate::error::Error,
    ) -> Result<()> {
        const FIRST_REPORT: Duration = Duration::from_secs(1);
        const REPORT_EVERY: Duration = Duration::from_secs(5);
        let started = Instant::now();
        let mut next_report = FIRST_REPORT;
        loop {
            let waited = started.elapsed();
            let slice = next_report
                .saturating_sub(waited)
                .min(self.timeout.saturating_sub(waited));
            if attempt(slice)? {
                return Ok(());
            }
            let waited = started.elapsed();
            if waited >= self.timeout {
                return Err(gave_up(self.timeout, &holder()));
            }
            if waited >= next_report {
                (self.on_wait)(&holder(), waited);
                next_report = waited + REPORT_EVERY;
            }
        }
    }
}

/// The lock holders a catalog query described, one text per session, joined; `unseen` when
/// it found none, the error when it failed. Only the server backends name lock holders.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) fn holders_text(found: diesel::QueryResult<Vec<String>>, unseen: &str) -> String {
    match found {
        Ok(rows) if !rows.is_empty() => rows.join("; "),
        Ok(_) => unseen.to_owned(),
        Err(e) => format!("a session that could not be looked up ({e})"),
    }
}

/// A bind parameter's value. Only catalog lookups bind values (a table's name); rows are
/// written as literals through the quoting writer, so that they can travel in one message.
#[derive(Debug, Clone, Copy)]
pub enum Bind<'a> {
    Text(&'a str),
}

/// A version-table row as stored.
#[derive(Debug, QueryableByName)]
pub struct RawVersionRow {
    #[diesel(sql_type = Text)]
    pub revision: String,
    #[diesel(sql_type = Text)]
    pub parents: String,
    #[diesel(sql_type = Text)]
    pub checksum: String,
    #[diesel(sql_type = Text)]
    pub applied_at: String,
    #[diesel(sql_type = BigInt)]
    pub duration_ms: i64,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub error: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub statement_index: Option<i64>,
}

/// A single text, read as column `value`.
#[derive(Debug, QueryableByName)]
pub(crate) struct TextRow {
    #[diesel(sql_type = Text)]
    pub value: String,
}

/// A single count, read as column `n`.
#[derive(Debug, QueryableByName)]
pub(crate) struct CountRow {
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// A live connection to one database.
pub trait Backend: Send {
    fn dialect(&self) -> &'static dyn Dialect;

    /// Runs statements without bind parameters.
    fn batch_execute(&mut self, sql: &str) -> diesel::QueryResult<()>;

    /// The rows a `SELECT` of the version table's columns returns.
    fn load_version_rows(&mut self, sql: &str) -> diesel::QueryResult<Vec<RawVersionRow>>;

    /// The `value` column of every row a query returns.
    fn load_texts(&mut self, sql: &str) -> diesel::QueryResult<Vec<String>>;

    /// The `n` column of the first row of a counting query (0 without rows).
    fn count(&mut self, sql: &str, binds: &[Bind<'_>]) -> diesel::QueryResult<i64>;

    /// The live schema, without the version table: the current schema's tables, and on
    /// PostgreSQL those of `schemas` too, named `schema.table`.
    fn introspect(&mut self, version_table: &str, schemas: &[String]) -> Result<Schema>;

    /// From now on, counts every statement the connection sends in `counter`.
    fn count_statements(&mut self, counter: StatementCounter);

    /// Whether a table of this name exists in the connection's schema. Asks the catalog
    /// instead of trying a `SELECT`: on PostgreSQL a failing statement would abort the
    /// surrounding transaction.
    fn table_exists(&mut self, table: &str) -> Result<bool>;

    /// Takes the run-wide lock (DESIGN §6), waiting as `wait` says.
    fn lock(&mut self, wait: &mut LockWait<'_>) -> Result<()>;

    /// Ends the run: rolls back a revision an error left open, keeps what finished
    /// revisions committed, and releases the lock.
    fn release(&mut self) -> Result<()>;

    /// Bounds the statements of the next revision, where the database can (PostgreSQL).
    fn set_revision_timeouts(
        &mut self,
        _timeouts: crate::revision::RevisionTimeouts,
    ) -> Result<()> {
        Ok(())
    }

    /// After `sql` failed with `message`: when it gave up waiting for a lock, the sessions
    /// holding locks on the tables it names, described; `None` otherwise.
    fn lock_holders(&mut self, _sql: &str, _message: &str) -> Option<String> {
        None
    }

    fn begin_revision(&mut self) -> Result<()>;
    fn commit_revision(&mut self) -> Result<()>;
    fn rollback_revision(&mut self) -> Result<()>;

    /// Runs `statements` (a revision's bookkeeping: its version row, diesel's table) at the
    /// end of the open revision and commits it; when one fails, the revision is rolled back
    /// and the error says `context`. PostgreSQL sends them and the COMMIT as one message,
    /// so a revision of one statement costs the round trips of a hand-run script.
    fn commit_revision_with(&mut self, statements: &[String], context: &str) -> Result<()> {
        for sql in statements {
            if let Err(e) = self.batch_execute(sql) {
                // The statement's error says what went wrong; a failed rollback adds nothing.
                let _ = self.rollback_revision();
                return Err(crate::error::Error::db(context.to_owned())(e));
            }
        }
        self.commit_revision()
    }

    /// Rows that violate a foreign key, as a message. Only SQLite defers the check (foreign
    /// keys are off during a run there); the servers check every statement as it runs.
    fn check_foreign_keys(&mut self) -> std::result::Result<(), String> {
        Ok(())
    }
}

/// The [`Backend`] methods that are the same for every diesel connection, for an
/// `impl Backend` block on a newtype whose field `.0` is the connection; `table_exists` is
/// the catalog query counting tables named by its one bind parameter, as `n`. Transactions go
/// through diesel's transaction manager (not `BEGIN` as text), so diesel's idea of the
/// depth stays right: revisions nest as savepoints inside a run that is itself a
/// transaction (SQLite), and the lock release can see a revision an error left open.
macro_rules! diesel_common {
    (dialect: $dialect:expr, table_exists: $table_exists:expr) => {
        fn dialect(&self) -> &'static dyn $crate::dialect::Dialect {
            &$dialect
        }

        /// Every backend folder has an `introspect.rs` with this function.
        fn introspect(
            &mut self,
            version_table: &str,
            schemas: &[String],
        ) -> $crate::error::Result<$crate::schema::Schema> {
            super::introspect::introspect(&mut self.0, version_table, schemas)
        }

        fn table_exists(&mut self, table: &str) -> $crate::error::Result<bool> {
            let n = self
                .count($table_exists, &[$crate::dialect::Bind::Text(table)])
                .map_err($crate::error::Error::db(format!(
                    "looking for the table {table}"
                )))?;
            Ok(n > 0)
        }

        fn batch_execute(&mut self, sql: &str) -> diesel::QueryResult<()> {
            diesel::connection::SimpleConnection::batch_execute(&mut self.0, sql)
        }

        fn count_statements(&mut self, counter: $crate::dialect::StatementCounter) {
            diesel::Connection::set_instrumentation(
                &mut self.0,
                move |event: diesel::connection::InstrumentationEvent<'_>| {
                    if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
                        counter.add_one();
                    }
                },
            );
        }

        fn load_version_rows(
            &mut self,
            sql: &str,
        ) -> diesel::QueryResult<Vec<$crate::dialect::RawVersionRow>> {
            use diesel::RunQueryDsl as _;
            diesel::sql_query(sql).load(&mut self.0)
        }

        fn load_texts(&mut self, sql: &str) -> diesel::QueryResult<Vec<String>> {
            use diesel::RunQueryDsl as _;
            let rows: Vec<$crate::dialect::backend::TextRow> =
                diesel::sql_query(sql).load(&mut self.0)?;
            Ok(rows.into_iter().map(|row| row.value).collect())
        }

        fn count(
            &mut self,
            sql: &str,
            binds: &[$crate::dialect::Bind<'_>],
        ) -> diesel::QueryResult<i64> {
            use diesel::RunQueryDsl as _;
            let rows: Vec<$crate::dialect::backend::CountRow> =
                $crate::dialect::backend::bound!(sql, binds).load(&mut self.0)?;
            Ok(rows.first().map_or(0, |row| row.n))
        }

        fn begin_revision(&mut self) -> $crate::error::Result<()> {
            $crate::dialect::backend::transaction(
                &mut self.0,
                $crate::dialect::backend::Step::Begin,
            )
        }

        fn commit_revision(&mut self) -> $crate::error::Result<()> {
            $crate::dialect::backend::transaction(
                &mut self.0,
                $crate::dialect::backend::Step::Commit,
            )
        }

        fn rollback_revision(&mut self) -> $crate::error::Result<()> {
            $crate::dialect::backend::transaction(
                &mut self.0,
                $crate::dialect::backend::Step::Rollback,
            )
        }
    };
}
pub(crate) use diesel_common;

/// `sql` as a boxed query with `binds` bound in order.
macro_rules! bound {
    ($sql:expr, $binds:expr) => {{
        use diesel::sql_types::Text;
        let mut query = diesel::sql_query($sql).into_boxed();
        for bind in $binds {
            query = match *bind {
                $crate::dialect::Bind::Text(v) => query.bind::<Text, _>(v.to_owned()),
            };
        }
        query
    }};
}
pub(crate) use bound;

/// Rolls back every transaction level above `keep` that an error left open: in an aborted
/// transaction PostgreSQL refuses every statement, the unlock included, and the lock would
/// then stay with the session until it closes.
pub(crate) fn roll_back_above<C: diesel::Connection>(conn: &mut C, keep: u32) -> Result<()> {
    use diesel::connection::TransactionManager as _;
    loop {
        let depth = C::TransactionManager::transaction_manager_status_mut(conn)
            .transaction_depth()
            .ok()
            .flatten()
            .map_or(0, std::num::NonZeroU32::get);
        if depth <= keep {
            return Ok(());
        }
        C::TransactionManager::rollback_transaction(conn).map_err(crate::error::Error::db(
            "rolling back an unfinished revision",
        ))?;
    }
}

/// A step of a revision's transaction.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step {
    Begin,
    Commit,
    Rollback,
}

/// Takes `step` through diesel's transaction manager: a transaction at depth 0, a savepoint
/// inside the run's transaction on SQLite.
pub(crate) fn transaction<C: diesel::Connection>(conn: &mut C, step: Step) -> Result<()> {
    use diesel::connection::TransactionManager as _;
    let (done, context) = match step {
        Step::Begin => (
            C::TransactionManager::begin_transaction(conn),
            "starting a revision",
        ),
        Step::Commit => (
            C::TransactionManager::commit_transaction(conn),
            "committing a revision",
        ),
        Step::Rollback => (
            C::TransactionManager::rollback_transaction(conn),
            "rolling back a revision",
        ),
    };
    done.map_err(crate::error::Error::db(context))
}

/// Opens a diesel connection to the target's location.
pub(crate) fn establish<C: diesel::Connection>(target: &Target<'_>) -> Result<C> {
    C::establish(target.location).map_err(|source| crate::error::Error::Connect {
        url: target.shown.to_owned(),
        source,
    })
}

/// How many statements a connection has sent since [`crate::db::Connection::count_statements`]
/// was called: for the bench, which checks that introspection's count does not grow with the
/// tables. Clones share the count.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn add_one(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}
