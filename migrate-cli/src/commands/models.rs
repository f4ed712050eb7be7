//! `models`: what is registered, per dialect type and source location.

use migrate_core::dialect::{self, Dialect};
use migrate_core::schema::Table;

use clap::Args;

use crate::args::Format;
use crate::error::{exit, CliError};

use super::Ctx;

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &ModelsArgs) -> Result<i32, CliError> {
    let format = args.format;
    let registry = match ctx.models.registry() {
        Ok(registry) => registry,
        Err(e) => {
            if let Some(report) = ctx.unregistered_models(None)? {
                ctx.warn(&report)?;
            }
            return Err(e.into());
        }
    };
    let dialects = dialect::ALL;
    match format {
        Format::Json => {
            let models: Vec<serde_json::Value> = registry
                .models
                .iter()
                .map(|m| {
                    let sql_types: serde_json::Map<String, serde_json::Value> = dialects
                        .iter()
                        .map(|d| {
                            let columns: serde_json::Map<String, serde_json::Value> = m
                                .table
                                .columns
                                .iter()
                                .map(|c| (c.name.clone(), d.column_type(c).into()))
                                .collect();
                            (d.name().to_owned(), columns.into())
                        })
                        .collect();
                    serde_json::json!({
                        "struct": m.struct_name,
                        "module": m.location.module_path,
                        "file": source_file(m.location.file),
                        "line": m.location.line,
                        "table": m.table,
                        "sql_types": sql_types,
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&serde_json::json!({ "models": models }))
                .map_err(|e| CliError::Refused(e.to_string()))?;
            ctx.print(&text)?;
        }
        Format::Text => {
            for model in &registry.models {
                let header = format!(
                    "{} {} {}",
                    ctx.out.style.strong(&model.table.name),
                    model.struct_name,
                    ctx.out.style.dim(&format!(
                        "({}:{})",
                        source_file(model.location.file),
                        model.location.line
                    ))
                );
                ctx.print(&header)?;
                for line in describe(&model.table, dialects) {
                    ctx.print(&format!("  {line}"))?;
                }
            }
            ctx.say(&format!("{} models", registry.models.len()))?;
        }
    }
    if let Some(report) = ctx.unregistered_models(Some(&registry))? {
        ctx.warn(&report)?;
    }
    Ok(exit::SUCCESS)
}

fn describe(table: &Table, dialects: &[&'static dyn Dialect]) -> Vec<String> {
    let mut lines = Vec::new();
    for column in &table.columns {
        let types: Vec<String> = dialects
            .iter()
            .map(|d| format!("{}: {}", d.name(), d.column_type(column)))
            .collect();
        let mut line = format!(
            "{} {} {}",
            column.name,
            column.ty,
            if column.nullable { "NULL" } else { "NOT NULL" }
        );
        if let Some(default) = &column.default {
            line.push_str(&format!(" DEFAULT {default}"));
        }
        if table.primary_key.contains(&column.name) {
            line.push_str(" PRIMARY KEY");
        }
        if column.auto_increment {
            line.push_str(" AUTOINCREMENT");
        }
        if let Some(old) = &column.renamed_from {
            line.push_str(&format!(" (renamed from {old})"));
        }
        line.push_str(&format!("  [{}]", types.join(", ")));
        lines.push(line);
    }
    for index in &table.indexes {
        lines.push(format!(
            "{} {} ({})",
            if index.unique { "unique" } else { "index" },
            index.name,
            index.columns.join(", ")
        ));
    }
    for fk in &table.foreign_keys {
        lines.push(format!(
            "foreign key {} ({}) -> {} ({}) on delete {} on update {}",
            fk.name,
            fk.columns.join(", "),
            fk.ref_table,
            fk.ref_columns.join(", "),
            fk.on_delete.sql().to_lowercase(),
            fk.on_update.sql().to_lowercase()
        ));
    }
    for check in &table.checks {
        lines.push(format!("check {} ({})", check.name, check.expr));
    }
    lines
}

/// A model's file as the workspace names it. Built by the stock binary, the model crates are
/// dependencies of the generated crate, so the compiler records absolute paths; the stock
/// binary passes the workspace root along to shorten them again.
fn source_file(file: &str) -> String {
    let root = std::env::var_os(crate::shim::WORKSPACE_ROOT_ENV).map(std::path::PathBuf::from);
    let path = std::path::Path::new(file);
    root.as_deref()
        .and_then(|root| path.strip_prefix(root).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}
