//! Snapshots of the SQL every dialect renders for every kind of operation, up and down. The
//! fixtures are shared so that the SQLite, PostgreSQL and MySQL snapshots of one case describe
//! the same change and can be read side by side.

use super::Dialect;
use crate::diff::{diff, reverse_plan};
use crate::schema::{
    Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index, Schema, Table,
};

fn column(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column::new(name, ty, nullable)
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
            prefix_lengths: Default::default(),
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

fn user_fk() -> ForeignKey {
    ForeignKey {
        name: "fk_posts_user_id_users".into(),
        columns: vec!["user_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    }
}

fn table<'s>(schema: &'s mut Schema, name: &str) -> &'s mut Table {
    let position = schema.tables.iter().position(|t| t.name == name);
    match position {
        Some(i) => &mut schema.tables[i],
        None => panic!("no table {name} in the base schema"),
    }
}

/// The up and down SQL from `before` to the schema `change` makes of it.
fn up_and_down(dialect: &dyn Dialect, before: &Schema, change: &dyn Fn(&mut Schema)) -> String {
    let mut after = before.clone();
    change(&mut after);
    plan_text(dialect, before, &after)
}

/// The operations from `before` to `after`, and their up and down SQL.
pub(super) fn plan_text(dialect: &dyn Dialect, before: &Schema, after: &Schema) -> String {
    let ops = diff(before, after);
    let up = dialect.render(&ops, before);
    let down = dialect.render(&reverse_plan(&ops), after);
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

/// One snapshot per dialect, named `<dialect>_<case>`.
fn snapshot_each(case: &str, before: &Schema, change: &dyn Fn(&mut Schema)) {
    for &dialect in super::ALL {
        insta::assert_snapshot!(
            format!("{}_{case}", dialect.name()),
            up_and_down(dialect, before, change)
        );
    }
}

#[test]
fn create_and_drop_table() {
    snapshot_each("create_and_drop_table", &base(), &|s| {
        let mut tags = posts();
        tags.name = "tags".into();
        tags.columns.push(Column {
            default: Some(DefaultValue::Text("it's".into())),
            ..column("label", ColumnType::Varchar { max_length: 40 }, false)
        });
        tags.foreign_keys.push(user_fk());
        tags.indexes.push(Index {
            name: "uq_tags_label".into(),
            columns: vec!["label".into()],
            unique: true,
            prefix_lengths: Default::default(),
        });
        tags.checks.push(Check {
            name: "ck_tags_user".into(),
            expr: "user_id > 0".into(),
        });
        s.tables.push(tags);
    });
}

#[test]
fn create_table_with_composite_key_and_every_type() {
    snapshot_each(
        "create_table_with_composite_key_and_every_type",
        &base(),
        &|s| {
            let types = [
                ("flag", ColumnType::Boolean, Some(DefaultValue::Bool(true))),
                ("small", ColumnType::SmallInt, Some(DefaultValue::Int(-1))),
                ("medium", ColumnType::Integer, None),
                (
                    "ratio",
                    ColumnType::Real,
                    Some(DefaultValue::Float("1.5".into())),
                ),
                ("precise", ColumnType::Double, None),
                (
                    "body",
                    ColumnType::Text,
                    Some(DefaultValue::Text("".into())),
                ),
                ("payload", ColumnType::Blob, None),
                ("day", ColumnType::Date, None),
                ("at_time", ColumnType::Time, None),
                (
                    "created",
                    ColumnType::Timestamp,
                    Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into())),
                ),
                ("stamped", ColumnType::TimestampTz, None),
                ("external_id", ColumnType::Uuid, None),
                ("document", ColumnType::Json, None),
                (
                    "amount",
                    ColumnType::Numeric {
                        precision: 12,
                        scale: 2,
                    },
                    Some(DefaultValue::Float("0".into())),
                ),
                (
                    "currency",
                    ColumnType::Custom {
                        sql: "CHAR(3)".into(),
                    },
                    None,
                ),
            ];
            let mut columns = vec![
                column("user_id", ColumnType::BigInt, false),
                column("slot", ColumnType::Integer, false),
            ];
            columns.extend(types.into_iter().map(|(name, ty, default)| Column {
                default,
                ..column(name, ty, true)
            }));
            s.tables.push(Table {
                name: "everything".into(),
                columns,
                primary_key: vec!["user_id".into(), "slot".into()],
                indexes: vec![],
                foreign_keys: vec![],
                checks: vec![],
                renamed_from: None,
                comment: None,
            });
        },
    );
}

