use crate::dialect;
use crate::diff::Severity;

use super::lint_sql;

fn findings(dialect_name: &str, sql: &str, in_transaction: bool) -> Vec<(Severity, String)> {
    let facts = dialect::by_name(dialect_name)
        .expect("a known dialect")
        .facts();
    lint_sql(sql, facts, in_transaction)
        .into_iter()
        .map(|f| (f.severity, f.message))
        .collect()
}

fn severities(dialect_name: &str, sql: &str) -> Vec<Severity> {
    findings(dialect_name, sql, true)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

#[test]
fn data_loss_is_an_error_on_every_dialect() {
    for dialect_name in ["sqlite", "postgres", "mysql"] {
        let found = findings(
            dialect_name,
            "DROP TABLE users;\nALTER TABLE posts DROP COLUMN body;\nDELETE FROM tags;\n\
             ALTER TABLE posts ADD COLUMN rank INTEGER NOT NULL;",
            true,
        );
        let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert!(
            found.iter().all(|(s, _)| *s == Severity::Error),
            "{dialect_name}: {found:?}"
        );
        assert_eq!(
            messages,
            [
                "drops table `users` and every row in it",
                "drops column `posts.body` and its data",
                "deletes every row (no WHERE clause)",
                "adds `posts.rank` NOT NULL without a default: fails if the table has rows",
            ],
            "{dialect_name}"
        );
    }
}

#[test]
fn what_is_safe_is_quiet() {
    let sql = "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\
               CREATE INDEX ix_tags_name ON tags (name);\n\
               ALTER TABLE posts ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;\n\
               ALTER TABLE posts ADD COLUMN note TEXT;\n\
               UPDATE posts SET rank = 1 WHERE id < 100;\n\
               DELETE FROM posts WHERE id = 3;";
    for dialect_name in ["sqlite", "postgres", "mysql"] {
        assert_eq!(severities(dialect_name, sql), [], "{dialect_name}");
    }
}

#[test]
fn an_sqlite_rebuild_is_not_a_drop() {
    let sql = "CREATE TABLE \"__new_posts\" (id INTEGER PRIMARY KEY, title TEXT NOT NULL);\n\
               INSERT INTO \"__new_posts\" (id, title) SELECT id, title FROM \"posts\";\n\
               DROP TABLE \"posts\";\n\
               ALTER TABLE \"__new_posts\" RENAME TO \"posts\";";
    let found = findings("sqlite", sql, true);
    assert_eq!(
        found,
        [(
            Severity::Warning,
            "rebuilds `posts`: check that its rows are copied first".to_owned()
        )]
    );
}

#[test]
fn locks_come_from_the_dialect_facts() {
    // PostgreSQL builds an index under a write lock and rewrites a table for a type change;
    // SQLite has neither warning (its facts say nothing locks).
    let sql = "CREATE INDEX ix_posts_title ON posts (title);\n\
               ALTER TABLE posts ALTER COLUMN rank TYPE BIGINT;";
    assert_eq!(
        severities("postgres", sql),
        [Severity::Warning, Severity::Warning, Severity::Warning]
    );
    let pg = findings("postgres", sql, true);
    assert!(pg[0].1.contains("blocks writes"), "{pg:?}");
    assert!(pg[1].1.contains("check it is not narrower"), "{pg:?}");
    assert!(pg[2].1.contains("exclusive lock"), "{pg:?}");
    assert_eq!(
        severities("sqlite", "CREATE INDEX ix_posts_title ON posts (title);"),
        []
    );
    assert_eq!(
        severities("postgres", "CREATE INDEX CONCURRENTLY ix ON posts (title);").len(),
        1,
        "inside a transaction it fails"
    );
    assert_eq!(
        findings(
            "postgres",
            "CREATE INDEX CONCURRENTLY ix ON posts (title);",
            false
        ),
        []
    );
}

#[test]
fn mysql_modify_and_not_null_are_reviewed() {
    let found = findings(
        "mysql",
        "ALTER TABLE posts MODIFY COLUMN title VARCHAR(20) NOT NULL;",
        false,
    );
    assert_eq!(
        found.len(),
        1 + usize::from(
            dialect::by_name("mysql")
                .unwrap()
                .facts()
                .alter_column_rewrites
                .is_some()
        )
    );
    assert!(found[0].1.contains("changes the type of `posts.title`"));
    let found = findings(
        "postgres",
        "ALTER TABLE posts ALTER COLUMN title SET NOT NULL;",
        true,
    );
    assert!(
        found[0].1.contains("fails if any row still holds NULL"),
        "{found:?}"
    );
}

#[test]
fn an_unreadable_statement_is_a_warning_not_a_failure() {
    let found = findings(
        "sqlite",
        "FROBNICATE the database;\nDROP TABLE users;",
        true,
    );
    assert_eq!(found[0].0, Severity::Error);
    assert_eq!(found[1].0, Severity::Warning);
    assert!(
        found[1]
            .1
            .starts_with("the lint cannot read this statement"),
        "{found:?}"
    );
}
