//! T-SQL rendering: `ALTER TABLE … ADD` without `COLUMN`, `sp_rename` for renames, column
//! changes as `ALTER COLUMN` with the named default dropped and re-added around them. The
//! schema is tracked through the plan because renames and drops must name the default
//! constraints a column carries.

use super::Mssql;
use crate::dialect::statements::{fill_nulls, in_place};
use crate::dialect::Dialect;
use crate::diff::{apply, Op};
use crate::schema::{Column, ColumnType, FkAction, Index, Schema, Table};

/// The name of a column's default constraint.
pub(super) fn default_name(table: &str, column: &str) -> String {
    format!("df_{table}_{column}")
}

pub(super) fn render(dialect: &Mssql, ops: &[Op], before: &Schema) -> Vec<String> {
    let mut state = before.clone();
    let mut out = Vec::new();
    for op in ops {
        let op = without_restrict(op);
        out.extend(render_op(dialect, &op, &state));
        apply(&mut state, &op);
    }
    out
}

/// SQL Server knows no `RESTRICT`; `NO ACTION` is the same rule there (checked at once).
fn without_restrict(op: &Op) -> Op {
    let mut op = op.clone();
    let keys = match &mut op {
        Op::CreateTable { table } | Op::DropTable { table } => {
            table.foreign_keys.iter_mut().collect()
        }
        Op::AddForeignKey { foreign_key, .. } | Op::DropForeignKey { foreign_key, .. } => {
            vec![foreign_key]
        }
        _ => Vec::new(),
    };
    for fk in keys {
        for action in [&mut fk.on_delete, &mut fk.on_update] {
            if *action == FkAction::Restrict {
                *action = FkAction::NoAction;
            }
        }
    }
    op
}

fn render_op(dialect: &Mssql, op: &Op, state: &Schema) -> Vec<String> {
    match op {
        Op::AddColumn { table, column } => {
            let mut w = dialect.alter_table(table);
            w.raw(" ADD ")
                .raw(&dialect.column_definition(table, column, false));
            vec![w.finish()]
        }
        Op::RenameForeignKey { from, to, .. } => {
            vec![sp_rename(dialect, from, &to.name, Some("OBJECT"))]
        }
        Op::RenameIndex { table, from, to } => {
            vec![sp_rename(
                dialect,
                &format!("{table}.{from}"),
                &to.name,
                Some("INDEX"),
            )]
        }
        // SQL Server names an unnamed key itself (`PK__table__…`), so a script cannot drop it
        // by name; the statement stops the script with what to do.
        Op::AlterPrimaryKey { table, .. } => {
            let mut w = dialect.writer();
            w.raw("THROW 50000, ")
                .string(&format!(
                    "SQL Server: change the primary key of {table} by hand (drop the constraint sys.key_constraints names, then ADD PRIMARY KEY)"
                ))
                .raw(", 1");
            vec![w.finish()]
        }
        Op::DropColumn { table, column } => {
            let mut out = Vec::new();
            if column.default.is_some() {
                out.push(drop_default(dialect, table, &column.name));
            }
            let mut w = dialect.alter_table(table);
            w.raw(" DROP COLUMN ").ident(&column.name);
            out.push(w.finish());
            out
        }
        Op::RenameTable { from, to } => {
            let mut out = vec![sp_rename(dialect, from, to, None)];
            // Default constraints carry the table's name; they follow it.
            let columns = state
                .table(from)
                .map(|t| t.columns.as_slice())
                .unwrap_or_default();
            for column in columns.iter().filter(|c| c.default.is_some()) {
                out.push(sp_rename(
                    dialect,
                    &default_name(from, &column.name),
                    &default_name(to, &column.name),
                    Some("OBJECT"),
                ));
            }
            out
        }
        Op::RenameColumn { table, from, to } => {
            let mut out = vec![sp_rename(
                dialect,
                &format!("{table}.{from}"),
                to,
                Some("COLUMN"),
            )];
            let had_default = state
                .table(table)
                .and_then(|t| t.column(from))
                .is_some_and(|c| c.default.is_some());
            if had_default {
                out.push(sp_rename(
                    dialect,
                    &default_name(table, from),
                    &default_name(table, to),
                    Some("OBJECT"),
                ));
            }
            out
        }
        other => in_place(dialect, other),
    }
}

