//! `lint` on revisions as written: the pending ones by default, `--all`, named ones;
//! generated SQLite rebuilds read as rebuilds, hand-written drops as errors; exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use integration_tests::Project;
use migrate_core::registry::ModelDef;
use migrate_core::Model;

#[derive(Debug, Model)]
pub struct Gadget {
    pub id: i64,
    #[model(max_length = 40)]
    pub label: String,
}

/// `Gadget` with a wider label: on SQLite a rebuild of the table.
#[allow(dead_code)]
mod widened {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    pub struct Gadget {
        pub id: i64,
        #[model(max_length = 200)]
        pub label: String,
    }
}

fn models() -> Vec<&'static ModelDef> {
    vec![<Gadget as Model>::definition()]
}

#[test]
fn lint_reads_pending_revisions_and_names_what_loses_data() {
    let project = Project::new();
    std::fs::create_dir_all(project.migrations()).unwrap();
    let first = project
        .run(
            &models(),
            &[
                "revision",
                "--autogenerate",
                "-m",
                "gadgets",
                "--format",
                "json",
            ],
        )
        .expect_code(0)
        .stdout;
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    let first_id = first["id"].as_str().unwrap().to_owned();
    // Nothing applied and no database file: every revision is pending, and none is found
    // wanting; the file is not created.
    let out = project.run(&models(), &["lint"]).expect_code(0);
    assert!(
        out.stdout
            .contains("1 revision(s) linted for SQLite: 0 error(s), 0 warning(s)"),
        "{}",
        out.stdout
    );
    assert!(!project.database().exists(), "lint only reads");
    project.run(&models(), &["upgrade"]).expect_code(0);

    // A generated rebuild is a warning (its rows are copied), not a dropped table.
    let widened = vec![<widened::Gadget as Model>::definition()];
    project
        .run(&widened, &["revision", "--autogenerate", "-m", "wider"])
        .expect_code(0);
    let (up, _) = project.last_revision_sql();
    assert!(up.contains("DROP TABLE"), "a rebuild:\n{up}");
    let out = project.run(&widened, &["lint"]).expect_code(0);
    assert!(
        out.stdout.contains("warning: DROP TABLE")
            && out.stdout.contains("rebuilds `gadgets`")
            && out.stdout.contains("0 error(s), 1 warning(s)"),
        "{}",
        out.stdout
    );
    project.run(&widened, &["lint", "--strict"]).expect_code(3);

    // A hand-written revision that drops a column and empties a table.
    project
        .run(&widened, &["revision", "-m", "cleanup"])
        .expect_code(0);
    let cleanup = project.revisions().pop().unwrap();
    std::fs::write(
        cleanup.join("up.sql"),
        "ALTER TABLE gadgets DROP COLUMN label;\nDELETE FROM gadgets;\n",
    )
    .unwrap();
    let out = project.run(&widened, &["lint"]).expect_code(3);
    assert!(
        out.stdout
            .contains("error: ALTER TABLE gadgets DROP COLUMN label: drops column `gadgets.label` and its data")
            && out.stdout.contains("error: DELETE FROM gadgets: deletes every row")
            && out.stdout.contains("2 revision(s) linted for SQLite: 2 error(s), 1 warning(s)"),
        "{}",
        out.stdout
    );

    // Applied revisions are left out by default, included with --all or by name.
    project.run(&widened, &["upgrade", "+1"]).expect_code(0);
    let out = project.run(&widened, &["lint"]).expect_code(3);
    assert!(
        out.stdout.contains("1 revision(s) linted"),
        "{}",
        out.stdout
    );
    let out = project.run(&widened, &["lint", "--all"]).expect_code(3);
    assert!(
        out.stdout.contains("3 revision(s) linted"),
        "{}",
        out.stdout
    );
    let out = project.run(&widened, &["lint", &first_id]).expect_code(0);
    assert!(
        out.stdout.contains("1 revision(s) linted"),
        "{}",
        out.stdout
    );
    project
        .run(&widened, &["lint", "nosuchrevision"])
        .expect_code(1);
}
