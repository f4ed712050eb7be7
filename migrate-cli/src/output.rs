//! Colors, decided once per run.

use owo_colors::OwoColorize;

use crate::cli::ColorChoice;

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
