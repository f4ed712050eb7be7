//! Long names: a 60-character table with 60-character columns gets index, unique and
//! foreign-key names that fit every dialect, the same on every run (snapshots), and the
//! whole loop works with them on every backend. A name the model writes that is too long
//! for a listed dialect is refused, naming it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::autogen;
use migrate_core::dialect::{self, Dialect};
use migrate_core::registry::ModelDef;
use migrate_core::schema::Schema;
use migrate_core::{Model, Registry};

#[allow(unused_imports)]
use integration_tests::server::{Backend, TestDatabase};
use integration_tests::Project;

#[allow(dead_code)] // the structs are only models: their fields are never read
mod models {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "organizations_with_a_name_long_enough_to_hit_every_limit_xxx")]
    pub struct Organization {
        pub id: i64,
        #[model(
            column = "registered_display_name_of_the_organization_for_invoices_xxx",
            max_length = 80,
            unique
        )]
        pub name: String,
    }

    #[derive(Model)]
    #[model(table = "memberships_of_people_in_organizations_with_long_names_xxxxx")]
    pub struct Membership {
        pub id: i64,
        #[model(
            column = "organization_that_this_membership_belongs_to_identifier_xxxx",
            references(Organization),
            on_delete = "cascade",
            index
        )]
        pub organization_id: i64,
    }

    /// A foreign key named in the model.
    #[derive(Model)]
    #[model(table = "invitations")]
    pub struct Invitation {
        pub id: i64,
        #[model(
            references(Organization),
            foreign_key_name = "fk_invitation_organization"
        )]
        pub organization_id: i64,
    }
}

fn definitions() -> Vec<&'static ModelDef> {
    vec![
        models::Organization::definition(),
        models::Membership::definition(),
        models::Invitation::definition(),
    ]
}

fn schema() -> Schema {
    Registry::from_definitions(&definitions()).unwrap().schema()
}

#[test]
fn the_fixture_names_are_sixty_characters() {
    let schema = schema();
    for table in schema.tables.iter().filter(|t| t.name != "invitations") {
        assert_eq!(table.name.len(), 60, "{}", table.name);
        for column in table.columns.iter().filter(|c| c.name != "id") {
            assert_eq!(column.name.len(), 60, "{}", column.name);
        }
    }
}

#[test]
fn generated_names_fit_every_dialect_and_are_deterministic() {
    let models = schema();
    let all: Vec<&dyn Dialect> = dialect::ALL.to_vec();
    assert!(migrate_core::naming::over_limit(&models, &all).is_empty());
    let mut names: Vec<String> = models
        .tables
        .iter()
        .flat_map(|t| {
            t.indexes
                .iter()
                .map(|i| i.name.clone())
                .chain(t.foreign_keys.iter().map(|f| f.name.clone()))
        })
        .collect();
    names.sort();
    insta::assert_snapshot!("long_generated_names", names.join("\n"));
    for dialect in dialect::ALL {
        let comparison = autogen::compare(&models, &Schema::new(vec![]), *dialect);
        let (up, down, _) = autogen::render_scripts(&comparison, *dialect, false);
        insta::assert_snapshot!(
            format!("long_names_{}", dialect.name()),
            format!("-- up\n{up}\n-- down\n{down}")
        );
        let parser: Option<Box<dyn sqlparser::dialect::Dialect>> = match dialect.name() {
            "postgres" => Some(Box::new(sqlparser::dialect::PostgreSqlDialect {})),
            "mysql" => Some(Box::new(sqlparser::dialect::MySqlDialect {})),
            "mssql" => Some(Box::new(sqlparser::dialect::MsSqlDialect {})),
            _ => None,
        };
        if let Some(parser) = parser {
            for statement in migrate_core::sql::split_statements(&up) {
                let parsed = sqlparser::parser::Parser::parse_sql(parser.as_ref(), &statement);
                assert!(
                    parsed.is_ok(),
                    "{}: {statement}: {parsed:?}",
                    dialect.name()
                );
            }
        }
    }
}

/// Autogenerate, upgrade, a second autogenerate that finds nothing, downgrade to base, and
/// upgrade again, on one database.
fn whole_loop(project: &Project, url: &str) {
    let models = definitions();
    let run = |args: &[&str]| project.run_with_url(&models, url, args);
    run(&["init"]).expect_code(0);
    run(&["revision", "--autogenerate", "-m", "long names"]).expect_code(0);
    run(&["upgrade"]).expect_code(0);
    let again = run(&["revision", "--autogenerate", "-m", "again"]).expect_code(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}",
        again.stdout
    );
    run(&["check"]).expect_code(0);
    run(&["downgrade", "base"]).expect_code(0);
    run(&["upgrade"]).expect_code(0);
    run(&["check"]).expect_code(0);
}

#[test]
fn the_loop_works_with_long_names_on_sqlite() {
    let project = Project::new();
    whole_loop(&project, &project.database_url());
}

#[cfg(feature = "postgres")]
#[test]
fn the_loop_works_with_long_names_on_postgres() {
    if let Some(db) = TestDatabase::create(Backend::Postgres) {
        whole_loop(&Project::new(), &db.url);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn the_loop_works_with_long_names_on_mysql() {
    if let Some(db) = TestDatabase::create(Backend::Mysql) {
        whole_loop(&Project::new(), &db.url);
    }
}

#[allow(dead_code)]
mod too_long {
    use migrate_core::Model;

    #[derive(Model)]
    #[model(table = "events")]
    pub struct Event {
        pub id: i64,
        #[model(column = "a_column_name_that_is_sixty_four_bytes_long_which_postgres_cuts_")]
        pub cut: i64,
    }
}

#[test]
fn an_explicit_name_over_a_listed_dialects_limit_is_refused_naming_it() {
    let project = Project::new();
    let models = [too_long::Event::definition()];
    project.run(&[], &["init"]).expect_code(0);
    // SQLite takes the name; PostgreSQL, listed for this revision, would cut it to 63 bytes.
    let out = project
        .run(
            &models,
            &[
                "--dialects",
                "sqlite,postgres",
                "revision",
                "--autogenerate",
                "-m",
                "x",
            ],
        )
        .expect_code(1);
    assert!(
        out.stderr.contains(
            "column `events.a_column_name_that_is_sixty_four_bytes_long_which_postgres_cuts_`: the name is 64 bytes long; PostgreSQL takes at most 63 bytes"
        ),
        "{}",
        out.stderr
    );
    assert!(project.revisions().is_empty(), "a revision was written");
    project
        .run(&models, &["revision", "--autogenerate", "-m", "x"])
        .expect_code(0);
}
