//! Clean build time of a crate with many models, three ways: `#[derive(Model)]` writing the
//! diesel schema (no `schema.rs`), `#[derive(Model)]` with `diesel_schema = false` beside a
//! `schema.rs` as `diesel print-schema` writes it, and plain diesel (that `schema.rs` and
//! diesel's derives, no models). Every variant derives the same diesel traits on the same
//! structs; the dependencies are built first, so only the crate itself is timed.
//!
//! ```sh
//! cargo run --release -p bench --bin build_time -- --models 500 --runs 3
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Debug, Parser)]
struct Args {
    /// How many models (tables) the generated crate has.
    #[arg(long, default_value_t = 500)]
    models: usize,

    /// How many timed clean builds per variant (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,

    /// The most the model derive may add to the plain-diesel build, in percent; the run exits
    /// non-zero above it.
    #[arg(long, default_value_t = 20.0)]
    goal: f64,

    /// Keep the generated workspace in this directory (created) instead of a temporary one.
    #[arg(long)]
    keep: Option<PathBuf>,
}

/// How a variant spells its tables.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Variant {
    /// `#[derive(Model)]` writes `table!` and the joins.
    DeriveSchema,
    /// `#[derive(Model)]` with `diesel_schema = false`, and a `schema.rs`.
    DeriveWithSchemaRs,
    /// A `schema.rs` and diesel's derives only.
    DieselOnly,
}

impl Variant {
    const ALL: [Variant; 3] = [
        Variant::DeriveSchema,
        Variant::DeriveWithSchemaRs,
        Variant::DieselOnly,
    ];

    fn package(self) -> &'static str {
        match self {
            Variant::DeriveSchema => "derive_schema",
            Variant::DeriveWithSchemaRs => "derive_with_schema_rs",
            Variant::DieselOnly => "diesel_only",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Variant::DeriveSchema => "`#[derive(Model)]` writes the diesel schema",
            Variant::DeriveWithSchemaRs => "`#[derive(Model)]` + print-schema `schema.rs`",
            Variant::DieselOnly => "plain diesel: print-schema `schema.rs` + diesel derives",
        }
    }
}

fn main() -> ExitCode {
    bench::exit_code(run(&Args::parse()))
}

