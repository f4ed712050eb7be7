use migrate_core::Model;

#[derive(Model)]
#[model(tabel = "people")]
pub struct User {
    pub id: i64,
}

fn main() {}
