//! Helpers shared by the workspace's integration tests: a throwaway project directory and a
//! way to run the CLI in-process against a chosen set of models.
//!
//! This library deliberately names no model crate: the binaries in `src/bin/` show what
//! linking does and does not register.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

pub mod server;

use migrate_cli::Models;
use migrate_core::registry::ModelDef;

/// A temporary project: a migrations directory and an SQLite database file.
#[derive(Debug)]
pub struct Project {
    dir: tempfile::TempDir,
}

/// What one CLI run produced.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Panics with the whole output unless the run exited with `code`.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Outcome {
        assert_eq!(
            self.code, code,
            "exit code {} (wanted {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

impl Default for Project {
    fn default() -> Self {
        Self::new()
    }
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn database(&self) -> PathBuf {
        self.dir.path().join("app.db")
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.database().display())
    }

    pub fn migrations(&self) -> PathBuf {
        self.dir.path().join("migrations")
    }

    /// Runs `migrate ARGS` in-process with exactly these models.
    pub fn run(&self, models: &[&'static ModelDef], args: &[&str]) -> Outcome {
        self.run_with_url(models, &self.database_url(), args)
    }

    /// Runs `migrate ARGS` in-process against another database URL.
    pub fn run_with_url(&self, models: &[&'static ModelDef], url: &str, args: &[&str]) -> Outcome {
        let url = url.to_owned();
        let migrations = self.migrations();
        let config = self.dir.path().join("migrate.toml");
        let mut argv: Vec<String> = vec![
            "migrate".into(),
            "--database-url".into(),
            url,
            "--migrations-dir".into(),
            migrations.display().to_string(),
            "--config".into(),
            config.display().to_string(),
            "--color".into(),
            "never".into(),
        ];
        argv.extend(args.iter().map(|a| (*a).to_owned()));
        if !config.exists() {
            std::fs::write(&config, "").unwrap();
        }
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = migrate_cli::run_with(
            argv,
            &Models::Given(models.to_vec()),
            &mut out,
            &mut err,
            false,
        );
        Outcome {
            code,
            stdout: String::from_utf8_lossy(&out).into_owned(),
            stderr: String::from_utf8_lossy(&err).into_owned(),
        }
    }

    /// The revision folders, oldest first.
    pub fn revisions(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(self.migrations())
            .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        dirs.retain(|d| d.is_dir());
        dirs.sort();
        dirs
    }

    /// The newest revision's up.sql and down.sql.
    pub fn last_revision_sql(&self) -> (String, String) {
        let dir = self.revisions().pop().expect("a revision");
        (
            std::fs::read_to_string(dir.join("up.sql")).unwrap(),
            std::fs::read_to_string(dir.join("down.sql")).unwrap(),
        )
    }
}
