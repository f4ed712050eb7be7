use migrate_core::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[model(sql_type = "citext", max_length = 50)]
    pub email: String,
}

fn main() {}
