//! Enum columns in each backend's terms ([`EnumStyle`]): the one place that reads the fact.

use super::{Dialect, EnumStyle};
use crate::schema::{Check, ColumnType, EnumType, Schema};

/// The column type of an enum column: the type's name, `ENUM('a', 'b')`, or text.
pub(super) fn spell<D: Dialect + ?Sized>(d: &D, ty: &EnumType) -> String {
    match d.facts().enum_style {
        EnumStyle::NamedType => ty.name.to_string(),
        EnumStyle::InlineColumnType => {
            let mut w = d.writer();
            w.raw("ENUM(").strings(&ty.labels).raw(")");
            w.finish()
        }
        EnumStyle::TextWithCheck => d.facts().types.spell(&ColumnType::Text),
    }
}

/// A schema's enums as the backend keeps them, before the rest of normalization: named types
/// stay in [`Schema::enums`] (their columns then read back as the type's name); elsewhere
/// the list goes, and where the labels are a CHECK, each enum column gets one
/// (`ck_<table>_<column>`) unless it has it.
pub(super) fn lower<D: Dialect + ?Sized>(d: &D, schema: &mut Schema) {
    let style = d.facts().enum_style;
    if style == EnumStyle::NamedType {
        schema.enums.sort_by(|a, b| a.name.cmp(&b.name));
        return;
    }
    schema.enums.clear();
    if style != EnumStyle::TextWithCheck {
        return;
    }
    for table in &mut schema.tables {
        let table_name = crate::sql::split_schema(&table.name).1.to_owned();
        for column in &table.columns {
            let ColumnType::Enum(ty) = &column.ty else {
                continue;
            };
            let name = crate::naming::check_name(&table_name, &column.name);
            if table.checks.iter().any(|c| c.name == name) {
                continue;
            }
            table.checks.push(Check {
                name,
                expr: labels_check(d, &column.name, ty),
            });
        }
    }
}

/// `"column" IN ('a', 'b')`.
fn labels_check<D: Dialect + ?Sized>(d: &D, column: &str, ty: &EnumType) -> String {
    let mut w = d.writer();
    w.ident(column).raw(" IN (");
    w.strings(&ty.labels);
    w.raw(")");
    w.finish()
}
