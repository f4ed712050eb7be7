//! The models registered by `#[derive(Model)]`, collected at link time.
//!
//! The derive generates a `static ModelDef` (plain data) per struct and submits a reference to
//! it through `inventory`. Iteration order is whatever the linker produced, so everything here
//! sorts before it hands anything out.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::error::Error;
use crate::schema::{
    Check, Column, ColumnType, DefaultValue, EnumType, FkAction, ForeignKey, Index, Schema, Table,
};

/// Implemented by `#[derive(Model)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a model",
    label = "`references(…)` needs a type with `#[derive(Model)]`",
    note = "add `#[derive(Model)]` to `{Self}`, or name the table with `references = \"table.column\"`"
)]
pub trait Model {
    /// The table name.
    const TABLE: &'static str;
    /// The primary key's column names, in order.
    const PRIMARY_KEY: &'static [&'static str];
    /// The model's full definition.
    fn definition() -> &'static ModelDef;
    /// Its diesel table (`authors::table`), which other models join through; `()` without
    /// the diesel schema.
    #[doc(hidden)]
    type DieselTable;
    #[doc(hidden)]
    const DIESEL_TABLE: Self::DieselTable;
}

/// Where a model was defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SourceLocation {
    pub module_path: &'static str,
    pub file: &'static str,
    pub line: u32,
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A model as the derive wrote it down.
#[derive(Debug)]
pub struct ModelDef {
    pub struct_name: &'static str,
    pub table: &'static str,
    /// The PostgreSQL schema the table lives in (`schema = "…"`); the connection's current
    /// schema when `None`.
    pub schema: Option<&'static str>,
    pub columns: &'static [ColumnDef],
    pub primary_key: &'static [&'static str],
    pub indexes: &'static [IndexDef],
    pub foreign_keys: &'static [ForeignKeyDef],
    pub checks: &'static [CheckDef],
    pub renamed_from: Option<&'static str>,
    pub comment: Option<&'static str>,
    pub location: SourceLocation,
}

#[derive(Debug)]
pub struct ColumnDef {
    pub name: &'static str,
    pub ty: ColumnType,
    pub nullable: bool,
    pub max_length: Option<u32>,
    pub precision: Option<(u32, u32)>,
    pub default: Option<DefaultDef>,
    pub renamed_from: Option<&'static str>,
    pub comment: Option<&'static str>,
    /// MySQL: how many leading characters of this text column an index covers
    /// (`index_prefix = N`; default [`DialectFacts::text_index_prefix`]).
    ///
    /// [`DialectFacts::text_index_prefix`]: crate::dialect::DialectFacts::text_index_prefix
    pub index_prefix: Option<u32>,
}

#[derive(Debug)]
pub enum DefaultDef {
    Bool(bool),
    Int(i64),
    Float(&'static str),
    Text(&'static str),
    Sql(&'static str),
}

#[derive(Debug)]
pub struct IndexDef {
    pub name: Option<&'static str>,
    pub columns: &'static [&'static str],
    pub unique: bool,
}

#[derive(Debug)]
pub struct ForeignKeyDef {
    /// The constraint's name when the model gives one (`foreign_key_name = "…"`).
    pub name: Option<&'static str>,
    pub columns: &'static [&'static str],
    pub ref_table: &'static str,
    /// Empty when the model names the referenced table only by type (the referenced
    /// primary key is used) or by `table.column` (`ref_columns` holds that column).
    pub ref_columns: &'static [&'static str],
    pub on_delete: FkAction,
    pub on_update: FkAction,
}

#[derive(Debug)]
pub struct CheckDef {
    pub name: &'static str,
    pub expr: &'static str,
}

