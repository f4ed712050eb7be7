//! The T-SQL is validated, not only snapshotted: every SQL Server render snapshot parses
//! with sqlparser's MsSqlDialect. No SQL Server runs on the test machines, so this and the
//! snapshots are what stand for one.
//!
//! sqlparser (0.64) lacks two T-SQL forms this dialect writes: `ALTER COLUMN c <type>
//! [NOT] NULL` and `ADD CONSTRAINT n DEFAULT <expr> FOR c`. Those are checked in parts: the
//! first as the equivalent `SET DATA TYPE` (names and type must parse), the second as its
//! default expression plus the exact shape around it.

use sqlparser::dialect::MsSqlDialect;
use sqlparser::parser::Parser;

fn parse(sql: &str) -> Result<usize, String> {
    Parser::parse_sql(&MsSqlDialect {}, sql)
        .map(|statements| statements.len())
        .map_err(|e| format!("{e}\n--- in:\n{sql}"))
}

/// One statement, with the two forms sqlparser lacks checked in parts.
fn parse_statement(statement: &str) -> Result<usize, String> {
    let statement = statement.trim().trim_end_matches(';');
    if let Some((head, rest)) = statement.split_once(" ALTER COLUMN ") {
        let (column, definition) = rest.split_once(' ').ok_or("ALTER COLUMN without a type")?;
        let ty = definition
            .strip_suffix(" NOT NULL")
            .or_else(|| definition.strip_suffix(" NULL"))
            .ok_or_else(|| format!("ALTER COLUMN must state NULL or NOT NULL: {statement}"))?;
        return parse(&format!("{head} ALTER COLUMN {column} SET DATA TYPE {ty}"));
    }
    if let Some((head, rest)) = statement.split_once(" ADD CONSTRAINT ") {
        if let Some((name, default)) = rest.split_once(" DEFAULT ") {
            let (expr, column) = default
                .rsplit_once(" FOR ")
                .ok_or_else(|| format!("a default constraint names its column: {statement}"))?;
            parse(&format!(
                "{head} ADD CONSTRAINT {name} CHECK ({column} IS NULL)"
            ))?;
            return parse(&format!("SELECT {expr}"));
        }
    }
    parse(statement)
}

/// Parses a T-SQL script as sqlcmd sends it: a `GO` line ends a batch (it is the client's,
/// not T-SQL); every statement of every batch must parse. Returns the statement count.
pub(crate) fn parse_tsql(script: &str) -> Result<usize, String> {
    let mut count = 0;
    for batch in script.split("\nGO\n") {
        for statement in crate::sql::split_statements(batch) {
            count += parse_statement(&statement)?;
        }
    }
    Ok(count)
}

#[test]
fn every_render_snapshot_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/dialect/snapshots");
    let mut parsed = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.contains("__mssql_") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        // The SQL sits after `-- up` and after `-- down`.
        let sql: String = text
            .lines()
            .skip_while(|line| *line != "-- up")
            .filter(|line| !line.starts_with("-- "))
            .collect::<Vec<_>>()
            .join("\n");
        match parse_tsql(&sql) {
            Ok(n) => assert!(n > 0, "{name}: no statements"),
            Err(e) => panic!("{name} does not parse as T-SQL: {e}"),
        }
        parsed += 1;
    }
    assert_eq!(parsed, 13, "every render case has a SQL Server snapshot");
}

#[test]
fn a_broken_statement_is_caught() {
    assert!(parse_tsql("ALTER TABLE [t] ADD [c] NVARCHAR(MAX) NOT NULL DEFAULT;").is_err());
    assert!(parse_tsql("ALTER TABLE [t] ALTER COLUMN [c] NVARCHAR(50);").is_err());
    assert!(parse_tsql("ALTER TABLE [t] ADD CONSTRAINT [d] DEFAULT N'x' [c];").is_err());
    assert_eq!(parse_tsql("SELECT 1;\nGO\nSELECT 2;\n"), Ok(2));
}

/// A whole offline script (version table, transactions, rows, `GO`) for a history whose
/// revisions carry SQL Server pairs rendered from the same operations as their SQLite SQL.
#[test]
fn an_offline_upgrade_and_downgrade_script_parses() {
    use crate::dialect::sqlite::Sqlite;
    use crate::dialect::Dialect;
    use crate::revision::{write_revision, Graph, NewRevision};
    use crate::runner::Direction;
    use crate::schema::{Column, ColumnType, Schema, Table};

    let column = |name: &str, ty| Column {
        name: name.into(),
        ty,
        nullable: false,
        default: None,
        auto_increment: false,
        renamed_from: None,
        comment: None,
    };
    let users = Table {
        columns: vec![
            Column {
                auto_increment: true,
                ..column("id", ColumnType::BigInt)
            },
            column("email", ColumnType::Varchar { max_length: 80 }),
        ],
        primary_key: vec!["id".into()],
        ..Table::new("users")
    };
    let mut grown = users.clone();
    grown.columns.push(Column {
        default: Some(crate::schema::DefaultValue::Text("none".into())),
        ..column("nick", ColumnType::Varchar { max_length: 30 })
    });
    let steps = [
        (Schema::default(), Schema::new(vec![users.clone()])),
        (Schema::new(vec![users]), Schema::new(vec![grown])),
    ];
    let dir = tempfile::tempdir().map_err(|e| e.to_string());
    let dir = dir
        .as_ref()
        .map(|d| d.path())
        .unwrap_or(std::path::Path::new("."));
    let mut parents = vec![];
    for (i, (before, after)) in steps.iter().enumerate() {
        let ops = crate::diff::diff(before, after);
        let sql = |d: &dyn Dialect, ops: &[crate::diff::Op], from: &Schema| {
            d.render(ops, from).join(";\n") + ";\n"
        };
        let down = crate::diff::reverse_plan(&ops);
        let written = write_revision(
            dir,
            NewRevision {
                id: None,
                parents: parents.clone(),
                message: &format!("step {i}"),
                dialect: Sqlite.name(),
                up_sql: sql(&Sqlite, &ops, before),
                down_sql: sql(&Sqlite, &down, after),
                extra: vec![(
                    "mssql".into(),
                    sql(&super::Mssql, &ops, before),
                    sql(&super::Mssql, &down, after),
                )],
                branch_labels: vec![],
                run_in_transaction: true,
            },
        );
        match written {
            Ok(revision) => parents = vec![revision.id],
            Err(e) => panic!("writing step {i}: {e}"),
        }
    }
    let graph = match Graph::load(dir) {
        Ok(graph) => graph,
        Err(e) => panic!("{e}"),
    };
    let revisions: Vec<_> = graph.revisions().collect();
    for (direction, order) in [
        (Direction::Up, revisions.clone()),
        (Direction::Down, {
            let mut down = revisions.clone();
            down.reverse();
            down
        }),
    ] {
        let script = crate::offline::script(&super::Mssql, "migrate_versions", &order, direction);
        let script = match script {
            Ok(script) => script,
            Err(e) => panic!("{e}"),
        };
        assert!(script.contains("BEGIN TRANSACTION;"), "{script}");
        assert_eq!(script.matches("\nGO\n").count(), 3, "{script}");
        if let Err(e) = parse_tsql(&script) {
            panic!("the {direction:?} script does not parse: {e}\n{script}");
        }
    }
}
