//! One file per command. Each gets a [`Ctx`] and returns an exit code.

mod check;
mod current;
mod history;
mod init;
mod merge;
mod models;
mod revision;
mod show;
mod stamp;
mod upgrade;

use std::io::Write;

use migrate_core::db::{Connection, DatabaseUrl};
use migrate_core::revision::Graph;

use crate::cli::{Cli, Command};
use crate::config::{Config, UrlSource};
use crate::error::CliError;
use crate::output::Style;
use crate::scan;
use crate::workspace::Workspace;
use crate::Models;

pub(crate) struct Ctx<'a> {
    pub config: Config,
    pub models: &'a Models,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub style: Style,
}

impl Ctx<'_> {
    /// A line of progress or commentary: suppressed by `--quiet`.
    pub fn say(&mut self, line: &str) -> Result<(), CliError> {
        if !self.config.quiet {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    /// A line of the data asked for: always printed.
    pub fn print(&mut self, line: &str) -> Result<(), CliError> {
        writeln!(self.out, "{line}")?;
        Ok(())
    }

    pub fn warn(&mut self, line: &str) -> Result<(), CliError> {
        writeln!(self.err, "{} {line}", self.style.warning("warning:"))?;
        Ok(())
    }

    pub fn url(&self) -> Result<DatabaseUrl, CliError> {
        Ok(DatabaseUrl::parse(&self.config.database_url)?)
    }

    /// Connects, saying which database when it is the embedded default.
    pub fn connect(&mut self) -> Result<Connection, CliError> {
        let url = self.url()?;
        if self.config.url_source == UrlSource::EmbeddedDefault {
            let line = format!(
                "{} no database configured; using the embedded SQLite file {}",
                self.style.dim("note:"),
                url.display()
            );
            writeln!(self.err, "{line}")?;
        } else if self.config.verbose {
            let line = format!("{} database {}", self.style.dim("note:"), url.display());
            writeln!(self.err, "{line}")?;
        }
        Ok(Connection::establish(&url)?)
    }

    /// Models in the workspace's sources that this binary did not register, as a report;
    /// `None` when all are registered or there is no workspace to scan.
    pub fn unregistered_models(
        &self,
        registry: Option<&migrate_core::Registry>,
    ) -> Result<Option<String>, CliError> {
        // Models handed over explicitly are the whole set by definition.
        if matches!(self.models, Models::Given(_)) {
            return Ok(None);
        }
        let Some(workspace) = Workspace::locate(self.config.manifest_path.as_deref())? else {
            return Ok(None);
        };
        let missing = scan::unregistered(&workspace, registry);
        Ok((!missing.is_empty()).then(|| scan::report(&missing, &workspace.root)))
    }

    pub fn graph(&self) -> Result<Graph, CliError> {
        Ok(Graph::load(&self.config.migrations_dir)?)
    }
}

pub(crate) fn dispatch(
    cli: &Cli,
    models: &Models,
    out: &mut dyn Write,
    err: &mut dyn Write,
    style: Style,
) -> Result<i32, CliError> {
    let config = Config::resolve(&cli.global)?;
    let mut ctx = Ctx {
        config,
        models,
        out,
        err,
        style,
    };
    let code = match &cli.command {
        Command::Init => init::run(&mut ctx),
        Command::Models { format } => models::run(&mut ctx, *format),
        Command::Revision(args) => revision::run(&mut ctx, args),
        Command::Upgrade { target, sql } => upgrade::upgrade(&mut ctx, target, *sql),
        Command::Downgrade { target, sql } => upgrade::downgrade(&mut ctx, target, *sql),
        Command::Merge {
            revisions,
            message,
            rev_id,
        } => merge::run(&mut ctx, revisions, message, rev_id.as_deref()),
        Command::Branches => current::branches(&mut ctx),
        Command::Current => current::current(&mut ctx),
        Command::Heads => current::heads(&mut ctx),
        Command::History {
            rev_range,
            indicate_current,
        } => history::run(&mut ctx, rev_range.as_deref(), *indicate_current),
        Command::Show { revision } => show::run(&mut ctx, revision),
        Command::Stamp { target, purge } => stamp::run(&mut ctx, target, *purge),
        Command::Check => check::run(&mut ctx),
    }?;
    Ok(code)
}
