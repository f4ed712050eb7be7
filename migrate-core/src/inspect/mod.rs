//! `inspect`: the `#[derive(Model)]` source for an existing database. Each table becomes a
//! struct whose registered schema is what the database holds, so `check` against that
//! database finds nothing: every name the derive's convention would not give back (table,
//! column, index, foreign key, enum label) is written out, everything it would is left to it.
//! What a model cannot say (a foreign key over several columns, a key the database does not
//! number) is returned as a note for the user, never dropped silently.

mod columns;
mod enums;
mod names;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::dialect::DialectFacts;
use crate::naming;
use crate::schema::{ColumnType, FkAction, Schema, Table};
use crate::sql::split_schema;

use self::enums::EnumNames;
use self::names::literal;

/// Generated source and what it could not express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// A Rust module: `use` lines, the enums, one struct per table.
    pub source: String,
    /// One sentence per thing the models do not say as the database does.
    pub notes: Vec<String>,
}

/// The models for every table of `schema` (already filtered, as `facts`' backend reported
/// it), in its dependency order.
pub fn models_source(schema: &Schema, facts: &DialectFacts) -> Inspected {
    let mut notes = Vec::new();
    let mut taken = BTreeSet::new();
    let structs: BTreeMap<&str, (String, bool)> = schema
        .tables
        .iter()
        .map(|t| {
            let (_, bare) = split_schema(&t.name);
            let (name, conventional) = names::struct_name(bare);
            let unique = names::unique(name.clone(), &mut taken);
            (
                t.name.as_str(),
                (unique.clone(), conventional && unique == name),
            )
        })
        .collect();
    let tables: Vec<Table> = schema
        .tables
        .iter()
        .map(|t| as_models_see_it(t, schema, facts))
        .collect();
    let enums = EnumNames::new(&tables, &mut taken);

    let mut source = String::new();
    source.push_str(
        "// Written by `inspect` from the database. Types come from chrono, uuid, serde_json and\n\
         // bigdecimal where the tables use them; each model is also diesel's schema.\n\n",
    );
    let uses_enums = !enums.is_empty();
    source.push_str(if uses_enums {
        "use migrate_core::{Model, ModelEnum};\n"
    } else {
        "use migrate_core::Model;\n"
    });
    enums.write(&mut source);
    for table in &tables {
        source.push('\n');
        write_struct(&mut source, &mut notes, table, &structs, schema, &enums);
    }
    Inspected { source, notes }
}

/// The table with its columns typed as a model would type them: a column of a named enum
/// type (which a catalog reports by name) as that enum, and a numbered `INTEGER` key as the
/// 64-bit key it is where the backend says so (SQLite's rowid; the model's `i64` key is
/// written `INTEGER PRIMARY KEY` there).
fn as_models_see_it(table: &Table, schema: &Schema, facts: &DialectFacts) -> Table {
    let mut table = table.clone();
    for column in &mut table.columns {
        if let ColumnType::Custom { sql } = &column.ty {
            if let Some(ty) = schema.enums.iter().find(|e| e.name == *sql) {
                column.ty = ColumnType::Enum(ty.clone());
            }
        }
        if facts.numbered_key_is_64_bit && column.auto_increment && column.ty == ColumnType::Integer
        {
            column.ty = ColumnType::BigInt;
        }
    }
    table
}

/// The field for each column: its Rust name and whether it needs `column = "…"`.
fn field_names(table: &Table) -> BTreeMap<&str, (String, bool)> {
    let mut taken = BTreeSet::new();
    table
        .columns
        .iter()
        .map(|c| {
            let (name, conventional) = names::field_name(&c.name);
            let unique = names::unique(name.clone(), &mut taken);
            (
                c.name.as_str(),
                (unique.clone(), conventional && unique == name),
            )
        })
        .collect()
}

