//! The walkthrough a user follows, end to end through the CLI on a temporary project with
//! the embedded SQLite default: each step changes the models, autogenerates, upgrades, and
//! checks both the generated SQL and the rows.

#![allow(clippy::unwrap_used, clippy::expect_used)]
// The models here only provide table definitions; no code reads their fields.
#![allow(dead_code, missing_debug_implementations)]

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use integration_tests::Project;
use migrate_core::registry::ModelDef;
use migrate_core::Model;

mod v1 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "users")]
    pub struct User {
        pub id: i64,
        #[model(max_length = 30)]
        pub email: String,
        pub nick: String,
    }

    #[derive(Model)]
    #[model(table = "posts")]
    pub struct Post {
        pub id: i64,
        #[model(references(User), on_delete = "cascade")]
        pub user_id: i64,
        #[model(index)]
        pub title: String,
    }
}

/// Two optional fields added to users.
mod v2 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "users")]
    pub struct User {
        pub id: i64,
        #[model(max_length = 30)]
        pub email: String,
        pub nick: String,
        pub bio: Option<String>,
        pub age: Option<i32>,
    }
}

/// A NOT NULL boolean with a default.
mod v3 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "users")]
    pub struct User {
        pub id: i64,
        #[model(max_length = 30)]
        pub email: String,
        pub nick: String,
        pub bio: Option<String>,
        pub age: Option<i32>,
        #[model(default = false)]
        pub verified: bool,
    }
}

/// A NOT NULL boolean without a default: must be refused while users holds rows.
mod v3_no_default {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "users")]
    pub struct User {
        pub id: i64,
        #[model(max_length = 30)]
        pub email: String,
        pub nick: String,
        pub bio: Option<String>,
        pub age: Option<i32>,
        #[model(default = false)]
        pub verified: bool,
        pub admin: bool,
    }
}

/// posts gets a status with a typed default.
mod v4 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "posts")]
    pub struct Post {
        pub id: i64,
        #[model(references = "users.id", on_delete = "cascade")]
        pub user_id: i64,
        #[model(index)]
        pub title: String,
        #[model(default = "draft")]
        pub status: String,
    }
}

/// Renames: users.nick -> display_name, posts -> articles.
mod v5 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "users")]
    pub struct User {
        pub id: i64,
        #[model(max_length = 30)]
        pub email: String,
        #[model(renamed_from = "nick")]
        pub display_name: String,
        pub bio: Option<String>,
        pub age: Option<i32>,
        #[model(default = false)]
        pub verified: bool,
    }

    #[derive(Model)]
    #[model(table = "articles", renamed_from = "posts")]
    pub struct Article {
        pub id: i64,
        #[model(references(User), on_delete = "cascade")]
        pub user_id: i64,
        #[model(index, column = "title")]
        pub headline: String,
        #[model(default = "draft")]
        pub status: String,
    }
}

/// Widen email to VARCHAR(50), make display_name optional.
mod v6 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "users")]
    pub struct User {
        pub id: i64,
        #[model(max_length = 50)]
        pub email: String,
        pub display_name: Option<String>,
        pub bio: Option<String>,
        pub age: Option<i32>,
        #[model(default = false)]
        pub verified: bool,
    }
}

/// Drop the title index, add a unique constraint.
mod v7 {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "articles")]
    #[model(unique(columns(user_id, title)))]
    pub struct Article {
        pub id: i64,
        #[model(references = "users.id", on_delete = "cascade")]
        pub user_id: i64,
        pub title: String,
        #[model(default = "draft")]
        pub status: String,
    }
}

fn defs(models: &[fn() -> &'static ModelDef]) -> Vec<&'static ModelDef> {
    models.iter().map(|f| f()).collect()
}

#[derive(QueryableByName, Debug, PartialEq)]
struct UserRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    email: String,
}

#[derive(QueryableByName, Debug)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn connect(project: &Project) -> SqliteConnection {
    SqliteConnection::establish(&project.database().display().to_string()).unwrap()
}

