//! How SQLite spells types and defaults, and how it reads them back. SQLite keeps the
//! declared type text of every column, so types round-trip exactly as spelled here.

use super::Sqlite;
use crate::dialect::Normalize;
use crate::schema::{ColumnType, DefaultValue};

impl Normalize for Sqlite {
    fn parse_type(&self, sql: &str) -> ColumnType {
        let upper = sql.trim().to_ascii_uppercase();
        let (base, args) = match upper.split_once('(') {
            Some((base, rest)) => (
                base.trim().to_owned(),
                rest.trim_end_matches(')')
                    .split(',')
                    .map(|a| a.trim().parse::<u32>().ok())
                    .collect::<Option<Vec<u32>>>(),
            ),
            None => (upper.clone(), Some(vec![])),
        };
        match (base.as_str(), args.as_deref()) {
            ("BOOLEAN" | "BOOL", Some([])) => ColumnType::Boolean,
            ("SMALLINT", Some([])) => ColumnType::SmallInt,
            ("INTEGER" | "INT", Some([])) => ColumnType::Integer,
            ("BIGINT", Some([])) => ColumnType::BigInt,
            ("REAL" | "FLOAT", Some([])) => ColumnType::Real,
            ("DOUBLE" | "DOUBLE PRECISION", Some([])) => ColumnType::Double,
            ("TEXT", Some([])) => ColumnType::Text,
            ("VARCHAR" | "CHARACTER VARYING", Some([n])) => ColumnType::Varchar { max_length: *n },
            ("BLOB" | "BINARY", Some([])) => ColumnType::Blob,
            ("DATE", Some([])) => ColumnType::Date,
            ("TIME", Some([])) => ColumnType::Time,
            ("TIMESTAMP" | "DATETIME", Some([])) => ColumnType::Timestamp,
            ("TIMESTAMPTZ", Some([])) => ColumnType::TimestampTz,
            ("NUMERIC" | "DECIMAL", Some([p, s])) => ColumnType::Numeric {
                precision: *p,
                scale: *s,
            },
            _ => ColumnType::Custom {
                sql: sql.trim().to_owned().into(),
            },
        }
    }

    fn parse_default(&self, sql: &str, ty: &ColumnType) -> DefaultValue {
        let text = sql.trim();
        if let Some(inner) = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .filter(|inner| !inner.replace("''", "").contains('\''))
        {
            return DefaultValue::Text(inner.replace("''", "'"));
        }
        let numeric = matches!(
            ty,
            ColumnType::Real | ColumnType::Double | ColumnType::Numeric { .. }
        );
        if let Ok(i) = text.parse::<i64>() {
            return match ty {
                ColumnType::Boolean if i == 0 || i == 1 => DefaultValue::Bool(i == 1),
                _ if numeric => DefaultValue::Float(i.to_string()),
                _ => DefaultValue::Int(i),
            };
        }
        if numeric && text.parse::<f64>().is_ok() {
            return DefaultValue::Float(text.to_owned());
        }
        match (ty, text.to_ascii_uppercase().as_str()) {
            (ColumnType::Boolean, "TRUE") => DefaultValue::Bool(true),
            (ColumnType::Boolean, "FALSE") => DefaultValue::Bool(false),
            _ => DefaultValue::Sql(text.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_read_back_as_written() {
        assert_eq!(
            Sqlite.parse_type("VARCHAR(50)"),
            ColumnType::Varchar { max_length: 50 }
        );
        assert_eq!(
            Sqlite.parse_type("varchar( 50 )"),
            ColumnType::Varchar { max_length: 50 }
        );
        assert_eq!(
            Sqlite.parse_type("NUMERIC(10,2)"),
            ColumnType::Numeric {
                precision: 10,
                scale: 2
            }
        );
        assert_eq!(
            Sqlite.parse_type("jsonb"),
            ColumnType::Custom {
                sql: "jsonb".into()
            }
        );
    }

    #[test]
    fn defaults_read_back_typed() {
        assert_eq!(
            Sqlite.parse_default("'it''s'", &ColumnType::Text),
            DefaultValue::Text("it's".into())
        );
        assert_eq!(
            Sqlite.parse_default("1", &ColumnType::Boolean),
            DefaultValue::Bool(true)
        );
        assert_eq!(
            Sqlite.parse_default("3", &ColumnType::Double),
            DefaultValue::Float("3".into())
        );
        assert_eq!(
            Sqlite.parse_default("CURRENT_TIMESTAMP", &ColumnType::Timestamp),
            DefaultValue::Sql("CURRENT_TIMESTAMP".into())
        );
        assert_eq!(
            Sqlite.parse_default("'a' || 'b'", &ColumnType::Text),
            DefaultValue::Sql("'a' || 'b'".into())
        );
    }
}
