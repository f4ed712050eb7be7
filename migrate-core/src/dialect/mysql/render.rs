//! MySQL rendering: in-place `ALTER TABLE`, a column change restated in full with
//! `MODIFY COLUMN`, foreign keys dropped with `DROP FOREIGN KEY`. Every statement commits on
//! its own, so each one is a step the runner can name when it fails.

use super::Mysql;
use crate::dialect::Dialect;
use crate::diff::{apply, Op};
use crate::schema::{Column, ForeignKey, Schema, Table};
use crate::sql::SqlWriter;

pub(super) fn render(dialect: &Mysql, ops: &[Op], before: &Schema) -> Vec<String> {
    // The schema as each operation finds it: dropping a foreign key depends on which
    // indexes the table has at that point.
    let mut state = before.clone();
    let mut out = Vec::new();
    for op in ops {
        out.extend(render_op(dialect, op, &state));
        apply(&mut state, op);
    }
    out
}

fn alter_table(dialect: &Mysql, table: &str) -> SqlWriter {
    let mut w = dialect.writer();
    w.raw("ALTER TABLE ").ident(table);
    w
}

fn render_op(dialect: &Mysql, op: &Op, state: &Schema) -> Vec<String> {
    let one = |w: SqlWriter| vec![w.finish()];
    match op {
        Op::CreateTable { table } => {
            let mut out = vec![dialect.create_table(table)];
            out.extend(
                table
                    .indexes
                    .iter()
                    .map(|index| dialect.create_index(&table.name, index)),
            );
            out
        }
        Op::DropTable { table } => {
            let mut w = dialect.writer();
            w.raw("DROP TABLE ").ident(&table.name);
            one(w)
        }
        Op::RenameTable { from, to } => {
            let mut w = alter_table(dialect, from);
            w.raw(" RENAME TO ").ident(to);
            one(w)
        }
        Op::AddColumn { table, column } => {
            let mut w = alter_table(dialect, table);
            w.raw(" ADD COLUMN ")
                .raw(&dialect.column_definition(column, false));
            one(w)
        }
        Op::DropColumn { table, column } => {
            let mut w = alter_table(dialect, table);
            w.raw(" DROP COLUMN ").ident(&column.name);
            one(w)
        }
        Op::RenameColumn { table, from, to } => {
            let mut w = alter_table(dialect, table);
            w.raw(" RENAME COLUMN ").ident(from).raw(" TO ").ident(to);
            one(w)
        }
        Op::AlterColumn { table, from, to } => alter_column(dialect, table, from, to),
        Op::AddIndex { table, index } => vec![dialect.create_index(table, index)],
        Op::DropIndex { table, index } => {
            // Index names are per table here, so the table must be named.
            let mut w = dialect.writer();
            w.raw("DROP INDEX ")
                .ident(&index.name)
                .raw(" ON ")
                .ident(table);
            let drop = w.finish();
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
            for fk in &stranded {
                let mut w = alter_table(dialect, table);
                w.raw(" DROP FOREIGN KEY ").ident(&fk.name);
                out.push(w.finish());
            }
            out.push(drop);
            for fk in &stranded {
                let mut w = alter_table(dialect, table);
                w.raw(" ADD ").raw(&dialect.foreign_key_clause(fk));
                out.push(w.finish());
            }
            out
        }
        Op::AddForeignKey { table, foreign_key } => {
            let mut w = alter_table(dialect, table);
            w.raw(" ADD ").raw(&dialect.foreign_key_clause(foreign_key));
            one(w)
        }
        Op::DropForeignKey { table, foreign_key } => {
            let mut w = alter_table(dialect, table);
            w.raw(" DROP FOREIGN KEY ").ident(&foreign_key.name);
            let mut out = vec![w.finish()];
            // Without an index of its own to use, MySQL made one under the key's name when
            // the key was added, and it outlives the key. The introspection hides it while
            // the key exists; once the key is gone it would show up as an unexplained index.
            if !state
                .table(table)
                .is_some_and(|t| has_index_for(t, foreign_key))
            {
                let mut w = dialect.writer();
                w.raw("DROP INDEX ")
                    .ident(&foreign_key.name)
                    .raw(" ON ")
                    .ident(table);
                out.push(w.finish());
            }
            out
        }
        Op::AddCheck { table, check } => {
            let mut w = alter_table(dialect, table);
            w.raw(" ADD CONSTRAINT ")
                .ident(&check.name)
                .raw(" CHECK (")
                .raw(&check.expr)
                .raw(")");
            one(w)
        }
        Op::DropCheck { table, check } => {
            // DROP CONSTRAINT rather than DROP CHECK: MariaDB knows only the former,
            // MySQL (8.0.19+) both.
            let mut w = alter_table(dialect, table);
            w.raw(" DROP CONSTRAINT ").ident(&check.name);
            one(w)
        }
    }
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
fn alter_column(dialect: &Mysql, table: &str, from: &Column, to: &Column) -> Vec<String> {
    let mut out = Vec::new();
    if from.nullable && !to.nullable {
        if let Some(default) = &to.default {
            let mut w = dialect.writer();
            w.raw("UPDATE ")
                .ident(table)
                .raw(" SET ")
                .ident(&to.name)
                .raw(" = ")
                .raw(&dialect.default_sql(default))
                .raw(" WHERE ")
                .ident(&to.name)
                .raw(" IS NULL");
            out.push(w.finish());
        }
    }
    let mut w = alter_table(dialect, table);
    w.raw(" MODIFY COLUMN ")
        .raw(&dialect.column_definition(to, false));
    out.push(w.finish());
    out
}
