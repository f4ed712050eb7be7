use migrate_core::Model;

#[derive(Model)]
#[model(index(columns(org_id, created)))]
#[model(unique(columns(slug)))]
pub struct Post {
    pub id: i64,
    pub org_id: i64,
    pub created_at: i64,
    #[model(column = "post_slug")]
    pub slug: String,
}

fn main() {}
