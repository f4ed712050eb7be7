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
