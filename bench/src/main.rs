//! Times the stock `migrate` binary as whole processes (start-up included) on a generated
//! linear history, and prints the medians as a table.
//!
//! ```sh
//! cargo build --release -p migrate-cli
//! cargo run --release -p bench -- --revisions 10000
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Debug, Parser)]
struct Args {
    /// How many revisions the generated history has.
    #[arg(long, default_value_t = 10_000)]
    revisions: usize,

    /// How many timed runs per command (the median is reported).
    #[arg(long, default_value_t = 7)]
    runs: usize,

    /// The migrate binary to time. Default: `migrate-cli` next to this binary.
    #[arg(long)]
    migrate: Option<PathBuf>,

    /// The goal for each median, in seconds; the run exits non-zero when one is over it.
    #[arg(long, default_value_t = 0.2)]
    goal: f64,

    /// Keep the generated project in this directory (created) instead of a temporary one.
    #[arg(long)]
    keep: Option<PathBuf>,
}

fn main() -> ExitCode {
    bench::exit_code(run(&Args::parse()))
}

fn run(args: &Args) -> Result<bool, String> {
    let migrate = bench::migrate_binary(args.migrate.as_deref())?;
    let temporary = tempfile::tempdir().map_err(|e| e.to_string())?;
    let project_dir = args
        .keep
        .clone()
        .unwrap_or_else(|| temporary.path().to_owned());
    eprintln!(
        "generating a linear history of {} revisions…",
        args.revisions
    );
    let started = Instant::now();
    bench::generate_history(&project_dir.join("migrations"), args.revisions, "sqlite")?;
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());

    let cli = Cli {
        binary: &migrate,
        dir: &project_dir,
    };
    eprintln!("applying it once…");
    let applied = cli.time(&["upgrade", "head"])?;
    eprintln!("applied in {:.1} s", applied.as_secs_f64());

    let commands: [&[&str]; 4] = [&["current"], &["heads"], &["history"], &["upgrade", "head"]];
    println!(
        "| command ({} revisions, SQLite) | median | min | max |",
        args.revisions
    );
    println!("| --- | --- | --- | --- |");
    let mut within_goal = true;
    for command in commands {
        let mut times = Vec::with_capacity(args.runs);
        for _ in 0..args.runs {
            times.push(cli.time(command)?);
        }
        times.sort();
        let median = times[times.len() / 2];
        within_goal &= median.as_secs_f64() <= args.goal;
        println!(
            "| `{}` | {} | {} | {} |",
            command.join(" "),
            ms(median),
            ms(times[0]),
            ms(times[times.len() - 1])
        );
    }
    // The floor of the commands that read the database: SQLite's own shell opening it (with
    // one table per revision, parsing its schema is most of that) and reading the version
    // table.
    let mut floor = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        let started = Instant::now();
        let ran = Command::new("sqlite3")
            .args(["bench.db", "SELECT count(*) FROM migrate_versions"])
            .current_dir(&project_dir)
            .output();
        match ran {
            Ok(out) if out.status.success() => floor.push(started.elapsed()),
            _ => break,
        }
    }
    if floor.len() == args.runs {
        floor.sort();
        println!(
            "| floor: `sqlite3 bench.db \"SELECT count(*) FROM migrate_versions\"` | {} | {} | {} |",
            ms(floor[floor.len() / 2]),
            ms(floor[0]),
            ms(floor[floor.len() - 1])
        );
    }
    println!("goal: every median under {:.0} ms", args.goal * 1000.0);
    Ok(within_goal)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

struct Cli<'a> {
    binary: &'a Path,
    dir: &'a Path,
}

impl Cli<'_> {
    /// Runs the command once and returns its wall time; output is discarded.
    fn time(&self, args: &[&str]) -> Result<Duration, String> {
        let started = Instant::now();
        let out = Command::new(self.binary)
            .args([
                "--database-url",
                "sqlite://bench.db",
                "--color",
                "never",
                "-q",
            ])
            .args(args)
            .current_dir(self.dir)
            .env_remove("DATABASE_URL")
            .output()
            .map_err(|e| e.to_string())?;
        let elapsed = started.elapsed();
        if !out.status.success() {
            return Err(format!(
                "`migrate {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(elapsed)
    }
}
