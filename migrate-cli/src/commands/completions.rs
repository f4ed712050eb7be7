//! `completions SHELL`: the shell's completion script for every command and flag.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::{exit, CliError};

use super::Ctx;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    shell: Shell,
}

pub(crate) fn run(ctx: &mut Ctx<'_>, args: &CompletionsArgs) -> Result<i32, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "migrate", &mut script);
    ctx.out.write_raw(&script)?;
    Ok(exit::SUCCESS)
}
