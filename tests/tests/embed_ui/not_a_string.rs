static MIGRATIONS: migrate_core::revision::EmbeddedMigrations =
    migrate_embed::embed_migrations!(migrations);

fn main() {
    let _ = &MIGRATIONS;
}
