//! The one error type of `migrate-core`. Every message says what to do next.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(
        "no models are registered in this binary\n  \
         hint: a crate the binary never names is not linked, so its #[derive(Model)] structs are lost; \
         add `use your_models_crate as _;` to the binary's main.rs"
    )]
    EmptyRegistry,

    #[error(
        "two enum types are named `{name}` with different labels: {first} and {second}\n  \
         hint: give one of them another name with #[model(name = \"…\")] on the enum"
    )]
    ConflictingEnum {
        name: String,
        /// Each type with the model that uses it.
        first: String,
        second: String,
    },

    #[error("table `{table}` is claimed by two models: {first} and {second}\n  hint: rename one of them with #[model(table = \"…\")]")]
    DuplicateTable {
        table: String,
        first: String,
        second: String,
    },

    #[error(
        "{model}: the foreign key on `{column}` references `{ref_table}`, which no registered model defines (known: {})\n  \
         hint: fix the name, or link the crate that defines that model",
        known.join(", ")
    )]
    DanglingForeignKey {
        model: String,
        column: String,
        ref_table: String,
        known: Vec<String>,
    },

    #[error("{model}: the default of column `{column}` does not fit its type `{ty}`\n  hint: give a literal of the column's type, or use default_sql = \"…\"")]
    InvalidDefault {
        model: String,
        column: String,
        ty: String,
    },

    #[cfg(feature = "connect")]
    // Drivers end some messages with a newline; the error's own layout adds the lines.
    #[error("cannot connect to {url}: {}", source.to_string().trim_end())]
    Connect {
        url: String,
        #[source]
        source: diesel::ConnectionError,
    },

    #[error(
        "{url} did not answer within {seconds} s: {reason}\n  \
         hint: check the host and port (and that a firewall does not swallow the connection); \
         a slow network can be given more time with --connect-timeout or `connect_timeout` in \
         migrate.toml"
    )]
    ConnectTimeout {
        url: String,
        seconds: u64,
        reason: String,
    },

    #[error("unsupported database URL `{url}`\n  hint: use a file path or one of {schemes}")]
    UnsupportedUrl { url: String, schemes: String },

    #[error("invalid database URL `{url}`: {reason}")]
    InvalidUrl { url: String, reason: String },

    #[error(
        "{url} is a {backend} database, which this tool renders SQL for but does not connect to\n  \
         hint: write the script with `upgrade --sql` and run it with the database's own client"
    )]
    RenderOnly { url: String, backend: &'static str },

    #[error("the database reports {what} `{value}` in table `{table}`, which this tool does not know\n  hint: {hint}")]
    UnknownCatalogValue {
        what: String,
        value: String,
        table: String,
        hint: &'static str,
    },

    #[error(
        "{url} is a {backend} database, but this build was compiled without {backend} support\n  \
         hint: enable the `{feature}` feature (e.g. `migrate-core = {{ features = [\"{feature}\"] }}`, \
         or, for the stock binary, `cargo install --path migrate-cli` from the repository, whose \
         default features have every backend)"
    )]
    BackendDisabled {
        url: String,
        backend: &'static str,
        feature: &'static str,
    },

    #[error("{0}")]
    Lock(String),

    #[cfg(feature = "connect")]
    #[error("database error while {context}: {}", source.to_string().trim_end())]
    Database {
        context: String,
        #[source]
        source: diesel::result::Error,
    },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: invalid metadata.toml: {message}")]
    Metadata { path: PathBuf, message: String },

    #[error("{0}")]
    Graph(String),

    #[error("{0}")]
    Plan(String),

    #[error("revision {revision} failed at statement {statement}: {message}\n  statement: {sql}")]
    StatementFailed {
        revision: String,
        statement: usize,
        sql: String,
        message: String,
    },

    #[error("{0}")]
    Integrity(String),
}

impl Error {
    #[cfg(feature = "connect")]
    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(diesel::result::Error) -> Error {
        let context = context.into();
        move |source| Error::Database { context, source }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
