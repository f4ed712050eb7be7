//! `cargo migrate …`: the stock binary as a cargo subcommand. cargo runs `cargo-migrate
//! migrate …`, so the word cargo adds is dropped and the rest is the tool's command line.

use std::ffi::OsString;

fn main() {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|word| word == "migrate") {
        args.remove(1);
    }
    migrate_cli::stock_main_with(args)
}
