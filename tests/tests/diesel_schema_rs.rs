//! The check for crates that keep their own `schema.rs`: the registered models against
//! `table!` modules written as `diesel print-schema` writes them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::diesel_schema::{assert_matches, describe, differences};
use migrate_core::Model;

/// As `diesel print-schema` prints the tables the models below describe.
mod schema {
    diesel::table! {
        users (id) {
            id -> BigInt,
            #[max_length = 255]
            email -> Varchar,
            nickname -> Nullable<Text>,
            joined_at -> Timestamp,
        }
    }

    diesel::table! {
        posts (id) {
            id -> BigInt,
            author_id -> BigInt,
            title -> Text,
        }
    }
}

/// The same tables after someone edited the database by hand.
mod drifted {
    diesel::table! {
        users (id) {
            id -> Integer,
            email -> Nullable<Text>,
            joined_at -> Timestamp,
            age -> Integer,
        }
    }
}

#[derive(Debug, Model)]
#[model(diesel_schema = false)]
pub struct User {
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
    pub nickname: Option<String>,
    pub joined_at: chrono::NaiveDateTime,
}

#[derive(Debug, Model)]
#[model(diesel_schema = false)]
pub struct Post {
    pub id: i64,
    #[model(references(User))]
    pub author_id: i64,
    pub title: String,
}

/// A model whose schema the derive writes: the check reads it back as equal.
#[derive(Debug, Model)]
#[model(table = "audit-trail")]
pub struct Audit {
    pub id: i64,
    #[model(column = "what")]
    pub action: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[test]
fn print_schema_output_that_matches_the_models_passes() {
    assert_matches(&[
        describe::<schema::users::table>(),
        describe::<schema::posts::table>(),
        describe::<audit_trail::table>(),
    ]);
}

#[test]
fn every_disagreement_is_listed() {
    let found = differences(&[
        describe::<drifted::users::table>(),
        describe::<audit_trail::table>(),
    ]);
    assert_eq!(
        found,
        [
            "`users.id`: the diesel schema says Integer, the model's type wants BigInt",
            "`users.email`: the diesel schema says NULL, the model says NOT NULL",
            "`users.nickname` is a column of the model but not of the diesel schema",
            "`users.age` is a column of the diesel schema but not of the model",
            "table `posts` (model Post) is not in the diesel schema",
        ],
        "{found:#?}"
    );
}

#[test]
fn a_table_without_a_model_is_a_disagreement() {
    diesel::table! {
        sessions (id) {
            id -> BigInt,
        }
    }
    let found = differences(&[
        describe::<schema::users::table>(),
        describe::<schema::posts::table>(),
        describe::<audit_trail::table>(),
        describe::<sessions::table>(),
    ]);
    assert_eq!(
        found,
        ["table `sessions` of the diesel schema has no model"]
    );
}

#[test]
#[should_panic(expected = "the models and the diesel schema disagree")]
fn assert_matches_fails_the_test() {
    assert_matches(&[describe::<drifted::users::table>()]);
}
