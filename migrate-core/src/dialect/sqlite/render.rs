//! SQLite rendering. SQLite alters little in place: what it cannot (changing a column,
//! dropping one, adding or dropping a foreign key or check) is done by rebuilding the table:
//! create the new shape under a temporary name, copy the rows, drop the old table, rename,
//! recreate its indexes. Foreign keys must be off while that runs (the runner sees to it)
//! and are checked before the revision commits.

use super::Sqlite;
use crate::dialect::Dialect;
use crate::diff::{apply, Op};
use crate::schema::{DefaultValue, Schema, Table};

/// Whether SQLite needs a table rebuild for this operation.
fn needs_rebuild(op: &Op) -> bool {
    match op {
        Op::AddColumn { column, .. } => {
            // ADD COLUMN takes NOT NULL only with a constant default, never a key.
            let constant_default =
                matches!(&column.default, Some(d) if !matches!(d, DefaultValue::Sql(_)));
            column.auto_increment || !(column.nullable || constant_default)
        }
        Op::DropColumn { .. }
        | Op::AlterColumn { .. }
        | Op::AddForeignKey { .. }
        | Op::DropForeignKey { .. }
        | Op::AddCheck { .. }
        | Op::DropCheck { .. } => true,
        Op::CreateTable { .. }
        | Op::DropTable { .. }
        | Op::RenameTable { .. }
        | Op::RenameColumn { .. }
        | Op::AddIndex { .. }
        | Op::DropIndex { .. } => false,
    }
}

pub(super) fn render(dialect: &Sqlite, ops: &[Op], before: &Schema) -> Vec<String> {
    let mut state = before.clone();
    let mut statements = Vec::new();
    // The table being rebuilt and its shape before the first of its consecutive rebuild ops.
    let mut pending: Option<Table> = None;

    for op in ops {
        if needs_rebuild(op) {
            let same_table = pending.as_ref().is_some_and(|t| t.name == op.table());
            if !same_table {
                flush(dialect, &mut pending, &state, &mut statements);
                pending = state.table(op.table()).cloned();
            }
        } else {
            flush(dialect, &mut pending, &state, &mut statements);
            statements.extend(render_in_place(dialect, op));
        }
        apply(&mut state, op);
    }
    flush(dialect, &mut pending, &state, &mut statements);
    statements
}

fn flush(dialect: &Sqlite, pending: &mut Option<Table>, state: &Schema, out: &mut Vec<String>) {
    let Some(old) = pending.take() else {
        return;
    };
    if let Some(new) = state.table(&old.name) {
        out.extend(rebuild(dialect, &old, new));
    }
}

fn render_in_place(dialect: &Sqlite, op: &Op) -> Vec<String> {
    let mut w = dialect.writer();
    match op {
        Op::CreateTable { table } => {
            let mut out = vec![dialect.create_table(table)];
            out.extend(
                table
                    .indexes
                    .iter()
                    .map(|index| dialect.create_index(&table.name, index)),
            );
            return out;
        }
        Op::DropTable { table } => {
            w.raw("DROP TABLE ").ident(&table.name);
        }
        Op::RenameTable { from, to } => {
            w.raw("ALTER TABLE ")
                .ident(from)
                .raw(" RENAME TO ")
                .ident(to);
        }
        Op::RenameColumn { table, from, to } => {
            w.raw("ALTER TABLE ")
                .ident(table)
                .raw(" RENAME COLUMN ")
                .ident(from)
                .raw(" TO ")
                .ident(to);
        }
        Op::AddColumn { table, column } => {
            w.raw("ALTER TABLE ")
                .ident(table)
                .raw(" ADD COLUMN ")
                .raw(&dialect.column_definition(column, false));
        }
        Op::AddIndex { table, index } => return vec![dialect.create_index(table, index)],
        Op::DropIndex { index, .. } => {
            w.raw("DROP INDEX ").ident(&index.name);
        }
        Op::DropColumn { .. }
        | Op::AlterColumn { .. }
        | Op::AddForeignKey { .. }
        | Op::DropForeignKey { .. }
        | Op::AddCheck { .. }
        | Op::DropCheck { .. } => return vec![],
    }
    vec![w.finish()]
}