fn run(args: &Args) -> Result<bool, String> {
    let temp;
    let root = match &args.keep {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir().map_err(|e| e.to_string())?;
            temp.path().to_owned()
        }
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("the bench crate has no parent directory")?
        .to_owned();
    generate(&root, &repo, args.models)?;

    let mut medians = Vec::new();
    for variant in Variant::ALL {
        // Built alone once, untimed: each package alone unifies its dependencies' features
        // its own way, so only the timed builds' own crate is compiled below.
        eprintln!("{}: building its dependencies…", variant.package());
        cargo(&root, &["build", "-p", variant.package()])?;
        let mut times = Vec::with_capacity(args.runs);
        for run in 1..=args.runs {
            cargo(&root, &["clean", "-p", variant.package()])?;
            let started = Instant::now();
            cargo(&root, &["build", "-p", variant.package()])?;
            let took = started.elapsed();
            eprintln!(
                "{} run {run}: {:.1} s",
                variant.package(),
                took.as_secs_f64()
            );
            times.push(took);
        }
        times.sort();
        medians.push((
            variant,
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
        ));
    }

    let diesel_only = medians
        .iter()
        .find(|(v, ..)| *v == Variant::DieselOnly)
        .map(|(_, median, ..)| median.as_secs_f64())
        .ok_or("no plain-diesel timing")?;
    println!(
        "| {} models, clean build of the crate (debug) | median | min | max | vs plain diesel |",
        args.models
    );
    println!("| --- | --- | --- | --- | --- |");
    let mut within_goal = true;
    for (variant, median, min, max) in &medians {
        let extra = (median.as_secs_f64() / diesel_only - 1.0) * 100.0;
        if *variant == Variant::DeriveSchema && extra > args.goal {
            within_goal = false;
        }
        println!(
            "| {} | {} | {} | {} | {extra:+.0} % |",
            variant.label(),
            seconds(*median),
            seconds(*min),
            seconds(*max)
        );
    }
    if !within_goal {
        eprintln!(
            "the derive adds more than {} % to the plain-diesel build",
            args.goal
        );
    }
    Ok(within_goal)
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .arg("-q")
        .current_dir(dir)
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The workspace: one crate per variant, the same models in each.
fn generate(root: &Path, repo: &Path, models: usize) -> Result<(), String> {
    let members: Vec<String> = Variant::ALL
        .iter()
        .map(|v| format!("{:?}", v.package()))
        .collect();
    write(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )?;
    std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    let core = format!("{:?}", repo.join("migrate-core").display().to_string());
    for variant in Variant::ALL {
        let dir = root.join(variant.package());
        let migrate = if variant == Variant::DieselOnly {
            String::new()
        } else {
            format!("migrate-core = {{ path = {core} }}\n")
        };
        write(
            &dir.join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                 [dependencies]\n{migrate}diesel = {{ version = \"2.3\", default-features = false, \
                 features = [\"sqlite\", \"chrono\", \"32-column-tables\"] }}\nchrono = \"0.4\"\n",
                variant.package()
            ),
        )?;
        write(&dir.join("src/lib.rs"), &crate_source(variant, models))?;
    }
    Ok(())
}

fn crate_source(variant: Variant, models: usize) -> String {
    let mut out = String::from("#![allow(dead_code)]\nuse diesel::prelude::*;\n\n");
    if variant != Variant::DeriveSchema {
        out.push_str(&schema_rs(models));
    }
    for i in 0..models {
        model(&mut out, variant, i);
    }
    out
}

/// What `diesel print-schema` writes for the tables: `table!`, `joinable!` per foreign key.
/// (It also writes one `allow_tables_to_appear_in_same_query!` naming every table, a
/// quadratic number of impls; no variant has it, so the comparison is of the per-table cost.)
fn schema_rs(models: usize) -> String {
    let mut out = String::new();
    for i in 0..models {
        let _ = writeln!(
            out,
            "diesel::table! {{\n    table_{i} (id) {{\n        id -> BigInt,\n        \
             parent_id -> BigInt,\n        name -> Text,\n        hits -> Integer,\n        \
             created_at -> Timestamp,\n        note -> Nullable<Text>,\n    }}\n}}\n"
        );
    }
    for i in 1..models {
        let _ = writeln!(
            out,
            "diesel::joinable!(table_{i} -> table_{} (parent_id));",
            i - 1
        );
    }
    out.push('\n');
    out
}

fn model(out: &mut String, variant: Variant, i: usize) {
    let derives = if variant == Variant::DieselOnly {
        "Debug, Queryable, Selectable, Insertable"
    } else {
        "Debug, migrate_core::Model, Queryable, Selectable, Insertable"
    };
    let _ = writeln!(out, "#[derive({derives})]");
    let _ = writeln!(
        out,
        "#[diesel(table_name = table_{i}, check_for_backend(diesel::sqlite::Sqlite))]"
    );
    match variant {
        Variant::DeriveSchema => {
            let _ = writeln!(out, "#[model(table = \"table_{i}\")]");
        }
        Variant::DeriveWithSchemaRs => {
            let _ = writeln!(
                out,
                "#[model(table = \"table_{i}\", diesel_schema = false)]"
            );
        }
        Variant::DieselOnly => {}
    }
    let _ = writeln!(out, "pub struct Model{i} {{");
    let _ = writeln!(out, "    pub id: i64,");
    if variant != Variant::DieselOnly && i > 0 {
        let _ = writeln!(out, "    #[model(references(Model{}))]", i - 1);
    }
    let _ = writeln!(out, "    pub parent_id: i64,");
    if variant != Variant::DieselOnly {
        let _ = writeln!(out, "    #[model(max_length = 100)]");
    }
    let _ = writeln!(out, "    pub name: String,");
    let _ = writeln!(out, "    pub hits: i32,");
    let _ = writeln!(out, "    pub created_at: chrono::NaiveDateTime,");
    let _ = writeln!(out, "    pub note: Option<String>,");
    let _ = writeln!(out, "}}\n");
}
