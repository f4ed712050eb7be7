//! Rules that no single attribute can enforce on its own. Each error points at the key or
//! field that has to change and says how.

use std::collections::BTreeMap;

use syn::ext::IdentExt;

use crate::ast::{Container, Field};
use crate::ctxt::Ctxt;

pub fn check(cx: &mut Ctxt, container: &Container) {
    for field in &container.fields {
        check_field(cx, field);
    }
    check_unique_columns(cx, container);
    check_primary_key(cx, container);
    check_index_columns(cx, container);
}

fn check_field(cx: &mut Ctxt, field: &Field) {
    let attrs = &field.attrs;
    if let Some(skip) = attrs.skip.as_ref() {
        let others: Vec<String> = attrs
            .keys
            .iter()
            .filter(|(key, _)| *key != "skip")
            .map(|(key, _)| format!("`{key}`"))
            .collect();
        if !others.is_empty() {
            cx.error_at(
                skip.span,
                format!(
                    "`skip` cannot be combined with {}: a skipped field is not a column; \
                     remove `skip` or the other keys",
                    others.join(", ")
                ),
            );
        }
        // The remaining rules are about columns, which a skipped field is not.
        return;
    }
    if attrs.sql_type.is_some() {
        let ignored = [
            ("max_length", attrs.max_length.as_ref().map(|k| k.span)),
            ("precision", attrs.precision.as_ref().map(|k| k.span)),
            ("scale", attrs.scale.as_ref().map(|k| k.span)),
        ];
        for (key, span) in ignored {
            if let Some(span) = span {
                cx.error_at(
                    span,
                    format!(
                        "`{key}` has no effect together with `sql_type`; spell the size in \
                         the SQL type instead, e.g. sql_type = \"{}\"",
                        if key == "max_length" {
                            "varchar(50)"
                        } else {
                            "numeric(10, 2)"
                        }
                    ),
                );
            }
        }
    }
    match (attrs.precision.as_ref(), attrs.scale.as_ref()) {
        (Some(precision), None) => cx.error_at(
            precision.span,
            format!(
                "`precision` needs `scale` too: write precision = {}, scale = 0 (or the \
                 number of digits after the point)",
                precision.value
            ),
        ),
        (None, Some(scale)) => cx.error_at(
            scale.span,
            format!(
                "`scale` needs `precision` too (the total number of digits): write \
                 precision = 10, scale = {}",
                scale.value
            ),
        ),
        (Some(precision), Some(scale)) if scale.value > precision.value => cx.error_at(
            scale.span,
            format!(
                "`scale` ({}) cannot exceed `precision` ({}): precision counts all digits, \
                 scale those after the point",
                scale.value, precision.value
            ),
        ),
        _ => {}
    }
    if let (Some(_), Some(default_sql)) = (attrs.default.as_ref(), attrs.default_sql.as_ref()) {
        cx.error_at(
            default_sql.span,
            "`default` and `default_sql` cannot both be set; keep the typed literal \
             `default = …` or the raw SQL expression `default_sql = \"…\"`",
        );
    }
    if attrs.references.is_none() {
        for (key, span) in [
            ("on_delete", attrs.on_delete.as_ref().map(|k| k.span)),
            ("on_update", attrs.on_update.as_ref().map(|k| k.span)),
            (
                "foreign_key_name",
                attrs.foreign_key_name.as_ref().map(|k| k.span),
            ),
        ] {
            if let Some(span) = span {
                cx.error_at(
                    span,
                    format!(
                        "`{key}` applies to a foreign key, but this field has no `references`; \
                         add references(Model) or references = \"table.column\""
                    ),
                );
            }
        }
    }
}

fn check_unique_columns(cx: &mut Ctxt, container: &Container) {
    let mut seen: BTreeMap<String, &Field> = BTreeMap::new();
    for field in container.columns() {
        let column = field.column();
        if let Some(first) = seen.get(column.as_str()) {
            let span = field
                .attrs
                .column
                .as_ref()
                .map_or_else(|| field.ident.span(), |key| key.span);
            cx.error_at(
                span,
                format!(
                    "column `{column}` is defined twice, by field `{}` and by field `{}`; \
                     give one of them another name with #[model(column = \"…\")]",
                    first.ident.unraw(),
                    field.ident.unraw()
                ),
            );
        } else {
            seen.insert(column, field);
        }
    }
}

fn check_primary_key(cx: &mut Ctxt, container: &Container) {
    if container.primary_key().is_empty() {
        cx.error_at(
            container.ident.span(),
            format!(
                "`{}` has no primary key; add a field named `id`, or mark the key field(s) \
                 with #[model(primary_key)]",
                container.ident
            ),
        );
    }
}

fn check_index_columns(cx: &mut Ctxt, container: &Container) {
    let columns: Vec<String> = container.columns().map(Field::column).collect();
    for index in &container.attrs.indexes {
        let kind = if index.unique { "unique" } else { "index" };
        for column in &index.columns {
            if columns.contains(&column.name) {
                continue;
            }
            let renamed = container
                .fields
                .iter()
                .find(|f| f.ident.unraw() == column.name.as_str());
            let hint = match renamed {
                Some(field) if field.attrs.skip.is_some() => format!(
                    "field `{}` is `skip`ped, so it is not a column",
                    column.name
                ),
                Some(field) => format!(
                    "field `{}` is stored in column `{}`; write `{}` here",
                    column.name,
                    field.column(),
                    field.column()
                ),
                None => format!("the columns are: {}", columns.join(", ")),
            };
            cx.error_at(
                column.span,
                format!(
                    "{kind}(...) names column `{}`, which `{}` does not have; {hint}",
                    column.name, container.ident
                ),
            );
        }
    }
}
