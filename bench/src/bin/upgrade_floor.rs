//! Upgrade of a long history on PostgreSQL from an empty database, against its floor: the
//! same statements fed to `psql` with one transaction per revision (`BEGIN; …; COMMIT;`),
//! which is what any runner that keeps a revision atomic must at least send. Each run gets a
//! fresh scratch database, dropped afterwards.
//!
//! ```sh
//! cargo build --release -p migrate-cli -p bench
//! ./target/release/upgrade_floor --postgres postgres://postgres@127.0.0.1:5432/postgres
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::Parser;

#[derive(Debug, Parser)]
struct Args {
    /// A PostgreSQL server URL; its database is only connected to, to create scratch ones.
    #[arg(long, value_name = "URL")]
    postgres: String,

    /// How many revisions the history has.
    #[arg(long, default_value_t = 1000)]
    revisions: usize,

    /// Timed runs of each side (the median is reported).
    #[arg(long, default_value_t = 7)]
    runs: usize,

    /// The goal: our median at most this many times the floor's.
    #[arg(long, default_value_t = 1.1)]
    goal: f64,

    /// The migrate binary to time. Default: `migrate-cli` next to this binary.
    #[arg(long)]
    migrate: Option<PathBuf>,
}

const SCRATCH: &str = "migrate_bench_upgrade";

fn main() -> ExitCode {
    bench::exit_code(run(&Args::parse()))
}

fn run(args: &Args) -> Result<bool, String> {
    let migrate = bench::migrate_binary(args.migrate.as_deref())?;
    let project = tempfile::tempdir().map_err(|e| e.to_string())?;
    bench::generate_history(
        &project.path().join("migrations"),
        args.revisions,
        "postgres",
    )?;
    let floor_sql = project.path().join("floor.sql");
    let script: String = (0..args.revisions)
        .map(|n| format!("BEGIN;\n{}COMMIT;\n", bench::create_table_sql(n)))
        .collect();
    std::fs::write(&floor_sql, script).map_err(|e| e.to_string())?;
    let scratch_url = bench::with_database(&args.postgres, SCRATCH)?;

    let mut ours = Vec::with_capacity(args.runs);
    let mut floor = Vec::with_capacity(args.runs);
    // Alternated, so that a slow moment of the machine hits both sides alike.
    for _ in 0..args.runs {
        recreate(&args.postgres)?;
        ours.push(bench::timed(
            Command::new(&migrate)
                .args(["--database-url", &scratch_url, "-q", "upgrade", "head"])
                .current_dir(project.path())
                .env_remove("DATABASE_URL"),
        )?);
        recreate(&args.postgres)?;
        floor.push(bench::timed(Command::new("psql").args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            path_text(&floor_sql)?,
            &scratch_url,
        ]))?);
    }
    bench::psql(
        &args.postgres,
        &format!("DROP DATABASE IF EXISTS {SCRATCH}"),
    )?;
    let (ours, floor) = (bench::median(&mut ours), bench::median(&mut floor));
    let ratio = ours.as_secs_f64() / floor.as_secs_f64();
    println!(
        "| upgrade of {} revisions, PostgreSQL | median |",
        args.revisions
    );
    println!("| --- | --- |");
    println!("| migrate `upgrade head` | {:.3} s |", ours.as_secs_f64());
    println!(
        "| floor: psql, one transaction per revision | {:.3} s |",
        floor.as_secs_f64()
    );
    println!(
        "ratio: {ratio:.2}x the floor (goal: at most {:.2}x)",
        args.goal
    );
    Ok(ratio <= args.goal)
}

fn recreate(admin_url: &str) -> Result<(), String> {
    bench::psql(admin_url, &format!("DROP DATABASE IF EXISTS {SCRATCH}"))?;
    bench::psql(admin_url, &format!("CREATE DATABASE {SCRATCH}"))
}

fn path_text(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("{}: not UTF-8", path.display()))
}
