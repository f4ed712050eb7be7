use migrate_core::Model;

#[derive(Model)]
pub struct Invoice {
    pub id: i64,
    #[model(precision = 10)]
    pub total: bigdecimal::BigDecimal,
}

fn main() {}
