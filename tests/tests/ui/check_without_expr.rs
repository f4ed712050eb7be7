use migrate_core::Model;

#[derive(Model)]
#[model(check(name = "ck_user_age"))]
pub struct User {
    pub id: i64,
    pub age: i32,
}

fn main() {}
