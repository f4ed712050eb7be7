//! Online plans: the forms of an operation on a live table that let the application keep
//! writing while it runs. A plain `CREATE INDEX` blocks writes for the whole build, `ADD
//! FOREIGN KEY` and `ADD CHECK` hold their lock while every row is checked, and `SET NOT NULL`
//! scans the table under an exclusive lock. Instead:
//!
//! - indexes are built and dropped `CONCURRENTLY`;
//! - a foreign key or check is added `NOT VALID` (a moment's lock), then `VALIDATE CONSTRAINT`
//!   checks the rows under a lock that lets writes through;
//! - NOT NULL goes through a validated `CHECK (col IS NOT NULL)`, which lets `SET NOT NULL`
//!   skip its scan (PostgreSQL 12+), and the check is dropped after.
//!
//! Each statement must commit on its own (`CONCURRENTLY` cannot run in a transaction, and a
//! `VALIDATE` in the transaction of its `ADD` would keep the `ADD`'s lock), so a revision with
//! such statements runs outside a transaction, tracked statement by statement.

use super::{enums, render, Postgres};
use crate::dialect::statements::{
    check_clause, create_index_with, fill_nulls, foreign_key_clause, in_place,
};
use crate::dialect::text::truncate_identifier;
use crate::dialect::Dialect;
use crate::diff::{apply, Op};
use crate::schema::{Check, Column, Schema};
use crate::sql::{in_schema_of, split_schema};

/// The plan in online forms, or `None` when no operation of it touches a live table in a way
/// that has one (the plain rendering is then the same and may keep its transaction).
pub(super) fn render_online(d: &Postgres, ops: &[Op], before: &Schema) -> Option<Vec<String>> {
    // Live: the table exists before the plan (one created by it is empty; no one waits).
    let live = |table: &str| before.table(table).is_some();
    let mut rewritten = false;
    let mut state = before.clone();
    let mut out = Vec::new();
    for op in ops {
        match op {
            Op::AddIndex { table, index } if live(table) => {
                out.push(create_index_with(d, table, index, true));
                rewritten = true;
            }
            Op::DropIndex { table, index } if live(table) => {
                let mut w = d.writer();
                w.raw("DROP INDEX CONCURRENTLY ")
                    .ident(&in_schema_of(table, &index.name));
                out.push(w.finish());
                rewritten = true;
            }
            Op::AddForeignKey { table, foreign_key } if live(table) => {
                out.push(add_not_valid(d, table, &foreign_key_clause(d, foreign_key)));
                out.push(validate(d, table, &foreign_key.name));
                rewritten = true;
            }
            Op::AddCheck { table, check } if live(table) => {
                out.push(add_not_valid(d, table, &check_clause(d, check)));
                out.push(validate(d, table, &check.name));
                rewritten = true;
            }
            Op::AlterColumn { table, from, to } if live(table) && from.nullable && !to.nullable => {
                out.extend(set_not_null(d, table, from, to));
                rewritten = true;
            }
            Op::AlterEnum { from, to } => out.extend(enums::alter_enum(d, from, to, &state)),
            other => out.extend(in_place(d, other)),
        }
        apply(&mut state, op);
    }
    rewritten.then_some(out)
}

/// `ALTER TABLE t ADD <constraint> NOT VALID`: new and changed rows are checked from now on,
/// existing ones not yet.
fn add_not_valid(d: &Postgres, table: &str, constraint: &str) -> String {
    let mut w = d.alter_table(table);
    w.raw(" ADD ").raw(constraint).raw(" NOT VALID");
    w.finish()
}

fn validate(d: &Postgres, table: &str, name: &str) -> String {
    let mut w = d.alter_table(table);
    w.raw(" VALIDATE CONSTRAINT ").ident(name);
    w.finish()
}

/// The column's other changes as usual, then NOT NULL through a validated check.
fn set_not_null(d: &Postgres, table: &str, from: &Column, to: &Column) -> Vec<String> {
    let still_nullable = Column {
        nullable: true,
        ..to.clone()
    };
    let mut out = render::alter_column(d, table, from, &still_nullable);
    if let Some(default) = &to.default {
        // Rows holding NULL take the default, as in the plain plan.
        out.push(fill_nulls(d, table, &to.name, default));
    }
    let mut name = format!("ck_{}_{}_not_null", split_schema(table).1, to.name);
    truncate_identifier(&mut name, 63);
    let mut expr = d.writer();
    expr.ident(&to.name).raw(" IS NOT NULL");
    let check = Check {
        name: name.clone(),
        expr: expr.finish(),
    };
    out.push(add_not_valid(d, table, &check_clause(d, &check)));
    out.push(validate(d, table, &name));
    let mut w = d.alter_table(table);
    w.raw(" ALTER COLUMN ").ident(&to.name).raw(" SET NOT NULL");
    out.push(w.finish());
    let mut w = d.alter_table(table);
    w.raw(" DROP CONSTRAINT ").ident(&name);
    out.push(w.finish());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ColumnType, ForeignKey, Index, Table};

    fn accounts() -> Table {
        let mut table = Table::new("accounts");
        table.columns = vec![
            Column::new("id", ColumnType::BigInt, false),
            Column::new("owner_id", ColumnType::BigInt, false),
            Column::new("email", ColumnType::Varchar { max_length: 120 }, true),
        ];
        table.primary_key = vec!["id".into()];
        table.indexes.push(Index {
            name: "ix_accounts_old".into(),
            columns: vec!["owner_id".into()],
            unique: false,
            prefix_lengths: Default::default(),
        });
        table
    }

    /// Every rewrite on a live table, and none on a table the plan creates.
    #[test]
    fn live_tables_get_online_forms_and_new_ones_plain() {
        let before = Schema::new(vec![accounts()]);
        let email = accounts().columns[2].clone();
        let mut added = Table::new("notes");
        added.columns = vec![Column::new("id", ColumnType::BigInt, false)];
        let new_index = |table: &str, name: &str, unique: bool| Op::AddIndex {
            table: table.into(),
            index: Index {
                name: name.into(),
                columns: vec!["id".into()],
                unique,
                prefix_lengths: Default::default(),
            },
        };
        let ops = vec![
            Op::CreateTable { table: added },
            new_index("notes", "ix_notes_id", false),
            new_index("accounts", "uq_accounts_id", true),
            Op::DropIndex {
                table: "accounts".into(),
                index: accounts().indexes[0].clone(),
            },
            Op::AddForeignKey {
                table: "accounts".into(),
                foreign_key: ForeignKey {
                    name: "fk_accounts_owner_id_accounts".into(),
                    columns: vec!["owner_id".into()],
                    ref_table: "accounts".into(),
                    ref_columns: vec!["id".into()],
                    on_delete: Default::default(),
                    on_update: Default::default(),
                },
            },
            Op::AddCheck {
                table: "accounts".into(),
                check: Check {
                    name: "ck_accounts_email".into(),
                    expr: "email <> ''".into(),
                },
            },
            Op::AlterColumn {
                table: "accounts".into(),
                from: email.clone(),
                to: Column {
                    nullable: false,
                    ty: ColumnType::Text,
                    default: Some(crate::schema::DefaultValue::Text("none".into())),
                    ..email
                },
            },
        ];
        let Some(statements) = render_online(&Postgres, &ops, &before) else {
            panic!("no online form for a plan on a live table");
        };
        insta::assert_snapshot!(statements.join(";\n"));
        // Nothing on a live table: the plain plan, which may keep its transaction.
        assert_eq!(render_online(&Postgres, &ops[..2], &before), None);
    }
}
