//! A column as a field: its Rust type and the `#[model(…)]` keys that give back what the
//! database holds (length, precision, default, comment, a type spelled by hand).

use crate::schema::{Column, ColumnType, DefaultValue};
use crate::types::DEFAULT_NUMERIC;

use super::names::literal;

/// The Rust type for a column type, or `None` for an enum (named by the caller) and for a
/// type no Rust type maps to (then `String` with `sql_type`).
fn rust_type(ty: &ColumnType) -> Option<&'static str> {
    Some(match ty {
        ColumnType::Boolean => "bool",
        ColumnType::SmallInt => "i16",
        ColumnType::Integer => "i32",
        ColumnType::BigInt => "i64",
        ColumnType::Real => "f32",
        ColumnType::Double => "f64",
        ColumnType::Text | ColumnType::Varchar { .. } => "String",
        ColumnType::Blob => "Vec<u8>",
        ColumnType::Date => "chrono::NaiveDate",
        ColumnType::Time => "chrono::NaiveTime",
        ColumnType::Timestamp => "chrono::NaiveDateTime",
        ColumnType::TimestampTz => "chrono::DateTime<chrono::Utc>",
        ColumnType::Uuid => "uuid::Uuid",
        ColumnType::Json => "serde_json::Value",
        ColumnType::Numeric { .. } => "bigdecimal::BigDecimal",
        ColumnType::Custom { .. } | ColumnType::Enum(_) => return None,
    })
}

/// The field's type (with `Option` for a nullable column) and the keys its type needs.
/// `enum_type` is the Rust enum an enum column uses.
pub fn field_type(column: &Column, enum_type: Option<&str>) -> (String, Vec<String>) {
    let mut keys = Vec::new();
    let base = match (&column.ty, enum_type) {
        (ColumnType::Enum(_), Some(name)) => name.to_owned(),
        (ty, _) => match rust_type(ty) {
            Some(rust) => rust.to_owned(),
            None => {
                if let ColumnType::Custom { sql } = ty {
                    keys.push(format!("sql_type = {}", literal(sql)));
                }
                "String".to_owned()
            }
        },
    };
    match &column.ty {
        ColumnType::Varchar { max_length } => keys.push(format!("max_length = {max_length}")),
        ColumnType::Numeric { precision, scale } if column.ty != DEFAULT_NUMERIC => {
            keys.push(format!("precision = {precision}, scale = {scale}"));
        }
        _ => {}
    }
    let ty = if column.nullable {
        format!("Option<{base}>")
    } else {
        base
    };
    (ty, keys)
}

/// `default = …` or `default_sql = "…"` for the column's default.
pub fn default_key(default: &DefaultValue) -> String {
    match default {
        DefaultValue::Bool(b) => format!("default = {b}"),
        DefaultValue::Int(i) => format!("default = {i}"),
        DefaultValue::Float(text) if is_float_literal(text) => format!("default = {text}"),
        DefaultValue::Float(text) => format!("default_sql = {}", literal(text)),
        DefaultValue::Text(text) => format!("default = {}", literal(text)),
        DefaultValue::Sql(sql) => format!("default_sql = {}", literal(sql)),
    }
}

/// Whether `text` reads as a Rust float literal as written (`1.5`, `-0.25`), which the
/// derive keeps verbatim.
fn is_float_literal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.is_some_and(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}
