//! Where a command's words go, and how they look: colors decided once per run, `--quiet`
//! and `--verbose` applied in one place.

use std::io::Write;

use owo_colors::OwoColorize;

use crate::args::{ColorChoice, GlobalArgs};
use crate::error::CliError;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    pub fn new(choice: ColorChoice, terminal: bool) -> Style {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        Style { color }
    }

    fn paint(&self, text: &str, f: impl Fn(&str) -> String) -> String {
        if self.color {
            f(text)
        } else {
            text.to_owned()
        }
    }

    pub fn error(&self, text: &str) -> String {
        self.paint(text, |t| t.red().bold().to_string())
    }

    pub fn warning(&self, text: &str) -> String {
        self.paint(text, |t| t.yellow().bold().to_string())
    }

    pub fn good(&self, text: &str) -> String {
        self.paint(text, |t| t.green().to_string())
    }

    pub fn strong(&self, text: &str) -> String {
        self.paint(text, |t| t.bold().to_string())
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(text, |t| t.dimmed().to_string())
    }
}

/// The output streams of a run with their style and verbosity.
pub struct Output<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    pub style: Style,
    pub quiet: bool,
    pub verbose: bool,
}

impl<'a> Output<'a> {
    pub fn new(
        global: &GlobalArgs,
        style: Style,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Output<'a> {
        Output {
            out,
            err,
            style,
            quiet: global.quiet,
            verbose: global.verbose,
        }
    }

    /// A line of progress or commentary: suppressed by `--quiet`. Flushed at once, so a log
    /// read while a long run goes on shows how far it got.
    pub fn say(&mut self, line: &str) -> Result<(), CliError> {
        if !self.quiet {
            writeln!(self.out, "{line}")?;
            self.out.flush()?;
        }
        Ok(())
    }

    /// A line of the data asked for: always printed.
    pub fn print(&mut self, line: &str) -> Result<(), CliError> {
        writeln!(self.out, "{line}")?;
        Ok(())
    }

    /// Bytes of data as they are (a generated script).
    pub fn write_raw(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.out.write_all(bytes)?;
        Ok(())
    }

    pub fn warn(&mut self, line: &str) -> Result<(), CliError> {
        self.out.flush()?;
        writeln!(self.err, "{} {line}", self.style.warning("warning:"))?;
        Ok(())
    }

    /// A question on stderr, without a line break, flushed so it shows before the answer.
    pub fn prompt(&mut self, text: &str) -> Result<(), CliError> {
        self.out.flush()?;
        write!(self.err, "{text}")?;
        self.err.flush()?;
        Ok(())
    }

    /// A line of progress on the error stream, for commands whose output is one document
    /// (JSON): suppressed by `--quiet`.
    pub fn progress(&mut self, line: &str) -> Result<(), CliError> {
        if !self.quiet {
            self.out.flush()?;
            writeln!(self.err, "{line}")?;
        }
        Ok(())
    }

    /// A note about what the run uses, on the error stream so data output stays clean.
    pub fn note(&mut self, line: &str) -> Result<(), CliError> {
        self.out.flush()?;
        writeln!(self.err, "{} {line}", self.style.dim("note:"))?;
        Ok(())
    }
}
