// Two mistakes in one model: both are reported, and nothing else. In particular the model
// that references the broken one still compiles, and so does code naming `User::TABLE`.
use migrate_core::Model;

#[derive(Model)]
#[model(table = "people")]
pub struct User {
    pub id: i64,
    #[model(lenght = 50)]
    pub name: String,
    #[model(on_delete = "cascade")]
    pub team_id: i64,
}

#[derive(Model)]
pub struct Post {
    pub id: i64,
    #[model(references(User), on_delete = "cascade")]
    pub author_id: i64,
}

fn main() {
    let _: &str = User::TABLE;
}
