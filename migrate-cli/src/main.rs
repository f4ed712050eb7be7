//! The stock `migrate` binary: the models it sees are those linked into it. A project links
//! its model crates into its own binary (`use my_models as _;`) that calls
//! `migrate_cli::main()`.

fn main() {
    migrate_cli::main()
}
