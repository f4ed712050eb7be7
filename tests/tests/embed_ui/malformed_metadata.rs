static MIGRATIONS: migrate_core::revision::EmbeddedMigrations =
    migrate_embed::embed_migrations!("tests/embed_fixtures/bad_metadata");

fn main() {
    let _ = &MIGRATIONS;
}
