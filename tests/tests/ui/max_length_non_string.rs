use migrate_core::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[model(max_length = 3)]
    pub age: i32,
}

fn main() {}
