use migrate_core::Model;

#[derive(Model)]
pub struct Point(i64, i64);

#[derive(Model)]
pub struct Marker;

fn main() {}
