//! The neutral schema: what both the models and an introspected database are turned into
//! before they are compared. Nothing here knows about a particular SQL dialect.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// A column's type, independent of any dialect. Each dialect maps these to its own SQL
/// types when rendering and maps what its catalog reports back to these when introspecting.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnType {
    Boolean,
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    /// Unbounded text.
    Text,
    /// Text with a maximum length in characters.
    Varchar {
        max_length: u32,
    },
    Blob,
    Date,
    Time,
    /// A timestamp without time zone.
    Timestamp,
    /// A timestamp with time zone (stored as UTC).
    TimestampTz,
    Uuid,
    Json,
    Numeric {
        precision: u32,
        scale: u32,
    },
    /// A type spelled by the user with `sql_type = "…"`, passed through verbatim.
    Custom {
        sql: Cow<'static, str>,
    },
    /// A closed set of labels (`#[derive(ModelEnum)]`): a named type on PostgreSQL, an
    /// `ENUM(…)` column on MySQL, text with a CHECK elsewhere.
    Enum(EnumType),
}

/// An enumerated type: its name and its labels in order. Constant-constructible, so that
/// `#[derive(ModelEnum)]` can give it as a type's `SqlMapped::COLUMN_TYPE`.
#[derive(Debug, Clone, Serialize)]
pub struct EnumType {
    /// The type's name where the backend names types (PostgreSQL); empty where the labels
    /// are part of the column's type (MySQL).
    pub name: Cow<'static, str>,
    pub labels: Cow<'static, [Cow<'static, str>]>,
    /// Labels that had another spelling before (`renamed_from` on a variant): hints for the
    /// differ, never read back from a database, and not part of equality.
    #[serde(skip_serializing_if = "no_renames")]
    pub renamed: Cow<'static, [LabelRename]>,
}

/// A label's earlier and current spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct LabelRename {
    pub from: Cow<'static, str>,
    pub to: Cow<'static, str>,
}

fn no_renames(renamed: &[LabelRename]) -> bool {
    renamed.is_empty()
}

impl EnumType {
    /// An enum type as a catalog reports it: no rename hints.
    pub fn new(name: impl Into<String>, labels: Vec<String>) -> EnumType {
        EnumType {
            name: Cow::Owned(name.into()),
            labels: Cow::Owned(labels.into_iter().map(Cow::Owned).collect()),
            renamed: Cow::Borrowed(&[]),
        }
    }

    pub fn has_label(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l == label)
    }
}

impl PartialEq for EnumType {
    fn eq(&self, other: &EnumType) -> bool {
        self.name == other.name && self.labels == other.labels
    }
}

impl Eq for EnumType {}

impl std::hash::Hash for EnumType {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.labels.hash(state);
    }
}

impl fmt::Display for EnumType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("enum")?;
        if !self.name.is_empty() {
            write!(f, " {}", self.name)?;
        }
        let labels: Vec<String> = self
            .labels
            .iter()
            .map(|l| format!("'{}'", l.replace('\'', "''")))
            .collect();
        write!(f, "({})", labels.join(", "))
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Boolean => f.write_str("boolean"),
            ColumnType::SmallInt => f.write_str("smallint"),
            ColumnType::Integer => f.write_str("integer"),
            ColumnType::BigInt => f.write_str("bigint"),
            ColumnType::Real => f.write_str("real"),
            ColumnType::Double => f.write_str("double"),
            ColumnType::Text => f.write_str("text"),
            ColumnType::Varchar { max_length } => write!(f, "varchar({max_length})"),
            ColumnType::Blob => f.write_str("blob"),
            ColumnType::Date => f.write_str("date"),
            ColumnType::Time => f.write_str("time"),
            ColumnType::Timestamp => f.write_str("timestamp"),
            ColumnType::TimestampTz => f.write_str("timestamptz"),
            ColumnType::Uuid => f.write_str("uuid"),
            ColumnType::Json => f.write_str("json"),
            ColumnType::Numeric { precision, scale } => write!(f, "numeric({precision},{scale})"),
            ColumnType::Custom { sql } => write!(f, "{sql}"),
            ColumnType::Enum(ty) => write!(f, "{ty}"),
        }
    }
}

/// A column default.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    /// A float literal, kept as written so that equality is exact.
    Float(String),
    /// A string literal; quoted and escaped per dialect when rendered.
    Text(String),
    /// A raw SQL expression, rendered verbatim (`default_sql = "…"`).
    Sql(String),
}

impl fmt::Display for DefaultValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefaultValue::Bool(b) => write!(f, "{b}"),
            DefaultValue::Int(i) => write!(f, "{i}"),
            DefaultValue::Float(v) => f.write_str(v),
            DefaultValue::Text(s) => write!(f, "'{}'", s.replace('\'', "''")),
            DefaultValue::Sql(s) => write!(f, "{s}"),
        }
    }
}

/// What a foreign key does when the referenced row is deleted or updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    /// Parses the spelling used in `on_delete = "…"`: `cascade`, `set null`/`set_null`, ….
    pub fn parse(text: &str) -> Option<FkAction> {
        match text.to_ascii_lowercase().replace('_', " ").as_str() {
            "no action" => Some(FkAction::NoAction),
            "restrict" => Some(FkAction::Restrict),
            "cascade" => Some(FkAction::Cascade),
            "set null" => Some(FkAction::SetNull),
            "set default" => Some(FkAction::SetDefault),
            _ => None,
        }
    }

    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    pub default: Option<DefaultValue>,
    /// The column is a single-column integer primary key that the database numbers itself.
    pub auto_increment: bool,
    /// The column's previous name, from `renamed_from`: the differ renames instead of
    /// dropping and adding. Never read back from a database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Column {
    /// A column with no default, key numbering, rename hint or comment.
    pub fn new(name: impl Into<String>, ty: ColumnType, nullable: bool) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable,
            default: None,
            auto_increment: false,
            renamed_from: None,
            comment: None,
        }
    }
}

