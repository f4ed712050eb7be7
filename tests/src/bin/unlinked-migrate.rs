//! A migrate binary whose package depends on the `blog` models crate but never names it, so
//! the crate is not linked and nothing is registered.

fn main() {
    migrate_cli::main()
}
