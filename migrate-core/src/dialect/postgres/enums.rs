//! Changing an enum type's labels on PostgreSQL. Renames and additions are done in place
//! (`RENAME VALUE`, `ADD VALUE … BEFORE/AFTER`), which rewrites nothing. PostgreSQL cannot
//! drop or reorder a label, so then the type is rebuilt: the old one renamed aside, the new
//! one created, each column converted through text, the old type dropped. Before that, a
//! check refuses the change, naming the column, while a row still holds a removed label.

use super::Postgres;
use crate::dialect::Dialect;
use crate::diff::{columns_using, label_changes};
use crate::schema::{Column, DefaultValue, EnumType, Schema};
use crate::sql::SqlWriter;

/// The statements that turn `from` into `to`, given the schema at that point of the plan.
pub(super) fn alter_enum(
    d: &Postgres,
    from: &EnumType,
    to: &EnumType,
    state: &Schema,
) -> Vec<String> {
    let changes = label_changes(from, to);
    let mut out: Vec<String> = changes
        .renamed
        .iter()
        .map(|(old, new)| {
            let mut w = alter_type(d, &to.name);
            w.raw(" RENAME VALUE ").string(old).raw(" TO ").string(new);
            w.finish()
        })
        .collect();
    if changes.in_place() {
        out.extend(add_values(d, to, &changes.added));
        return out;
    }
    let columns = columns_using(state, &to.name);
    if !changes.removed.is_empty() {
        out.extend(columns.iter().map(|(table, column)| {
            refuse_removed(d, &to.name, table, &column.name, &changes.removed)
        }));
    }
    let aside = format!("{}__old", crate::sql::split_schema(&to.name).1);
    let mut w = alter_type(d, &to.name);
    w.raw(" RENAME TO ").raw(&aside);
    out.push(w.finish());
    out.push(crate::dialect::statements::create_enum(d, to));
    for (table, column) in &columns {
        out.extend(convert_column(d, table, column, to));
    }
    let mut w = d.writer();
    w.raw("DROP TYPE ")
        .raw(&crate::sql::in_schema_of(&to.name, &aside));
    out.push(w.finish());
    out
}

fn alter_type(d: &Postgres, name: &str) -> SqlWriter {
    let mut w = d.writer();
    w.raw("ALTER TYPE ").raw(name);
    w
}

/// `ADD VALUE` for each new label at its place: after the label before it in the new type,
/// or, for a new first label, before the first label the old type already had.
fn add_values(d: &Postgres, to: &EnumType, added: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let first_kept = to
        .labels
        .iter()
        .find(|l| !added.iter().any(|a| a == l.as_ref()));
    for (i, label) in to.labels.iter().enumerate() {
        if !added.iter().any(|a| a == label.as_ref()) {
            continue;
        }
        let mut w = alter_type(d, &to.name);
        w.raw(" ADD VALUE IF NOT EXISTS ").string(label);
        match (i.checked_sub(1).map(|p| &to.labels[p]), first_kept) {
            (Some(previous), _) => {
                w.raw(" AFTER ").string(previous);
            }
            (None, Some(next)) => {
                w.raw(" BEFORE ").string(next);
            }
            (None, None) => {}
        }
        out.push(w.finish());
    }
    out
}

/// A block that raises, naming the column, while a row holds one of the removed labels.
fn refuse_removed(d: &Postgres, ty: &str, table: &str, column: &str, removed: &[String]) -> String {
    let mut condition = d.writer();
    condition
        .raw("EXISTS (SELECT 1 FROM ")
        .ident(table)
        .raw(" WHERE ")
        .ident(column)
        .raw("::text IN (")
        .strings(removed)
        .raw("))");
    let message = format!(
        "enum type {ty}: rows of {table}.{column} still hold a label this revision removes ({}); \
         change those rows first",
        removed.join(", ")
    );
    let mut w = d.writer();
    w.raw("DO $migrate$ BEGIN IF ")
        .raw(&condition.finish())
        .raw(" THEN RAISE EXCEPTION '%', ")
        .string(&message)
        .raw("; END IF; END $migrate$");
    w.finish()
}

/// A column moved onto the rebuilt type: its default goes first (it is of the old type)
/// and comes back when its label still exists.
fn convert_column(d: &Postgres, table: &str, column: &Column, to: &EnumType) -> Vec<String> {
    let alter = || {
        let mut w = d.writer();
        w.raw("ALTER TABLE ")
            .ident(table)
            .raw(" ALTER COLUMN ")
            .ident(&column.name);
        w
    };
    let mut out = Vec::new();
    if column.default.is_some() {
        let mut w = alter();
        w.raw(" DROP DEFAULT");
        out.push(w.finish());
    }
    let mut w = alter();
    w.raw(" TYPE ")
        .raw(&to.name)
        .raw(" USING ")
        .ident(&column.name)
        .raw("::text::")
        .raw(&to.name);
    out.push(w.finish());
    if let Some(default) = &column.default {
        let keeps = !matches!(default, DefaultValue::Text(label) if !to.has_label(label));
        if keeps {
            let mut w = alter();
            w.raw(" SET DEFAULT ").raw(&d.default_sql(default));
            out.push(w.finish());
        }
    }
    out
}
