//! A migrate binary for the rename-question tests: `PLAYERS_VERSION=2` gives the model with
//! `nick` renamed to `handle`, anything else the first version. Runs on this process's
//! terminal, as a project's own binary does.

use migrate_cli::Models;
use migrate_core::Model;

// The structs describe tables; this binary never builds a value of them.
#[allow(dead_code)]
mod v1 {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "players")]
    pub struct Player {
        pub id: i64,
        #[model(max_length = 40)]
        pub nick: String,
    }
}

#[allow(dead_code)]
mod v2 {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "players")]
    pub struct Player {
        pub id: i64,
        // A default, so that dropping `nick` and adding `handle` is also a valid revision.
        #[model(max_length = 40, default = "")]
        pub handle: String,
    }
}

fn main() {
    let models = if std::env::var("PLAYERS_VERSION").as_deref() == Ok("2") {
        vec![<v2::Player as Model>::definition()]
    } else {
        vec![<v1::Player as Model>::definition()]
    };
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let code = migrate_cli::run_with(
        std::env::args_os(),
        &Models::Given(models),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        terminal,
    );
    std::process::exit(code)
}
