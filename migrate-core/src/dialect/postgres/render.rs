//! PostgreSQL rendering: every operation is an in-place statement (no table rebuilds), and
//! a revision runs in one transaction, so a failure part-way leaves nothing behind.

use super::Postgres;
use crate::dialect::Dialect;
use crate::diff::Op;
use crate::schema::{Column, Schema};
use crate::sql::SqlWriter;

pub(super) fn render(dialect: &Postgres, ops: &[Op], _before: &Schema) -> Vec<String> {
    ops.iter().flat_map(|op| render_op(dialect, op)).collect()
}

fn alter_table(dialect: &Postgres, table: &str) -> SqlWriter {
    let mut w = dialect.writer();
    w.raw("ALTER TABLE ").ident(table);
    w
}

fn render_op(dialect: &Postgres, op: &Op) -> Vec<String> {
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
            vec![w.finish()]
        }
        Op::RenameTable { from, to } => {
            let mut w = alter_table(dialect, from);
            w.raw(" RENAME TO ").ident(to);
            vec![w.finish()]
        }
        Op::AddColumn { table, column } => {
            let mut w = alter_table(dialect, table);
            w.raw(" ADD COLUMN ")
                .raw(&dialect.column_definition(column, false));
            vec![w.finish()]
        }
        Op::DropColumn { table, column } => {
            let mut w = alter_table(dialect, table);
            w.raw(" DROP COLUMN ").ident(&column.name);
            vec![w.finish()]
        }
        Op::RenameColumn { table, from, to } => {
            let mut w = alter_table(dialect, table);
            w.raw(" RENAME COLUMN ").ident(from).raw(" TO ").ident(to);
            vec![w.finish()]
        }
        Op::AlterColumn { table, from, to } => alter_column(dialect, table, from, to),
        Op::AddIndex { table, index } => vec![dialect.create_index(table, index)],
        Op::DropIndex { index, .. } => {
            // Index names are unique per schema, so the table is not named.
            let mut w = dialect.writer();
            w.raw("DROP INDEX ").ident(&index.name);
            vec![w.finish()]
        }
        Op::AddForeignKey { table, foreign_key } => {
            let mut w = alter_table(dialect, table);
            w.raw(" ADD ").raw(&dialect.foreign_key_clause(foreign_key));
            vec![w.finish()]
        }
        Op::DropForeignKey {
            table,
            foreign_key: crate::schema::ForeignKey { name, .. },
        }
        | Op::DropCheck {
            table,
            check: crate::schema::Check { name, .. },
        } => {
            let mut w = alter_table(dialect, table);
            w.raw(" DROP CONSTRAINT ").ident(name);
            vec![w.finish()]
        }
        Op::AddCheck { table, check } => {
            let mut w = alter_table(dialect, table);
            w.raw(" ADD CONSTRAINT ")
                .ident(&check.name)
                .raw(" CHECK (")
                .raw(&check.expr)
                .raw(")");
            vec![w.finish()]
        }
    }
}

/// One statement per changed attribute, in an order that cannot trip over itself: the old
/// identity and default go before the type changes (they may not fit the new type), the new
/// default comes before NOT NULL (rows holding NULL take it first), the new identity last.
fn alter_column(dialect: &Postgres, table: &str, from: &Column, to: &Column) -> Vec<String> {
    let alter = || {
        let mut w = alter_table(dialect, table);
        w.raw(" ALTER COLUMN ").ident(&to.name);
        w
    };
    let mut out = Vec::new();
    if from.auto_increment && !to.auto_increment {
        let mut w = alter();
        w.raw(" DROP IDENTITY IF EXISTS");
        out.push(w.finish());
    }
    let default_changes = from.default != to.default;
    if default_changes && from.default.is_some() {
        let mut w = alter();
        w.raw(" DROP DEFAULT");
        out.push(w.finish());
    }
    let (old_type, new_type) = (dialect.column_type(from), dialect.column_type(to));
    if old_type != new_type {
        // USING lets the conversions PostgreSQL does not do on its own (text to integer,
        // say) run as an explicit cast; for the ones it does, it is the same.
        let mut w = alter();
        w.raw(" TYPE ")
            .raw(&new_type)
            .raw(" USING ")
            .ident(&to.name)
            .raw("::")
            .raw(&new_type);
        out.push(w.finish());
    }
    if let Some(default) = to.default.as_ref().filter(|_| default_changes) {
        let mut w = alter();
        w.raw(" SET DEFAULT ").raw(&dialect.default_sql(default));
        out.push(w.finish());
    }
    if from.nullable != to.nullable {
        if to.nullable {
            let mut w = alter();
            w.raw(" DROP NOT NULL");
            out.push(w.finish());
        } else {
            if let Some(default) = &to.default {
                // Rows holding NULL take the default, as the SQLite rebuild does.
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
            let mut w = alter();
            w.raw(" SET NOT NULL");
            out.push(w.finish());
        }
    }
    if to.auto_increment && !from.auto_increment {
        let mut w = alter();
        w.raw(" ADD").raw(dialect.auto_increment_keyword());
        out.push(w.finish());
        // The new sequence starts at 1; move it past the numbers the rows already use.
        let mut quoted_table = dialect.writer();
        quoted_table.ident(table);
        let mut w = dialect.writer();
        w.raw("SELECT setval(pg_get_serial_sequence(")
            .string(&quoted_table.finish())
            .raw(", ")
            .string(&to.name)
            .raw("), COALESCE(MAX(")
            .ident(&to.name)
            .raw("), 0) + 1, false) FROM ")
            .ident(table);
        out.push(w.finish());
    }
    out
}
