//! The one generic differ. It pairs tables and columns (by name, or through `renamed_from`
//! hints, in `pair`), then emits operations that each carry their before-state so
//! `reverse()` is total. The up plan's order is defined here, once ([`Op::phase`]); the down
//! plan is the up plan reversed. `apply` says what a schema looks like after an operation.

mod apply;
mod enums;
mod lint;
mod pair;
mod summary;

pub use apply::apply;
pub use enums::{columns_using, label_changes, LabelChanges};
pub use lint::{lint, Finding, Severity};
pub use pair::{diff, reverse_plan};

use std::fmt;

use serde::Serialize;

use crate::schema::{Check, Column, ColumnType, EnumType, ForeignKey, Index, Table};

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
    /// The primary key's columns change (added, removed or reordered); empty means none.
    AlterPrimaryKey {
        table: String,
        from: Vec<String>,
        to: Vec<String>,
    },
    /// An index that keeps its definition under a new name (after a table rename, or a
    /// change of naming convention): renamed where the backend can, not rebuilt.
    RenameIndex {
        table: String,
        from: String,
        to: Index,
    },
    AddIndex {
        table: String,
        index: Index,
    },
    DropIndex {
        table: String,
        index: Index,
    },
    /// A foreign key that keeps its definition under a new name.
    RenameForeignKey {
        table: String,
        from: String,
        to: ForeignKey,
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
    /// A named enum type (where the backend names them), created before the columns that
    /// use it.
    CreateEnum {
        ty: EnumType,
    },
    /// A named enum type no column uses any more.
    DropEnum {
        ty: EnumType,
    },
    /// A named enum type's labels change: renamed, added, removed or reordered.
    AlterEnum {
        from: EnumType,
        to: EnumType,
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
            Op::AlterPrimaryKey { table, from, to } => Op::AlterPrimaryKey {
                table,
                from: to,
                to: from,
            },
            Op::RenameIndex { table, from, to } => Op::RenameIndex {
                table,
                from: to.name.clone(),
                to: Index { name: from, ..to },
            },
            Op::RenameForeignKey { table, from, to } => Op::RenameForeignKey {
                table,
                from: to.name.clone(),
                to: ForeignKey { name: from, ..to },
            },
            Op::AddIndex { table, index } => Op::DropIndex { table, index },
            Op::DropIndex { table, index } => Op::AddIndex { table, index },
            Op::AddForeignKey { table, foreign_key } => Op::DropForeignKey { table, foreign_key },
            Op::DropForeignKey { table, foreign_key } => Op::AddForeignKey { table, foreign_key },
            Op::AddCheck { table, check } => Op::DropCheck { table, check },
            Op::DropCheck { table, check } => Op::AddCheck { table, check },
            Op::CreateEnum { ty } => Op::DropEnum { ty },
            Op::DropEnum { ty } => Op::CreateEnum { ty },
            Op::AlterEnum { from, to } => Op::AlterEnum { from: to, to: from },
        }
    }

    /// The table the operation works on (its name after the operation); for an enum type,
    /// the type's name.
    pub fn table(&self) -> &str {
        match self {
            Op::CreateEnum { ty } | Op::DropEnum { ty } | Op::AlterEnum { to: ty, .. } => &ty.name,
            Op::CreateTable { table } | Op::DropTable { table } => &table.name,
            Op::RenameTable { to, .. } => to,
            Op::AddColumn { table, .. }
            | Op::DropColumn { table, .. }
            | Op::RenameColumn { table, .. }
            | Op::AlterColumn { table, .. }
            | Op::AlterPrimaryKey { table, .. }
            | Op::RenameIndex { table, .. }
            | Op::RenameForeignKey { table, .. }
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
            Op::DropForeignKey { .. } | Op::RenameForeignKey { .. } => 2,
            Op::DropCheck { .. } => 3,
            Op::DropIndex { .. } | Op::RenameIndex { .. } => 4,
            // Before any column names the type or one of its new labels.
            Op::CreateEnum { .. } | Op::AlterEnum { .. } => 5,
            Op::CreateTable { .. } => 6,
            Op::AddColumn { .. } => 7,
            Op::AlterColumn { .. } => 8,
            // After its new columns exist and are NOT NULL, before its old ones are dropped.
            Op::AlterPrimaryKey { .. } => 9,
            Op::DropColumn { .. } => 10,
            Op::DropTable { .. } => 11,
            // Once no column uses it.
            Op::DropEnum { .. } => 12,
            Op::AddIndex { .. } => 13,
            Op::AddForeignKey { .. } => 14,
            Op::AddCheck { .. } => 15,
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
                match (&from.ty, &to.ty) {
                    (ColumnType::Enum(a), ColumnType::Enum(b)) if a != b => {
                        write!(f, " labels: {}", label_changes(a, b))?;
                    }
                    (a, b) if a != b => write!(f, " type {a} -> {b}")?,
                    _ => {}
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
            Op::RenameIndex { table, from, to } => {
                write!(f, "rename index {from} on {table} to {}", to.name)
            }
            Op::RenameForeignKey { table, from, to } => {
                write!(f, "rename foreign key {from} on {table} to {}", to.name)
            }
            Op::AlterPrimaryKey { table, from, to } => {
                let key = |columns: &[String]| {
                    if columns.is_empty() {
                        "none".to_owned()
                    } else {
                        format!("({})", columns.join(", "))
                    }
                };
                write!(
                    f,
                    "alter primary key of {table}: {} -> {}",
                    key(from),
                    key(to)
                )
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
            Op::CreateEnum { ty } => write!(f, "create {ty}"),
            Op::DropEnum { ty } => write!(f, "drop enum {}", ty.name),
            Op::AlterEnum { from, to } => {
                write!(f, "alter enum {}: {}", to.name, label_changes(from, to))
            }
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
        (T::Enum(a), T::Enum(b)) => !label_changes(a, b).removed.is_empty(),
        (T::Enum(_), T::Text) => false,
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
