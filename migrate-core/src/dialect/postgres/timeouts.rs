//! Per-revision timeouts: `lock_timeout` so DDL that waits for a busy table fails instead of
//! stalling every writer queued behind it, `statement_timeout` for runaway statements; and,
//! when a statement gave up waiting, who held the lock.

#![cfg(feature = "postgres")]

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::PgConnection;

use crate::error::{Error, Result};
use crate::revision::RevisionTimeouts;

/// PostgreSQL's setting value: milliseconds, 0 for no limit.
fn setting(limit: Option<Duration>) -> u128 {
    limit.map_or(0, |d| d.as_millis())
}

pub(super) fn set(conn: &mut PgConnection, timeouts: RevisionTimeouts) -> Result<()> {
    conn.batch_execute(&format!(
        "SET lock_timeout = {}; SET statement_timeout = {}",
        setting(timeouts.lock),
        setting(timeouts.statement)
    ))
    .map_err(Error::db(
        "setting the revision's lock_timeout and statement_timeout",
    ))
}

pub(super) fn reset(conn: &mut PgConnection) -> Result<()> {
    conn.batch_execute("RESET lock_timeout; RESET statement_timeout")
        .map_err(Error::db("resetting the session's timeouts"))
}

#[derive(QueryableByName)]
struct Holder {
    #[diesel(sql_type = Text)]
    described: String,
}

/// The sessions of this database holding locks on tables that `sql` names, when `message`
/// says the statement gave up waiting for a lock.
pub(super) fn holders(conn: &mut PgConnection, sql: &str, message: &str) -> Option<String> {
    if !super::FACTS
        .lock_timeout_error
        .is_some_and(|words| message.contains(words))
    {
        return None;
    }
    let rows: Vec<Holder> = diesel::sql_query(
        "SELECT format('server pid %s (user %s, application \"%s\", %s, transaction open since %s) holds %s on %s', \
                a.pid, a.usename, a.application_name, coalesce(a.state, 'unknown state'), \
                coalesce(to_char(a.xact_start, 'HH24:MI:SS'), '?'), \
                string_agg(DISTINCT l.mode, ', '), c.relname) AS described \
         FROM pg_locks l \
         JOIN pg_stat_activity a ON a.pid = l.pid \
         JOIN pg_class c ON c.oid = l.relation \
         WHERE l.granted AND l.locktype = 'relation' AND a.pid <> pg_backend_pid() \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND c.relnamespace = current_schema()::regnamespace \
           AND position(lower(c.relname) IN lower($1)) > 0 \
         GROUP BY a.pid, a.usename, a.application_name, a.state, a.xact_start, c.relname \
         ORDER BY a.pid",
    )
    .bind::<Text, _>(sql)
    .load(conn)
    .ok()?;
    if rows.is_empty() {
        return None;
    }
    Some(
        rows.into_iter()
            .map(|r| r.described)
            .collect::<Vec<_>>()
            .join("; "),
    )
}
