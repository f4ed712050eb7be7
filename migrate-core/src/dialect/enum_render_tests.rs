//! Snapshots of the SQL each dialect renders for enum columns, up and down. Unlike the other
//! render cases, both sides are normalized first, as autogenerate does: that is where each
//! dialect decides what an enum is (a type, a column type, a CHECK).

use std::borrow::Cow;

use crate::schema::{Column, ColumnType, DefaultValue, EnumType, LabelRename, Schema, Table};

fn mood(labels: &[&str]) -> EnumType {
    EnumType::new("mood", labels.iter().map(|l| (*l).to_owned()).collect())
}

fn people(mood: Option<&EnumType>) -> Schema {
    let mut table = Table::new("people");
    table.primary_key = vec!["id".into()];
    table.columns.push(Column {
        name: "id".into(),
        ty: ColumnType::BigInt,
        nullable: false,
        default: None,
        auto_increment: true,
        renamed_from: None,
        comment: None,
    });
    if let Some(ty) = mood {
        table.columns.push(Column {
            name: "mood".into(),
            ty: ColumnType::Enum(ty.clone()),
            nullable: false,
            default: Some(DefaultValue::Text("happy".into())),
            auto_increment: false,
            renamed_from: None,
            comment: None,
        });
    }
    let mut schema = Schema::new(vec![table]);
    schema.enums = mood.into_iter().cloned().collect();
    schema
}

fn snapshot_each(case: &str, before: &Schema, after: &Schema) {
    for &dialect in super::ALL {
        let (before, after) = (dialect.normalize(before), dialect.normalize(after));
        let text = super::render_tests::plan_text(dialect, &before, &after);
        insta::assert_snapshot!(format!("{}_{case}", dialect.name()), text);
    }
}

#[test]
fn enum_column_created() {
    snapshot_each(
        "enum_column_created",
        &people(None),
        &people(Some(&mood(&["happy", "sad"]))),
    );
}

#[test]
fn enum_labels_added() {
    snapshot_each(
        "enum_labels_added",
        &people(Some(&mood(&["happy", "sad"]))),
        &people(Some(&mood(&["calm", "happy", "meh", "sad", "elated"]))),
    );
}

#[test]
fn enum_label_renamed() {
    let mut renamed = mood(&["happy", "unhappy"]);
    renamed.renamed = Cow::Owned(vec![LabelRename {
        from: "sad".into(),
        to: "unhappy".into(),
    }]);
    snapshot_each(
        "enum_label_renamed",
        &people(Some(&mood(&["happy", "sad"]))),
        &people(Some(&renamed)),
    );
}

#[test]
fn enum_label_removed() {
    snapshot_each(
        "enum_label_removed",
        &people(Some(&mood(&["happy", "sad", "meh"]))),
        &people(Some(&mood(&["happy", "sad"]))),
    );
}
