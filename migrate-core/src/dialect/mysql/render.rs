//! MySQL rendering: in-place `ALTER TABLE`, a column change restated in full with
//! `MODIFY COLUMN`, foreign keys dropped with `DROP FOREIGN KEY`. Every statement commits on
//! its own, so each one is a step the runner can name when it fails.

use super::Mysql;
use crate::dialect::statements::{create_table, fill_nulls, in_place};
use crate::dialect::Dialect;
use crate::diff::label_changes;
use crate::diff::{apply, Op};
use crate::schema::{Column, ColumnType, EnumType, ForeignKey, Index, Schema, Table};

pub(super) fn render(dialect: &Mysql, ops: &[Op], before: &Schema) -> Vec<String> {
    render_with(dialect, ops, before, false).0
}

/// The plan with the clauses that make the server do an operation on a live table without
/// blocking writes, or fail rather than silently copy the table under a lock: an index built
/// and dropped `ALGORITHM=INPLACE LOCK=NONE`, a column added `ALGORITHM=INSTANT` (MySQL
/// 8.0.12+, MariaDB 10.3+). `None` when no operation of the plan is one of those.
pub(super) fn render_online(dialect: &Mysql, ops: &[Op], before: &Schema) -> Option<Vec<String>> {
    let (statements, rewritten) = render_with(dialect, ops, before, true);
    rewritten.then_some(statements)
}

fn render_with(dialect: &Mysql, ops: &[Op], before: &Schema, online: bool) -> (Vec<String>, bool) {
    // The schema as each operation finds it: dropping a foreign key depends on which
    // indexes the table has at that point.
    let mut state = before.clone();
    let mut out = Vec::new();
    let mut rewritten = false;
    for op in ops {
        let mut statements = render_op(dialect, op, &state);
        if online {
            rewritten |= add_online_clause(dialect, op, before, &mut statements);
        }
        out.extend(statements);
        apply(&mut state, op);
    }
    (out, rewritten)
}

/// Gives the operation's own statement the clause that keeps its table writable, when the
/// operation has one and its table is live (exists before the plan); whether it did.
fn add_online_clause(dialect: &Mysql, op: &Op, before: &Schema, statements: &mut [String]) -> bool {
    let (table, index) = match op {
        Op::AddIndex { table, index } | Op::DropIndex { table, index } => (table, Some(index)),
        Op::AddColumn { table, .. } => (table, None),
        _ => return false,
    };
    let Some(live) = before.table(table) else {
        return false;
    };
    // An index over an unbounded TEXT or BLOB column may be kept through a hidden column
    // (MariaDB's hash for a unique one), which the server can only add or drop by copying:
    // such an index keeps the plain statement.
    let over_blob = |index: &Index| {
        index.columns.iter().any(|name| {
            live.column(name)
                .is_some_and(|c| matches!(c.ty, ColumnType::Text | ColumnType::Blob))
        })
    };
    if index.is_some_and(over_blob) {
        return false;
    }
    let own = match op {
        Op::DropIndex { index, .. } => {
            let drop = dialect.drop_index(table, &index.name);
            statements.iter_mut().find(|s| **s == drop)
        }
        _ => statements.first_mut(),
    };
    let Some(own) = own else {
        return false;
    };
    *own = match op {
        // `DROP INDEX … ON` takes no ALGORITHM on MariaDB; `ALTER TABLE … DROP INDEX` does on
        // both servers.
        Op::DropIndex { index, .. } => {
            let mut w = dialect.alter_table(table);
            w.raw(" DROP INDEX ")
                .ident(&index.name)
                .raw(", ALGORITHM=INPLACE, LOCK=NONE");
            w.finish()
        }
        Op::AddIndex { .. } => format!("{own} ALGORITHM=INPLACE LOCK=NONE"),
        _ => format!("{own}, ALGORITHM=INSTANT"),
    };
    true
}

fn render_op(dialect: &Mysql, op: &Op, state: &Schema) -> Vec<String> {
    match op {
        Op::DropIndex { table, index } => {
            let drop = dialect.drop_index(table, &index.name);
            // MySQL refuses to drop the last index a foreign key can use. Such keys are
            // dropped first and added back after, when MySQL gives them an index of their
            // own again (one it drops by itself once a covering index is added).
            let Some(before) = state.table(table) else {
                return vec![drop];
            };
            let mut after = before.clone();
            after.indexes.retain(|i| i.name != index.name);
            let stranded: Vec<&ForeignKey> = before
                .foreign_keys
                .iter()
                .filter(|fk| has_index_for(before, fk) && !has_index_for(&after, fk))
                .collect();
            let mut out = Vec::with_capacity(stranded.len() * 2 + 1);
            out.extend(
                stranded
                    .iter()
                    .map(|fk| dialect.drop_foreign_key(table, &fk.name)),
            );
            out.push(drop);
            for fk in stranded {
                out.extend(in_place(
                    dialect,
                    &Op::AddForeignKey {
                        table: table.clone(),
                        foreign_key: fk.clone(),
                    },
                ));
            }
            out
        }
        Op::DropForeignKey { table, foreign_key } => {
            let mut out = vec![dialect.drop_foreign_key(table, &foreign_key.name)];
            // Without an index of its own to use, MySQL made one under the key's name when
            // the key was added, and it outlives the key. The introspection hides it while
            // the key exists; once the key is gone it would show up as an unexplained index.
            if !state
                .table(table)
                .is_some_and(|t| has_index_for(t, foreign_key))
            {
                out.push(dialect.drop_index(table, &foreign_key.name));
            }
            out
        }
        // MySQL cannot rename a foreign key: it is dropped and added under the new name.
        Op::RenameForeignKey { table, from, to } => {
            let old = ForeignKey {
                name: from.clone(),
                ..to.clone()
            };
            let drop = Op::DropForeignKey {
                table: table.clone(),
                foreign_key: old,
            };
            let mut after = state.clone();
            apply(&mut after, &drop);
            let mut out = render_op(dialect, &drop, state);
            out.extend(render_op(
                dialect,
                &Op::AddForeignKey {
                    table: table.clone(),
                    foreign_key: to.clone(),
                },
                &after,
            ));
            out
        }
        Op::RenameIndex { table, from, to } => {
            let mut w = dialect.alter_table(table);
            w.raw(" RENAME INDEX ")
                .ident(from)
                .raw(" TO ")
                .ident(&to.name);
            vec![w.finish()]
        }
        // One statement, so the table is never without a key in between.
        Op::AlterPrimaryKey { table, from, to } => {
            let mut w = dialect.alter_table(table);
            let mut clauses = Vec::new();
            if !from.is_empty() {
                clauses.push("DROP PRIMARY KEY".to_owned());
            }
            if !to.is_empty() {
                let mut key = dialect.writer();
                key.raw("ADD PRIMARY KEY (").idents(to).raw(")");
                clauses.push(key.finish());
            }
            w.raw(" ").raw(&clauses.join(", "));
            vec![w.finish()]
        }
        Op::CreateTable { table } => std::iter::once(create_table(dialect, table))
            .chain(
                table
                    .indexes
                    .iter()
                    .map(|i| create_index(dialect, table, i)),
            )
            .collect(),
        Op::AddIndex { table, index } => match state.table(table) {
            Some(found) => vec![create_index(dialect, found, index)],
            None => in_place(dialect, op),
        },
        other => in_place(dialect, other),
    }
}

