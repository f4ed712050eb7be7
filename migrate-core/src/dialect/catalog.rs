//! What every dialect's introspection shares: the rows the catalogs give in the same shape,
//! and the grouping of per-column rows into tables, indexes and foreign keys.

use std::collections::BTreeMap;

use diesel::sql_types::Text;
use diesel::QueryableByName;

use crate::error::{Error, Result};
use crate::schema::{FkAction, ForeignKey, Index, Table};

/// A table name, as the server catalogs list them (SQLite reads its CREATE statement too).
#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
#[derive(QueryableByName)]
pub(crate) struct TableRow {
    #[diesel(sql_type = Text)]
    pub name: String,
}

/// The tables of the schema, empty, by name.
#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
pub(crate) fn tables_by_name(rows: Vec<TableRow>) -> BTreeMap<String, Table> {
    rows.into_iter()
        .map(|row| (row.name.clone(), Table::new(row.name)))
        .collect()
}

/// One column of a foreign key, as both catalogs list them (ordered by table, key, position).
#[derive(QueryableByName)]
pub(crate) struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub ref_table: String,
    #[diesel(sql_type = Text)]
    pub column_name: String,
    /// `None` where the key names no column and so points at the referenced primary key
    /// (SQLite).
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub ref_column: Option<String>,
    #[diesel(sql_type = Text)]
    pub on_delete: String,
    #[diesel(sql_type = Text)]
    pub on_update: String,
}

/// Groups the rows into foreign keys and gives each to its table. The catalog's spelling of
/// ON DELETE / ON UPDATE is read with [`FkAction::parse`]; one it does not know is an error
/// rather than a silent NO ACTION, which would drop the rule in the next migration.
pub(crate) fn attach_foreign_keys(
    tables: &mut BTreeMap<String, Table>,
    rows: Vec<ForeignKeyRow>,
) -> Result<()> {
    let mut grouped: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for row in rows {
        let key = (row.table_name, row.name);
        if !grouped.contains_key(&key) {
            let action = |value: &str| {
                FkAction::parse(value).ok_or_else(|| Error::UnknownCatalogValue {
                    what: "the foreign-key action".to_owned(),
                    value: value.to_owned(),
                    table: key.0.clone(),
                    hint: "change the rule to one a model can declare",
                })
            };
            let fk = ForeignKey {
                name: key.1.clone(),
                columns: vec![],
                ref_table: row.ref_table,
                ref_columns: vec![],
                on_delete: action(&row.on_delete)?,
                on_update: action(&row.on_update)?,
            };
            grouped.insert(key.clone(), fk);
        }
        if let Some(entry) = grouped.get_mut(&key) {
            entry.columns.push(row.column_name);
            entry.ref_columns.extend(row.ref_column);
        }
    }
    for ((table_name, _), fk) in grouped {
        if let Some(table) = tables.get_mut(&table_name) {
            table.foreign_keys.push(fk);
        }
    }
    Ok(())
}

/// One key part of an index, in order.
pub(crate) struct IndexPart {
    pub table: String,
    pub index: String,
    pub unique: bool,
    /// `None` for a part the neutral schema cannot describe (an expression).
    pub column: Option<String>,
    /// How many leading characters of the column the part covers (MySQL's `SUB_PART`).
    pub prefix: Option<u32>,
}

/// The indexes the parts make up, by (table, index name), each with whether every part is a
/// plain column.
pub(crate) fn group_indexes(
    parts: impl IntoIterator<Item = IndexPart>,
) -> BTreeMap<(String, String), (Index, bool)> {
    let mut grouped: BTreeMap<(String, String), (Index, bool)> = BTreeMap::new();
    for part in parts {
        let entry = grouped
            .entry((part.table, part.index.clone()))
            .or_insert_with(|| {
                (
                    Index {
                        name: part.index,
                        columns: vec![],
                        unique: part.unique,
                        prefix_lengths: Default::default(),
                    },
                    true,
                )
            });
        match part.column {
            Some(column) => {
                if let Some(prefix) = part.prefix {
                    entry.0.prefix_lengths.insert(column.clone(), prefix);
                }
                entry.0.columns.push(column);
            }
            None => entry.1 = false,
        }
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_referential_action_is_an_error_naming_it() {
        let mut tables = BTreeMap::from([("posts".to_owned(), Table::new("posts"))]);
        let row = ForeignKeyRow {
            table_name: "posts".into(),
            name: "fk".into(),
            ref_table: "users".into(),
            column_name: "user_id".into(),
            ref_column: Some("id".into()),
            on_delete: "EXPLODE".into(),
            on_update: "NO ACTION".into(),
        };
        let message = attach_foreign_keys(&mut tables, vec![row])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("`EXPLODE`"), "{message}");
        assert!(message.contains("`posts`"), "{message}");
    }
}
