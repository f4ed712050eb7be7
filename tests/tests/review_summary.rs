//! What `revision --autogenerate` shows a reviewer: under each operation, a created table's
//! defaults, indexes, foreign keys (with their actions) and checks; `--dry-run` shows the
//! same and the SQL, and writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use integration_tests::Project;
use migrate_core::registry::ModelDef;
use migrate_core::Model;

#[derive(Debug, Model)]
pub struct Team {
    pub id: i64,
}

#[derive(Debug, Model)]
#[model(check(name = "ck_players_rating", expr = "rating >= 0"))]
pub struct Player {
    pub id: i64,
    #[model(references(Team), on_delete = "cascade")]
    pub team_id: i64,
    #[model(index, max_length = 40)]
    pub nick: String,
    #[model(default = 1000)]
    pub rating: i32,
}

/// `Player` with its rating narrowed. A table's description only: never built.
#[allow(dead_code)]
mod narrowed {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(check(name = "ck_players_rating", expr = "rating >= 0"))]
    pub struct Player {
        pub id: i64,
        #[model(references(super::Team), on_delete = "cascade")]
        pub team_id: i64,
        #[model(index, max_length = 40)]
        pub nick: String,
        #[model(default = 1000)]
        pub rating: i16,
    }
}

fn models() -> Vec<&'static ModelDef> {
    vec![
        <Team as Model>::definition(),
        <Player as Model>::definition(),
    ]
}

#[test]
fn the_summary_lists_what_a_reviewer_needs_and_dry_run_writes_nothing() {
    let project = Project::new();
    std::fs::create_dir_all(project.migrations()).unwrap();
    let out = project
        .run(
            &models(),
            &["revision", "--autogenerate", "--dry-run", "-m", "players"],
        )
        .expect_code(0);
    for line in [
        "  + create table players",
        "      rating default 1000",
        "      index ix_players_nick (nick)",
        "      foreign key fk_players_team_id_teams (team_id) -> teams (id) on delete cascade",
        "      check ck_players_rating: rating >= 0",
        "-- up.sql (sqlite)",
        "CREATE TABLE \"players\"",
        "-- down.sql (sqlite)",
        "Dry run: nothing written.",
    ] {
        assert!(
            out.stdout.contains(line),
            "{line:?} missing from:\n{}",
            out.stdout
        );
    }
    assert!(
        project.revisions().is_empty(),
        "a dry run writes no revision"
    );
    assert!(!project.database().exists(), "nor a database");

    let written = project
        .run(&models(), &["revision", "--autogenerate", "-m", "players"])
        .expect_code(0);
    assert!(
        written.stdout.contains("      rating default 1000"),
        "{}",
        written.stdout
    );
    assert_eq!(project.revisions().len(), 1);
}

#[test]
fn the_lint_says_what_loses_data_and_what_locks() {
    let project = Project::new();
    std::fs::create_dir_all(project.migrations()).unwrap();
    project
        .run(&models(), &["revision", "--autogenerate", "-m", "players"])
        .expect_code(0);
    project.run(&models(), &["upgrade"]).expect_code(0);
    let narrowed = vec![
        <Team as Model>::definition(),
        <narrowed::Player as Model>::definition(),
    ];
    let out = project
        .run(
            &narrowed,
            &["revision", "--autogenerate", "--dry-run", "-m", "narrow"],
        )
        .expect_code(0);
    assert!(out.stdout.contains("Lint (SQLite):"), "{}", out.stdout);
    let error = out
        .stdout
        .find("  error: alter column players.rating")
        .expect(&out.stdout);
    let warning = out
        .stdout
        .find("  warning: alter column players.rating")
        .expect(&out.stdout);
    assert!(error < warning, "errors first:\n{}", out.stdout);
    assert!(out.stdout.contains("rebuilds the table"), "{}", out.stdout);

    // `check` lists the same findings with the difference.
    let check = project.run(&narrowed, &["check"]).expect_code(3);
    assert!(
        check
            .stdout
            .contains("  lint error: alter column players.rating"),
        "{}",
        check.stdout
    );
}
