//! This tool and Alembic side by side on the same generated schema (N tables), in one run:
//! `check` at head and a no-op autogenerate, each tool on a database of its own that it
//! brought to head itself. Our side is the stock `migrate-cli` binary run inside a cargo
//! workspace, as a user runs it (it finds the model crate, links it into a small binary and
//! runs the command there). Alembic comes from `bench/peers/setup.sh`; without it, only our
//! side is printed.
//!
//! ```sh
//! cargo build --release -p migrate-cli -p bench
//! bench/peers/setup.sh            # optional: Alembic from PyPI, under target/bench-peers
//! ./target/release/versus --tables 500 \
//!     --postgres postgres://postgres@127.0.0.1:5432/postgres
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use bench::schema;
use clap::Parser;

#[derive(Debug, Parser)]
struct Args {
    /// How many tables the schema has.
    #[arg(long, default_value_t = 500)]
    tables: usize,

    /// Timed runs per command and tool (the median is reported).
    #[arg(long, default_value_t = 7)]
    runs: usize,

    /// A PostgreSQL server URL: scratch databases are created there (and dropped).
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,

    /// The goal: Alembic's median at least this many times ours, for every command.
    #[arg(long, default_value_t = 50.0)]
    goal: f64,

    /// The `alembic` executable. Default: the one `bench/peers/setup.sh` installs.
    #[arg(long)]
    alembic: Option<PathBuf>,

    /// The migrate binary. Default: `migrate-cli` next to this binary.
    #[arg(long)]
    migrate: Option<PathBuf>,

    /// Where the generated projects go (kept, so that a second run reuses the model build).
    /// Default: target/bench-versus in this repository.
    #[arg(long)]
    dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    bench::exit_code(run(&Args::parse()))
}

/// One backend the comparison runs on.
struct Backend {
    label: &'static str,
    /// The server the scratch databases are created on (none for SQLite).
    server: Option<String>,
    /// The database URL for each tool's own database.
    ours: String,
    alembic_url: String,
}

fn run(args: &Args) -> Result<bool, String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("the bench crate has no parent directory")?
        .to_owned();
    let migrate = bench::migrate_binary(args.migrate.as_deref())?;
    let root = args
        .dir
        .clone()
        .unwrap_or_else(|| repo.join("target/bench-versus"));
    let alembic = args
        .alembic
        .clone()
        .unwrap_or_else(|| repo.join("target/bench-peers/venv/bin/alembic"));
    let alembic = alembic.exists().then_some(alembic);
    if alembic.is_none() {
        eprintln!("Alembic not found (bench/peers/setup.sh installs it): our side only");
    }

    let workspace = root.join(format!("workspace-{}", args.tables));
    schema::rust_workspace(&workspace, &repo, args.tables)?;
    let alembic_dir = root.join(format!("alembic-{}", args.tables));
    if let Some(alembic) = &alembic {
        if !alembic_dir.join("models.py").exists() {
            schema::alembic_project(&alembic_dir, alembic, args.tables)?;
        }
    }
    eprintln!("building the models (once; later runs reuse the build)…");
    let ours = Ours {
        binary: &migrate,
        dir: &workspace,
    };
    ours.run("sqlite://warm.db", &["models"])?;

    let mut backends = vec![Backend {
        label: "SQLite",
        server: None,
        ours: "sqlite://ours.db".to_owned(),
        alembic_url: format!("sqlite:///{}", alembic_dir.join("alembic.db").display()),
    }];
    if let Some(server) = &args.postgres {
        backends.push(Backend {
            label: "PostgreSQL",
            server: Some(server.clone()),
            ours: bench::with_database(server, "migrate_bench_versus_ours")?,
            alembic_url: bench::with_database(server, "migrate_bench_versus_alembic")?.replacen(
                "postgres://",
                "postgresql+psycopg2://",
                1,
            ),
        });
    }

    println!(
        "| {} tables | backend | migrate (median) | Alembic (median) | Alembic / migrate |",
        args.tables
    );
    println!("| --- | --- | --- | --- | --- |");
    let mut within_goal = true;
    for backend in &backends {
        reset(backend, &workspace, &alembic_dir)?;
        ours.run(&backend.ours, &["revision", "--autogenerate", "-m", "init"])?;
        ours.run(&backend.ours, &["upgrade", "head"])?;
        if let Some(alembic) = &alembic {
            let tool = Alembic {
                binary: alembic,
                dir: &alembic_dir,
                url: &backend.alembic_url,
            };
            tool.run(&["revision", "--autogenerate", "-m", "init"])?;
            tool.run(&["upgrade", "head"])?;
        }
        let scenarios: [(&str, &[&str], &[&str]); 2] = [
            ("`check` at head", &["check"], &["check"]),
            (
                "no-op autogenerate",
                &["revision", "--autogenerate", "-m", "noop"],
                &["revision", "--autogenerate", "-m", "noop"],
            ),
        ];
        for (label, our_args, their_args) in scenarios {
            // Each tool's runs back to back: a 3-second Python process just before would
            // leave a 50 ms one colder caches than it has in daily use.
            let mut mine = Vec::with_capacity(args.runs);
            let mut theirs = Vec::with_capacity(args.runs);
            for _ in 0..args.runs {
                mine.push(ours.run(&backend.ours, our_args)?);
            }
            if let Some(alembic) = &alembic {
                let tool = Alembic {
                    binary: alembic,
                    dir: &alembic_dir,
                    url: &backend.alembic_url,
                };
                for _ in 0..args.runs {
                    theirs.push(tool.run(their_args)?);
                    tool.forget_noop_revisions()?;
                }
            }
            let mine = bench::median(&mut mine);
            let (theirs_text, ratio_text) = if theirs.is_empty() {
                ("-".to_owned(), "-".to_owned())
            } else {
                let theirs = bench::median(&mut theirs);
                let ratio = theirs.as_secs_f64() / mine.as_secs_f64();
                within_goal &= ratio >= args.goal;
                (seconds(theirs), format!("{ratio:.0}x"))
            };
            println!(
                "| {label} | {} | {} | {theirs_text} | {ratio_text} |",
                backend.label,
                seconds(mine)
            );
        }
    }
    if alembic.is_some() {
        println!(
            "goal: Alembic at least {:.0}x slower on every row",
            args.goal
        );
    }
    Ok(within_goal || alembic.is_none())
}