#[test]
fn rename_table() {
    snapshot_each("rename_table", &base(), &|s| {
        let t = table(s, "posts");
        t.name = "articles".into();
        t.renamed_from = Some("posts".into());
    });
}

#[test]
fn add_columns() {
    snapshot_each("add_columns", &base(), &|s| {
        let t = table(s, "users");
        t.columns.push(column("bio", ColumnType::Text, true));
        t.columns.push(Column {
            default: Some(DefaultValue::Bool(false)),
            ..column("verified", ColumnType::Boolean, false)
        });
        t.columns.push(Column {
            default: Some(DefaultValue::Text("none".into())),
            ..column("about", ColumnType::Text, false)
        });
        t.columns.push(Column {
            default: Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into())),
            ..column("created_at", ColumnType::Timestamp, false)
        });
    });
}

#[test]
fn drop_column() {
    snapshot_each("drop_column", &base(), &|s| {
        let t = table(s, "users");
        t.columns.retain(|c| c.name != "nick");
        t.indexes.clear();
    });
}

#[test]
fn rename_column() {
    snapshot_each("rename_column", &base(), &|s| {
        let t = table(s, "users");
        t.columns[2].name = "display_name".into();
        t.columns[2].renamed_from = Some("nick".into());
        t.indexes[0].columns = vec!["display_name".into()];
    });
}

#[test]
fn alter_column_type_nullability_and_default() {
    snapshot_each("alter_column_type_nullability_and_default", &base(), &|s| {
        let t = table(s, "users");
        t.columns[1].ty = ColumnType::Varchar { max_length: 50 };
        t.columns[2].nullable = false;
        t.columns[2].default = Some(DefaultValue::Text("anon".into()));
    });
}

#[test]
fn alter_column_identity() {
    snapshot_each("alter_column_identity", &base(), &|s| {
        table(s, "posts").columns[0].auto_increment = false;
    });
}

#[test]
fn add_and_drop_index() {
    snapshot_each("add_and_drop_index", &base(), &|s| {
        table(s, "users").indexes = vec![Index {
            name: "uq_users_email".into(),
            columns: vec!["email".into()],
            unique: true,
            prefix_lengths: Default::default(),
        }];
    });
}

#[test]
fn add_foreign_key() {
    snapshot_each("add_foreign_key", &base(), &|s| {
        table(s, "posts").foreign_keys.push(user_fk());
    });
}

#[test]
fn drop_foreign_key_with_covering_index() {
    let mut before = base();
    let posts = table(&mut before, "posts");
    posts.foreign_keys.push(user_fk());
    posts.indexes.push(Index {
        name: "ix_posts_user_id".into(),
        columns: vec!["user_id".into()],
        unique: false,
        prefix_lengths: Default::default(),
    });
    snapshot_each("drop_foreign_key_with_covering_index", &before, &|s| {
        table(s, "posts").foreign_keys.clear();
    });
}

#[test]
fn drop_the_index_a_foreign_key_uses() {
    let mut before = base();
    let posts = table(&mut before, "posts");
    posts.foreign_keys.push(user_fk());
    posts.indexes.push(Index {
        name: "ix_posts_user_id".into(),
        columns: vec!["user_id".into()],
        unique: false,
        prefix_lengths: Default::default(),
    });
    snapshot_each("drop_the_index_a_foreign_key_uses", &before, &|s| {
        table(s, "posts").indexes.clear();
    });
}

#[test]
fn add_check() {
    snapshot_each("add_check", &base(), &|s| {
        table(s, "posts").checks.push(Check {
            name: "ck_posts_user".into(),
            expr: "user_id > 0".into(),
        });
    });
}

#[test]
fn widen_primary_key() {
    let mut before = base();
    let posts = table(&mut before, "posts");
    posts.columns[0].auto_increment = false;
    snapshot_each("widen_primary_key", &before, &|s| {
        table(s, "posts").primary_key = vec!["id".into(), "user_id".into()];
    });
}

#[test]
fn rename_table_with_index_and_foreign_key() {
    let mut before = base();
    let posts = table(&mut before, "posts");
    posts.foreign_keys.push(user_fk());
    posts.indexes.push(Index {
        name: "ix_posts_user_id".into(),
        columns: vec!["user_id".into()],
        unique: false,
        prefix_lengths: Default::default(),
    });
    snapshot_each("rename_table_with_index_and_foreign_key", &before, &|s| {
        let t = table(s, "posts");
        t.name = "articles".into();
        t.renamed_from = Some("posts".into());
        t.indexes[0].name = "ix_articles_user_id".into();
        t.foreign_keys[0].name = "fk_articles_user_id_users".into();
    });
}