/// What SQL Server cannot do: change a column's IDENTITY in place, or index a column of an
/// unbounded type (`NVARCHAR(MAX)`, `VARBINARY(MAX)`).
pub(super) fn cannot_express(op: &Op, target: &Schema) -> Option<String> {
    let unbounded =
        |ty: &ColumnType| matches!(ty, ColumnType::Text | ColumnType::Json | ColumnType::Blob);
    let unindexable = |table: &Table, index: &Index| {
        index
            .columns
            .iter()
            .find(|c| table.column(c).is_some_and(|c| unbounded(&c.ty)))
            .map(|c| {
                format!(
                    "index {} on {}.{c}: SQL Server cannot index an unbounded string or binary \
                     column\n    fix: give the field a max_length",
                    index.name, table.name
                )
            })
    };
    match op {
        Op::AlterColumn { table, from, to } if from.auto_increment != to.auto_increment => {
            Some(format!(
                "alter column {table}.{}: SQL Server cannot add or remove IDENTITY in place",
                to.name
            ))
        }
        Op::CreateTable { table } => table.indexes.iter().find_map(|i| unindexable(table, i)),
        Op::AddIndex { table, index } => target.table(table).and_then(|t| unindexable(t, index)),
        _ => None,
    }
}

/// `EXEC sp_rename N'old', N'new'[, N'kind']`.
fn sp_rename(dialect: &Mssql, from: &str, to: &str, kind: Option<&str>) -> String {
    let mut w = dialect.writer();
    w.raw("EXEC sp_rename N").string(from).raw(", N").string(to);
    if let Some(kind) = kind {
        w.raw(", N").string(kind);
    }
    w.finish()
}

fn drop_default(dialect: &Mssql, table: &str, column: &str) -> String {
    let mut w = dialect.alter_table(table);
    w.raw(" DROP CONSTRAINT ")
        .ident(&default_name(table, column));
    w.finish()
}

/// The old default goes first (it may not fit the new type), then rows holding NULL take
/// the new default, then `ALTER COLUMN` restates type and nullability, then the new default
/// is added under the same name. IDENTITY cannot be added to or removed from a column in
/// place; that statement stops the script with the reason.
pub(super) fn alter_column(
    dialect: &Mssql,
    table: &str,
    from: &Column,
    to: &Column,
) -> Vec<String> {
    let mut out = Vec::new();
    if from.auto_increment != to.auto_increment {
        let mut w = dialect.writer();
        w.raw("THROW 50000, ").string(&format!(
            "SQL Server cannot add or remove IDENTITY on {table}.{} in place; rebuild the table by hand",
            to.name
        ))
        .raw(", 1");
        out.push(w.finish());
    }
    let default_changes = from.default != to.default;
    if default_changes && from.default.is_some() {
        out.push(drop_default(dialect, table, &from.name));
    }
    if from.nullable && !to.nullable {
        if let Some(default) = &to.default {
            out.push(fill_nulls(dialect, table, &to.name, default));
        }
    }
    if dialect.column_type(from) != dialect.column_type(to) || from.nullable != to.nullable {
        let mut w = dialect.alter_table(table);
        w.raw(" ALTER COLUMN ")
            .ident(&to.name)
            .raw(" ")
            .raw(&dialect.column_type(to))
            .raw(if to.nullable { " NULL" } else { " NOT NULL" });
        out.push(w.finish());
    }
    if let Some(default) = to.default.as_ref().filter(|_| default_changes) {
        let mut w = dialect.alter_table(table);
        w.raw(" ADD CONSTRAINT ")
            .ident(&default_name(table, &to.name))
            .raw(" DEFAULT ")
            .raw(&dialect.default_sql(default))
            .raw(" FOR ")
            .ident(&to.name);
        out.push(w.finish());
    }
    out
}
