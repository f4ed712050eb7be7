//! The lint of a revision as written: its up SQL, hand-written or generated, read statement by
//! statement (sqlparser, in the revision's dialect). The same severities as the lint of a plan
//! ([`crate::diff::lint`]): an error loses data or fails on existing rows, a warning holds a
//! live table locked or asks for a look. It reads only what each statement says, so what it
//! cannot know (whether a new type is narrower, whether a column still holds NULL) is a
//! warning that says what to check.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, ObjectName, ObjectType,
    RenameTableNameKind, Statement,
};
use sqlparser::dialect::{
    Dialect as ParserDialect, GenericDialect, MsSqlDialect, MySqlDialect, PostgreSqlDialect,
    SQLiteDialect,
};
use sqlparser::parser::Parser;

use crate::dialect::{Dialect, DialectFacts};
use crate::diff::{Finding, Severity};
use crate::sql::split_statements;

use super::Revision;

/// The findings for the up SQL `revision` runs on `dialect`, errors first.
pub fn lint_revision(revision: &Revision, dialect: &dyn Dialect) -> Vec<Finding> {
    let (up, _) = revision.sql_for(dialect.name());
    lint_sql(
        up,
        dialect.facts(),
        revision.runs_in_transaction_on(dialect),
    )
}

/// The findings for the statements of `script` on the dialect with `facts`; `in_transaction`
/// says whether the script runs inside a transaction. Errors first, then in script order.
pub fn lint_sql(script: &str, facts: &DialectFacts, in_transaction: bool) -> Vec<Finding> {
    let parser_dialect = parser_dialect(facts.name);
    let statements: Vec<(String, Result<Statement, String>)> = split_statements(script)
        .into_iter()
        .map(|text| {
            let parsed = Parser::parse_sql(parser_dialect.as_ref(), &text)
                .map_err(|e| e.to_string())
                .and_then(|mut parsed| match parsed.len() {
                    1 => Ok(parsed.remove(0)),
                    n => Err(format!("read as {n} statements")),
                });
            (text, parsed)
        })
        .collect();
    let script_facts = ScriptFacts::of(statements.iter().filter_map(|(_, s)| s.as_ref().ok()));

    let mut out = Vec::new();
    for (text, parsed) in &statements {
        let mut push = |severity, message: String| {
            out.push(Finding {
                severity,
                operation: label(text),
                message,
            });
        };
        match parsed {
            Ok(statement) => {
                lint_statement(statement, facts, in_transaction, &script_facts, &mut push)
            }
            Err(why) => push(
                Severity::Warning,
                format!("the lint cannot read this statement ({why}): review it by hand"),
            ),
        }
    }
    out.sort_by_key(|f| f.severity);
    out
}

/// What the whole script does that changes how one statement reads.
struct ScriptFacts {
    /// Tables the script creates: they are empty, so nothing waits on them or loses rows.
    created: Vec<String>,
    /// Names the script renames a table to: a table dropped under such a name is being
    /// rebuilt (SQLite's copy, drop, rename), its rows copied first.
    renamed_to: Vec<String>,
}

impl ScriptFacts {
    fn of<'s>(statements: impl Iterator<Item = &'s Statement>) -> Self {
        let mut facts = ScriptFacts {
            created: Vec::new(),
            renamed_to: Vec::new(),
        };
        for statement in statements {
            match statement {
                Statement::CreateTable(create) => facts.created.push(name(&create.name)),
                Statement::AlterTable(alter) => {
                    for operation in &alter.operations {
                        if let AlterTableOperation::RenameTable {
                            table_name: RenameTableNameKind::To(to) | RenameTableNameKind::As(to),
                        } = operation
                        {
                            facts.renamed_to.push(name(to));
                        }
                    }
                }
                _ => {}
            }
        }
        facts
    }

    fn is_new(&self, table: &str) -> bool {
        self.created.iter().any(|t| t == table)
    }
}

