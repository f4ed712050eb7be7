use migrate_core::Model;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    #[model(references = "users")]
    pub author_id: i64,
}

fn main() {}
