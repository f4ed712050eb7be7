use migrate_core::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[model(lenght = 50)]
    pub name: String,
}

fn main() {}
