use migrate_core::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[model(skip, max_length = 20, column = "cache")]
    pub cached_name: String,
}

fn main() {}
