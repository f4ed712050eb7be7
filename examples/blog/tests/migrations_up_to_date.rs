//! The committed migrations produce exactly the blog's models. This is the test a project
//! adds so that `cargo test` fails when someone changes a model without a revision.

// Linking the models crate is what registers its models in this test binary.
use blog as _;

#[test]
fn migrations_match_the_models() {
    migrate_core::testing::assert_migrations_match_models(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations"
    ));
}
