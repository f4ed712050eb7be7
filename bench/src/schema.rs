//! One generated schema written three ways: `#[derive(Model)]` structs in a cargo workspace
//! for this tool, SQLAlchemy declarative classes in an Alembic project for Alembic. Table
//! `table_N` has a key, a foreign key to table N-1, a bounded text, an integer, a timestamp
//! and a nullable text, and an index on the foreign key.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Writes `path`, creating its directory.
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A cargo workspace at `root` whose library crate `models` defines `tables` models, with
/// this repository's lock file (so nothing is resolved again) and a `migrate.toml`.
pub fn rust_workspace(root: &Path, repo: &Path, tables: usize) -> Result<(), String> {
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"models\"]\n",
    )?;
    std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    let core = format!("{:?}", repo.join("migrate-core").display().to_string());
    write(
        &root.join("models/Cargo.toml"),
        &format!(
            "[package]\nname = \"models\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nmigrate-core = {{ path = {core} }}\nchrono = \"0.4\"\n"
        ),
    )?;
    let mut source = String::new();
    for i in 0..tables {
        let _ = writeln!(source, "#[derive(Debug, migrate_core::Model)]");
        let _ = writeln!(
            source,
            "#[model(table = \"table_{i}\", diesel_schema = false, index(columns(parent_id)))]"
        );
        let _ = writeln!(source, "pub struct Model{i} {{\n    pub id: i64,");
        if i > 0 {
            let _ = writeln!(source, "    #[model(references(Model{}))]", i - 1);
        }
        let _ = writeln!(
            source,
            "    pub parent_id: i64,\n    #[model(max_length = 100)]\n    pub name: String,\n    \
             pub hits: i32,\n    pub created_at: chrono::NaiveDateTime,\n    \
             pub note: Option<String>,\n}}\n"
        );
    }
    write(&root.join("models/src/lib.rs"), &source)?;
    write(
        &root.join("migrate.toml"),
        "migrations_dir = \"migrations\"\n",
    )
}

/// An Alembic project at `root` (`alembic init`, then `env.py` pointed at the models) for
/// the same tables.
pub fn alembic_project(root: &Path, alembic: &Path, tables: usize) -> Result<(), String> {
    std::fs::create_dir_all(root).map_err(|e| e.to_string())?;
    let out = Command::new(alembic)
        .args(["init", "alembic"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("running {}: {e}", alembic.display()))?;
    if !out.status.success() {
        return Err(format!(
            "alembic init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut models = String::from(
        "from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Index, Integer, \
         String, Text\nfrom sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n\n",
    );
    for i in 0..tables {
        let parent = if i > 0 {
            format!("BigInteger, ForeignKey(\"table_{}.id\"), ", i - 1)
        } else {
            "BigInteger, ".to_owned()
        };
        let _ = writeln!(
            models,
            "class Model{i}(Base):\n    __tablename__ = \"table_{i}\"\n    \
             id = Column(BigInteger, primary_key=True)\n    \
             parent_id = Column({parent}nullable=False, index=True)\n    \
             name = Column(String(100), nullable=False)\n    \
             hits = Column(Integer, nullable=False)\n    \
             created_at = Column(DateTime, nullable=False)\n    \
             note = Column(Text, nullable=True)\n"
        );
    }
    write(&root.join("models.py"), &models)?;
    let env_py = root.join("alembic/env.py");
    let env = std::fs::read_to_string(&env_py).map_err(|e| e.to_string())?;
    let env = env.replace(
        "target_metadata = None",
        "import os, sys\nsys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))\n\
         from models import Base\ntarget_metadata = Base.metadata\n\
         config.set_main_option(\"sqlalchemy.url\", os.environ[\"ALEMBIC_URL\"])",
    );
    write(&env_py, &env)
}
