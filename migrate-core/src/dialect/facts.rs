//! A dialect's constant facts as data: what would otherwise be one `match` arm per backend in
//! many places is one value per backend, read where it matters.

#[cfg(feature = "connect")]
use super::backend::ConnectFn;
use crate::schema::ColumnType;
use crate::sql::Quoting;

/// How a backend bounds the time a connection attempt takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectTimeout {
    /// A local file: nothing to wait for.
    NotNeeded,
    /// The driver takes a URL query parameter of this name, in whole seconds.
    UrlParameter(&'static str),
    /// The driver has no setting: the attempt runs on its own thread and is abandoned when
    /// the time is up.
    Watchdog,
}

/// Built without the `connect` feature there are no drivers: `connect` is always `None`.
#[cfg(not(feature = "connect"))]
#[derive(Debug, Clone, Copy)]
pub enum ConnectFn {}

#[derive(Debug)]
pub struct DialectFacts {
    /// The name in file names (`up.<name>.sql`), metadata and config.
    pub name: &'static str,
    /// The product, for messages (`PostgreSQL`).
    pub label: &'static str,
    /// URL schemes that select it (`postgres://…`).
    pub url_schemes: &'static [&'static str],
    /// The cargo feature that brings its driver, when it is not always built in.
    pub cargo_feature: Option<&'static str>,
    /// Opens a connection, when this build has the driver (see [`Connector`]).
    pub connect: Option<ConnectFn>,
    /// How a connection attempt is bounded in time.
    pub connect_timeout: ConnectTimeout,
    pub quoting: Quoting,
    pub placeholder: Placeholder,
    /// What a text default's literal starts with (SQL Server's `N`, so an NVARCHAR column
    /// keeps every character).
    pub text_literal_prefix: &'static str,
    /// `[false, true]` as literals.
    pub bool_literals: [&'static str; 2],
    pub types: TypeNames,
    /// What marks a column the database numbers itself.
    pub auto_increment: &'static str,
    /// Whether that marker is only allowed on a key declared inline (SQLite's AUTOINCREMENT).
    pub auto_increment_needs_inline_key: bool,
    /// Whether a numbered key declared `INTEGER` holds 64 bits (SQLite's rowid), so that
    /// `inspect` gives it an `i64` field.
    pub numbered_key_is_64_bit: bool,
    /// The order of the clauses after a column's type.
    pub column_clauses: &'static [ColumnClause],
    /// Whether DDL runs inside a transaction, so a revision and its version row can commit
    /// together (MySQL commits each DDL statement implicitly).
    pub transactional_ddl: bool,
    /// Whether a whole run is one transaction (SQLite: the run's lock is its write
    /// transaction), so even a revision marked `run_in_transaction = false` is undone with
    /// the run if the process dies, and runs in a savepoint.
    pub run_is_one_transaction: bool,
    /// Whether foreign key names survive a round trip through the catalog. Where they do
    /// not, both sides get conventional names before comparing.
    pub keeps_foreign_key_names: bool,
    /// Whether tables can live in named schemas (`#[model(schema = "…")]`): PostgreSQL.
    pub schemas: bool,
    /// Where TEXT and BLOB columns can be indexed only by a prefix (MySQL): how many leading
    /// characters a plain index covers unless the model says (`index_prefix`).
    pub text_index_prefix: Option<u32>,
    /// The longest identifier the database takes, and what it does with a longer one.
    pub identifier_limit: Option<IdentifierLimit>,
    /// What the database does to a live table while a plain `CREATE INDEX` builds, when it
    /// blocks the application (PostgreSQL blocks writes); for the lint of a plan.
    pub index_build_locks: Option<&'static str>,
    /// What changing a column's type or NULL does to a live table, when it is more than a
    /// catalog change (a rewrite under a lock, a rebuild); for the lint of a plan.
    pub alter_column_rewrites: Option<&'static str>,
    /// Where the dialect has online plans (`render_online`): what a column's type change
    /// still does to a live table under them, for the lint of an online plan.
    pub online_type_change: Option<&'static str>,
    /// Words in the error of a statement that gave up waiting for a lock (the revision's
    /// `lock_timeout`), so the runner can try it again (`lock_retries`).
    pub lock_timeout_error: Option<&'static str>,
    /// How an enum column is kept.
    pub enum_style: EnumStyle,
    /// Statements an offline script starts with, outside any transaction.
    pub offline_prelude: &'static [&'static str],
    /// The statements that start and end a transaction in a script.
    pub begin_transaction: &'static str,
    pub commit_transaction: &'static str,
    /// A client's batch separator (T-SQL's `GO`), written after each revision of a script.
    pub batch_separator: Option<&'static str>,
    /// An expression for the current UTC time as text in the runner's format
    /// (`2026-01-31T12:00:00.000Z`), for version rows written by offline scripts.
    pub now_text_sql: &'static str,
}

