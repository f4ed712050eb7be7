//! `init`: the migrations directory and a commented config file.

use crate::config::{UrlSource, DEFAULT_SQLITE_FILE};
use crate::error::{exit, CliError};

use super::Ctx;

pub(crate) fn run(ctx: &mut Ctx<'_>) -> Result<i32, CliError> {
    let dir = ctx.config.migrations_dir.clone();
    std::fs::create_dir_all(&dir).map_err(|source| migrate_core::Error::Io {
        path: dir.clone(),
        source,
    })?;
    ctx.say(&format!("migrations directory: {}", dir.display()))?;
    let config_path = ctx.config.config_path.clone();
    if config_path.exists() {
        ctx.say(&format!(
            "config file {} exists; left as it is",
            config_path.display()
        ))?;
    } else {
        // A URL already given by DATABASE_URL (or .env) stays there: the file would only
        // hide it behind a different default, and a URL may hold a password.
        let url_line = match ctx.config.url_source {
            UrlSource::Environment | UrlSource::Flag => {
                ctx.say("database URL: taken from DATABASE_URL or --database-url, not written to the config file")?;
                format!("# database_url = \"sqlite://{DEFAULT_SQLITE_FILE}\"")
            }
            UrlSource::ConfigFile | UrlSource::EmbeddedDefault => {
                format!("database_url = \"sqlite://{DEFAULT_SQLITE_FILE}\"")
            }
        };
        let text = format!(
            "# migrate configuration. Command-line flags and DATABASE_URL override these.\n\
             # database_url = \"postgres://user@localhost/app\"\n\
             {url_line}\n\
             migrations_dir = \"{}\"\n\
             version_table = \"{}\"\n\
             # The dialects new revisions carry SQL for (one pair each), e.g. SQLite in\n\
             # development and PostgreSQL or SQL Server in production:\n\
             # dialects = [\"sqlite\", \"postgres\"]\n",
            dir.display().to_string().replace('\\', "/"),
            ctx.config.version_table
        );
        std::fs::write(&config_path, text).map_err(|source| migrate_core::Error::Io {
            path: config_path.clone(),
            source,
        })?;
        ctx.say(&format!("wrote {}", config_path.display()))?;
    }
    ctx.say("next: `revision --autogenerate -m \"initial\"`, then `upgrade`")?;
    Ok(exit::SUCCESS)
}