fn count(conn: &mut SqliteConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

fn columns(conn: &mut SqliteConnection, table: &str) -> Vec<String> {
    diesel::sql_query("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        .bind::<Text, _>(table)
        .load::<Name>(conn)
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
}

fn indexes(conn: &mut SqliteConnection, table: &str) -> Vec<String> {
    diesel::sql_query("SELECT name FROM pragma_index_list(?) WHERE origin = 'c' ORDER BY name")
        .bind::<Text, _>(table)
        .load::<Name>(conn)
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
}

#[test]
fn the_walkthrough() {
    let project = Project::new();
    project.run(&[], &["init"]).expect_code(0);

    // Initial models -> autogenerate -> upgrade.
    let models = defs(&[v1::User::definition, v1::Post::definition]);
    let out = project
        .run(&models, &["revision", "--autogenerate", "-m", "initial"])
        .expect_code(0);
    assert!(out.stdout.contains("create table users"), "{}", out.stdout);
    assert!(out.stdout.contains("create table posts"), "{}", out.stdout);
    assert_eq!(
        out.stderr.trim(),
        format!(
            "note: sqlite://{} does not exist yet; comparing with an empty database (`upgrade` creates it)",
            project.database().display()
        ),
        "only the note that the file is not created"
    );
    assert!(!project.database().exists());
    project.run(&models, &["upgrade"]).expect_code(0);
    let mut conn = connect(&project);
    conn.batch_execute(
        "INSERT INTO users (id, email, nick) VALUES (1, 'ada@example.com', 'ada'), (2, 'bob@example.com', 'bob');
         INSERT INTO posts (user_id, title) VALUES (1, 'hello'), (2, 'world');",
    )
    .unwrap();

    // Two optional fields: exactly two added columns; downgrade -1 removes them.
    let models = defs(&[v2::User::definition, v1::Post::definition]);
    project
        .run(
            &models,
            &["revision", "--autogenerate", "-m", "profile fields"],
        )
        .expect_code(0);
    let (up, down) = project.last_revision_sql();
    let statements: Vec<&str> = up
        .lines()
        .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
        .collect();
    assert_eq!(
        statements,
        [
            r#"ALTER TABLE "users" ADD COLUMN "bio" TEXT;"#,
            r#"ALTER TABLE "users" ADD COLUMN "age" INTEGER;"#
        ],
        "{up}"
    );
    // Nothing depends on the new columns: the down path drops them in place, no rebuild.
    assert!(
        down.contains("ALTER TABLE \"users\" DROP COLUMN \"age\";")
            && down.contains("ALTER TABLE \"users\" DROP COLUMN \"bio\";")
            && !down.contains("_migrate_rebuild_"),
        "down drops the columns in place: {down}"
    );
    project.run(&models, &["upgrade"]).expect_code(0);
    assert_eq!(
        columns(&mut conn, "users"),
        ["id", "email", "nick", "bio", "age"]
    );
    project.run(&models, &["downgrade", "-1"]).expect_code(0);
    assert_eq!(columns(&mut conn, "users"), ["id", "email", "nick"]);
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM users"), 2);
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM posts"),
        2,
        "cascade must not fire during the rebuild"
    );
    project.run(&models, &["upgrade"]).expect_code(0);
    assert_eq!(
        columns(&mut conn, "users"),
        ["id", "email", "nick", "bio", "age"]
    );

    // A NOT NULL boolean with a default on a table with rows: rows kept, default filled.
    let models = defs(&[v3::User::definition, v1::Post::definition]);
    project
        .run(&models, &["revision", "--autogenerate", "-m", "verified"])
        .expect_code(0);
    project.run(&models, &["upgrade"]).expect_code(0);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM users WHERE verified = 0"
        ),
        2
    );

    // The same without a default is refused before anything is written, with the fix.
    let before = project.revisions().len();
    let models = defs(&[v3_no_default::User::definition, v1::Post::definition]);
    let out = project
        .run(&models, &["revision", "--autogenerate", "-m", "admin"])
        .expect_code(1);
    assert!(out.stderr.contains("users.admin"), "{}", out.stderr);
    assert!(
        out.stderr.contains("fix: give the field a default"),
        "{}",
        out.stderr
    );
    assert_eq!(project.revisions().len(), before, "nothing written");

    // status with default 'draft'.
    let models = defs(&[v3::User::definition, v4::Post::definition]);
    project
        .run(
            &models,
            &["revision", "--autogenerate", "-m", "post status"],
        )
        .expect_code(0);
    let (up, _) = project.last_revision_sql();
    assert!(
        up.contains(r#"ADD COLUMN "status" TEXT NOT NULL DEFAULT 'draft'"#),
        "{up}"
    );
    project.run(&models, &["upgrade"]).expect_code(0);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM posts WHERE status = 'draft'"
        ),
        2
    );

    // Rename a column and a table: rows survive.
    let models = defs(&[v5::User::definition, v5::Article::definition]);
    let out = project
        .run(&models, &["revision", "--autogenerate", "-m", "renames"])
        .expect_code(0);
    assert!(
        out.stdout.contains("rename table posts to articles"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("rename column users.nick to display_name"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("destructive"),
        "renames lose nothing: {}",
        out.stdout
    );
    project.run(&models, &["upgrade"]).expect_code(0);
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM articles"), 2);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM users WHERE display_name IN ('ada', 'bob')"
        ),
        2
    );

    // Widen VARCHAR(30) -> VARCHAR(50) and make display_name nullable: rows survive.
    let models = defs(&[v6::User::definition, v5::Article::definition]);
    let out = project
        .run(&models, &["revision", "--autogenerate", "-m", "widen"])
        .expect_code(0);
    assert!(
        out.stdout.contains("type varchar(30) -> varchar(50)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("not null -> null"), "{}", out.stdout);
    project.run(&models, &["upgrade"]).expect_code(0);
    let users: Vec<UserRow> = diesel::sql_query("SELECT id, email FROM users ORDER BY id")
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        users,
        [
            UserRow {
                id: 1,
                email: "ada@example.com".into()
            },
            UserRow {
                id: 2,
                email: "bob@example.com".into()
            }
        ]
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM articles"),
        2,
        "rebuilding users must not cascade"
    );
    conn.batch_execute("INSERT INTO users (email) VALUES ('no-name@example.com')")
        .unwrap();

    // Drop an index and add a unique constraint.
    let models = defs(&[v6::User::definition, v7::Article::definition]);
    let out = project
        .run(
            &models,
            &["revision", "--autogenerate", "-m", "unique titles"],
        )
        .expect_code(0);
    assert!(
        out.stdout.contains("drop index ix_articles_title"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("add unique index uq_articles_user_id_title on articles (user_id, title)"),
        "{}",
        out.stdout
    );
    project.run(&models, &["upgrade"]).expect_code(0);
    assert_eq!(
        indexes(&mut conn, "articles"),
        ["uq_articles_user_id_title"]
    );

    // Delete a model: without --allow-table-drops nothing is written; with it the drop is
    // flagged as destructive, in the output and in up.sql.
    let models = defs(&[v6::User::definition]);
    let written = project.revisions().len();
    let out = project
        .run(
            &models,
            &["revision", "--autogenerate", "-m", "drop articles"],
        )
        .expect_code(1);
    assert!(
        out.stderr
            .contains("the database has tables that no model defines: articles"),
        "{}",
        out.stderr
    );
    assert_eq!(project.revisions().len(), written);
    let out = project
        .run(
            &models,
            &[
                "revision",
                "--autogenerate",
                "--allow-table-drops",
                "-m",
                "drop articles",
            ],
        )
        .expect_code(0);
    assert!(
        out.stdout
            .contains("destructive: drops table `articles` and every row in it"),
        "{}",
        out.stdout
    );
    let (up, down) = project.last_revision_sql();
    assert!(
        up.contains("-- WARNING: destructive: drops table `articles`"),
        "{up}"
    );
    assert!(down.contains(r#"CREATE TABLE "articles""#), "{down}");
    project.run(&models, &["upgrade"]).expect_code(0);
    project.run(&models, &["check"]).expect_code(0);

    // The whole history goes back down to base and up again. The row without a display name
    // cannot go back under NOT NULL: that revision rolls back alone, saying why.
    let out = project.run(&models, &["downgrade", "base"]).expect_code(1);
    assert!(
        out.stderr.contains("NOT NULL constraint failed"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("downgraded"), "{}", out.stdout);
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM users"),
        3,
        "the failed revision rolled back"
    );
    conn.batch_execute("DELETE FROM users WHERE display_name IS NULL")
        .unwrap();
    project.run(&models, &["downgrade", "base"]).expect_code(0);
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(
        tables.into_iter().map(|n| n.name).collect::<Vec<_>>(),
        ["migrate_versions"]
    );
    project.run(&models, &["upgrade", "head"]).expect_code(0);
    project.run(&models, &["check"]).expect_code(0);
}

#[test]
fn check_reports_differences_and_pending_revisions() {
    let project = Project::new();
    project.run(&[], &["init"]).expect_code(0);
    let models = defs(&[v1::User::definition, v1::Post::definition]);

    // `check` reads only: a database file that does not exist is an error, and stays missing.
    let out = project.run(&models, &["check"]).expect_code(1);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
    assert!(!project.database().exists());
    std::fs::File::create(project.database()).unwrap();
    let out = project.run(&models, &["check"]).expect_code(3);
    assert!(
        out.stdout
            .contains("models differ from the database: create table users"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("revision --autogenerate"),
        "{}",
        out.stdout
    );

    project
        .run(&models, &["revision", "--autogenerate", "-m", "initial"])
        .expect_code(0);
    let out = project.run(&models, &["check"]).expect_code(3);
    assert!(
        out.stdout.contains("1 revision(s) not applied"),
        "{}",
        out.stdout
    );

    project.run(&models, &["upgrade"]).expect_code(0);
    let out = project.run(&models, &["check"]).expect_code(0);
    assert!(out.stdout.contains("agree"), "{}", out.stdout);

    // An applied revision edited afterwards is reported.
    let dir = project.revisions().pop().unwrap();
    let up = std::fs::read_to_string(dir.join("up.sql")).unwrap();
    std::fs::write(dir.join("up.sql"), format!("{up}\n-- edited\nSELECT 1;\n")).unwrap();
    let out = project.run(&models, &["check"]).expect_code(3);
    assert!(
        out.stdout.contains("was edited after it was applied"),
        "{}",
        out.stdout
    );
}

#[test]
fn autogenerate_refuses_when_the_database_is_behind() {
    let project = Project::new();
    project.run(&[], &["init"]).expect_code(0);
    let models = defs(&[v1::User::definition, v1::Post::definition]);
    project
        .run(&models, &["revision", "--autogenerate", "-m", "initial"])
        .expect_code(0);
    let out = project
        .run(&models, &["revision", "--autogenerate", "-m", "again"])
        .expect_code(1);
    assert!(out.stderr.contains("not at head"), "{}", out.stderr);
    assert!(out.stderr.contains("upgrade head"), "{}", out.stderr);
    assert_eq!(project.revisions().len(), 1);
}
