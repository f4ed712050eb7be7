//! `inspect`: write `#[derive(Model)]` source for the tables of an existing database. Reads
//! only; the notes (what a model cannot say as the database does) go to stderr.

use std::path::PathBuf;

use clap::Args;
use migrate_core::filter::TableFilter;
use migrate_core::inspect;

use crate::error::{exit, CliError};

use super::Ctx;

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Inspect only the tables matching this glob (repeatable); replaces `include_tables` of
    /// migrate.toml.
    #[arg(long = "include-tables", value_name = "GLOB")]
    include: Vec<String>,

    /// Leave out the tables matching this glob (repeatable; wins over --include-tables);
    /// replaces `exclude_tables` of migrate.toml.
    #[arg(long = "exclude-tables", value_name = "GLOB")]
    exclude: Vec<String>,

    /// PostgreSQL: inspect this schema too, besides the connection's current one
    /// (repeatable); its tables get `schema = "…"`.
    #[arg(long = "schema", value_name = "NAME")]
    schemas: Vec<String>,

    /// Write the source to this file instead of stdout; an existing file is kept unless
    /// --force is given.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Overwrite the --output file when it exists.
    #[arg(long, requires = "output")]
    force: bool,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &InspectArgs) -> Result<i32, CliError> {
    if let Some(path) = &args.output {
        if path.exists() && !args.force {
            return Err(CliError::Refused(format!(
                "{} exists; inspect does not overwrite it\n  hint: choose another --output, or \
                 add --force to replace it",
                path.display()
            )));
        }
    }
    let filter = if args.include.is_empty() && args.exclude.is_empty() {
        ctx.config.table_filter.clone()
    } else {
        TableFilter::new(&args.include, &args.exclude)?
    };
    let mut conn = ctx.connect_existing("inspect")?;
    let version_table = ctx.config.version_table.clone();
    let schema = filter.apply(conn.introspect_in(&version_table, &args.schemas)?);
    if schema.tables.is_empty() {
        return Err(CliError::Refused(
            "no tables to inspect: the database has none, or the table filters leave none\n  \
             hint: see --include-tables / --exclude-tables and migrate.toml"
                .to_owned(),
        ));
    }
    let inspected = inspect::models_source(&schema, conn.dialect().facts());
    for note in &inspected.notes {
        ctx.warn(&format!("note: {note}"))?;
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &inspected.source)
                .map_err(|e| CliError::Refused(format!("writing {}: {e}", path.display())))?;
            ctx.say(&format!(
                "wrote {} model(s) to {}",
                schema.tables.len(),
                path.display()
            ))?;
        }
        None => ctx.print(inspected.source.trim_end())?,
    }
    Ok(exit::SUCCESS)
}