/// An index. Unique constraints are kept as unique indexes: every supported backend enforces
/// them the same way, and a named unique index can be added and dropped without rebuilding
/// a SQLite table (see docs/decisions.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
    /// How many leading characters of a column the index covers, where the backend indexes
    /// text by prefix (MySQL); empty elsewhere. Filled with the default by normalization.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub prefix_lengths: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: String,
    pub expr: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Table {
    /// A table with nothing in it yet, as introspection starts one.
    pub fn new(name: impl Into<String>) -> Table {
        Table {
            name: name.into(),
            columns: vec![],
            primary_key: vec![],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![],
            renamed_from: None,
            comment: None,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The tables this one references through foreign keys, other than itself.
    pub fn dependencies(&self) -> impl Iterator<Item = &str> {
        self.foreign_keys
            .iter()
            .map(|fk| fk.ref_table.as_str())
            .filter(move |t| *t != self.name)
    }
}

/// A whole schema: tables in dependency order (referenced tables first, then by name), and
/// the named enum types (by name) where the backend has them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Schema {
    pub tables: Vec<Table>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumType>,
}

impl Schema {
    pub fn new(mut tables: Vec<Table>) -> Schema {
        sort_by_dependencies(&mut tables);
        Schema {
            tables,
            enums: Vec::new(),
        }
    }

    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        self.enums.iter().find(|e| e.name == name)
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Orders tables so that every table comes after the tables it references, ties broken by
/// name. Cycles (mutually referencing tables) cannot be ordered; their members keep name
/// order, which is still deterministic.
pub fn sort_by_dependencies(tables: &mut [Table]) {
    use std::collections::{BTreeSet, HashMap};

    // In rounds: each round is every table whose references all lie in earlier rounds, by
    // name. Counting unresolved references keeps it linear in tables and references, where
    // rescanning every table each round was quadratic on a long chain of foreign keys.
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let index: HashMap<&str, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let mut unresolved: Vec<usize> = Vec::with_capacity(tables.len());
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for (i, table) in tables.iter().enumerate() {
        let deps: BTreeSet<usize> = table
            .dependencies()
            .filter_map(|d| index.get(d).copied())
            .collect();
        unresolved.push(deps.len());
        for d in deps {
            dependents[d].push(i);
        }
    }
    let mut remaining: BTreeSet<usize> = (0..tables.len()).collect();
    let mut ready: Vec<usize> = (0..tables.len()).filter(|&i| unresolved[i] == 0).collect();
    let mut position = vec![0usize; tables.len()];
    let mut placed = 0;
    while let Some(&first) = remaining.iter().next() {
        // A cycle: release the first remaining table by name.
        let round = if ready.is_empty() {
            vec![first]
        } else {
            std::mem::take(&mut ready)
        };
        for &i in &round {
            remaining.remove(&i);
            position[i] = placed;
            placed += 1;
        }
        for &i in &round {
            for &d in &dependents[i] {
                if remaining.contains(&d) {
                    unresolved[d] -= 1;
                    if unresolved[d] == 0 {
                        ready.push(d);
                    }
                }
            }
        }
        ready.sort_unstable();
    }
    let position: HashMap<String, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), position[i]))
        .collect();
    tables.sort_by_key(|t| position.get(t.name.as_str()).copied().unwrap_or(usize::MAX));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, refs: &[&str]) -> Table {
        Table {
            name: name.into(),
            columns: vec![],
            primary_key: vec![],
            indexes: vec![],
            foreign_keys: refs
                .iter()
                .map(|r| ForeignKey {
                    name: format!("fk_{name}_{r}"),
                    columns: vec![format!("{r}_id")],
                    ref_table: (*r).into(),
                    ref_columns: vec!["id".into()],
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                })
                .collect(),
            checks: vec![],
            renamed_from: None,
            comment: None,
        }
    }

    #[test]
    fn referenced_tables_come_first_then_names() {
        let schema = Schema::new(vec![
            table("comments", &["posts", "users"]),
            table("posts", &["users"]),
            table("users", &[]),
            table("audit", &[]),
        ]);
        let names: Vec<_> = schema.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["audit", "users", "posts", "comments"]);
    }

    #[test]
    fn cycles_still_give_every_table_once() {
        let schema = Schema::new(vec![
            table("a", &["b"]),
            table("b", &["a"]),
            table("c", &[]),
        ]);
        let names: Vec<_> = schema.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["c", "a", "b"]);
    }

    #[test]
    fn a_long_chain_is_ordered_in_rounds() {
        // t999 references nothing, each lower number references the next: name order is the
        // opposite of dependency order. `x` and `y` are ready in the first round with t999.
        let mut tables: Vec<Table> = (0..1000)
            .map(|i| {
                let refs: Vec<String> = if i < 999 {
                    vec![format!("t{:03}", i + 1)]
                } else {
                    vec![]
                };
                let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
                table(&format!("t{i:03}"), &refs)
            })
            .collect();
        tables.push(table("y", &[]));
        tables.push(table("x", &[]));
        let schema = Schema::new(tables);
        let names: Vec<_> = schema.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names[..4], ["t999", "x", "y", "t998"]);
        assert_eq!(names[names.len() - 1], "t000");
    }

    #[test]
    fn fk_actions_parse_both_spellings() {
        assert_eq!(FkAction::parse("set_null"), Some(FkAction::SetNull));
        assert_eq!(FkAction::parse("SET NULL"), Some(FkAction::SetNull));
        assert_eq!(FkAction::parse("explode"), None);
    }
}
