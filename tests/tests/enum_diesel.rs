//! The diesel mapping docs/types.md shows for a `ModelEnum`, compiled and run: a row written
//! and read back through the labels on SQLite.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::prelude::*;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use migrate_core::ModelEnum;

#[derive(ModelEnum, AsExpression, FromSqlRow, Clone, Copy, Debug, PartialEq)]
#[diesel(sql_type = Text)]
pub enum Mood {
    Happy,
    Sad,
}

impl<DB: diesel::backend::Backend> ToSql<Text, DB> for Mood
where
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.label().to_sql(out)
    }
}

impl<DB: diesel::backend::Backend> FromSql<Text, DB> for Mood
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let label = String::from_sql(bytes)?;
        Mood::from_label(&label).ok_or_else(|| format!("unknown label {label:?}").into())
    }
}

diesel::table! {
    people (id) {
        id -> BigInt,
        mood -> Text,
    }
}

#[test]
fn a_model_enum_goes_through_diesel_by_its_labels() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    diesel::sql_query("CREATE TABLE people (id BIGINT PRIMARY KEY, mood TEXT NOT NULL CHECK (mood IN ('happy', 'sad')))")
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(people::table)
        .values((people::id.eq(1_i64), people::mood.eq(Mood::Sad)))
        .execute(&mut conn)
        .unwrap();
    let stored: String = diesel::sql_query("SELECT mood FROM people")
        .get_result::<Label>(&mut conn)
        .unwrap()
        .mood;
    assert_eq!(stored, "sad", "the label is what the database holds");
    let read: Mood = people::table
        .select(people::mood)
        .first::<Mood>(&mut conn)
        .unwrap();
    assert_eq!(read, Mood::Sad);
    diesel::sql_query("UPDATE people SET mood = 'happy'")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        people::table
            .select(people::mood)
            .first::<Mood>(&mut conn)
            .unwrap(),
        Mood::Happy
    );
}

#[derive(QueryableByName)]
struct Label {
    #[diesel(sql_type = Text)]
    mood: String,
}
