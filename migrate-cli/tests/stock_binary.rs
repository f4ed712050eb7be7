//! The stock binary on a temporary Cargo workspace whose models are split over two library
//! crates: it finds and links both by itself, picks up a new model on the next run, and a
//! hand-written binary that links only one of them gets a `check` report naming the other.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Artifacts are kept between runs in the repository's own target directory, so only the
/// first run compiles the dependencies.
fn target_dir() -> PathBuf {
    repo().join("target").join("stock-binary-test")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn workspace() -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    let core = repo().join("migrate-core");
    let cli = repo().join("migrate-cli");
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"accounts\", \"billing\", \"app\"]\n",
    );
    std::fs::copy(repo().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    for name in ["accounts", "billing"] {
        write(
            &root.join(name).join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                 [dependencies]\nmigrate-core = {{ path = {:?} }}\n\
                 diesel = {{ version = \"2.3\", default-features = false, features = [\"sqlite\"] }}\n",
                core.display().to_string()
            ),
        );
    }
    write(
        &root.join("accounts/src/lib.rs"),
        "use migrate_core::Model;\n\n#[derive(Model)]\npub struct User {\n    pub id: i64,\n    pub email: String,\n}\n",
    );
    write(&root.join("billing/src/lib.rs"), "mod invoices;\n");
    write(
        &root.join("billing/src/invoices.rs"),
        "use migrate_core::Model;\n\n#[derive(Model)]\npub struct Invoice {\n    pub id: i64,\n    \
         #[model(references = \"users.id\")]\n    pub user_id: i64,\n}\n",
    );
    write(
        &root.join("app/Cargo.toml"),
        &format!(
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\naccounts = {{ path = \"../accounts\" }}\nbilling = {{ path = \"../billing\" }}\n\
             migrate-cli = {{ path = {:?} }}\n",
            cli.display().to_string()
        ),
    );
    // Links accounts only: billing's models are not registered in this binary.
    write(
        &root.join("app/src/main.rs"),
        "use accounts as _;\n\nfn main() {\n    migrate_cli::main()\n}\n",
    );
    ws
}

fn stock(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

/// Replaces the last `from` in the file with `to`; returns the original text.
fn text_with(path: &Path, from: &str, to: &str) -> String {
    let original = std::fs::read_to_string(path).unwrap();
    let at = original.rfind(from).unwrap();
    let changed = format!("{}{to}{}", &original[..at], &original[at + from.len()..]);
    std::fs::write(path, changed).unwrap();
    original
}

fn tables(out: &Output) -> Vec<String> {
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut names: Vec<String> = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["table"]["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_stock_binary_links_every_model_crate_and_sees_new_models() {
    let ws = workspace();
    let out = stock(ws.path(), &["models", "--format", "json"]);
    assert_eq!(tables(&out), ["invoices", "users"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"billing/src/invoices.rs"), "{files:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("linking the model crates accounts, billing"),
        "{stderr}"
    );

    // The workspace has its own Cargo.lock, as every application has. Once the shim is
    // built, a model command prints nothing from cargo and needs no registry (cargo is told
    // it is offline), and the shim's lock is left as it is.
    assert!(ws.path().join("Cargo.lock").exists());
    let shim_lock = target_dir().join("migrate-shim").join("Cargo.lock");
    let written = std::fs::metadata(&shim_lock).unwrap().modified().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
        .args(["models", "--format", "json"])
        .current_dir(ws.path())
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(tables(&out), ["invoices", "users"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for cargo_says in [
        "Compiling",
        "Finished",
        "Locking",
        "Updating",
        "Downloading",
        "Adding",
    ] {
        assert!(!stderr.contains(cargo_says), "nothing from cargo: {stderr}");
    }
    assert_eq!(
        std::fs::metadata(&shim_lock).unwrap().modified().unwrap(),
        written,
        "the shim's lock is not rewritten"
    );

    // A new model in one crate is there on the next run; only that crate and the shim rebuild.
    let invoices = ws.path().join("billing/src/invoices.rs");
    let mut text = std::fs::read_to_string(&invoices).unwrap();
    text.push_str("\n#[derive(Model)]\npub struct Refund {\n    pub id: i64,\n}\n");
    std::fs::write(&invoices, text).unwrap();
    let started = Instant::now();
    let out = stock(ws.path(), &["models", "--format", "json"]);
    eprintln!(
        "rebuild after a model change: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(tables(&out), ["invoices", "refunds", "users"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Compiling billing"), "{stderr}");
    assert!(
        !stderr.contains("Compiling accounts"),
        "only the changed crate rebuilds: {stderr}"
    );

    // A compile error in a model is shown as cargo shows it, and nothing runs.
    let broken = text_with(
        &invoices,
        "pub id: i64,\n}\n",
        "pub id: i64,\n    oops\n}\n",
    );
    let out = stock(ws.path(), &["models"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("billing/src/invoices.rs"), "{stderr}");
    assert!(
        stderr.contains("the model crates did not build"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    std::fs::write(&invoices, broken).unwrap();

    // Autogenerate through the stock binary, from a member's directory.
    let member = ws.path().join("accounts");
    assert!(stock(&member, &["init"]).status.success());
    let out = stock(&member, &["revision", "--autogenerate", "-m", "initial"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("create table refunds"), "{stdout}");
    assert!(stock(&member, &["upgrade"]).status.success());
    let out = stock(&member, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn check_names_models_whose_crate_is_not_linked() {
    let ws = workspace();
    let build = Command::new(env!("CARGO"))
        .args(["build", "-q", "-p", "app"])
        .current_dir(ws.path())
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    assert!(build.status.success(), "{build:?}");
    let app = |args: &[&str]| {
        Command::new(target_dir().join("debug").join("app"))
            .args(args)
            .current_dir(ws.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    assert!(app(&["init"]).status.success());
    // An empty database: `check` reads it and never creates one.
    std::fs::File::create(ws.path().join("dev.db")).unwrap();
    let out = Command::new(target_dir().join("debug").join("app"))
        .args(["check"])
        .current_dir(ws.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        stdout.contains("Invoice at billing/src/invoices.rs:4 (crate billing)"),
        "{stdout}"
    );
    assert!(stdout.contains("fix: add `use billing as _;`"), "{stdout}");
    assert!(!stdout.contains("User at"), "User is linked: {stdout}");
}

/// What can be checked without the models is checked before the model binary is built: a
/// missing migrations directory, and two heads for autogenerate.
#[test]
fn cheap_checks_come_before_the_build() {
    let ws = workspace();
    let target = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_migrate-cli"))
            .args(args)
            .current_dir(ws.path())
            .env("CARGO_TARGET_DIR", target.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    let out = run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("migrations does not exist"),
        "{out:?}"
    );
    for id in ["left1", "right1"] {
        let folder = ws
            .path()
            .join(format!("migrations/2026-01-0{}-000000_{id}", id.len()));
        write(
            &folder.join("metadata.toml"),
            &format!("run_in_transaction = true\nrevision = \"{id}\"\nparents = []\n"),
        );
        write(&folder.join("up.sql"), "");
        write(&folder.join("down.sql"), "");
    }
    let out = run(&["revision", "--autogenerate", "-m", "x"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("heads"),
        "{out:?}"
    );
    assert!(
        !target.path().join("migrate-shim").exists(),
        "the model binary was built before the refusal"
    );
}
