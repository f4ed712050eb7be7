//! The stock `migrate-cli` binary. Commands that need models (`models`, `check`,
//! `revision --autogenerate`) find the workspace's model crates and run in a binary that
//! links them; a project can also link its models into its own binary that calls
//! `migrate_cli::main()`.

fn main() {
    migrate_cli::stock_main()
}
