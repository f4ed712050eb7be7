//! The `#[derive(ModelEnum)]` enums an inspected schema's enum columns use: one per named
//! type (PostgreSQL), one per column where the labels are the column's own type (MySQL).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::schema::{Column, ColumnType, EnumType, Table};
use crate::sql::split_schema;

use super::names::{self, literal};

/// Where an enum comes from: its type's name, or the table and column that hold it.
type EnumKey = (String, String);

struct RustEnum {
    name: String,
    /// `name = "…"` when the derive's convention would not give the type's name back.
    type_name: Option<String>,
    labels: Vec<String>,
}

#[derive(Default)]
pub struct EnumNames {
    by_key: BTreeMap<EnumKey, RustEnum>,
}

fn key(table: &Table, column: &Column, ty: &EnumType) -> EnumKey {
    if ty.name.is_empty() {
        (table.name.clone(), column.name.clone())
    } else {
        (ty.name.to_string(), String::new())
    }
}

impl EnumNames {
    pub fn new(tables: &[Table], taken: &mut BTreeSet<String>) -> EnumNames {
        let mut by_key = BTreeMap::new();
        for table in tables {
            for column in &table.columns {
                let ColumnType::Enum(ty) = &column.ty else {
                    continue;
                };
                let key = key(table, column, ty);
                if by_key.contains_key(&key) {
                    continue;
                }
                let (name, type_name) = if ty.name.is_empty() {
                    let (_, bare) = split_schema(&table.name);
                    let (owner, _) = names::struct_name(bare);
                    (
                        format!("{owner}{}", names::camel_case(&column.name, 'E')),
                        None,
                    )
                } else {
                    let name = names::camel_case(&ty.name, 'E');
                    let spelled =
                        (names::snake_case(&name) != ty.name).then(|| ty.name.to_string());
                    (name, spelled)
                };
                by_key.insert(
                    key,
                    RustEnum {
                        name: names::unique(name, taken),
                        type_name,
                        labels: ty.labels.iter().map(ToString::to_string).collect(),
                    },
                );
            }
        }
        EnumNames { by_key }
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The Rust enum an enum column uses.
    pub fn rust_name(&self, table: &Table, column: &Column) -> Option<&str> {
        let ColumnType::Enum(ty) = &column.ty else {
            return None;
        };
        self.by_key
            .get(&key(table, column, ty))
            .map(|e| e.name.as_str())
    }

    pub fn write(&self, out: &mut String) {
        for rust in self.by_key.values() {
            out.push('\n');
            let _ = writeln!(
                out,
                "#[derive(Debug, Clone, Copy, PartialEq, Eq, ModelEnum)]"
            );
            if let Some(type_name) = &rust.type_name {
                let _ = writeln!(out, "#[model(name = {})]", literal(type_name));
            }
            let _ = writeln!(out, "pub enum {} {{", rust.name);
            let mut taken = BTreeSet::new();
            for label in &rust.labels {
                let (variant, conventional) = names::variant_name(label);
                let unique = names::unique(variant.clone(), &mut taken);
                if !conventional || unique != variant {
                    let _ = writeln!(out, "    #[model(rename = {})]", literal(label));
                }
                let _ = writeln!(out, "    {unique},");
            }
            let _ = writeln!(out, "}}");
        }
    }
}
