//! The lint of a plan: each operation that loses data (an error) or holds a live table
//! locked while it works (a warning), with why. `revision --autogenerate` prints it under the
//! changes and `check` with the differences; what locks comes from the dialect's facts.

use std::fmt;

use serde::Serialize;

use crate::dialect::DialectFacts;

use super::Op;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Data is lost or the revision fails on existing rows.
    Error,
    /// The application waits on the table while it runs.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One finding: the operation it is about and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub operation: String,
    pub message: String,
}

/// The findings for `ops` on the dialect with `facts`, errors first. `online`: the plan is
/// rendered online where the dialect can (`Dialect::render_online`), so only what that
/// cannot avoid is named.
pub fn lint(ops: &[Op], facts: &DialectFacts, online: bool) -> Vec<Finding> {
    // The dialect's online forms are in use: their facts replace the plain forms' locks.
    let online_plans = online && facts.online_type_change.is_some();
    let created: Vec<&str> = ops
        .iter()
        .filter_map(|op| match op {
            Op::CreateTable { table } => Some(table.name.as_str()),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for op in ops {
        let mut push = |severity, message: String| {
            out.push(Finding {
                severity,
                operation: op.to_string(),
                message,
            });
        };
        if let Some(why) = op.destructive() {
            push(Severity::Error, why);
        }
        match op {
            // A table made in the same revision is empty: nothing waits on it.
            Op::AddIndex { table, .. } if !created.contains(&table.as_str()) => {
                if let Some(locks) = facts.index_build_locks.filter(|_| !online_plans) {
                    push(Severity::Warning, format!("on `{table}`: {locks}"));
                }
            }
            Op::AlterColumn { table, from, to } if online_plans => {
                if let Some(rewrites) = facts.online_type_change.filter(|_| from.ty != to.ty) {
                    push(Severity::Warning, format!("on `{table}`: {rewrites}"));
                }
            }
            Op::AlterColumn { table, from, to }
                if from.ty != to.ty || from.nullable != to.nullable =>
            {
                if let Some(rewrites) = facts.alter_column_rewrites {
                    push(Severity::Warning, format!("on `{table}`: {rewrites}"));
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|f| f.severity);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{self, Dialect};
    use crate::schema::{Column, ColumnType, Index, Table};

    fn column(name: &str, ty: ColumnType, nullable: bool) -> Column {
        Column::new(name, ty, nullable)
    }

    fn facts(name: &str) -> &'static DialectFacts {
        let found: &dyn Dialect = *dialect::ALL
            .iter()
            .find(|d| d.name() == name)
            .expect("a dialect of that name");
        found.facts()
    }

    fn index_on(table: &str) -> Op {
        Op::AddIndex {
            table: table.into(),
            index: Index {
                name: format!("ix_{table}_nick"),
                columns: vec!["nick".into()],
                unique: false,
                prefix_lengths: Default::default(),
            },
        }
    }

    #[test]
    fn losses_are_errors_and_come_first() {
        let ops = [
            index_on("players"),
            Op::DropColumn {
                table: "players".into(),
                column: column("nick", ColumnType::Text, false),
            },
        ];
        let found = lint(&ops, facts("postgres"), false);
        let severities: Vec<Severity> = found.iter().map(|f| f.severity).collect();
        assert_eq!(severities, [Severity::Error, Severity::Warning]);
        assert!(
            found[0].message.contains("drops column `players.nick`"),
            "{found:?}"
        );
        assert!(found[1].message.contains("blocks writes"), "{found:?}");
    }

    #[test]
    fn an_index_locks_only_where_the_dialect_says_and_only_on_a_live_table() {
        assert_eq!(lint(&[index_on("players")], facts("mysql"), true), []);
        assert_eq!(lint(&[index_on("players")], facts("sqlite"), true), []);
        let created = Op::CreateTable {
            table: Table::new("players"),
        };
        assert_eq!(
            lint(&[created, index_on("players")], facts("postgres"), false),
            []
        );
    }

    #[test]
    fn a_type_change_rewrites_and_a_narrowing_loses() {
        let op = Op::AlterColumn {
            table: "players".into(),
            from: column("score", ColumnType::BigInt, false),
            to: column("score", ColumnType::Integer, false),
        };
        let found = lint(std::slice::from_ref(&op), facts("sqlite"), true);
        let severities: Vec<Severity> = found.iter().map(|f| f.severity).collect();
        assert_eq!(
            severities,
            [Severity::Error, Severity::Warning],
            "{found:?}"
        );
        assert!(found[1].message.contains("rebuilds the table"), "{found:?}");
        let widening = Op::AlterColumn {
            table: "players".into(),
            from: column("score", ColumnType::Integer, false),
            to: column("score", ColumnType::BigInt, false),
        };
        let found = lint(std::slice::from_ref(&widening), facts("postgres"), false);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Warning);
        // Online, the type change is still named; NOT NULL and the index are not.
        let found = lint(&[widening], facts("postgres"), true);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("type change rewrites"),
            "{found:?}"
        );
        let not_null = Op::AlterColumn {
            table: "players".into(),
            from: column("score", ColumnType::Integer, true),
            to: column("score", ColumnType::Integer, false),
        };
        let found = lint(&[not_null, index_on("players")], facts("postgres"), true);
        // What remains is the risk of NULL rows, not a lock.
        assert!(
            found.iter().all(|f| f.severity == Severity::Error),
            "{found:?}"
        );
        assert_eq!(
            lint(&[index_on("players")], facts("postgres"), false).len(),
            1
        );
    }
}