impl DialectFacts {
    /// The SQL standard's answers. A dialect states its names and where it differs, and
    /// takes the rest from here (`..DialectFacts::STANDARD`).
    pub const STANDARD: DialectFacts = DialectFacts {
        name: "",
        label: "",
        url_schemes: &[],
        cargo_feature: None,
        connect: None,
        connect_timeout: ConnectTimeout::NotNeeded,
        quoting: Quoting {
            ident: crate::sql::IdentQuote::Double,
            backslash_escapes: false,
        },
        placeholder: Placeholder::Question,
        text_literal_prefix: "",
        bool_literals: ["FALSE", "TRUE"],
        types: TypeNames::STANDARD,
        // An identity column rather than PostgreSQL's `BIGSERIAL`: the catalog reports it
        // as a flag (read back as `auto_increment`) instead of a `nextval(…)` default.
        auto_increment: " GENERATED BY DEFAULT AS IDENTITY",
        auto_increment_needs_inline_key: false,
        numbered_key_is_64_bit: false,
        column_clauses: &[
            ColumnClause::AutoIncrement,
            ColumnClause::PrimaryKey,
            ColumnClause::NotNull,
            ColumnClause::Default,
        ],
        transactional_ddl: true,
        run_is_one_transaction: false,
        keeps_foreign_key_names: true,
        identifier_limit: None,
        index_build_locks: None,
        alter_column_rewrites: None,
        online_type_change: None,
        lock_timeout_error: None,
        enum_style: EnumStyle::TextWithCheck,
        text_index_prefix: None,
        schemas: false,
        offline_prelude: &[],
        begin_transaction: "BEGIN",
        commit_transaction: "COMMIT",
        batch_separator: None,
        now_text_sql: "CURRENT_TIMESTAMP",
    };
}

impl DialectFacts {
    /// How this build reaches a live database of the dialect.
    pub fn connector(&self) -> Connector {
        match (self.connect, self.cargo_feature) {
            (Some(connect), _) => Connector::Driver(connect),
            (None, Some(_)) => Connector::FeatureDisabled,
            (None, None) => Connector::RenderOnly,
        }
    }
}

/// How a backend keeps an enum column (`#[derive(ModelEnum)]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumStyle {
    /// A type of its own, created once and named by each column (PostgreSQL's
    /// `CREATE TYPE … AS ENUM`).
    NamedType,
    /// The labels are part of the column's type (MySQL's `ENUM('a', 'b')`).
    InlineColumnType,
    /// A text column with a CHECK that names the labels.
    TextWithCheck,
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
            // Where enums have no type of their own, their labels are stored as text.
            ColumnType::Enum(_) => self.text,
        };
        name.to_owned()
    }
}

/// How this build reaches a live database of a dialect.
#[derive(Debug, Clone, Copy)]
pub enum Connector {
    /// Connects through diesel.
    Driver(ConnectFn),
    /// The driver is behind a cargo feature ([`DialectFacts::cargo_feature`]) this build
    /// was compiled without.
    FeatureDisabled,
    /// Rendered only: offline scripts and per-dialect SQL files, no connection.
    RenderOnly,
}

/// How long an identifier may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentifierLimit {
    pub max: usize,
    /// Whether `max` counts bytes (PostgreSQL) or characters (MySQL, SQL Server).
    pub in_bytes: bool,
    /// Whether a longer name is cut silently (PostgreSQL) rather than refused.
    pub truncates: bool,
}

impl IdentifierLimit {
    /// The length of `name` in this limit's unit.
    pub fn length(&self, name: &str) -> usize {
        if self.in_bytes {
            name.len()
        } else {
            name.chars().count()
        }
    }

    /// "63 bytes", "64 characters".
    pub fn describe(&self) -> String {
        format!(
            "{} {}",
            self.max,
            if self.in_bytes { "bytes" } else { "characters" }
        )
    }
}
