//! What a reviewer needs under each operation's one-line description: a created table's
//! indexes, foreign keys and checks, an added column's default, a foreign key's actions, a
//! check's expression. The lines `revision --autogenerate` prints below each operation.

use crate::schema::{Check, FkAction, ForeignKey, Index};

use super::Op;

impl Op {
    /// The details of this operation, one line each (none for the operations whose line says
    /// everything).
    pub fn details(&self) -> Vec<String> {
        match self {
            Op::CreateTable { table } => {
                let mut lines: Vec<String> = table
                    .columns
                    .iter()
                    .filter_map(|c| {
                        c.default
                            .as_ref()
                            .map(|d| format!("{} default {d}", c.name))
                    })
                    .collect();
                lines.extend(table.indexes.iter().map(index));
                lines.extend(table.foreign_keys.iter().map(foreign_key));
                lines.extend(table.checks.iter().map(check));
                lines
            }
            Op::AddColumn { column, .. } => column
                .default
                .iter()
                .map(|d| format!("default {d}"))
                .collect(),
            Op::AddForeignKey {
                foreign_key: fk, ..
            } => vec![foreign_key(fk)],
            Op::AddCheck { check: c, .. } => vec![check(c)],
            _ => Vec::new(),
        }
    }
}

fn index(index: &Index) -> String {
    format!(
        "{}index {} ({})",
        if index.unique { "unique " } else { "" },
        index.name,
        index.columns.join(", ")
    )
}

fn foreign_key(fk: &ForeignKey) -> String {
    let mut line = format!(
        "foreign key {} ({}) -> {} ({})",
        fk.name,
        fk.columns.join(", "),
        fk.ref_table,
        fk.ref_columns.join(", ")
    );
    for (event, action) in [("delete", fk.on_delete), ("update", fk.on_update)] {
        if action != FkAction::NoAction {
            line.push_str(&format!(" on {event} {}", action.sql().to_lowercase()));
        }
    }
    line
}

fn check(check: &Check) -> String {
    format!("check {}: {}", check.name, check.expr)
}