/// `CREATE INDEX` with a prefix length on each unbounded text or binary column of a plain
/// index (`DialectFacts::text_index_prefix`, or the model's `index_prefix`). A unique index
/// is written as is: a prefix would make it unique over the prefix
/// only (MariaDB enforces a unique TEXT key through a hidden hash; MySQL 8 needs the column
/// to be a VARCHAR, `max_length`).
fn create_index(dialect: &Mysql, table: &Table, index: &Index) -> String {
    let mut w = dialect.writer();
    w.raw(if index.unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    })
    .ident(&index.name)
    .raw(" ON ")
    .ident(&table.name)
    .raw(" (");
    for (position, name) in index.columns.iter().enumerate() {
        if position > 0 {
            w.raw(", ");
        }
        w.ident(name);
        // Normalized indexes carry their prefixes; a model-shaped one (another dialect's
        // pair) gets the model's or the default.
        let unbounded = table
            .column(name)
            .is_some_and(|c| matches!(c.ty, ColumnType::Text | ColumnType::Blob));
        let prefix = index.prefix_lengths.get(name).copied().or_else(|| {
            dialect
                .facts()
                .text_index_prefix
                .filter(|_| unbounded && !index.unique)
        });
        if let Some(prefix) = prefix {
            w.raw(&format!("({prefix})"));
        }
    }
    w.raw(")");
    w.finish()
}

/// Whether the table has an index (or primary key) that starts with the key's columns, which
/// MySQL then uses for the key instead of making its own.
pub(super) fn has_index_for(table: &Table, foreign_key: &ForeignKey) -> bool {
    let covers = |columns: &[String]| columns.starts_with(&foreign_key.columns);
    covers(&table.primary_key) || table.indexes.iter().any(|i| covers(&i.columns))
}

/// `MODIFY COLUMN` restates the whole column, so one statement covers type, nullability,
/// default and `AUTO_INCREMENT` together. Rows holding NULL take the new default first when
/// the column becomes NOT NULL, as the SQLite rebuild does.
pub(super) fn alter_column(
    dialect: &Mysql,
    table: &str,
    from: &Column,
    to: &Column,
) -> Vec<String> {
    let mut out = rename_labels(dialect, table, from, to);
    if from.nullable && !to.nullable {
        if let Some(default) = &to.default {
            // Rows holding NULL take the default, as the SQLite rebuild does.
            out.push(fill_nulls(dialect, table, &to.name, default));
        }
    }
    let mut w = dialect.alter_table(table);
    w.raw(" MODIFY COLUMN ")
        .raw(&dialect.column_definition(table, to, false));
    out.push(w.finish());
    out
}

/// Renamed enum labels keep their rows: the column first takes the old and the new labels,
/// the rows move to the new ones, then the final type drops the old.
fn rename_labels(dialect: &Mysql, table: &str, from: &Column, to: &Column) -> Vec<String> {
    let (ColumnType::Enum(old), ColumnType::Enum(new)) = (&from.ty, &to.ty) else {
        return Vec::new();
    };
    let renamed = label_changes(old, new).renamed;
    if renamed.is_empty() {
        return Vec::new();
    }
    let mut both: Vec<String> = old.labels.iter().map(|l| l.to_string()).collect();
    both.extend(renamed.iter().map(|(_, to)| to.clone()));
    let wide = Column {
        ty: ColumnType::Enum(EnumType::new(String::new(), both)),
        default: None,
        ..from.clone()
    };
    let mut w = dialect.alter_table(table);
    w.raw(" MODIFY COLUMN ")
        .raw(&dialect.column_definition(table, &wide, false));
    let mut out = vec![w.finish()];
    for (old_label, new_label) in &renamed {
        let mut w = dialect.writer();
        w.raw("UPDATE ")
            .ident(table)
            .raw(" SET ")
            .ident(&to.name)
            .raw(" = ")
            .string(new_label)
            .raw(" WHERE ")
            .ident(&to.name)
            .raw(" = ")
            .string(old_label);
        out.push(w.finish());
    }
    out
}
