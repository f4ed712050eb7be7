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
