//! A dialect's constant facts as data: what would otherwise be one `match` arm per backend in
//! many places is one value per backend, read where it matters.

use super::Backend;
use crate::db::DatabaseUrl;
use crate::error::Result;
use crate::schema::ColumnType;
use crate::sql::Quoting;

#[derive(Debug)]
pub struct DialectFacts {
    /// The name in file names (`up.<name>.sql`), metadata and config.
    pub name: &'static str,
    /// Other names accepted for it in config and on the command line.
    pub aliases: &'static [&'static str],
    /// The product, for messages (`PostgreSQL`).
    pub label: &'static str,
    /// URL schemes that select it (`postgres://…`).
    pub url_schemes: &'static [&'static str],
    pub quoting: Quoting,
    pub placeholder: Placeholder,
    /// `[false, true]` as literals.
    pub bool_literals: [&'static str; 2],
    pub types: TypeNames,
    /// What marks a column the database numbers itself.
    pub auto_increment: &'static str,
    /// Whether that marker is only allowed on a key declared inline (SQLite's AUTOINCREMENT).
    pub auto_increment_needs_inline_key: bool,
    /// The order of the clauses after a column's type.
    pub column_clauses: &'static [ColumnClause],
    /// Whether DDL runs inside a transaction, so a revision and its version row can commit
    /// together (MySQL commits each DDL statement implicitly).
    pub transactional_ddl: bool,
    /// Whether foreign key names survive a round trip through the catalog. Where they do
    /// not, both sides get conventional names before comparing.
    pub keeps_foreign_key_names: bool,
    /// The length in bytes past which the database cuts names short (PostgreSQL's 63).
    pub truncates_names_at: Option<usize>,
    /// Statements an offline script starts with, outside any transaction.
    pub offline_prelude: &'static [&'static str],
    /// An expression for the current UTC time as text in the runner's format
    /// (`2026-01-31T12:00:00.000Z`), for version rows written by offline scripts.
    pub now_text_sql: &'static str,
}

/// A clause that may follow a column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnClause {
    AutoIncrement,
    PrimaryKey,
    NotNull,
    Default,
}

/// How bind parameters are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `?`
    Question,
    /// `$1`, `$2`, …
    Numbered,
}

impl Placeholder {
    pub fn at(self, n: usize) -> String {
        match self {
            Placeholder::Question => "?".to_owned(),
            Placeholder::Numbered => format!("${n}"),
        }
    }
}

/// The spelling of each neutral type; `varchar` and `numeric` take their arguments in
/// parentheses.
#[derive(Debug)]
pub struct TypeNames {
    pub boolean: &'static str,
    pub small_int: &'static str,
    pub integer: &'static str,
    pub big_int: &'static str,
    pub real: &'static str,
    pub double: &'static str,
    pub text: &'static str,
    pub varchar: &'static str,
    pub blob: &'static str,
    pub date: &'static str,
    pub time: &'static str,
    pub timestamp: &'static str,
    pub timestamp_tz: &'static str,
    pub uuid: &'static str,
    pub json: &'static str,
    pub numeric: &'static str,
}

impl TypeNames {
    /// The SQL standard's spellings; each dialect states where it differs.
    pub const STANDARD: TypeNames = TypeNames {
        boolean: "BOOLEAN",
        small_int: "SMALLINT",
        integer: "INTEGER",
        big_int: "BIGINT",
        real: "REAL",
        double: "DOUBLE PRECISION",
        text: "TEXT",
        varchar: "VARCHAR",
        blob: "BLOB",
        date: "DATE",
        time: "TIME",
        timestamp: "TIMESTAMP",
        timestamp_tz: "TIMESTAMPTZ",
        uuid: "UUID",
        json: "JSON",
        numeric: "NUMERIC",
    };

    pub fn spell(&self, ty: &ColumnType) -> String {
        let name = match ty {
            ColumnType::Boolean => self.boolean,
            ColumnType::SmallInt => self.small_int,
            ColumnType::Integer => self.integer,
            ColumnType::BigInt => self.big_int,
            ColumnType::Real => self.real,
            ColumnType::Double => self.double,
            ColumnType::Text => self.text,
            ColumnType::Varchar { max_length } => return format!("{}({max_length})", self.varchar),
            ColumnType::Blob => self.blob,
            ColumnType::Date => self.date,
            ColumnType::Time => self.time,
            ColumnType::Timestamp => self.timestamp,
            ColumnType::TimestampTz => self.timestamp_tz,
            ColumnType::Uuid => self.uuid,
            ColumnType::Json => self.json,
            ColumnType::Numeric { precision, scale } => {
                return format!("{}({precision},{scale})", self.numeric)
            }
            ColumnType::Custom { sql } => return sql.to_string(),
        };
        name.to_owned()
    }
}

/// How this build reaches a live database of a dialect.
#[derive(Debug, Clone, Copy)]
pub enum Connector {
    /// Connects through diesel.
    Driver(fn(&DatabaseUrl) -> Result<Box<dyn Backend>>),
    /// The driver is behind a cargo feature this build was compiled without.
    FeatureDisabled(&'static str),
    /// Rendered only: offline scripts and per-dialect SQL files, no connection.
    RenderOnly,
}
