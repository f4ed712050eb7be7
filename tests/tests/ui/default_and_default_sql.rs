use migrate_core::Model;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    #[model(default = "now", default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: String,
}

fn main() {}
