//! What a schema looks like after an operation ran, and the renames both the differ and
//! `apply` need.

use std::collections::BTreeMap;

use super::Op;
use crate::schema::{Schema, Table};

/// Applies an operation to a schema: what the database looks like after it ran.
pub fn apply(schema: &mut Schema, op: &Op) {
    match op {
        Op::CreateTable { table } => schema.tables.push(table.clone()),
        Op::DropTable { table } => schema.tables.retain(|t| t.name != table.name),
        Op::RenameTable { from, to } => {
            let renames = BTreeMap::from([(from.as_str(), to.as_str())]);
            *schema = rename_tables(schema, &renames);
        }
        Op::CreateEnum { ty } => {
            schema.enums.push(ty.clone());
            schema.enums.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Op::DropEnum { ty } => schema.enums.retain(|e| e.name != ty.name),
        Op::AlterEnum { to, .. } => {
            for ty in schema.enums.iter_mut().filter(|e| e.name == to.name) {
                *ty = to.clone();
            }
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
                Op::AlterPrimaryKey { to, .. } => table.primary_key = to.clone(),
                Op::RenameIndex { from, to, .. } => {
                    for index in table.indexes.iter_mut().filter(|i| i.name == *from) {
                        index.name = to.name.clone();
                    }
                }
                Op::RenameForeignKey { from, to, .. } => {
                    for fk in table.foreign_keys.iter_mut().filter(|f| f.name == *from) {
                        fk.name = to.name.clone();
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
                Op::CreateTable { .. }
                | Op::DropTable { .. }
                | Op::RenameTable { .. }
                | Op::CreateEnum { .. }
                | Op::DropEnum { .. }
                | Op::AlterEnum { .. } => {}
            }
        }
    }
}

/// `schema` with tables renamed, including references to them from foreign keys.
pub(super) fn rename_tables(schema: &Schema, renames: &BTreeMap<&str, &str>) -> Schema {
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
/// `table` with columns renamed, including in its key, indexes and foreign keys.
pub(super) fn rename_columns(table: &Table, renames: &BTreeMap<String, String>) -> Table {
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