/// What the derive submits to `inventory`.
#[derive(Debug)]
pub struct Registration(pub &'static ModelDef);

inventory::collect!(Registration);

/// A registered model, turned into the neutral table definition.
#[derive(Debug, Clone, Serialize)]
pub struct RegisteredModel {
    pub struct_name: &'static str,
    pub location: SourceLocation,
    pub table: Table,
}

/// All registered models, validated and in dependency order (referenced tables first, then
/// by name).
#[derive(Debug, Clone)]
pub struct Registry {
    pub models: Vec<RegisteredModel>,
}

impl Registry {
    /// The models linked into this binary.
    pub fn collect() -> Result<Registry, Error> {
        let defs: Vec<&'static ModelDef> = inventory::iter::<Registration>
            .into_iter()
            .map(|r| r.0)
            .collect();
        Registry::from_definitions(&defs)
    }

    /// Builds a registry from the given definitions; `collect()` is this over `inventory`.
    pub fn from_definitions(defs: &[&'static ModelDef]) -> Result<Registry, Error> {
        if defs.is_empty() {
            return Err(Error::EmptyRegistry);
        }
        let mut by_table: BTreeMap<&str, &ModelDef> = BTreeMap::new();
        for def in defs {
            if let Some(first) = by_table.insert(def.table, def) {
                let (a, b) = ordered(first, def);
                return Err(Error::DuplicateTable {
                    table: def.table.to_owned(),
                    first: format!("{} at {}", a.struct_name, a.location),
                    second: format!("{} at {}", b.struct_name, b.location),
                });
            }
        }
        let mut models = Vec::with_capacity(defs.len());
        for def in by_table.values() {
            let table = to_table(def, &by_table)?;
            models.push(RegisteredModel {
                struct_name: def.struct_name,
                location: def.location,
                table,
            });
        }
        let schema = Schema::new(models.iter().map(|m| m.table.clone()).collect());
        let position: BTreeMap<&str, usize> = schema
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .collect();
        models.sort_by_key(|m| position.get(m.table.name.as_str()).copied());
        let registry = Registry { models };
        registry.enum_types()?;
        Ok(registry)
    }

    /// The registered models as a schema, with the enum types their columns use.
    pub fn schema(&self) -> Schema {
        Schema {
            tables: self.models.iter().map(|m| m.table.clone()).collect(),
            // Checked when the registry was built.
            enums: self.enum_types().unwrap_or_default(),
        }
    }

    /// Every enum type a column uses, by name; two different ones under one name are an
    /// error, since the database would hold only one of them.
    fn enum_types(&self) -> Result<Vec<EnumType>, Error> {
        let mut found: BTreeMap<&str, (&EnumType, &RegisteredModel)> = BTreeMap::new();
        for model in &self.models {
            for column in &model.table.columns {
                let ColumnType::Enum(ty) = &column.ty else {
                    continue;
                };
                match found.get(ty.name.as_ref()) {
                    Some((first, first_model)) if *first != ty => {
                        return Err(Error::ConflictingEnum {
                            name: ty.name.to_string(),
                            first: format!(
                                "{first} in {} at {}",
                                first_model.struct_name, first_model.location
                            ),
                            second: format!("{ty} in {} at {}", model.struct_name, model.location),
                        })
                    }
                    Some(_) => {}
                    None => {
                        found.insert(ty.name.as_ref(), (ty, model));
                    }
                }
            }
        }
        Ok(found.into_values().map(|(ty, _)| ty.clone()).collect())
    }
}

fn ordered<'a>(a: &'a ModelDef, b: &'a ModelDef) -> (&'a ModelDef, &'a ModelDef) {
    let key = |d: &ModelDef| (d.location.file, d.location.line);
    if key(a) <= key(b) {
        (a, b)
    } else {
        (b, a)
    }
}

fn to_table(def: &ModelDef, by_table: &BTreeMap<&str, &ModelDef>) -> Result<Table, Error> {
    let mut columns = Vec::with_capacity(def.columns.len());
    for col in def.columns {
        columns.push(to_column(def, col)?);
    }
    if let [pk] = def.primary_key {
        if let Some(column) = columns.iter_mut().find(|c| c.name == *pk) {
            column.auto_increment = column.default.is_none()
                && matches!(
                    column.ty,
                    ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
                );
        }
    }
    let indexes = def
        .indexes
        .iter()
        .map(|ix| Index {
            name: ix
                .name
                .map(str::to_owned)
                .unwrap_or_else(|| crate::naming::index_name(def.table, ix.columns, ix.unique)),
            columns: ix.columns.iter().map(|c| (*c).to_owned()).collect(),
            unique: ix.unique,
            prefix_lengths: ix
                .columns
                .iter()
                .filter_map(|name| {
                    let column = def.columns.iter().find(|c| c.name == *name)?;
                    Some(((*name).to_owned(), column.index_prefix?))
                })
                .collect(),
        })
        .collect();
    let mut foreign_keys = Vec::with_capacity(def.foreign_keys.len());
    for fk in def.foreign_keys {
        let Some(target) = by_table.get(fk.ref_table) else {
            return Err(Error::DanglingForeignKey {
                model: format!("{} at {}", def.struct_name, def.location),
                column: fk.columns.join(", "),
                ref_table: fk.ref_table.to_owned(),
                known: by_table.keys().map(|t| (*t).to_owned()).collect(),
            });
        };
        let ref_columns: &[&str] = if fk.ref_columns.is_empty() {
            target.primary_key
        } else {
            fk.ref_columns
        };
        for ref_column in ref_columns {
            if !target.columns.iter().any(|c| c.name == *ref_column) {
                return Err(Error::DanglingForeignKey {
                    model: format!("{} at {}", def.struct_name, def.location),
                    column: fk.columns.join(", "),
                    ref_table: format!("{}.{ref_column}", fk.ref_table),
                    known: target
                        .columns
                        .iter()
                        .map(|c| format!("{}.{}", target.table, c.name))
                        .collect(),
                });
            }
        }
        foreign_keys.push(ForeignKey {
            name: fk.name.map_or_else(
                || crate::naming::foreign_key_name(def.table, fk.columns, fk.ref_table),
                str::to_owned,
            ),
            columns: fk.columns.iter().map(|c| (*c).to_owned()).collect(),
            ref_table: qualified_name(target),
            ref_columns: ref_columns.iter().map(|c| (*c).to_owned()).collect(),
            on_delete: fk.on_delete,
            on_update: fk.on_update,
        });
    }
    Ok(Table {
        name: qualified_name(def),
        columns,
        primary_key: def.primary_key.iter().map(|c| (*c).to_owned()).collect(),
        indexes,
        foreign_keys,
        checks: def
            .checks
            .iter()
            .map(|c| Check {
                name: c.name.to_owned(),
                expr: c.expr.to_owned(),
            })
            .collect(),
        renamed_from: def.renamed_from.map(str::to_owned),
        comment: def.comment.map(str::to_owned),
    })
}

/// `schema.table`, or the table's name alone without a schema: how the neutral schema and
/// the SQL writer (`SqlWriter::ident` quotes each part) name a table.
fn qualified_name(def: &ModelDef) -> String {
    match def.schema {
        Some(schema) => format!("{schema}.{}", def.table),
        None => def.table.to_owned(),
    }
}

fn to_column(def: &ModelDef, col: &ColumnDef) -> Result<Column, Error> {
    let ty = match (&col.ty, col.max_length, col.precision) {
        (ColumnType::Text, Some(max_length), _) => ColumnType::Varchar { max_length },
        (ColumnType::Numeric { .. }, _, Some((precision, scale))) => {
            ColumnType::Numeric { precision, scale }
        }
        (ty, _, _) => ty.clone(),
    };
    let default = match &col.default {
        None => None,
        Some(d) => Some(to_default(d, &ty).ok_or_else(|| Error::InvalidDefault {
            model: format!("{} at {}", def.struct_name, def.location),
            column: col.name.to_owned(),
            ty: ty.to_string(),
        })?),
    };
    Ok(Column {
        name: col.name.to_owned(),
        ty,
        nullable: col.nullable,
        default,
        auto_increment: false,
        renamed_from: col.renamed_from.map(str::to_owned),
        comment: col.comment.map(str::to_owned),
    })
}

/// A typed default, checked against the column type; `None` when they do not fit.
fn to_default(default: &DefaultDef, ty: &ColumnType) -> Option<DefaultValue> {
    use ColumnType as T;
    let literal = || match default {
        DefaultDef::Bool(b) => DefaultValue::Bool(*b),
        DefaultDef::Int(i) => DefaultValue::Int(*i),
        DefaultDef::Float(f) => DefaultValue::Float((*f).to_owned()),
        DefaultDef::Text(s) => DefaultValue::Text((*s).to_owned()),
        DefaultDef::Sql(s) => DefaultValue::Sql((*s).to_owned()),
    };
    let fits = match (default, ty) {
        (DefaultDef::Sql(_), _) | (_, T::Custom { .. }) => true,
        (DefaultDef::Bool(_), T::Boolean) => true,
        (DefaultDef::Int(_), T::SmallInt | T::Integer | T::BigInt) => true,
        (DefaultDef::Int(i), T::Real | T::Double | T::Numeric { .. }) => {
            return Some(DefaultValue::Float(i.to_string()))
        }
        (DefaultDef::Float(_), T::Real | T::Double | T::Numeric { .. }) => true,
        (DefaultDef::Text(s), T::Enum(ty)) => ty.has_label(s),
        (DefaultDef::Text(s), T::Varchar { max_length }) => {
            s.chars().count() <= *max_length as usize
        }
        (
            DefaultDef::Text(_),
            T::Text | T::Date | T::Time | T::Timestamp | T::TimestampTz | T::Uuid | T::Json,
        ) => true,
        _ => false,
    };
    fits.then(literal)
}
