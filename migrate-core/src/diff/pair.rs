//! Pairing: tables and columns by name or rename hint, named objects by name.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::apply::{rename_columns, rename_tables};
use super::Op;
use crate::schema::{Check, Column, ForeignKey, Index, Schema, Table};

/// The plan that turns `from` into `to`, in execution order.
pub fn diff(from: &Schema, to: &Schema) -> Vec<Op> {
    let mut ops = Vec::new();

    // Pair tables: by name first, then through rename hints.
    let from_names: BTreeSet<&str> = from.tables.iter().map(|t| t.name.as_str()).collect();
    let to_names: BTreeSet<&str> = to.tables.iter().map(|t| t.name.as_str()).collect();
    let mut renamed_tables: BTreeMap<&str, &str> = BTreeMap::new(); // old -> new
    for table in &to.tables {
        if from_names.contains(table.name.as_str()) {
            continue;
        }
        if let Some(old) = table.renamed_from.as_deref() {
            if from_names.contains(old) && !to_names.contains(old) {
                renamed_tables.insert(old, &table.name);
                ops.push(Op::RenameTable {
                    from: old.to_owned(),
                    to: table.name.clone(),
                });
            }
        }
    }
    let renamed_from = rename_tables(from, &renamed_tables);
    // By name: hundreds of tables are paired without a scan per table.
    let before_by_name: HashMap<&str, &Table> = renamed_from
        .tables
        .iter()
        .map(|t| (t.name.as_str(), t))
        .collect();

    // Referencing tables are dropped before the tables they reference.
    for before in renamed_from.tables.iter().rev() {
        if !to_names.contains(before.name.as_str()) {
            ops.push(Op::DropTable {
                table: before.clone(),
            });
        }
    }
    for after in &to.tables {
        match before_by_name.get(after.name.as_str()) {
            None => ops.push(Op::CreateTable {
                table: after.clone(),
            }),
            Some(before) => diff_table(before, after, &mut ops),
        }
    }
    ops.extend(super::enums::diff_enums(from, to));

    ops.sort_by_key(Op::phase);
    ops
}

/// The down plan for an up plan: each operation reversed, in reverse order.
pub fn reverse_plan(ops: &[Op]) -> Vec<Op> {
    ops.iter().rev().map(Op::reverse).collect()
}

fn diff_table(before: &Table, after: &Table, ops: &mut Vec<Op>) {
    let table = after.name.as_str();

    let mut renamed_columns: BTreeMap<String, String> = BTreeMap::new(); // old -> new
    for column in &after.columns {
        if before.column(&column.name).is_some() {
            continue;
        }
        if let Some(old) = column.renamed_from.as_deref() {
            if before.column(old).is_some() && after.column(old).is_none() {
                renamed_columns.insert(old.to_owned(), column.name.clone());
                ops.push(Op::RenameColumn {
                    table: table.to_owned(),
                    from: old.to_owned(),
                    to: column.name.clone(),
                });
            }
        }
    }
    let before = rename_columns(before, &renamed_columns);

    for column in &before.columns {
        if after.column(&column.name).is_none() {
            ops.push(Op::DropColumn {
                table: table.to_owned(),
                column: column.clone(),
            });
        }
    }
    for column in &after.columns {
        match before.column(&column.name) {
            None => ops.push(Op::AddColumn {
                table: table.to_owned(),
                column: column.clone(),
            }),
            Some(old) if !same_column(old, column) => ops.push(Op::AlterColumn {
                table: table.to_owned(),
                from: old.clone(),
                to: column.clone(),
            }),
            Some(_) => {}
        }
    }

    if before.primary_key != after.primary_key {
        ops.push(Op::AlterPrimaryKey {
            table: table.to_owned(),
            from: before.primary_key.clone(),
            to: after.primary_key.clone(),
        });
    }
    diff_renamable(table, &before.indexes, &after.indexes, ops);
    diff_renamable(table, &before.foreign_keys, &after.foreign_keys, ops);
    diff_named(table, &before.checks, &after.checks, ops);
}

