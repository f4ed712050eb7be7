//! What autogenerate checks about enum columns before it writes a revision: rows that hold a
//! label the revision removes, dialects that keep enums too differently to share one plan,
//! and whether the revision can run in a transaction.

use crate::db::Connection;
use crate::dialect::{Dialect, EnumStyle};
use crate::diff::{columns_using, label_changes, Op};
use crate::error::{Error, Result};
use crate::schema::{ColumnType, EnumType, Schema};

/// Removed labels still held by rows, one line per column: the change would be refused by
/// the database (PostgreSQL's guard, MySQL's strict mode, SQLite's CHECK), so it is refused
/// here first, with the fix.
pub(super) fn removed_labels_in_use(
    ops: &[Op],
    live: &Schema,
    models: &Schema,
    conn: &mut Connection,
) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for op in ops {
        if let Some((table, column, labels)) = new_labels_check(op, models) {
            // A column added in this revision has no rows to look at yet.
            if live.table(table).and_then(|t| t.column(column)).is_none() {
                continue;
            }
            let n = conn.count_outside(table, column, &labels)?;
            if n > 0 {
                found.push(format!(
                    "{table}.{column}: {n} row(s) hold a label the models no longer have\n    \
                     fix: change those rows to one of {} first (a data migration, or by hand); \
                     {} cannot rename a label in place",
                    labels.join(", "),
                    conn.dialect().facts().label
                ));
            }
            continue;
        }
        let (columns, from, to): (Vec<(&str, &str)>, &EnumType, &EnumType) = match op {
            Op::AlterEnum { from, to } => (
                columns_using(live, &to.name)
                    .into_iter()
                    .map(|(t, c)| (t, c.name.as_str()))
                    .collect(),
                from,
                to,
            ),
            Op::AlterColumn { table, from, to } => match (&from.ty, &to.ty) {
                (ColumnType::Enum(a), ColumnType::Enum(b)) => {
                    (vec![(table.as_str(), to.name.as_str())], a, b)
                }
                _ => continue,
            },
            _ => continue,
        };
        let removed = label_changes(from, to).removed;
        if removed.is_empty() {
            continue;
        }
        for (table, column) in columns {
            let n = conn.count_where_in(table, column, &removed)?;
            if n > 0 {
                found.push(format!(
                    "{table}.{column}: {n} row(s) hold a label the models remove ({})\n    \
                     fix: change those rows to a label that stays (a data migration, or by \
                     hand), or keep the label; a label that was renamed takes \
                     #[model(renamed_from = \"…\")] on its variant",
                    removed.join(", ")
                ));
            }
        }
    }
    Ok(found)
}

/// Where enums are text with a CHECK: the enum column a new labels CHECK is for, with the
/// labels it allows.
fn new_labels_check<'m>(op: &Op, models: &'m Schema) -> Option<(&'m str, &'m str, Vec<String>)> {
    let Op::AddCheck { table, check } = op else {
        return None;
    };
    let model = models.table(table)?;
    let bare = crate::sql::split_schema(&model.name).1;
    model.columns.iter().find_map(|c| match &c.ty {
        ColumnType::Enum(ty) if crate::naming::check_name(bare, &c.name) == check.name => Some((
            model.name.as_str(),
            c.name.as_str(),
            ty.labels.iter().map(|l| l.to_string()).collect(),
        )),
        _ => None,
    })
}

/// Refuses a plan for a dialect that keeps enums otherwise than the connected one: the
/// operations compared in one dialect's terms (a type, a column's type, a CHECK) do not say
/// what the other must create or change.
pub(super) fn refuse_mixed_styles(
    ops: &[Op],
    connected: &dyn Dialect,
    others: &[&dyn Dialect],
) -> Result<()> {
    let touches_enums = ops.iter().any(|op| match op {
        Op::CreateEnum { .. } | Op::DropEnum { .. } | Op::AlterEnum { .. } => true,
        Op::CreateTable { table } | Op::DropTable { table } => table
            .columns
            .iter()
            .any(|c| matches!(c.ty, ColumnType::Enum(_))),
        Op::AddColumn { column, .. } | Op::DropColumn { column, .. } => {
            matches!(column.ty, ColumnType::Enum(_))
        }
        Op::AlterColumn { from, to, .. } => {
            matches!(from.ty, ColumnType::Enum(_)) || matches!(to.ty, ColumnType::Enum(_))
        }
        _ => false,
    });
    let style = connected.facts().enum_style;
    let Some(other) = others
        .iter()
        .find(|d| d.facts().enum_style != style)
        .filter(|_| touches_enums)
    else {
        return Ok(());
    };
    Err(Error::Plan(format!(
        "this revision changes enum columns, which {} keeps as {} and {} as {}, so one \
         comparison cannot write both; nothing written\n  hint: autogenerate against a {} \
         database for its SQL (`--url`), or write that dialect's files by hand",
        connected.facts().label,
        describe(style),
        other.facts().label,
        describe(other.facts().enum_style),
        other.facts().label
    )))
}

fn describe(style: EnumStyle) -> &'static str {
    match style {
        EnumStyle::NamedType => "a type of its own",
        EnumStyle::InlineColumnType => "labels in the column's type",
        EnumStyle::TextWithCheck => "text with a CHECK",
    }
}

/// Whether the revision can run in one transaction: not when it adds a label to an existing
/// named type in either direction. PostgreSQL before 12 refuses `ADD VALUE` in a
/// transaction, and none lets the transaction that added a label use it.
pub(super) fn fits_one_transaction(ops: &[Op], dialects: &[&dyn Dialect]) -> bool {
    if !dialects
        .iter()
        .any(|d| d.facts().enum_style == EnumStyle::NamedType)
    {
        return true;
    }
    !ops.iter().any(|op| match op {
        Op::AlterEnum { from, to } => {
            let adds = |a: &EnumType, b: &EnumType| {
                let changes = label_changes(a, b);
                changes.in_place() && !changes.added.is_empty()
            };
            adds(from, to) || adds(to, from)
        }
        _ => false,
    })
}
