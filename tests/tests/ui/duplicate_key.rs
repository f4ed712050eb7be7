use migrate_core::Model;

#[derive(Model)]
#[model(table = "people")]
#[model(table = "persons")]
pub struct User {
    pub id: i64,
    #[model(max_length = 50, max_length = 60)]
    pub name: String,
}

fn main() {}
