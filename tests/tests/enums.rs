//! Enum columns from `#[derive(ModelEnum)]` on every backend: created (a type on PostgreSQL,
//! `ENUM(…)` on MariaDB, text with a CHECK on SQLite), a label added, a label renamed with
//! rows keeping their value, a removal refused while rows hold the label, the column and
//! its type dropped; after each step a second autogenerate writes nothing, and downgrades
//! restore the previous shape.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::db::{Connection, DatabaseUrl};
use migrate_core::registry::ModelDef;
use migrate_core::{Model, ModelEnum};

#[allow(unused_imports)]
use integration_tests::server::{Backend, TestDatabase};
use integration_tests::Project;

#[allow(dead_code)] // the structs are only models: their fields are never read
mod v1 {
    use migrate_core::{Model, ModelEnum};

    #[derive(ModelEnum, Clone, Debug, PartialEq)]
    pub enum Mood {
        Happy,
        Sad,
    }

    #[derive(Model)]
    #[model(table = "people")]
    pub struct Person {
        pub id: i64,
        #[model(default = "happy")]
        pub mood: Mood,
        pub previous: Option<Mood>,
    }
}

#[allow(dead_code)]
mod v2 {
    use migrate_core::{Model, ModelEnum};

    /// A label added at the end.
    #[derive(ModelEnum)]
    pub enum Mood {
        Happy,
        Sad,
        #[model(rename = "over-the-moon")]
        OverTheMoon,
    }

    #[derive(Model)]
    #[model(table = "people")]
    pub struct Person {
        pub id: i64,
        #[model(default = "happy")]
        pub mood: Mood,
        pub previous: Option<Mood>,
    }
}

#[allow(dead_code)]
mod v3 {
    use migrate_core::{Model, ModelEnum};

    /// `sad` is now spelled `unhappy`.
    #[derive(ModelEnum)]
    pub enum Mood {
        Happy,
        #[model(renamed_from = "sad")]
        Unhappy,
        #[model(rename = "over-the-moon")]
        OverTheMoon,
    }

    #[derive(Model)]
    #[model(table = "people")]
    pub struct Person {
        pub id: i64,
        #[model(default = "happy")]
        pub mood: Mood,
        pub previous: Option<Mood>,
    }
}

#[allow(dead_code)]
mod v4 {
    use migrate_core::Model;

    /// No enum column any more.
    #[derive(Model)]
    #[model(table = "people")]
    pub struct Person {
        pub id: i64,
    }
}

fn count(url: &str, sql: &str) -> i64 {
    let mut conn = Connection::establish(&DatabaseUrl::parse(url).unwrap()).unwrap();
    migrate_core::testing::query_number(&mut conn, sql).unwrap()
}

fn execute(url: &str, sql: &str) {
    Connection::establish(&DatabaseUrl::parse(url).unwrap())
        .unwrap()
        .batch_execute(sql)
        .unwrap();
}

/// After a downgrade the database matches the older models: `check` finds only the revision
/// that is no longer applied.
fn only_pending(out: integration_tests::Outcome) {
    let out = out.expect_code(3);
    assert!(
        out.stdout.contains("1 difference(s) found") && out.stdout.contains("not applied"),
        "{}",
        out.stdout
    );
}

