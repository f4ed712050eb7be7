static MIGRATIONS: migrate_core::revision::EmbeddedMigrations =
    migrate_embed::embed_migrations!("tests/embed_fixtures/missing_parent");

fn main() {
    let _ = &MIGRATIONS;
}
