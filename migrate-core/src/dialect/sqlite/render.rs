//! SQLite rendering. SQLite alters little in place: what it cannot (changing a column,
//! dropping one that a key, index or check uses, adding or dropping a foreign key or check)
//! is done by rebuilding the table:
//! create the new shape under a temporary name, copy the rows, drop the old table, rename,
//! recreate its indexes. Foreign keys must be off while that runs (the runner sees to it)
//! and are checked before the revision commits.

use super::Sqlite;
use crate::dialect::statements::{create_index, create_table, in_place};
use crate::dialect::Dialect;
use crate::diff::{apply, Op};
use crate::schema::{DefaultValue, Schema, Table};

/// Whether SQLite needs a table rebuild for this operation, given the schema it finds.
fn needs_rebuild(op: &Op, state: &Schema) -> bool {
    match op {
        Op::DropColumn { table, column } => !can_drop_in_place(state, table, &column.name),
        Op::AddColumn { column, .. } => {
            // ADD COLUMN takes NOT NULL only with a constant default, never a key.
            let constant_default =
                matches!(&column.default, Some(d) if !matches!(d, DefaultValue::Sql(_)));
            column.auto_increment || !(column.nullable || constant_default)
        }
        Op::AlterColumn { .. }
        | Op::AlterPrimaryKey { .. }
        | Op::AddForeignKey { .. }
        | Op::DropForeignKey { .. }
        | Op::AddCheck { .. }
        | Op::DropCheck { .. } => true,
        Op::CreateTable { .. }
        | Op::DropTable { .. }
        | Op::RenameTable { .. }
        | Op::RenameColumn { .. }
        | Op::AddIndex { .. }
        | Op::DropIndex { .. }
        | Op::RenameIndex { .. }
        | Op::RenameForeignKey { .. }
        | Op::CreateEnum { .. }
        | Op::DropEnum { .. }
        | Op::AlterEnum { .. } => false,
    }
}

/// `ALTER TABLE … DROP COLUMN` (SQLite 3.35) refuses a column that is part of the key, an
/// index, a foreign key or a check; only those need the rebuild.
fn can_drop_in_place(state: &Schema, table: &str, column: &str) -> bool {
    let Some(found) = state.table(table) else {
        return false;
    };
    let named = |columns: &[String]| columns.iter().any(|c| c == column);
    let in_check = |expr: &str| {
        expr.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word.eq_ignore_ascii_case(column))
    };
    let referenced = state.tables.iter().any(|other| {
        other
            .foreign_keys
            .iter()
            .any(|fk| fk.ref_table == table && named(&fk.ref_columns))
    });
    !(named(&found.primary_key)
        || found.indexes.iter().any(|i| named(&i.columns))
        || found.foreign_keys.iter().any(|fk| named(&fk.columns))
        || found.checks.iter().any(|c| in_check(&c.expr))
        || found.column(column).is_some_and(|c| c.auto_increment)
        || referenced)
}

pub(super) fn render(dialect: &Sqlite, ops: &[Op], before: &Schema) -> Vec<String> {
    let mut state = before.clone();
    let mut statements = Vec::new();
    // The table being rebuilt and its shape before the first of its consecutive rebuild ops.
    let mut pending: Option<Table> = None;

    for op in ops {
        if needs_rebuild(op, &state) {
            let same_table = pending.as_ref().is_some_and(|t| t.name == op.table());
            if !same_table {
                flush(dialect, &mut pending, &state, &mut statements);
                pending = state.table(op.table()).cloned();
            }
        } else {
            flush(dialect, &mut pending, &state, &mut statements);
            match op {
                // SQLite cannot rename an index: it is made again under the new name.
                Op::RenameIndex { table, from, to } => {
                    statements.push(dialect.drop_index(table, from));
                    statements.push(create_index(dialect, table, to));
                }
                // SQLite keeps no foreign-key names: nothing to rename.
                Op::RenameForeignKey { .. } => {}
                _ => statements.extend(in_place(dialect, op)),
            }
        }
        apply(&mut state, op);
    }
    flush(dialect, &mut pending, &state, &mut statements);
    statements
}

fn flush(dialect: &Sqlite, pending: &mut Option<Table>, state: &Schema, out: &mut Vec<String>) {
    let Some(old) = pending.take() else {
        return;
    };
    if let Some(new) = state.table(&old.name) {
        out.extend(rebuild(dialect, &old, new));
    }
}

/// The rebuild from `old` to `new` (same name), keeping every row.
fn rebuild(dialect: &Sqlite, old: &Table, new: &Table) -> Vec<String> {
    let temporary = format!("_migrate_rebuild_{}", new.name);
    let mut shape = new.clone();
    shape.name.clone_from(&temporary);
    let mut statements = vec![create_table(dialect, &shape)];

    let kept: Vec<_> = new
        .columns
        .iter()
        .filter(|c| old.column(&c.name).is_some())
        .collect();
    let mut copy = dialect.writer();
    copy.raw("INSERT INTO ")
        .ident(&temporary)
        .raw(" (")
        .idents(&kept.iter().map(|c| c.name.as_str()).collect::<Vec<_>>())
        .raw(") SELECT ");
    for (i, column) in kept.iter().enumerate() {
        if i > 0 {
            copy.raw(", ");
        }
        let was_nullable = old.column(&column.name).is_some_and(|c| c.nullable);
        match (&column.default, was_nullable && !column.nullable) {
            // Rows holding NULL take the default when the column becomes NOT NULL.
            (Some(default), true) => {
                copy.raw("COALESCE(")
                    .ident(&column.name)
                    .raw(", ")
                    .raw(&dialect.default_sql(default))
                    .raw(")");
            }
            _ => {
                copy.ident(&column.name);
            }
        }
    }
    copy.raw(" FROM ").ident(&old.name);
    statements.push(copy.finish());

    let mut drop = dialect.writer();
    drop.raw("DROP TABLE ").ident(&old.name);
    statements.push(drop.finish());

    let mut rename = dialect.writer();
    rename
        .raw("ALTER TABLE ")
        .ident(&temporary)
        .raw(" RENAME TO ")
        .ident(&new.name);
    statements.push(rename.finish());

    statements.extend(
        new.indexes
            .iter()
            .map(|index| create_index(dialect, &new.name, index)),
    );
    statements
}
