//! `man [COMMAND]`: the manual page (roff, section 1) of the program or of one command, from
//! the same definitions as `--help`.

use clap::{Args, CommandFactory};

use crate::cli::Cli;
use crate::error::{exit, CliError};

use super::Ctx;

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (e.g. `upgrade`); default: the program's page, which
    /// lists every command.
    command: Option<String>,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &ManArgs) -> Result<i32, CliError> {
    let program = Cli::command();
    let page_of = match &args.command {
        None => program,
        Some(name) => {
            let Some(sub) = program.find_subcommand(name).cloned() else {
                let names: Vec<&str> = program.get_subcommands().map(|c| c.get_name()).collect();
                return Err(CliError::Refused(format!(
                    "no command `{name}`; the commands are: {}",
                    names.join(", ")
                )));
            };
            // `migrate-upgrade(1)`, as `git-commit(1)` is named.
            let title = format!("{}-{}", program.get_name(), sub.get_name());
            sub.name(title)
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(page_of).render(&mut page)?;
    ctx.out.write_raw(&page)?;
    Ok(exit::SUCCESS)
}