fn enums(project: &Project, url: &str) {
    let postgres = url.starts_with("postgres");
    let sqlite = url.starts_with("sqlite");
    let models = |version: u8| -> Vec<&'static ModelDef> {
        vec![match version {
            1 => v1::Person::definition(),
            2 => v2::Person::definition(),
            3 => v3::Person::definition(),
            _ => v4::Person::definition(),
        }]
    };
    let run = |version: u8, args: &[&str]| project.run_with_url(&models(version), url, args);
    let settled = |version: u8| {
        let again = run(version, &["revision", "--autogenerate", "-m", "again"]).expect_code(0);
        assert!(
            again.stdout.contains("No changes detected"),
            "v{version}: {}",
            again.stdout
        );
    };

    run(1, &["init"]).expect_code(0);
    let out = run(1, &["revision", "--autogenerate", "-m", "people"]).expect_code(0);
    let (up, down) = project.last_revision_sql();
    if postgres {
        assert!(
            out.stdout.contains("create enum mood('happy', 'sad')"),
            "{}",
            out.stdout
        );
        assert!(
            up.contains("CREATE TYPE mood AS ENUM ('happy', 'sad')"),
            "{up}"
        );
        assert!(down.contains("DROP TYPE mood"), "{down}");
    } else if sqlite {
        assert!(up.contains("CHECK (\"mood\" IN ('happy', 'sad'))"), "{up}");
    } else {
        assert!(up.contains("ENUM('happy', 'sad')"), "{up}");
    }
    run(1, &["upgrade"]).expect_code(0);
    settled(1);
    execute(
        url,
        "INSERT INTO people (id, mood, previous) VALUES (1, 'sad', 'happy');\n\
         INSERT INTO people (id) VALUES (2)",
    );
    assert_eq!(
        count(
            url,
            "SELECT COUNT(*) AS n FROM people WHERE id = 2 AND mood = 'happy'"
        ),
        1,
        "the default applies"
    );
    assert!(
        Connection::establish(&DatabaseUrl::parse(url).unwrap())
            .unwrap()
            .batch_execute("INSERT INTO people (id, mood) VALUES (3, 'angry')")
            .is_err(),
        "a label the enum lacks is refused"
    );

    // A label added.
    let out = run(2, &["revision", "--autogenerate", "-m", "moon"]).expect_code(0);
    let (up, _) = project.last_revision_sql();
    if postgres {
        assert!(
            up.contains("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'over-the-moon' AFTER 'sad'"),
            "{up}"
        );
        assert!(
            out.stdout.contains("run_in_transaction = false"),
            "{}",
            out.stdout
        );
    }
    run(2, &["upgrade"]).expect_code(0);
    settled(2);
    execute(
        url,
        "INSERT INTO people (id, mood) VALUES (4, 'over-the-moon')",
    );

    // Going back would remove a label a row holds: refused, naming the column.
    let refused = run(2, &["downgrade", "-1"]);
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    let said = format!("{}{}", refused.stdout, refused.stderr);
    let names_it = if postgres {
        said.contains("people.mood")
    } else if sqlite {
        said.contains("CHECK constraint failed")
    } else {
        said.contains("mood")
    };
    assert!(names_it, "{said}");
    execute(url, "DELETE FROM people WHERE id = 4");
    if !postgres && !sqlite {
        // MySQL commits each statement: the down script stopped after narrowing `previous`.
        // As the hint says, the rest is done by hand and the outcome recorded.
        let revision = said
            .split("revision ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap()
            .to_owned();
        execute(
            url,
            "ALTER TABLE `people` MODIFY COLUMN `mood` ENUM('happy', 'sad') NOT NULL DEFAULT 'happy'",
        );
        run(2, &["resolve", &revision, "--rolled-back"]).expect_code(0);
    } else {
        run(2, &["downgrade", "-1"]).expect_code(0);
    }
    only_pending(run(1, &["check"]));
    run(2, &["upgrade"]).expect_code(0);

    // A label renamed: rows keep their value under the new spelling.
    if sqlite {
        // SQLite cannot rename in place; autogenerate refuses while rows hold the old label.
        let refused = run(3, &["revision", "--autogenerate", "-m", "unhappy"]).expect_code(1);
        assert!(refused.stderr.contains("people.mood"), "{}", refused.stderr);
        execute(url, "UPDATE people SET mood = 'happy' WHERE mood = 'sad'; UPDATE people SET previous = NULL");
    }
    let out = run(3, &["revision", "--autogenerate", "-m", "unhappy"]).expect_code(0);
    if !sqlite {
        assert!(
            out.stdout.contains("rename 'sad' to 'unhappy'"),
            "{}",
            out.stdout
        );
    }
    let (up, _) = project.last_revision_sql();
    if postgres {
        assert!(
            up.contains("ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy'"),
            "{up}"
        );
    }
    run(3, &["upgrade"]).expect_code(0);
    settled(3);
    if !sqlite {
        assert_eq!(
            count(
                url,
                "SELECT COUNT(*) AS n FROM people WHERE id = 1 AND mood = 'unhappy'"
            ),
            1,
            "the row's label was renamed, not lost"
        );
        run(3, &["downgrade", "-1"]).expect_code(0);
        assert_eq!(
            count(
                url,
                "SELECT COUNT(*) AS n FROM people WHERE id = 1 AND mood = 'sad'"
            ),
            1,
            "downgrade renames it back"
        );
        run(3, &["upgrade"]).expect_code(0);
    }

    // The column goes, and with it the type.
    let out = run(
        4,
        &[
            "revision",
            "--autogenerate",
            "--allow-destructive",
            "-m",
            "no mood",
        ],
    )
    .expect_code(0);
    if postgres {
        assert!(out.stdout.contains("drop enum mood"), "{}", out.stdout);
    }
    run(4, &["upgrade"]).expect_code(0);
    settled(4);
    if postgres {
        assert_eq!(
            count(
                url,
                "SELECT COUNT(*) AS n FROM pg_type WHERE typname = 'mood'"
            ),
            0
        );
    }
    run(4, &["downgrade", "-1"]).expect_code(0);
    only_pending(run(3, &["check"]));
    assert_eq!(
        count(url, "SELECT COUNT(*) AS n FROM people"),
        2,
        "rows kept"
    );
    let _ = v1::Mood::from_label("sad");
}

#[test]
fn labels_and_variants_agree() {
    assert_eq!(v1::Mood::LABELS, ["happy", "sad"]);
    assert_eq!(v1::Mood::Sad.label(), "sad");
    assert_eq!(v1::Mood::from_label("happy"), Some(v1::Mood::Happy));
    assert_eq!(v1::Mood::from_label("angry"), None);
    assert_eq!(v2::Mood::OverTheMoon.label(), "over-the-moon");
}

#[test]
fn enums_on_sqlite() {
    let project = Project::new();
    enums(&project, &project.database_url());
}

#[cfg(feature = "postgres")]
#[test]
fn enums_on_postgres() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        enums(&Project::new(), &db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn enums_on_mariadb() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        enums(&Project::new(), &db.url);
    }
}

#[allow(dead_code)]
mod by_hand {
    use migrate_core::Model;

    /// A type made by hand, named through `sql_type`: compared by name, never dropped.
    #[derive(Model)]
    #[model(table = "tickets")]
    pub struct Ticket {
        pub id: i64,
        #[model(sql_type = "priority")]
        pub priority: String,
    }
}

#[cfg(feature = "postgres")]
#[test]
fn a_type_made_by_hand_is_left_alone_on_postgres() {
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let project = Project::new();
    let models = [by_hand::Ticket::definition()];
    let run = |args: &[&str]| project.run_with_url(&models, &db.url, args);
    execute(&db.url, "CREATE TYPE priority AS ENUM ('low', 'high')");
    run(&["init"]).expect_code(0);
    run(&["revision", "--autogenerate", "-m", "tickets"]).expect_code(0);
    let (up, _) = project.last_revision_sql();
    assert!(!up.contains("TYPE"), "{up}");
    run(&["upgrade"]).expect_code(0);
    let again = run(&["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}",
        again.stdout
    );
}
