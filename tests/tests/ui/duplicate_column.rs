use migrate_core::Model;

#[derive(Model)]
pub struct Pair {
    pub id: i64,
    pub a: i32,
    #[model(column = "a")]
    pub b: i32,
}

fn main() {}
