//! Offline mode: the SQL an upgrade or downgrade would run, version-table statements
//! included, as one script for the database's own client. Nothing connects.

use crate::dialect::Dialect;
use crate::error::Result;
use crate::revision::{require_sql_for, Revision};
use crate::runner::Direction;
use crate::sql::split_statements;
use crate::version_table::{self, State};

/// The script for `revisions`, in the order given (apply order for an upgrade, revert order
/// for a downgrade).
pub fn script(
    dialect: &dyn Dialect,
    version_table: &str,
    revisions: &[&Revision],
    direction: Direction,
) -> Result<String> {
    require_sql_for(revisions.iter().copied(), dialect.name())?;
    let facts = dialect.facts();
    let mut out = String::new();
    let verb = match direction {
        Direction::Up => "upgrade",
        Direction::Down => "downgrade",
    };
    out.push_str(&format!(
        "-- {verb} script for {}, {} revision(s)\n",
        dialect.name(),
        revisions.len()
    ));
    for line in facts.offline_prelude {
        out.push_str(line);
        out.push_str(";\n");
    }
    out.push_str(&version_table::create_sql(dialect, version_table));
    out.push_str(";\n");
    end_batch(&mut out, dialect);

    for revision in revisions {
        let (up, down) = revision.sql_for(dialect.name());
        let body = match direction {
            Direction::Up => up,
            Direction::Down => down,
        };
        out.push_str(&format!(
            "\n-- {verb} {}: {}\n",
            revision.id,
            revision.message.replace('\n', " ")
        ));
        // MySQL commits DDL implicitly: a BEGIN there would promise what it cannot keep, so
        // such a revision is tracked in its row as the runner does: a client that stops
        // part-way leaves `running` with the count of completed statements.
        let statements = split_statements(body);
        if revision.runs_in_transaction_on(dialect) {
            push(&mut out, facts.begin_transaction);
            for statement in &statements {
                push(&mut out, statement);
            }
            push(
                &mut out,
                &record(dialect, version_table, revision, direction),
            );
            push(&mut out, facts.commit_transaction);
        } else {
            tracked(
                &mut out,
                dialect,
                version_table,
                revision,
                direction,
                &statements,
            );
        }
        end_batch(&mut out, dialect);
    }
    Ok(out)
}

/// A revision outside a transaction: its row first, its progress after each statement, its
/// final state last.
fn tracked(
    out: &mut String,
    dialect: &dyn Dialect,
    table: &str,
    revision: &Revision,
    direction: Direction,
    statements: &[String],
) {
    let running = match direction {
        Direction::Up => State::Running,
        Direction::Down => State::Reverting,
    };
    let progress = |completed: usize| {
        version_table::progress_literal_sql(dialect, table, &revision.id, running, Some(completed))
    };
    match direction {
        Direction::Up => push(
            out,
            &version_table::insert_literal_sql(dialect, table, revision, State::Running),
        ),
        Direction::Down => push(out, &progress(0)),
    }
    for (index, statement) in statements.iter().enumerate() {
        push(out, statement);
        // After the last one, the final state says it all.
        if index + 1 < statements.len() {
            push(out, &progress(index + 1));
        }
    }
    match direction {
        Direction::Up => push(
            out,
            &version_table::progress_literal_sql(
                dialect,
                table,
                &revision.id,
                State::Applied,
                None,
            ),
        ),
        Direction::Down => push(out, &record(dialect, table, revision, direction)),
    }
}

/// The statement that records a revision as done.
fn record(dialect: &dyn Dialect, table: &str, revision: &Revision, direction: Direction) -> String {
    match direction {
        Direction::Up => {
            version_table::insert_literal_sql(dialect, table, revision, State::Applied)
        }
        Direction::Down => version_table::delete_literal_sql(dialect, table, &revision.id),
    }
}

fn push(out: &mut String, statement: &str) {
    out.push_str(statement);
    out.push_str(";\n");
}

/// Where the dialect's client runs what it has read so far (T-SQL's `GO`): after the
/// version table and after each revision, so each revision is a batch of its own.
fn end_batch(out: &mut String, dialect: &dyn Dialect) {
    if let Some(separator) = dialect.facts().batch_separator {
        out.push_str(separator);
        out.push('\n');
    }
}
