use migrate_core::Model;

#[derive(Model)]
pub struct Tagged<T> {
    pub id: i64,
    pub value: T,
}

fn main() {}
