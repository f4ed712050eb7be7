//! The one generic differ. It pairs tables and columns (by name, or through `renamed_from`
//! hints), then emits operations that each carry their before-state so `reverse()` is total.
//! The up plan's order is defined here, once; the down plan is the up plan reversed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::schema::{Check, Column, ColumnType, ForeignKey, Index, Schema, Table};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateTable {
        table: Table,
    },
    DropTable {
        table: Table,
    },
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    DropColumn {
        table: String,
        column: Column,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    AlterColumn {
        table: String,
        from: Column,
        to: Column,
    },
    AddIndex {
        table: String,
        index: Index,
    },
    DropIndex {
        table: String,
        index: Index,
    },
    AddForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    AddCheck {
        table: String,
        check: Check,
    },
    DropCheck {
        table: String,
        check: Check,
    },
}

impl Op {
    /// The operation that undoes this one.
    pub fn reverse(&self) -> Op {
        match self.clone() {
            Op::CreateTable { table } => Op::DropTable { table },
            Op::DropTable { table } => Op::CreateTable { table },
            Op::RenameTable { from, to } => Op::RenameTable { from: to, to: from },
            Op::AddColumn { table, column } => Op::DropColumn { table, column },
            Op::DropColumn { table, column } => Op::AddColumn { table, column },
            Op::RenameColumn { table, from, to } => Op::RenameColumn {
                table,
                from: to,
                to: from,
            },
            Op::AlterColumn { table, from, to } => Op::AlterColumn {
                table,
                from: to,
                to: from,
            },
            Op::AddIndex { table, index } => Op::DropIndex { table, index },
            Op::DropIndex { table, index } => Op::AddIndex { table, index },
            Op::AddForeignKey { table, foreign_key } => Op::DropForeignKey { table, foreign_key },
            Op::DropForeignKey { table, foreign_key } => Op::AddForeignKey { table, foreign_key },
            Op::AddCheck { table, check } => Op::DropCheck { table, check },
            Op::DropCheck { table, check } => Op::AddCheck { table, check },
        }
    }

    /// The table the operation works on (its name after the operation).
    pub fn table(&self) -> &str {
        match self {
            Op::CreateTable { table } | Op::DropTable { table } => &table.name,
            Op::RenameTable { to, .. } => to,
            Op::AddColumn { table, .. }
            | Op::DropColumn { table, .. }
            | Op::RenameColumn { table, .. }
            | Op::AlterColumn { table, .. }
            | Op::AddIndex { table, .. }
            | Op::DropIndex { table, .. }
            | Op::AddForeignKey { table, .. }
            | Op::DropForeignKey { table, .. }
            | Op::AddCheck { table, .. }
            | Op::DropCheck { table, .. } => table,
        }
    }

