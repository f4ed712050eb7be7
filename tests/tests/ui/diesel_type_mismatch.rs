// The schema the derive emits is what diesel checks the struct against: a field whose Rust
// type cannot be read from its column's SQL type fails under `check_for_backend`.
use diesel::prelude::*;
use migrate_core::Model;

#[derive(Model, Queryable, Selectable)]
#[diesel(table_name = counters, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Counter {
    pub id: i64,
    // The column is declared as text, the field is a number.
    #[model(diesel_type = "Text")]
    pub hits: i32,
}

fn main() {}