fn seconds(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// Both tools' databases empty and their migrations gone, for a backend's first step.
fn reset(backend: &Backend, workspace: &Path, alembic_dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(workspace.join("migrations"));
    std::fs::create_dir_all(workspace.join("migrations")).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(workspace.join("ours.db"));
    let versions = alembic_dir.join("alembic/versions");
    if versions.is_dir() {
        let _ = std::fs::remove_dir_all(&versions);
        std::fs::create_dir_all(&versions).map_err(|e| e.to_string())?;
    }
    let _ = std::fs::remove_file(alembic_dir.join("alembic.db"));
    if let Some(server) = &backend.server {
        for name in ["migrate_bench_versus_ours", "migrate_bench_versus_alembic"] {
            bench::psql(server, &format!("DROP DATABASE IF EXISTS {name}"))?;
            bench::psql(server, &format!("CREATE DATABASE {name}"))?;
        }
    }
    Ok(())
}

struct Ours<'a> {
    binary: &'a Path,
    dir: &'a Path,
}

impl Ours<'_> {
    fn run(&self, url: &str, args: &[&str]) -> Result<Duration, String> {
        bench::timed(
            Command::new(self.binary)
                .args(["--database-url", url, "--color", "never", "-q"])
                .args(args)
                .current_dir(self.dir)
                .env_remove("DATABASE_URL"),
        )
    }
}

struct Alembic<'a> {
    binary: &'a Path,
    dir: &'a Path,
    url: &'a str,
}

impl Alembic<'_> {
    fn run(&self, args: &[&str]) -> Result<Duration, String> {
        bench::timed(
            Command::new(self.binary)
                .args(args)
                .current_dir(self.dir)
                .env("ALEMBIC_URL", self.url),
        )
    }

    /// Alembic writes a revision file even when nothing changed: removed, so that every
    /// run starts at the same head.
    fn forget_noop_revisions(&self) -> Result<(), String> {
        let versions = self.dir.join("alembic/versions");
        for entry in std::fs::read_dir(&versions).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.to_string_lossy().ends_with("_noop.py") {
                std::fs::remove_file(&path).map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }
}
