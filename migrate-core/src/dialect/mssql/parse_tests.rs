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
    assert_eq!(parsed, 19, "every render case has a SQL Server snapshot");
}

#[test]
fn a_broken_statement_is_caught() {
    assert!(parse_tsql("ALTER TABLE [t] ADD [c] NVARCHAR(MAX) NOT NULL DEFAULT;").is_err());
    assert!(parse_tsql("ALTER TABLE [t] ALTER COLUMN [c] NVARCHAR(50);").is_err());
    assert!(parse_tsql("ALTER TABLE [t] ADD CONSTRAINT [d] DEFAULT N'x' [c];").is_err());
    assert_eq!(parse_tsql("SELECT 1;\nGO\nSELECT 2;\n"), Ok(2));
}

/// The history of the cross-database end-to-end test (tests/tests/dialects_on_servers.rs):
/// authors and notes; a column added; a column renamed; an index and a foreign key added.
fn four_steps() -> Vec<crate::schema::Schema> {
    use crate::schema::{Column, ColumnType, FkAction, ForeignKey, Index, Schema, Table};
    let column = |name: &str, ty, nullable| Column::new(name, ty, nullable);
    let id = Column {
        auto_increment: true,
        ..column("id", ColumnType::BigInt, false)
    };
    let authors = Table {
        columns: vec![
            id.clone(),
            column("name", ColumnType::Varchar { max_length: 80 }, false),
        ],
        primary_key: vec!["id".into()],
        ..Table::new("authors")
    };
    let notes = Table {
        columns: vec![
            id,
            column("author_id", ColumnType::BigInt, false),
            column("body", ColumnType::Varchar { max_length: 200 }, false),
        ],
        primary_key: vec!["id".into()],
        ..Table::new("notes")
    };
    let mut titled = notes.clone();
    titled.columns.push(column(
        "title",
        ColumnType::Varchar { max_length: 100 },
        true,
    ));
    let mut renamed = titled.clone();
    renamed.columns[2].name = "text".into();
    renamed.columns[2].renamed_from = Some("body".into());
    let mut linked = renamed.clone();
    linked.columns[2].renamed_from = None;
    linked.indexes.push(Index {
        name: "ix_notes_author_id".into(),
        columns: vec!["author_id".into()],
        unique: false,
        prefix_lengths: Default::default(),
    });
    linked.foreign_keys.push(ForeignKey {
        name: "fk_notes_author_id_authors".into(),
        columns: vec!["author_id".into()],
        ref_table: "authors".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    });
    [notes, titled, renamed, linked]
        .into_iter()
        .map(|n| Schema::new(vec![authors.clone(), n]))
        .collect()
}

/// The offline T-SQL scripts (version table, transactions, rows, `GO`) of that history, its
/// revisions carrying SQL Server pairs beside their SQLite SQL: snapshotted, and parsed.
#[test]
fn the_offline_scripts_of_a_history_parse_and_are_snapshotted() {
    use crate::dialect::sqlite::Sqlite;
    use crate::dialect::Dialect;
    use crate::revision::{write_revision, Graph, NewRevision};
    use crate::runner::Direction;
    use crate::schema::Schema;

    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("{e}"),
    };
    let mut before = Schema::default();
    let mut parents = vec![];
    for (i, after) in four_steps().into_iter().enumerate() {
        let ops = crate::diff::diff(&before, &after);
        let mut after_ops = before.clone();
        for op in &ops {
            crate::diff::apply(&mut after_ops, op);
        }
        let down = crate::diff::reverse_plan(&ops);
        let sql = |d: &dyn Dialect, ops: &[crate::diff::Op], from: &Schema| {
            d.render(ops, from).join(";\n") + ";\n"
        };
        let id = format!("step{}", i + 1);
        let written = write_revision(
            dir.path(),
            NewRevision {
                id: Some(id.clone()),
                parents: parents.clone(),
                message: &format!("step {}", i + 1),
                dialect: Sqlite.name(),
                up_sql: sql(&Sqlite, &ops, &before),
                down_sql: sql(&Sqlite, &down, &after_ops),
                extra: vec![(
                    "mssql".into(),
                    sql(&super::Mssql, &ops, &before),
                    sql(&super::Mssql, &down, &after_ops),
                )],
                branch_labels: vec![],
                run_in_transaction: true,
                timeouts: Default::default(),
            },
        );
        if let Err(e) = written {
            panic!("writing step {}: {e}", i + 1);
        }
        parents = vec![id];
        before = after_ops;
    }
    let graph = match Graph::load(dir.path()) {
        Ok(graph) => graph,
        Err(e) => panic!("{e}"),
    };
    let up: Vec<_> = graph.revisions().collect();
    let mut down = up.clone();
    down.reverse();
    for (direction, order, name) in [
        (Direction::Up, up, "mssql_offline_upgrade"),
        (Direction::Down, down, "mssql_offline_downgrade"),
    ] {
        let script =
            match crate::offline::script(&super::Mssql, "migrate_versions", &order, direction) {
                Ok(script) => script,
                Err(e) => panic!("{e}"),
            };
        assert_eq!(script.matches("\nGO\n").count(), 5, "{script}");
        if let Err(e) = parse_tsql(&script) {
            panic!("the {direction:?} script does not parse: {e}\n{script}");
        }
        // The revision files' headers carry the time they were written, and so do the
        // checksums of their SQL.
        let stable: Vec<String> = script
            .lines()
            .filter(|line| !line.starts_with("-- created: "))
            .map(|line| {
                line.split('\'')
                    .map(|piece| {
                        let checksum =
                            piece.len() == 64 && piece.bytes().all(|b| b.is_ascii_hexdigit());
                        if checksum {
                            "<checksum>"
                        } else {
                            piece
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("'")
            })
            .collect();
        insta::assert_snapshot!(name, stable.join("\n"));
    }
}
