use migrate_core::Model;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    #[model(foreign_key_name = "fk_posts_author")]
    pub author_id: i64,
}

fn main() {}
