//! The fleet's targets: from the flags when any is given, else from `[fleet]` in the config
//! file; each URL checked before anything connects, duplicates dropped.

use std::path::Path;

use migrate_core::db::DatabaseUrl;
use migrate_core::fleet::{self, Target};

use super::TargetArgs;
use crate::commands::Ctx;
use crate::error::CliError;

pub(super) fn resolve(ctx: &mut Ctx<'_>, args: &TargetArgs) -> Result<Vec<Target>, CliError> {
    let from_flags =
        !args.databases.is_empty() || args.databases_file.is_some() || !args.schemas.is_empty();
    let fleet = &ctx.config.fleet;
    let (databases, file, schemas): (Vec<String>, _, Vec<(Option<String>, String)>) = if from_flags
    {
        (
            args.databases.clone(),
            args.databases_file.clone(),
            args.schemas.iter().map(|p| (None, p.clone())).collect(),
        )
    } else {
        (
            fleet.databases.clone(),
            fleet.databases_file.clone(),
            fleet
                .schemas
                .iter()
                .map(|s| (s.database_url.clone(), s.pattern.clone()))
                .collect(),
        )
    };
    if databases.is_empty() && file.is_none() && schemas.is_empty() {
        return Err(CliError::Refused(format!(
            "no fleet to work on\n  hint: name targets with --database URL, --databases-file \
             FILE or --schemas PATTERN, or list them under [fleet] in {}",
            ctx.config.config_path.display()
        )));
    }
    let mut targets = Vec::new();
    for text in &databases {
        targets.push(Target::database(DatabaseUrl::parse(text)?));
    }
    if let Some(file) = &file {
        targets.extend(read_file(file)?);
    }
    for (url, pattern) in schemas {
        let url = match url {
            Some(url) => DatabaseUrl::parse(&url)?,
            None => ctx.url()?,
        };
        let found = fleet::tenant_schemas(&url, &pattern, ctx.config.connect_timeout)?;
        if found.is_empty() {
            ctx.warn(&format!(
                "no schema of {} matches '{pattern}'",
                url.display()
            ))?;
        }
        targets.extend(found);
    }
    let mut unique: Vec<Target> = Vec::with_capacity(targets.len());
    for target in targets {
        if !unique.contains(&target) {
            unique.push(target);
        }
    }
    Ok(unique)
}

/// One URL per line; blank lines and `#` comments skipped; a bad line named by its number.
fn read_file(path: &Path) -> Result<Vec<Target>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::Config {
        path: path.to_owned(),
        message: format!("cannot read the list of databases: {e}"),
    })?;
    let mut targets = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let url = DatabaseUrl::parse(line).map_err(|e| CliError::Config {
            path: path.to_owned(),
            message: format!("line {}: {e}", number + 1),
        })?;
        targets.push(Target::database(url));
    }
    Ok(targets)
}