/// The rebuild from `old` to `new` (same name), keeping every row.
fn rebuild(dialect: &Sqlite, old: &Table, new: &Table) -> Vec<String> {
    let temporary = format!("_migrate_rebuild_{}", new.name);
    let mut shape = new.clone();
    shape.name.clone_from(&temporary);
    let mut statements = vec![dialect.create_table(&shape)];

    let kept: Vec<_> = new
        .columns
        .iter()
        .filter(|c| old.column(&c.name).is_some())
        .collect();
    let mut copy = dialect.writer();
    copy.raw("INSERT INTO ")
        .ident(&temporary)
        .raw(" (")
        .idents(&kept.iter().map(|c| c.name.as_str()).collect::<Vec<_>>())
        .raw(") SELECT ");
    for (i, column) in kept.iter().enumerate() {
        if i > 0 {
            copy.raw(", ");
        }
        let was_nullable = old.column(&column.name).is_some_and(|c| c.nullable);
        match (&column.default, was_nullable && !column.nullable) {
            // Rows holding NULL take the default when the column becomes NOT NULL.
            (Some(default), true) => {
                copy.raw("COALESCE(")
                    .ident(&column.name)
                    .raw(", ")
                    .raw(&dialect.default_sql(default))
                    .raw(")");
            }
            _ => {
                copy.ident(&column.name);
            }
        }
    }
    copy.raw(" FROM ").ident(&old.name);
    statements.push(copy.finish());

    let mut drop = dialect.writer();
    drop.raw("DROP TABLE ").ident(&old.name);
    statements.push(drop.finish());

    let mut rename = dialect.writer();
    rename
        .raw("ALTER TABLE ")
        .ident(&temporary)
        .raw(" RENAME TO ")
        .ident(&new.name);
    statements.push(rename.finish());

    statements.extend(
        new.indexes
            .iter()
            .map(|index| dialect.create_index(&new.name, index)),
    );
    statements
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff, reverse_plan};
    use crate::schema::{Check, Column, ColumnType, FkAction, ForeignKey, Index};

    fn column(name: &str, ty: ColumnType, nullable: bool) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable,
            default: None,
            auto_increment: false,
            renamed_from: None,
            comment: None,
        }
    }

    fn id() -> Column {
        Column {
            auto_increment: true,
            ..column("id", ColumnType::BigInt, false)
        }
    }

    fn users() -> Table {
        Table {
            name: "users".into(),
            columns: vec![
                id(),
                column("email", ColumnType::Varchar { max_length: 30 }, false),
                column("nick", ColumnType::Text, true),
            ],
            primary_key: vec!["id".into()],
            indexes: vec![Index {
                name: "ix_users_nick".into(),
                columns: vec!["nick".into()],
                unique: false,
            }],
            foreign_keys: vec![],
            checks: vec![],
            renamed_from: None,
            comment: None,
        }
    }

    fn posts() -> Table {
        Table {
            name: "posts".into(),
            columns: vec![id(), column("user_id", ColumnType::BigInt, false)],
            primary_key: vec!["id".into()],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![],
            renamed_from: None,
            comment: None,
        }
    }

    fn base() -> Schema {
        Schema::new(vec![users(), posts()])
    }

    /// The up and down SQL from `base()` to the schema `change` makes of it.
    fn up_and_down(change: impl FnOnce(&mut Schema)) -> String {
        let before = base();
        let mut after = base();
        change(&mut after);
        let ops = diff(&before, &after);
        let up = render(&Sqlite, &ops, &before);
        let down = render(&Sqlite, &reverse_plan(&ops), &after);
        format!(
            "-- ops\n{}\n-- up\n{};\n-- down\n{};\n",
            ops.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            up.join(";\n"),
            down.join(";\n")
        )
    }

    fn table<'s>(schema: &'s mut Schema, name: &str) -> &'s mut Table {
        schema
            .tables
            .iter_mut()
            .find(|t| t.name == name)
            .expect("table in the base schema")
    }

    #[test]
    fn create_and_drop_table() {
        insta::assert_snapshot!(up_and_down(|s| {
            let mut tags = posts();
            tags.name = "tags".into();
            tags.checks.push(Check {
                name: "ck_tags_user".into(),
                expr: "user_id > 0".into(),
            });
            s.tables.push(tags);
        }));
    }

    #[test]
    fn rename_table() {
        insta::assert_snapshot!(up_and_down(|s| {
            let t = table(s, "posts");
            t.name = "articles".into();
            t.renamed_from = Some("posts".into());
        }));
    }

    #[test]
    fn add_nullable_column_and_column_with_constant_default() {
        insta::assert_snapshot!(up_and_down(|s| {
            let t = table(s, "users");
            t.columns.push(column("bio", ColumnType::Text, true));
            t.columns.push(Column {
                default: Some(crate::schema::DefaultValue::Bool(false)),
                ..column("verified", ColumnType::Boolean, false)
            });
        }));
    }

    #[test]
    fn add_column_with_expression_default_rebuilds() {
        insta::assert_snapshot!(up_and_down(|s| {
            table(s, "users").columns.push(Column {
                default: Some(crate::schema::DefaultValue::Sql("CURRENT_TIMESTAMP".into())),
                ..column("created_at", ColumnType::Timestamp, false)
            });
        }));
    }

    #[test]
    fn rename_column() {
        insta::assert_snapshot!(up_and_down(|s| {
            let c = &mut table(s, "users").columns[2];
            c.name = "display_name".into();
            c.renamed_from = Some("nick".into());
            table(s, "users").indexes[0].columns = vec!["display_name".into()];
        }));
    }

    #[test]
    fn alter_column_type_and_nullability() {
        insta::assert_snapshot!(up_and_down(|s| {
            let t = table(s, "users");
            t.columns[1].ty = ColumnType::Varchar { max_length: 50 };
            t.columns[2].nullable = false;
            t.columns[2].default = Some(crate::schema::DefaultValue::Text("anon".into()));
        }));
    }

    #[test]
    fn drop_column() {
        insta::assert_snapshot!(up_and_down(|s| {
            let t = table(s, "users");
            t.columns.retain(|c| c.name != "nick");
            t.indexes.clear();
        }));
    }

    #[test]
    fn add_and_drop_index_and_unique() {
        insta::assert_snapshot!(up_and_down(|s| {
            let t = table(s, "users");
            t.indexes = vec![Index {
                name: "uq_users_email".into(),
                columns: vec!["email".into()],
                unique: true,
            }];
        }));
    }

    #[test]
    fn add_foreign_key_and_check() {
        insta::assert_snapshot!(up_and_down(|s| {
            let t = table(s, "posts");
            t.foreign_keys.push(ForeignKey {
                name: "fk_posts_user_id_users".into(),
                columns: vec!["user_id".into()],
                ref_table: "users".into(),
                ref_columns: vec!["id".into()],
                on_delete: FkAction::Cascade,
                on_update: FkAction::NoAction,
            });
            t.checks.push(Check {
                name: "ck_posts_user".into(),
                expr: "user_id > 0".into(),
            });
        }));
    }
}
