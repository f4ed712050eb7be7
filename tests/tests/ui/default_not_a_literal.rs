use migrate_core::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[model(default = 'x')]
    pub initial: String,
}

fn main() {}
