//! `embed_migrations!`: compiles a migrations directory into the binary.
//!
//! The folder is read and checked while compiling, by the same parser and graph validation
//! the runner uses, so a missing parent, a duplicate id or a malformed `metadata.toml` is a
//! compile error naming the file. Every file is included with `include_str!`, so editing one
//! rebuilds the crate; a folder added later is seen once the crate recompiles (a build
//! script with `cargo:rerun-if-changed=migrations` makes that automatic, see the docs).

mod expand;

use proc_macro::TokenStream;

/// Embeds a migrations directory: `embed_migrations!()` reads `migrations`,
/// `embed_migrations!("db/migrations")` another folder, both relative to the crate's
/// `Cargo.toml` (`CARGO_MANIFEST_DIR`). The value is a
/// `migrate_core::revision::EmbeddedMigrations`, usually kept in a `static`:
///
/// ```ignore
/// static MIGRATIONS: migrate_core::revision::EmbeddedMigrations =
///     migrate_embed::embed_migrations!("migrations");
/// ```
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    match expand::expand(input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}
