//! What the bench binaries share.

pub mod schema;

use std::path::Path;
use std::process::ExitCode;

use migrate_core::revision::{NewRevision, RevisionWriter};

/// The exit code for a run's outcome: success when every goal was met, failure when one was
/// missed (`Ok(false)`) or the run could not finish (the error printed).
pub fn exit_code(outcome: Result<bool, String>) -> ExitCode {
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The up SQL of the generated history's revision `n`: one small table.
pub fn create_table_sql(n: usize) -> String {
    format!("CREATE TABLE t{n:06} (id INTEGER PRIMARY KEY);\n")
}

/// A linear history of `count` revisions for `dialect`: each creates one small table
/// ([`create_table_sql`]) and its down drops it.
pub fn generate_history(dir: &Path, count: usize, dialect: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let mut writer = RevisionWriter::open(dir).map_err(|e| e.to_string())?;
    let mut parent: Option<String> = None;
    for n in 0..count {
        let id = format!("r{n:06}");
        let message = format!("step {n}");
        let revision = writer
            .write(NewRevision {
                id: Some(id.clone()),
                parents: parent.iter().cloned().collect(),
                message: &message,
                dialect,
                up_sql: create_table_sql(n),
                down_sql: format!("DROP TABLE t{n:06};\n"),
                extra: vec![],
                branch_labels: vec![],
                run_in_transaction: true,
                timeouts: Default::default(),
            })
            .map_err(|e| e.to_string())?;
        parent = Some(revision.id);
    }
    Ok(())
}

/// The median of `times` (sorted in place); zero when empty.
pub fn median(times: &mut [std::time::Duration]) -> std::time::Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// The migrate binary to time: `given`, else `migrate-cli` next to the running bench binary;
/// an error saying how to build it when it is missing.
pub fn migrate_binary(given: Option<&Path>) -> Result<std::path::PathBuf, String> {
    let migrate = match given {
        Some(path) => path.to_owned(),
        None => std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name(format!("migrate-cli{}", std::env::consts::EXE_SUFFIX)),
    };
    if !migrate.exists() {
        return Err(format!(
            "{} not found: build it first with `cargo build --release -p migrate-cli`",
            migrate.display()
        ));
    }
    Ok(migrate)
}

/// Runs `command` to completion and returns its wall time; an error with its stderr when it
/// fails.
pub fn timed(command: &mut std::process::Command) -> Result<std::time::Duration, String> {
    let started = std::time::Instant::now();
    let out = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    let elapsed = started.elapsed();
    if !out.status.success() {
        return Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(elapsed)
}

/// Runs one SQL command with `psql` against `url`.
pub fn psql(url: &str, sql: &str) -> Result<(), String> {
    timed(std::process::Command::new("psql").args(["-X", "-q", "-c", sql, url])).map(drop)
}

/// `url` with its database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> Result<String, String> {
    let mut parsed = url::Url::parse(url).map_err(|e| format!("{url}: {e}"))?;
    parsed.set_path(name);
    Ok(parsed.to_string())
}