/// Columns compare on what the database stores; rename hints and comments are not part of
/// that.
fn same_column(a: &Column, b: &Column) -> bool {
    a.ty == b.ty
        && a.nullable == b.nullable
        && a.default == b.default
        && a.auto_increment == b.auto_increment
}

/// An index, foreign key or check: compared by name, added or dropped whole.
trait Named: Clone + PartialEq {
    fn name(&self) -> &str;
    fn added(self, table: &str) -> Op;
    fn dropped(self, table: &str) -> Op;
}

/// `Named` for a type whose add and drop operations carry it in field `$field`.
macro_rules! named {
    ($ty:ty, $field:ident, $add:ident, $drop:ident) => {
        impl Named for $ty {
            fn name(&self) -> &str {
                &self.name
            }
            fn added(self, table: &str) -> Op {
                Op::$add {
                    table: table.to_owned(),
                    $field: self,
                }
            }
            fn dropped(self, table: &str) -> Op {
                Op::$drop {
                    table: table.to_owned(),
                    $field: self,
                }
            }
        }
    };
}

named!(Index, index, AddIndex, DropIndex);
named!(ForeignKey, foreign_key, AddForeignKey, DropForeignKey);
named!(Check, check, AddCheck, DropCheck);

/// Pairs named objects: a name on one side only is an add or a drop; a name on both sides
/// with a different definition is a drop followed by an add.
fn diff_named<T: Named>(table: &str, before: &[T], after: &[T], ops: &mut Vec<Op>) {
    for old in before {
        match after.iter().find(|new| new.name() == old.name()) {
            Some(new) if new == old => {}
            _ => ops.push(old.clone().dropped(table)),
        }
    }
    for new in after {
        match before.iter().find(|old| old.name() == new.name()) {
            Some(old) if old == new => {}
            _ => ops.push(new.clone().added(table)),
        }
    }
}

/// An index or foreign key: one only on one side whose definition matches one only on the
/// other side is the same object renamed (after a table rename, or a change of naming
/// convention), not a drop and an add.
trait Renamable: Named {
    fn same_but_name(&self, other: &Self) -> bool;
    fn renamed(table: &str, from: String, to: Self) -> Op;
}

impl Renamable for Index {
    fn same_but_name(&self, other: &Self) -> bool {
        self.columns == other.columns
            && self.unique == other.unique
            && self.prefix_lengths == other.prefix_lengths
    }
    fn renamed(table: &str, from: String, to: Self) -> Op {
        Op::RenameIndex {
            table: table.to_owned(),
            from,
            to,
        }
    }
}

impl Renamable for ForeignKey {
    fn same_but_name(&self, other: &Self) -> bool {
        ForeignKey {
            name: other.name.clone(),
            ..self.clone()
        } == *other
    }
    fn renamed(table: &str, from: String, to: Self) -> Op {
        Op::RenameForeignKey {
            table: table.to_owned(),
            from,
            to,
        }
    }
}

/// [`diff_named`], with renames paired first.
fn diff_renamable<T: Renamable>(table: &str, before: &[T], after: &[T], ops: &mut Vec<Op>) {
    let only_before: Vec<&T> = before
        .iter()
        .filter(|old| !after.iter().any(|new| new.name() == old.name()))
        .collect();
    let mut renamed: Vec<(&T, &T)> = Vec::new();
    for new in after
        .iter()
        .filter(|new| !before.iter().any(|old| old.name() == new.name()))
    {
        let taken = |old: &T| renamed.iter().any(|(o, _)| o.name() == old.name());
        if let Some(old) = only_before
            .iter()
            .copied()
            .find(|old| old.same_but_name(new) && !taken(old))
        {
            renamed.push((old, new));
        }
    }
    for (old, new) in &renamed {
        ops.push(T::renamed(table, old.name().to_owned(), (*new).clone()));
    }
    let is_renamed = |item: &T| {
        renamed
            .iter()
            .any(|(old, new)| old.name() == item.name() || new.name() == item.name())
    };
    let before: Vec<T> = before.iter().filter(|i| !is_renamed(i)).cloned().collect();
    let after: Vec<T> = after.iter().filter(|i| !is_renamed(i)).cloned().collect();
    diff_named(table, &before, &after, ops);
}
