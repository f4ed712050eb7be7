use migrate_core::Model;

pub struct Money;

#[derive(Model)]
pub struct Invoice {
    pub id: i64,
    pub total: Money,
}

fn main() {}