    /// Why the operation can lose data, if it can.
    pub fn destructive(&self) -> Option<String> {
        match self {
            Op::DropTable { table } => {
                Some(format!("drops table `{}` and every row in it", table.name))
            }
            Op::DropColumn { table, column } => Some(format!(
                "drops column `{table}.{}` and its data",
                column.name
            )),
            Op::AlterColumn { table, from, to } => {
                if narrows(&from.ty, &to.ty) {
                    Some(format!(
                        "changes `{table}.{}` from {} to {}: values that do not fit are lost or rejected",
                        to.name, from.ty, to.ty
                    ))
                } else if from.nullable && !to.nullable && to.default.is_none() {
                    Some(format!(
                        "makes `{table}.{}` NOT NULL without a default: fails if any row holds NULL",
                        to.name
                    ))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// The position of this kind of operation in an up plan. Renames come first so that
    /// everything after them speaks of the new names; drops of dependent objects come before
    /// the objects they depend on change; constraints are added last, once their columns and
    /// referenced tables exist.
    fn phase(&self) -> u8 {
        match self {
            Op::RenameTable { .. } => 0,
            Op::RenameColumn { .. } => 1,
            Op::DropForeignKey { .. } => 2,
            Op::DropCheck { .. } => 3,
            Op::DropIndex { .. } => 4,
            Op::CreateTable { .. } => 5,
            Op::AddColumn { .. } => 6,
            Op::AlterColumn { .. } => 7,
            Op::DropColumn { .. } => 8,
            Op::DropTable { .. } => 9,
            Op::AddIndex { .. } => 10,
            Op::AddForeignKey { .. } => 11,
            Op::AddCheck { .. } => 12,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::CreateTable { table } => write!(f, "create table {}", table.name),
            Op::DropTable { table } => write!(f, "drop table {}", table.name),
            Op::RenameTable { from, to } => write!(f, "rename table {from} to {to}"),
            Op::AddColumn { table, column } => write!(
                f,
                "add column {table}.{} {}{}",
                column.name,
                column.ty,
                if column.nullable {
                    " null"
                } else {
                    " not null"
                }
            ),
            Op::DropColumn { table, column } => write!(f, "drop column {table}.{}", column.name),
            Op::RenameColumn { table, from, to } => {
                write!(f, "rename column {table}.{from} to {to}")
            }
            Op::AlterColumn { table, from, to } => {
                write!(f, "alter column {table}.{}:", to.name)?;
                if from.ty != to.ty {
                    write!(f, " type {} -> {}", from.ty, to.ty)?;
                }
                if from.nullable != to.nullable {
                    let word = |n: bool| if n { "null" } else { "not null" };
                    write!(f, " {} -> {}", word(from.nullable), word(to.nullable))?;
                }
                if from.default != to.default {
                    let show = |d: &Option<crate::schema::DefaultValue>| {
                        d.as_ref().map_or("none".to_owned(), ToString::to_string)
                    };
                    write!(
                        f,
                        " default {} -> {}",
                        show(&from.default),
                        show(&to.default)
                    )?;
                }
                if from.auto_increment != to.auto_increment {
                    write!(
                        f,
                        " autoincrement {} -> {}",
                        from.auto_increment, to.auto_increment
                    )?;
                }
                Ok(())
            }
            Op::AddIndex { table, index } => write!(
                f,
                "add {}index {} on {table} ({})",
                if index.unique { "unique " } else { "" },
                index.name,
                index.columns.join(", ")
            ),
            Op::DropIndex { table, index } => {
                write!(f, "drop index {} on {table}", index.name)
            }
            Op::AddForeignKey {
                table,
                foreign_key: fk,
            } => write!(
                f,
                "add foreign key {table} ({}) -> {} ({})",
                fk.columns.join(", "),
                fk.ref_table,
                fk.ref_columns.join(", ")
            ),
            Op::DropForeignKey {
                table,
                foreign_key: fk,
            } => write!(
                f,
                "drop foreign key {table} ({}) -> {}",
                fk.columns.join(", "),
                fk.ref_table
            ),
            Op::AddCheck { table, check } => write!(f, "add check {} on {table}", check.name),
            Op::DropCheck { table, check } => write!(f, "drop check {} on {table}", check.name),
        }
    }
}

/// Whether changing a column from one type to another can lose or reject values.
fn narrows(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType as T;
    if from == to {
        return false;
    }
    let rank = |t: &ColumnType| match t {
        T::SmallInt => Some(1),
        T::Integer => Some(2),
        T::BigInt => Some(3),
        _ => None,
    };
    match (from, to) {
        (T::Varchar { max_length: a }, T::Varchar { max_length: b }) => b < a,
        (T::Varchar { .. }, T::Text) => false,
        (T::Real, T::Double) => false,
        (
            T::Numeric {
                precision: p1,
                scale: s1,
            },
            T::Numeric {
                precision: p2,
                scale: s2,
            },
        ) => p2 < p1 || s2 < s1,
        _ => match (rank(from), rank(to)) {
            (Some(a), Some(b)) => b < a,
            _ => true,
        },
    }
}

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

    // Referencing tables are dropped before the tables they reference.
    for before in renamed_from.tables.iter().rev() {
        if to.table(&before.name).is_none() {
            ops.push(Op::DropTable {
                table: before.clone(),
            });
        }
    }
    for after in &to.tables {
        match renamed_from.table(&after.name) {
            None => ops.push(Op::CreateTable {
                table: after.clone(),
            }),
            Some(before) => diff_table(before, after, &mut ops),
        }
    }

    ops.sort_by_key(Op::phase);
    ops
}

/// The down plan for an up plan: each operation reversed, in reverse order.
pub fn reverse_plan(ops: &[Op]) -> Vec<Op> {
    ops.iter().rev().map(Op::reverse).collect()
}

/// `schema` with tables renamed, including references to them from foreign keys.
fn rename_tables(schema: &Schema, renames: &BTreeMap<&str, &str>) -> Schema {
    let mut out = schema.clone();
    for table in &mut out.tables {
        if let Some(new) = renames.get(table.name.as_str()) {
            table.name = (*new).to_owned();
        }
        for fk in &mut table.foreign_keys {
            if let Some(new) = renames.get(fk.ref_table.as_str()) {
                fk.ref_table = (*new).to_owned();
            }
        }
    }
    out
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

    diff_named(
        &before.indexes,
        &after.indexes,
        |i| &i.name,
        |index| Op::AddIndex {
            table: table.to_owned(),
            index,
        },
        |index| Op::DropIndex {
            table: table.to_owned(),
            index,
        },
        ops,
    );
    diff_named(
        &before.foreign_keys,
        &after.foreign_keys,
        |fk| &fk.name,
        |foreign_key| Op::AddForeignKey {
            table: table.to_owned(),
            foreign_key,
        },
        |foreign_key| Op::DropForeignKey {
            table: table.to_owned(),
            foreign_key,
        },
        ops,
    );
    diff_named(
        &before.checks,
        &after.checks,
        |c| &c.name,
        |check| Op::AddCheck {
            table: table.to_owned(),
            check,
        },
        |check| Op::DropCheck {
            table: table.to_owned(),
            check,
        },
        ops,
    );
}

/// Columns compare on what the database stores; rename hints and comments are not part of
/// that.
fn same_column(a: &Column, b: &Column) -> bool {
    a.ty == b.ty
        && a.nullable == b.nullable
        && a.default == b.default
        && a.auto_increment == b.auto_increment
}

/// Pairs named objects: a name on one side only is an add or a drop; a name on both sides
/// with a different definition is a drop followed by an add.
fn diff_named<T: Clone + PartialEq>(
    before: &[T],
    after: &[T],
    name: impl Fn(&T) -> &String,
    add: impl Fn(T) -> Op,
    drop: impl Fn(T) -> Op,
    ops: &mut Vec<Op>,
) {
    for old in before {
        match after.iter().find(|new| name(new) == name(old)) {
            Some(new) if new == old => {}
            _ => ops.push(drop(old.clone())),
        }
    }
    for new in after {
        match before.iter().find(|old| name(old) == name(new)) {
            Some(old) if old == new => {}
            _ => ops.push(add(new.clone())),
        }
    }
}

/// `table` with columns renamed, including in its key, indexes and foreign keys.
fn rename_columns(table: &Table, renames: &BTreeMap<String, String>) -> Table {
    let rename = |name: &mut String| {
        if let Some(new) = renames.get(name.as_str()) {
            new.clone_into(name);
        }
    };
    let mut out = table.clone();
    for column in &mut out.columns {
        rename(&mut column.name);
    }
    out.primary_key.iter_mut().for_each(rename);
    for index in &mut out.indexes {
        index.columns.iter_mut().for_each(rename);
    }
    for fk in &mut out.foreign_keys {
        fk.columns.iter_mut().for_each(rename);
    }
    out
}

/// Applies an operation to a schema: what the database looks like after it ran.
pub fn apply(schema: &mut Schema, op: &Op) {
    match op {
        Op::CreateTable { table } => schema.tables.push(table.clone()),
        Op::DropTable { table } => schema.tables.retain(|t| t.name != table.name),
        Op::RenameTable { from, to } => {
            let renames = BTreeMap::from([(from.as_str(), to.as_str())]);
            *schema = rename_tables(schema, &renames);
        }
        _ => {
            let Some(i) = schema.tables.iter().position(|t| t.name == op.table()) else {
                return;
            };
            let table = &mut schema.tables[i];
            match op {
                Op::AddColumn { column, .. } => table.columns.push(column.clone()),
                Op::DropColumn { column, .. } => table.columns.retain(|c| c.name != column.name),
                Op::RenameColumn { from, to, .. } => {
                    let renames = BTreeMap::from([(from.clone(), to.clone())]);
                    *table = rename_columns(table, &renames);
                    for other in schema.tables.iter_mut() {
                        for fk in &mut other.foreign_keys {
                            if fk.ref_table == op.table() {
                                fk.ref_columns.iter_mut().for_each(|c| {
                                    if c == from {
                                        to.clone_into(c);
                                    }
                                });
                            }
                        }
                    }
                }
                Op::AlterColumn { to, .. } => {
                    if let Some(c) = table.columns.iter_mut().find(|c| c.name == to.name) {
                        *c = to.clone();
                    }
                }
                Op::AddIndex { index, .. } => table.indexes.push(index.clone()),
                Op::DropIndex { index, .. } => table.indexes.retain(|i| i.name != index.name),
                Op::AddForeignKey { foreign_key, .. } => {
                    table.foreign_keys.push(foreign_key.clone())
                }
                Op::DropForeignKey { foreign_key, .. } => {
                    table.foreign_keys.retain(|f| f.name != foreign_key.name)
                }
                Op::AddCheck { check, .. } => table.checks.push(check.clone()),
                Op::DropCheck { check, .. } => table.checks.retain(|c| c.name != check.name),
                Op::CreateTable { .. } | Op::DropTable { .. } | Op::RenameTable { .. } => {}
            }
        }
    }
}
