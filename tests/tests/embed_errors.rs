//! `embed_migrations!` refuses a bad history at compile time, naming the folder and file.

#[test]
fn embedding_a_bad_history_does_not_compile() {
    // The cases compile in a crate trybuild generates elsewhere; the macro resolves paths
    // against this crate instead.
    std::env::set_var("MIGRATE_EMBED_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/embed_ui/*.rs");
}
