use migrate_core::Model;

#[derive(Model)]
pub enum Status {
    Draft,
    Published,
}

fn main() {}
