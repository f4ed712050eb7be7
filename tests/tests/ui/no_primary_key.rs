use migrate_core::Model;

#[derive(Model)]
pub struct Tag {
    pub name: String,
    pub label: String,
}

fn main() {}
