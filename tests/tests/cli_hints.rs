//! Output that matches the situation: branch labels in `heads` and `history`, where the
//! database URL came from (`-v`), `init` leaving a given URL where it is, and `check` hints
//! for two heads and for a database built without migrations.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::Model;

use integration_tests::Project;

#[allow(dead_code)] // the struct is only a model: its fields are never read
mod models {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "notes")]
    pub struct Note {
        pub id: i64,
    }
}

#[test]
fn labels_url_source_and_init() {
    // `init` with DATABASE_URL set (as by .env): the file does not hide it.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unlinked-migrate"))
        .arg("init")
        .current_dir(dir.path())
        .env("DATABASE_URL", "postgres://app:secret@db.internal/app")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("database URL: taken from DATABASE_URL or --database-url"),
        "{said}"
    );
    let config = std::fs::read_to_string(dir.path().join("migrate.toml")).unwrap();
    assert!(
        !config.lines().any(|l| l.starts_with("database_url")),
        "{config}"
    );
    assert!(!config.contains("secret"), "{config}");

    let project = Project::new();
    project.run(&[], &["init"]).expect_code(0);
    project
        .run(&[], &["revision", "-m", "base", "--rev-id", "base1"])
        .expect_code(0);
    project
        .run(
            &[],
            &[
                "revision",
                "-m",
                "feature",
                "--rev-id",
                "feat1",
                "--branch-label",
                "feature",
            ],
        )
        .expect_code(0);
    let heads = project.run(&[], &["heads"]).expect_code(0);
    assert!(
        heads.stdout.contains("feat1 feature (head) [feature]"),
        "{}",
        heads.stdout
    );
    let history = project.run(&[], &["history"]).expect_code(0);
    assert!(
        history
            .stdout
            .contains("base1 -> feat1 (head) [feature], feature"),
        "{}",
        history.stdout
    );
    let verbose = project.run(&[], &["-v", "upgrade"]).expect_code(0);
    assert!(
        verbose.stderr.contains("(from --database-url)"),
        "{}",
        verbose.stderr
    );

    // Alembic's range forms, both ends included, relative to the database.
    let lines = |args: &[&str]| {
        let out = project.run(&[], args).expect_code(0);
        out.stdout.lines().map(str::to_owned).collect::<Vec<_>>()
    };
    let from_current = lines(&["history", "-r", "current:"]);
    assert_eq!(from_current.len(), 1, "{from_current:?}");
    assert!(from_current[0].contains("-> feat1"), "{from_current:?}");
    let one_back = lines(&["history", "-r", "-1:"]);
    assert_eq!(one_back.len(), 2, "{one_back:?}");
    let both_ends = lines(&["history", "-r", "base1:feat1"]);
    assert_eq!(both_ends.len(), 2, "{both_ends:?}");
}

#[test]
fn check_hints_match_the_situation() {
    let models = [models::Note::definition()];
    // Two heads pending: upgrade heads, or merge.
    let project = Project::new();
    project.run(&models, &["init"]).expect_code(0);
    project
        .run(
            &models,
            &[
                "revision",
                "--autogenerate",
                "-m",
                "notes",
                "--rev-id",
                "root1",
            ],
        )
        .expect_code(0);
    for id in ["left1", "right1"] {
        project
            .run(
                &models,
                &["revision", "-m", id, "--rev-id", id, "--head", "root1"],
            )
            .expect_code(0);
    }
    std::fs::File::create(project.database()).unwrap();
    let out = project.run(&models, &["check"]).expect_code(3);
    assert!(
        out.stdout.contains("run `upgrade heads`, or `merge`"),
        "{}",
        out.stdout
    );

    // The tables exist already, no revision recorded: stamp head.
    let built = Project::new();
    built.run(&models, &["init"]).expect_code(0);
    built
        .run(&models, &["revision", "--autogenerate", "-m", "notes"])
        .expect_code(0);
    let mut conn = migrate_core::db::Connection::establish(&migrate_core::db::DatabaseUrl::sqlite(
        built.database(),
    ))
    .unwrap();
    conn.batch_execute("CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT)")
        .unwrap();
    drop(conn);
    let out = built.run(&models, &["check"]).expect_code(3);
    assert!(
        out.stdout.contains("`stamp head` records that"),
        "{}",
        out.stdout
    );
}
