use migrate_core::Model;

#[derive(Model)]
pub struct Invoice {
    pub id: i64,
    #[model(precision = 10, scale = 2)]
    pub total: f64,
}

fn main() {}
