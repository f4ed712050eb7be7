//! Counts the statements introspection sends for a database of 10 and of 500 tables, on each
//! backend given: the count must not grow with the tables (one catalog query per kind of
//! object). Each server gets a scratch database of its own, dropped afterwards.
//!
//! ```sh
//! cargo run --release -p bench --features servers --bin catalog_queries -- \
//!     --postgres postgres://postgres@127.0.0.1:5432/postgres \
//!     --mysql mysql://root@127.0.0.1:3306/test
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use migrate_core::db::{Connection, DatabaseUrl};

#[derive(Debug, Parser)]
struct Args {
    /// The table counts to compare.
    #[arg(long, value_delimiter = ',', default_values_t = [10, 500])]
    tables: Vec<usize>,

    /// A PostgreSQL server URL (its database is only connected to, to create a scratch one).
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,

    /// A MySQL or MariaDB server URL, used the same way.
    #[arg(long, value_name = "URL")]
    mysql: Option<String>,
}

fn main() -> ExitCode {
    bench::exit_code(run(&Args::parse()))
}

fn run(args: &Args) -> Result<bool, String> {
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut servers: Vec<(&str, Option<DatabaseUrl>)> = vec![("SQLite", None)];
    for (label, url) in [("PostgreSQL", &args.postgres), ("MySQL", &args.mysql)] {
        if let Some(url) = url {
            servers.push((
                label,
                Some(DatabaseUrl::parse(url).map_err(|e| e.to_string())?),
            ));
        }
    }
    println!("| backend | tables | statements | introspection |");
    println!("| --- | --- | --- | --- |");
    let mut constant = true;
    for (label, server) in &servers {
        let mut counts = Vec::new();
        for &tables in &args.tables {
            let name = format!("migrate_bench_catalog_{tables}");
            let url = match server {
                None => DatabaseUrl::sqlite(scratch.path().join(format!("{name}.db"))),
                Some(server) => {
                    let mut admin = connect(server)?;
                    recreate(&mut admin, &name)?;
                    server.with_database(&name).map_err(|e| e.to_string())?
                }
            };
            let mut conn = connect(&url)?;
            conn.batch_execute(&schema_sql(tables))
                .map_err(|e| format!("{label}: creating {tables} tables: {e}"))?;
            let counter = conn.count_statements();
            let started = Instant::now();
            let schema = conn
                .introspect("migrate_versions")
                .map_err(|e| e.to_string())?;
            let elapsed = started.elapsed();
            let statements = counter.get();
            drop(conn);
            if schema.tables.len() != tables {
                return Err(format!(
                    "{label}: introspection found {} tables, {tables} were created",
                    schema.tables.len()
                ));
            }
            println!(
                "| {label} | {tables} | {statements} | {:.1} ms |",
                elapsed.as_secs_f64() * 1000.0
            );
            counts.push(statements);
            if let Some(server) = server {
                connect(server)?
                    .batch_execute(&format!("DROP DATABASE {name}"))
                    .map_err(|e| e.to_string())?;
            }
        }
        if counts.windows(2).any(|pair| pair[0] != pair[1]) {
            eprintln!("{label}: the statement count grows with the tables: {counts:?}");
            constant = false;
        }
    }
    Ok(constant)
}

fn connect(url: &DatabaseUrl) -> Result<Connection, String> {
    Connection::establish(url).map_err(|e| e.to_string())
}

fn recreate(admin: &mut Connection, name: &str) -> Result<(), String> {
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .and_then(|()| admin.batch_execute(&format!("CREATE DATABASE {name}")))
        .map_err(|e| e.to_string())
}

/// `tables` tables in portable SQL, each with a key, a text column with a default, a
/// foreign key to the one before, a check and an index: every kind of object introspection
/// reads.
fn schema_sql(tables: usize) -> String {
    let mut sql = String::new();
    for i in 0..tables {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(", FOREIGN KEY (parent_id) REFERENCES t_{} (id)", i - 1)
        };
        sql.push_str(&format!(
            "CREATE TABLE t_{i} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL DEFAULT 'x', \
             parent_id INTEGER, CONSTRAINT ck_t_{i}_parent CHECK (parent_id > 0){parent});\n\
             CREATE INDEX ix_t_{i}_name ON t_{i} (name);\n"
        ));
    }
    sql
}
