//! The mapping from Rust field types to neutral column types (docs/types.md).
//!
//! `#[derive(Model)]` names `<FieldType as SqlMapped>::COLUMN_TYPE` in the data it generates,
//! so a type without a mapping is a compile error that points at the field and names the
//! fix. The mapping follows diesel's own, so the same struct can also derive diesel's
//! `Queryable`/`Insertable`.

use std::borrow::Cow;

use crate::schema::ColumnType;

/// A Rust type that maps to a column type.
#[diagnostic::on_unimplemented(
    message = "cannot map type `{Self}` to a column type",
    label = "no column type for `{Self}`",
    note = "add `#[model(sql_type = \"…\")]` to the field to give its SQL type, or `#[model(skip)]` if it is not a column"
)]
pub trait SqlMapped {
    const COLUMN_TYPE: ColumnType;
    const NULLABLE: bool = false;
}

/// A type that `max_length` can apply to.
#[diagnostic::on_unimplemented(
    message = "`max_length` applies only to string fields, not to `{Self}`",
    label = "not a string",
    note = "remove `max_length`, or use `sql_type = \"…\"` to spell the column type"
)]
pub trait StringColumn {}

/// A type that `precision`/`scale` can apply to.
#[diagnostic::on_unimplemented(
    message = "`precision`/`scale` apply only to decimal fields, not to `{Self}`",
    label = "not a decimal",
    note = "remove `precision`/`scale`, or use `sql_type = \"…\"` to spell the column type"
)]
pub trait DecimalColumn {}

/// Implemented by `#[derive(ModelEnum)]`: a Rust enum whose unit variants are the labels
/// of an enum column. Its `SqlMapped` type is [`ColumnType::Enum`]. The labels are what
/// the database stores, so a diesel `ToSql`/`FromSql` can go through [`label`] and
/// [`from_label`] (docs/types.md shows one).
///
/// [`label`]: ModelEnum::label
/// [`from_label`]: ModelEnum::from_label
pub trait ModelEnum: Sized + 'static {
    /// The variants, in declaration order.
    const VARIANTS: &'static [Self];
    /// Their labels, in the same order.
    const LABELS: &'static [&'static str];

    /// This variant's label.
    fn label(&self) -> &'static str;

    /// The variant a label stands for.
    fn from_label(label: &str) -> Option<Self>
    where
        Self: Clone,
    {
        let position = Self::LABELS.iter().position(|l| *l == label)?;
        Self::VARIANTS.get(position).cloned()
    }
}

/// The precision and scale a `BigDecimal` field gets when the model does not say.
pub const DEFAULT_NUMERIC: ColumnType = ColumnType::Numeric {
    precision: 38,
    scale: 10,
};

macro_rules! mapped {
    ($($rust:ty => $column:expr),* $(,)?) => {
        $(impl SqlMapped for $rust {
            const COLUMN_TYPE: ColumnType = $column;
        })*
    };
}

mapped! {
    bool => ColumnType::Boolean,
    i16 => ColumnType::SmallInt,
    i32 => ColumnType::Integer,
    i64 => ColumnType::BigInt,
    f32 => ColumnType::Real,
    f64 => ColumnType::Double,
    String => ColumnType::Text,
    Vec<u8> => ColumnType::Blob,
    chrono::NaiveDate => ColumnType::Date,
    chrono::NaiveTime => ColumnType::Time,
    chrono::NaiveDateTime => ColumnType::Timestamp,
    chrono::DateTime<chrono::Utc> => ColumnType::TimestampTz,
    uuid::Uuid => ColumnType::Uuid,
    serde_json::Value => ColumnType::Json,
    bigdecimal::BigDecimal => DEFAULT_NUMERIC,
}

impl<T: SqlMapped> SqlMapped for Option<T> {
    const COLUMN_TYPE: ColumnType = T::COLUMN_TYPE;
    const NULLABLE: bool = true;
}

impl StringColumn for String {}
impl<T: StringColumn> StringColumn for Option<T> {}
impl DecimalColumn for bigdecimal::BigDecimal {}
impl<T: DecimalColumn> DecimalColumn for Option<T> {}

/// The column type a `sql_type = "…"` override stands for.
pub const fn custom(sql: &'static str) -> ColumnType {
    ColumnType::Custom {
        sql: Cow::Borrowed(sql),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of<T: SqlMapped>() -> (ColumnType, bool) {
        (T::COLUMN_TYPE, T::NULLABLE)
    }

    #[test]
    fn every_documented_type_maps() {
        // Mirrors the table in docs/types.md; a change to either must change both.
        assert_eq!(of::<bool>(), (ColumnType::Boolean, false));
        assert_eq!(of::<i16>(), (ColumnType::SmallInt, false));
        assert_eq!(of::<i32>(), (ColumnType::Integer, false));
        assert_eq!(of::<i64>(), (ColumnType::BigInt, false));
        assert_eq!(of::<f32>(), (ColumnType::Real, false));
        assert_eq!(of::<f64>(), (ColumnType::Double, false));
        assert_eq!(of::<String>(), (ColumnType::Text, false));
        assert_eq!(of::<Vec<u8>>(), (ColumnType::Blob, false));
        assert_eq!(of::<chrono::NaiveDate>(), (ColumnType::Date, false));
        assert_eq!(of::<chrono::NaiveTime>(), (ColumnType::Time, false));
        assert_eq!(
            of::<chrono::NaiveDateTime>(),
            (ColumnType::Timestamp, false)
        );
        assert_eq!(
            of::<chrono::DateTime<chrono::Utc>>(),
            (ColumnType::TimestampTz, false)
        );
        assert_eq!(of::<uuid::Uuid>(), (ColumnType::Uuid, false));
        assert_eq!(of::<serde_json::Value>(), (ColumnType::Json, false));
        assert_eq!(of::<bigdecimal::BigDecimal>(), (DEFAULT_NUMERIC, false));
        assert_eq!(of::<Option<i64>>(), (ColumnType::BigInt, true));
        assert_eq!(of::<Option<String>>(), (ColumnType::Text, true));
    }
}
