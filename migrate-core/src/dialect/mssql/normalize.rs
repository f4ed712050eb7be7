//! How SQL Server spells types and how its catalog prints defaults back: `sys.columns`
//! gives `nvarchar` with a byte length (-1 for MAX), defaults come wrapped in parentheses,
//! `(N'draft')`, `((0))`, `(getdate())`.

use super::Mssql;
use crate::dialect::text::{numeric_default, quoted_literal, strip_parentheses, typed_literal};
use crate::dialect::Normalize;
use crate::schema::{ColumnType, DefaultValue, FkAction, Table};

impl Normalize for Mssql {
    fn parse_type(&self, sql: &str) -> ColumnType {
        let upper = sql
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase();
        let (base, args) = match upper.split_once('(') {
            Some((base, rest)) => (base.trim(), rest.trim_end_matches(')').trim()),
            None => (upper.as_str(), ""),
        };
        let number = |text: &str| text.trim().parse::<u32>().ok();
        match (base, args) {
            ("BIT", "") => ColumnType::Boolean,
            ("SMALLINT", "") => ColumnType::SmallInt,
            ("INT" | "INTEGER", "") => ColumnType::Integer,
            ("BIGINT", "") => ColumnType::BigInt,
            ("REAL", "") => ColumnType::Real,
            ("FLOAT", "" | "53") => ColumnType::Double,
            ("NVARCHAR", "MAX") => ColumnType::Text,
            ("NVARCHAR", n) if number(n).is_some() => ColumnType::Varchar {
                max_length: number(n).unwrap_or_default(),
            },
            ("VARBINARY", "MAX") => ColumnType::Blob,
            ("DATE", "") => ColumnType::Date,
            ("TIME", "") => ColumnType::Time,
            ("DATETIME2", "") => ColumnType::Timestamp,
            ("DATETIMEOFFSET", "") => ColumnType::TimestampTz,
            ("UNIQUEIDENTIFIER", "") => ColumnType::Uuid,
            ("DECIMAL" | "NUMERIC", args) => match args.split_once(',') {
                Some((p, s)) if number(p).is_some() && number(s).is_some() => ColumnType::Numeric {
                    precision: number(p).unwrap_or_default(),
                    scale: number(s).unwrap_or_default(),
                },
                _ => ColumnType::Custom {
                    sql: upper.clone().into(),
                },
            },
            _ => ColumnType::Custom {
                sql: upper.clone().into(),
            },
        }
    }

    fn parse_default(&self, sql: &str, ty: &ColumnType) -> DefaultValue {
        let text = strip_parentheses(sql);
        let literal = text.strip_prefix(['N', 'n']).unwrap_or(text);
        if let Some((value, rest)) = quoted_literal(literal, false) {
            if rest.trim().is_empty() {
                return typed_literal(value, ty);
            }
        }
        if let Some(value) = numeric_default(text, ty) {
            return value;
        }
        match (ty, text) {
            (ColumnType::Boolean, "1") => DefaultValue::Bool(true),
            (ColumnType::Boolean, "0") => DefaultValue::Bool(false),
            _ if text.eq_ignore_ascii_case("current_timestamp") => {
                DefaultValue::Sql("CURRENT_TIMESTAMP".to_owned())
            }
            _ => DefaultValue::Sql(text.to_owned()),
        }
    }

    /// `RESTRICT` is rendered as `NO ACTION`, so the two compare equal.
    fn normalize_table(&self, table: &mut Table) {
        for fk in &mut table.foreign_keys {
            for action in [&mut fk.on_delete, &mut fk.on_update] {
                if *action == FkAction::Restrict {
                    *action = FkAction::NoAction;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::schema::Column;

    #[test]
    fn every_neutral_type_reads_back_as_itself() {
        let types = [
            ColumnType::Boolean,
            ColumnType::SmallInt,
            ColumnType::Integer,
            ColumnType::BigInt,
            ColumnType::Real,
            ColumnType::Double,
            ColumnType::Text,
            ColumnType::Varchar { max_length: 40 },
            ColumnType::Blob,
            ColumnType::Date,
            ColumnType::Time,
            ColumnType::Timestamp,
            ColumnType::TimestampTz,
            ColumnType::Uuid,
            ColumnType::Numeric {
                precision: 12,
                scale: 2,
            },
        ];
        for ty in types {
            let column = Column {
                name: "c".into(),
                ty: ty.clone(),
                nullable: true,
                default: None,
                auto_increment: false,
                renamed_from: None,
                comment: None,
            };
            assert_eq!(Mssql.parse_type(&Mssql.column_type(&column)), ty);
        }
    }

    #[test]
    fn catalog_defaults_read_back_typed() {
        let text = ColumnType::Varchar { max_length: 20 };
        assert_eq!(
            Mssql.parse_default("(N'it''s')", &text),
            DefaultValue::Text("it's".into())
        );
        assert_eq!(
            Mssql.parse_default("((0))", &ColumnType::Boolean),
            DefaultValue::Bool(false)
        );
        assert_eq!(
            Mssql.parse_default("((-3))", &ColumnType::Integer),
            DefaultValue::Int(-3)
        );
        assert_eq!(
            Mssql.parse_default("(current_timestamp)", &ColumnType::Timestamp),
            DefaultValue::Sql("CURRENT_TIMESTAMP".into())
        );
    }
}