fn write_struct(
    out: &mut String,
    notes: &mut Vec<String>,
    table: &Table,
    structs: &BTreeMap<&str, (String, bool)>,
    schema: &Schema,
    enums: &EnumNames,
) {
    let (schema_name, bare) = split_schema(&table.name);
    let Some((struct_name, conventional)) = structs.get(table.name.as_str()) else {
        return;
    };
    let fields = field_names(table);
    let field = |column: &str| {
        fields
            .get(column)
            .map_or_else(|| column.to_owned(), |(name, _)| name.clone())
    };

    let mut container = Vec::new();
    if !conventional {
        container.push(format!("table = {}", literal(bare)));
    }
    if let Some(schema_name) = schema_name {
        container.push(format!("schema = {}", literal(schema_name)));
    }
    if let Some(comment) = &table.comment {
        container.push(format!("comment = {}", literal(comment)));
    }

    let mut field_keys: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let conventional_key = table.primary_key == ["id"];
    if !conventional_key {
        for key in &table.primary_key {
            field_keys
                .entry(key)
                .or_default()
                .push("primary_key".into());
        }
        let in_field_order: Vec<&String> = table
            .columns
            .iter()
            .map(|c| &c.name)
            .filter(|c| table.primary_key.contains(c))
            .collect();
        if in_field_order
            .iter()
            .map(|c| c.as_str())
            .ne(table.primary_key.iter().map(|c| c.as_str()))
        {
            notes.push(format!(
                "{}: the primary key's columns are ({}) in the database; the model keys them in \
                 field order",
                table.name,
                table.primary_key.join(", ")
            ));
        }
    }
    if let [key] = table.primary_key.as_slice() {
        let numbered = table
            .columns
            .iter()
            .find(|c| &c.name == key)
            .is_some_and(|c| {
                c.auto_increment
                    || c.default.is_some()
                    || !matches!(
                        c.ty,
                        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
                    )
            });
        if !numbered {
            notes.push(format!(
                "{}.{key}: the database does not number this key; a model's single integer key \
                 is numbered by the database, so `check` reports the difference",
                table.name
            ));
        }
    }

    for index in &table.indexes {
        let columns: Vec<&str> = index.columns.iter().map(String::as_str).collect();
        let conventional_name = index.name == naming::index_name(bare, &columns, index.unique);
        if let ([column], true) = (columns.as_slice(), conventional_name) {
            let key = if index.unique { "unique" } else { "index" };
            field_keys.entry(column).or_default().push(key.into());
        } else {
            let kind = if index.unique { "unique" } else { "index" };
            let listed: Vec<String> = columns.iter().map(|c| field(c)).collect();
            let name = if conventional_name {
                String::new()
            } else {
                format!(", name = {}", literal(&index.name))
            };
            container.push(format!("{kind}(columns({}){name})", listed.join(", ")));
        }
        for (column, prefix) in &index.prefix_lengths {
            let keys = field_keys.entry(column).or_default();
            let key = format!("index_prefix = {prefix}");
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }

    let mut referenced = BTreeSet::new();
    for fk in &table.foreign_keys {
        let [column] = fk.columns.as_slice() else {
            notes.push(format!(
                "{}: the foreign key {} over ({}) spans several columns, which a model cannot \
                 declare; it is left out",
                table.name,
                fk.name,
                fk.columns.join(", ")
            ));
            continue;
        };
        if !referenced.insert(column.as_str()) {
            notes.push(format!(
                "{}.{column}: a second foreign key ({}) on the same column is left out",
                table.name, fk.name
            ));
            continue;
        }
        let target = schema.tables.iter().find(|t| t.name == fk.ref_table);
        let by_type = target.filter(|t| t.primary_key == fk.ref_columns);
        let mut keys = vec![match (by_type, structs.get(fk.ref_table.as_str())) {
            (Some(_), Some((name, _))) => format!("references({name})"),
            _ => {
                if target.is_none() {
                    notes.push(format!(
                        "{}.{column} references {}, which was not inspected: inspect it too, \
                         or the models will not load",
                        table.name, fk.ref_table
                    ));
                }
                let ref_column = fk.ref_columns.first().map_or("id", String::as_str);
                format!(
                    "references = {}",
                    literal(&format!("{}.{ref_column}", fk.ref_table))
                )
            }
        }];
        let (_, ref_bare) = split_schema(&fk.ref_table);
        for (key, action) in [("on_delete", fk.on_delete), ("on_update", fk.on_update)] {
            if action != FkAction::NoAction {
                keys.push(format!("{key} = {}", literal(&action.sql().to_lowercase())));
            }
        }
        if fk.name != naming::foreign_key_name(bare, &[column], ref_bare) {
            keys.push(format!("foreign_key_name = {}", literal(&fk.name)));
        }
        field_keys.entry(column).or_default().extend(keys);
    }
    for check in &table.checks {
        container.push(format!(
            "check(name = {}, expr = {})",
            literal(&check.name),
            literal(&check.expr)
        ));
    }

    let _ = writeln!(out, "#[derive(Debug, Clone, PartialEq, Model)]");
    for key in &container {
        let _ = writeln!(out, "#[model({key})]");
    }
    let _ = writeln!(out, "pub struct {struct_name} {{");
    for column in &table.columns {
        let Some((name, named_alike)) = fields.get(column.name.as_str()) else {
            continue;
        };
        let enum_name = enums.rust_name(table, column);
        let (ty, type_keys) = columns::field_type(column, enum_name);
        let mut keys = Vec::new();
        if !named_alike {
            keys.push(format!("column = {}", literal(&column.name)));
        }
        keys.extend(field_keys.remove(column.name.as_str()).unwrap_or_default());
        keys.extend(type_keys);
        if let Some(default) = &column.default {
            keys.push(columns::default_key(default));
        }
        if let Some(comment) = &column.comment {
            keys.push(format!("comment = {}", literal(comment)));
        }
        if !keys.is_empty() {
            let _ = writeln!(out, "    #[model({})]", keys.join(", "));
        }
        let _ = writeln!(out, "    pub {name}: {ty},");
    }
    let _ = writeln!(out, "}}");
}
