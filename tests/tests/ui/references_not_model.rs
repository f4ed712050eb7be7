use migrate_core::Model;

pub struct Organization {
    pub id: i64,
}

#[derive(Model)]
pub struct Member {
    pub id: i64,
    #[model(references(Organization))]
    pub org_id: i64,
}

fn main() {}
