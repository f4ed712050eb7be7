//! The blog as a service: the migrations are compiled in, so the binary is all a container
//! needs. At start-up it upgrades the database (any number of copies may start at once),
//! then answers `GET /` with `ready` until stopped.
//!
//! `blog-service` serves; `blog-service migrate <command>` runs the migration commands
//! against the embedded history (e.g. `blog-service migrate current --check-heads` as a
//! readiness probe).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;

use migrate_core::revision::EmbeddedMigrations;
use migrate_core::startup::{self, FreshDatabase, StartupOptions};

// Linking the models crate registers its models (used by `--baseline` and `migrate check`).
use blog as _;

static MIGRATIONS: EmbeddedMigrations = migrate_embed::embed_migrations!("../blog/migrations");

const USAGE: &str = "usage: blog-service [--baseline] [--listen ADDR] [--exit-when-ready]
       blog-service migrate <command> [options]   (see `blog-service migrate --help`)

  DATABASE_URL        the database (default: the SQLite file blog.db)
  --baseline          on an empty database, create the tables from the models and record
                      the history as applied instead of running every revision
  --listen ADDR       where to answer GET / (default 127.0.0.1:8080)
  --exit-when-ready   upgrade, print `ready`, and exit (for scripts and tests)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("migrate") {
        let code = migrate_cli::run_embedded(&MIGRATIONS, args[1..].iter().cloned());
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match serve(&args[1..]) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            log::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &[String]) -> Result<(), String> {
    let mut options = StartupOptions::default();
    let mut listen = "127.0.0.1:8080".to_owned();
    let mut exit_when_ready = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--baseline" => options.fresh = FreshDatabase::CreateFromModels,
            "--exit-when-ready" => exit_when_ready = true,
            "--listen" => {
                listen = rest
                    .next()
                    .ok_or_else(|| format!("--listen needs an address\n{USAGE}"))?
                    .clone();
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://blog.db".to_owned());
    let report = startup::upgrade_on_start(&url, &MIGRATIONS, &options)
        .map_err(|e| format!("start-up upgrade failed: {e}"))?;
    log::info!(
        "ready: {} applied, {} adopted, {} baselined, waited {} ms for the lock",
        report.applied.len(),
        report.adopted.len(),
        report.baselined.len(),
        report.lock_waited.as_millis()
    );
    println!("ready");
    if exit_when_ready {
        return Ok(());
    }
    let listener = TcpListener::bind(&listen).map_err(|e| format!("listening on {listen}: {e}"))?;
    log::info!("answering on http://{listen}/");
    for stream in listener.incoming().flatten() {
        answer(stream);
    }
    Ok(())
}

/// Answers one request with `ready`; a client that goes away is not an error.
fn answer(mut stream: TcpStream) {
    let mut request_line = String::new();
    if BufReader::new(&stream)
        .read_line(&mut request_line)
        .is_err()
    {
        return;
    }
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nready\n");
}
