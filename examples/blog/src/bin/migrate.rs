//! The blog's migration tool: links the models crate and hands over to the stock CLI.

// Linking the models crate is what registers its models; without this line it is not linked.
use blog as _;

fn main() {
    migrate_cli::main()
}