fn lint_statement(
    statement: &Statement,
    facts: &DialectFacts,
    in_transaction: bool,
    script: &ScriptFacts,
    push: &mut dyn FnMut(Severity, String),
) {
    match statement {
        Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => {
            for table in names.iter().map(name) {
                if script.renamed_to.contains(&table) {
                    push(
                        Severity::Warning,
                        format!("rebuilds `{table}`: check that its rows are copied first"),
                    );
                } else if !script.is_new(&table) {
                    push(
                        Severity::Error,
                        format!("drops table `{table}` and every row in it"),
                    );
                }
            }
        }
        Statement::Truncate(truncate) => {
            for target in &truncate.table_names {
                push(
                    Severity::Error,
                    format!("removes every row of `{}`", name(&target.name)),
                );
            }
        }
        Statement::Delete(delete) if delete.selection.is_none() => push(
            Severity::Error,
            "deletes every row (no WHERE clause)".to_owned(),
        ),
        Statement::Update(update) if update.selection.is_none() => push(
            Severity::Warning,
            "updates every row in one statement (no WHERE clause): a big table stays locked \
             until it ends; batches keep it short"
                .to_owned(),
        ),
        Statement::CreateIndex(index) => {
            let table = name(&index.table_name);
            if index.concurrently && in_transaction {
                push(
                    Severity::Error,
                    "CREATE INDEX CONCURRENTLY cannot run inside a transaction: set \
                     `run_in_transaction = false` in the revision's metadata.toml"
                        .to_owned(),
                );
            } else if !index.concurrently && !script.is_new(&table) {
                if let Some(locks) = facts.index_build_locks {
                    push(Severity::Warning, format!("on `{table}`: {locks}"));
                }
            }
        }
        Statement::AlterTable(alter) => {
            let table = name(&alter.name);
            if script.is_new(&table) {
                return;
            }
            for operation in &alter.operations {
                lint_alter(&table, operation, facts, push);
            }
        }
        _ => {}
    }
}

fn lint_alter(
    table: &str,
    operation: &AlterTableOperation,
    facts: &DialectFacts,
    push: &mut dyn FnMut(Severity, String),
) {
    let type_change = |column: &str| {
        format!(
            "changes the type of `{table}.{column}`: values that do not fit the new type are \
             lost or rejected; check it is not narrower"
        )
    };
    let rewrites = |push: &mut dyn FnMut(Severity, String)| {
        if let Some(rewrites) = facts.alter_column_rewrites {
            push(Severity::Warning, format!("on `{table}`: {rewrites}"));
        }
    };
    match operation {
        AlterTableOperation::DropColumn { column_names, .. } => {
            for column in column_names {
                push(
                    Severity::Error,
                    format!("drops column `{table}.{}` and its data", column.value),
                );
            }
        }
        AlterTableOperation::AddColumn { column_def, .. } => {
            let has = |wanted: fn(&ColumnOption) -> bool| {
                column_def.options.iter().any(|o| wanted(&o.option))
            };
            let not_null =
                has(|o| matches!(o, ColumnOption::NotNull | ColumnOption::PrimaryKey(_)));
            let filled =
                has(|o| matches!(o, ColumnOption::Default(_) | ColumnOption::Generated { .. }));
            if not_null && !filled {
                push(
                    Severity::Error,
                    format!(
                        "adds `{table}.{}` NOT NULL without a default: fails if the table has rows",
                        column_def.name.value
                    ),
                );
            }
        }
        AlterTableOperation::AlterColumn { column_name, op } => match op {
            AlterColumnOperation::SetNotNull => {
                push(
                    Severity::Warning,
                    format!(
                        "makes `{table}.{}` NOT NULL: fails if any row still holds NULL \
                         (fill them in an earlier revision)",
                        column_name.value
                    ),
                );
                rewrites(push);
            }
            AlterColumnOperation::SetDataType { .. } => {
                push(Severity::Warning, type_change(&column_name.value));
                rewrites(push);
            }
            _ => {}
        },
        AlterTableOperation::ModifyColumn { col_name, .. } => {
            push(Severity::Warning, type_change(&col_name.value));
            rewrites(push);
        }
        AlterTableOperation::ChangeColumn { old_name, .. } => {
            push(Severity::Warning, type_change(&old_name.value));
            rewrites(push);
        }
        _ => {}
    }
}

/// The parser for a dialect's SQL; a dialect it has no parser for is read generically.
fn parser_dialect(name: &str) -> Box<dyn ParserDialect> {
    match name {
        "sqlite" => Box::new(SQLiteDialect {}),
        "postgres" => Box::new(PostgreSqlDialect {}),
        "mysql" => Box::new(MySqlDialect {}),
        "mssql" => Box::new(MsSqlDialect {}),
        _ => Box::new(GenericDialect {}),
    }
}

/// A table's name as the statement writes it, without quotes (`"public"."users"` →
/// `public.users`).
fn name(object: &ObjectName) -> String {
    object
        .0
        .iter()
        .map(|part| {
            part.as_ident()
                .map_or_else(|| part.to_string(), |ident| ident.value.clone())
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The statement as a finding names it: its first line, shortened.
fn label(text: &str) -> String {
    let first = text.trim().lines().next().unwrap_or_default().trim();
    const MAX: usize = 80;
    if first.chars().count() > MAX {
        let cut: String = first.chars().take(MAX - 1).collect();
        format!("{cut}…")
    } else {
        first.trim_end_matches(';').to_owned()
    }
}

#[cfg(test)]
mod tests;
