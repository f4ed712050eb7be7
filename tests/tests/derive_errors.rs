//! Every mistake `#[derive(Model)]` rejects, with the message the user sees. Each case in
//! `ui/` should show only its intended errors, and each message should name the fix.

#[test]
fn derive_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
