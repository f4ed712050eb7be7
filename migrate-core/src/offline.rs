//! Offline mode: the SQL an upgrade or downgrade would run, version-table statements
//! included, as one script for the database's own client. Nothing connects.

use crate::dialect::Dialect;
use crate::error::Result;
use crate::revision::{require_sql_for, Revision};
use crate::runner::Direction;
use crate::sql::split_statements;
use crate::version_table;

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
        // MySQL commits DDL implicitly: a BEGIN there would promise what it cannot keep.
        let transaction = revision.runs_in_transaction_on(dialect);
        if transaction {
            out.push_str(facts.begin_transaction);
            out.push_str(";\n");
        }
        for statement in split_statements(body) {
            out.push_str(&statement);
            out.push_str(";\n");
        }
        let record = match direction {
            Direction::Up => version_table::insert_literal_sql(dialect, version_table, revision),
            Direction::Down => {
                version_table::delete_literal_sql(dialect, version_table, &revision.id)
            }
        };
        out.push_str(&record);
        out.push_str(";\n");
        if transaction {
            out.push_str(facts.commit_transaction);
            out.push_str(";\n");
        }
        end_batch(&mut out, dialect);
    }
    Ok(out)
}

/// Where the dialect's client runs what it has read so far (T-SQL's `GO`): after the
/// version table and after each revision, so each revision is a batch of its own.
fn end_batch(out: &mut String, dialect: &dyn Dialect) {
    if let Some(separator) = dialect.facts().batch_separator {
        out.push_str(separator);
        out.push('\n');
    }
}
