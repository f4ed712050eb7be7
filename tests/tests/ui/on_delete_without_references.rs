use migrate_core::Model;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    #[model(on_delete = "cascade")]
    pub author_id: i64,
}

fn main() {}
