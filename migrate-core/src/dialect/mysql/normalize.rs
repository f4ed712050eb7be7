//! How MySQL/MariaDB spell types and defaults, and how `information_schema` reports them
//! back: `tinyint(1)`, `bigint(20)` (display widths, MariaDB and MySQL before 8.0.19),
//! defaults quoted (`'draft'`, MariaDB) or bare (`draft`, MySQL; the introspection quotes
//! those before they get here), `current_timestamp()` (MariaDB) or `CURRENT_TIMESTAMP`.

use super::Mysql;
use crate::dialect::text::{
    numeric_default, quoted_literal, strip_parentheses, tidy_check_expression, typed_literal,
};
use crate::dialect::Dialect;
use crate::dialect::Normalize;
use crate::schema::{ColumnType, DefaultValue, EnumType, FkAction, Table};

/// The default as written in a column definition. TEXT, BLOB and JSON columns only take an
/// expression default (in parentheses) on MySQL; DATETIME(6) needs CURRENT_TIMESTAMP at the
/// same precision.
pub(super) fn default_clause(dialect: &Mysql, ty: &ColumnType, default: &DefaultValue) -> String {
    let sql = dialect.default_sql(default);
    match (ty, default) {
        (ColumnType::Timestamp | ColumnType::TimestampTz, DefaultValue::Sql(s))
            if s == "CURRENT_TIMESTAMP" =>
        {
            "CURRENT_TIMESTAMP(6)".to_owned()
        }
        (ColumnType::Text | ColumnType::Blob | ColumnType::Json, d)
            if !matches!(d, DefaultValue::Sql(_)) =>
        {
            format!("({sql})")
        }
        _ => sql,
    }
}

/// The value of a text that is exactly one `'…'` literal.
fn whole_literal(text: &str) -> Option<String> {
    let (value, rest) = quoted_literal(text, true)?;
    rest.trim().is_empty().then_some(value)
}

/// Value functions in one spelling: MariaDB prints `current_timestamp()` (and
/// `current_timestamp(6)` for a DATETIME(6) column, where the precision is implied), MySQL
/// `CURRENT_TIMESTAMP`, and NOW() is the same function.
fn canonical_expression(text: &str) -> String {
    let lower = text.to_ascii_lowercase().replace(' ', "");
    let name = lower.split('(').next().unwrap_or_default();
    let args = lower
        .strip_prefix(name)
        .unwrap_or_default()
        .trim_start_matches('(')
        .trim_end_matches(')');
    let bare = args.chars().all(|c| c.is_ascii_digit());
    match name {
        "current_timestamp" | "now" | "localtimestamp" | "localtime" if bare => {
            "CURRENT_TIMESTAMP".to_owned()
        }
        "current_date" | "curdate" if bare => "CURRENT_DATE".to_owned(),
        "current_time" | "curtime" if bare => "CURRENT_TIME".to_owned(),
        _ => text.to_owned(),
    }
}

/// `enum('a','b')` as the catalog prints it: the labels, case kept; `None` for other types.
fn enum_labels(sql: &str) -> Option<Vec<String>> {
    let text = sql.trim();
    let head = text.get(..5)?;
    if !head.eq_ignore_ascii_case("enum(") {
        return None;
    }
    let mut rest = text[5..].trim_start();
    let mut labels = Vec::new();
    loop {
        let (label, after) = quoted_literal(rest, true)?;
        labels.push(label);
        let after = after.trim_start();
        if let Some(next) = after.strip_prefix(',') {
            rest = next.trim_start();
        } else {
            return after.strip_prefix(')')?.trim().is_empty().then_some(labels);
        }
    }
}

impl Normalize for Mysql {
    fn parse_type(&self, sql: &str) -> ColumnType {
        if let Some(labels) = enum_labels(sql) {
            // The labels are the type; MySQL has no name for it.
            return ColumnType::Enum(EnumType::new(String::new(), labels));
        }
        let text = sql
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let (base, args, rest) = match (text.find('('), text.find(')')) {
            (Some(open), Some(close)) if open < close => (
                text[..open].trim().to_owned(),
                text[open + 1..close]
                    .split(',')
                    .map(|a| a.trim().parse::<u32>().ok())
                    .collect::<Option<Vec<u32>>>(),
                text[close + 1..].trim().to_owned(),
            ),
            _ => match text.split_once(' ') {
                Some((base, rest)) if !matches!(base, "double" | "long") => {
                    (base.to_owned(), Some(vec![]), rest.to_owned())
                }
                _ => (text.clone(), Some(vec![]), String::new()),
            },
        };
        let Some(args) = args else {
            return ColumnType::Custom { sql: text.into() };
        };
        let integer = matches!(
            base.as_str(),
            "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
        );
        match (base.as_str(), args.as_slice(), rest.as_str()) {
            ("tinyint", [1], "") | ("boolean" | "bool", [], "") => ColumnType::Boolean,
            // An integer's parenthesized number is a display width, not a size.
            ("smallint", [] | [_], "") => ColumnType::SmallInt,
            ("int" | "integer", [] | [_], "") => ColumnType::Integer,
            ("bigint", [] | [_], "") => ColumnType::BigInt,
            ("float", [], "") => ColumnType::Real,
            ("double" | "double precision", [], "") => ColumnType::Double,
            ("text", [], "") => ColumnType::Text,
            ("varchar", [n], "") => ColumnType::Varchar { max_length: *n },
            ("longblob", [], "") => ColumnType::Blob,
            ("date", [], "") => ColumnType::Date,
            ("time", [6], "") => ColumnType::Time,
            ("datetime", [6], "") => ColumnType::Timestamp,
            ("char", [36], "") => ColumnType::Uuid,
            ("json", [], "") => ColumnType::Json,
            ("decimal" | "numeric", [p, s], "") => ColumnType::Numeric {
                precision: *p,
                scale: *s,
            },
            ("decimal" | "numeric", [p], "") => ColumnType::Numeric {
                precision: *p,
                scale: 0,
            },
            // Custom types compare in one spelling; integer display widths are dropped
            // because MySQL 8 no longer reports them.
            (base, _, rest) if integer => ColumnType::Custom {
                sql: format!("{base} {rest}").trim().to_owned().into(),
            },
            _ => ColumnType::Custom { sql: text.into() },
        }
    }

    fn parse_default(&self, sql: &str, ty: &ColumnType) -> DefaultValue {
        let text = sql.trim();
        let unwrapped = strip_parentheses(text);
        if let Some(literal) = whole_literal(unwrapped) {
            return typed_literal(literal, ty);
        }
        if let Some(value) = numeric_default(unwrapped, ty) {
            return value;
        }
        if *ty == ColumnType::Boolean {
            match unwrapped.to_ascii_lowercase().as_str() {
                "true" | "1" => return DefaultValue::Bool(true),
                "false" | "0" => return DefaultValue::Bool(false),
                _ => {}
            }
        }
        DefaultValue::Sql(canonical_expression(text))
    }

    /// What MySQL cannot tell apart or prints its own way: RESTRICT and NO ACTION are one rule in
    /// InnoDB (MariaDB reports RESTRICT for a key declared with neither); check expressions come
    /// back with every column in backticks, and MariaDB turns LENGTH into its synonym
    /// OCTET_LENGTH.
    fn normalize_table(&self, table: &mut Table) {
        for fk in &mut table.foreign_keys {
            for action in [&mut fk.on_delete, &mut fk.on_update] {
                if *action == FkAction::Restrict {
                    *action = FkAction::NoAction;
                }
            }
        }
        for check in &mut table.checks {
            check.expr =
                tidy_check_expression(&check.expr, '`').replace("octet_length(", "length(");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_columns_read_back_with_their_labels() {
        let labels = |sql: &str| match Mysql.parse_type(sql) {
            ColumnType::Enum(ty) => {
                Some(ty.labels.iter().map(|l| l.to_string()).collect::<Vec<_>>())
            }
            _ => None,
        };
        assert_eq!(
            labels("enum('Happy','so-so','it''s')").unwrap(),
            ["Happy", "so-so", "it's"]
        );
        assert_eq!(labels("ENUM('a', 'b')").unwrap(), ["a", "b"]);
        assert_eq!(labels("enum('a'"), None);
        assert_eq!(labels("varchar(5)"), None);
    }

    #[test]
    fn catalog_spellings_read_back_as_neutral_types() {
        assert_eq!(Mysql.parse_type("tinyint(1)"), ColumnType::Boolean);
        assert_eq!(Mysql.parse_type("BOOLEAN"), ColumnType::Boolean);
        assert_eq!(Mysql.parse_type("bigint(20)"), ColumnType::BigInt);
        assert_eq!(Mysql.parse_type("int(11)"), ColumnType::Integer);
        assert_eq!(Mysql.parse_type("smallint(6)"), ColumnType::SmallInt);
        assert_eq!(
            Mysql.parse_type("varchar(50)"),
            ColumnType::Varchar { max_length: 50 }
        );
        assert_eq!(Mysql.parse_type("datetime(6)"), ColumnType::Timestamp);
        assert_eq!(Mysql.parse_type("DATETIME(6)"), ColumnType::Timestamp);
        assert_eq!(Mysql.parse_type("char(36)"), ColumnType::Uuid);
        assert_eq!(
            Mysql.parse_type("decimal(12,2)"),
            ColumnType::Numeric {
                precision: 12,
                scale: 2
            }
        );
        assert_eq!(Mysql.parse_type("double"), ColumnType::Double);
        assert_eq!(Mysql.parse_type("longblob"), ColumnType::Blob);
    }

    #[test]
    fn custom_types_compare_in_one_spelling() {
        assert_eq!(Mysql.parse_type("CHAR(3)"), Mysql.parse_type("char(3)"));
        assert_eq!(
            Mysql.parse_type("int(10) unsigned"),
            Mysql.parse_type("INT UNSIGNED")
        );
        assert_eq!(Mysql.parse_type("tinyint(4)"), Mysql.parse_type("TINYINT"));
        assert_eq!(
            Mysql.parse_type("LONGTEXT"),
            ColumnType::Custom {
                sql: "longtext".into()
            }
        );
        assert_eq!(
            Mysql.parse_type("datetime"),
            ColumnType::Custom {
                sql: "datetime".into()
            }
        );
    }

    #[test]
    fn catalog_defaults_read_back_typed() {
        let varchar = ColumnType::Varchar { max_length: 20 };
        assert_eq!(
            Mysql.parse_default("'draft'", &varchar),
            DefaultValue::Text("draft".into())
        );
        assert_eq!(
            Mysql.parse_default(r"'it\'s'", &ColumnType::Text),
            DefaultValue::Text("it's".into())
        );
        assert_eq!(
            Mysql.parse_default("('it''s')", &ColumnType::Text),
            DefaultValue::Text("it's".into())
        );
        assert_eq!(
            Mysql.parse_default(r"'a\\b'", &ColumnType::Text),
            DefaultValue::Text(r"a\b".into())
        );
        assert_eq!(
            Mysql.parse_default("-1", &ColumnType::Integer),
            DefaultValue::Int(-1)
        );
        assert_eq!(
            Mysql.parse_default("1", &ColumnType::Boolean),
            DefaultValue::Bool(true)
        );
        assert_eq!(
            Mysql.parse_default("TRUE", &ColumnType::Boolean),
            DefaultValue::Bool(true)
        );
        assert_eq!(
            Mysql.parse_default(
                "1.50",
                &ColumnType::Numeric {
                    precision: 12,
                    scale: 2
                }
            ),
            DefaultValue::Float("1.5".into())
        );
        for spelling in [
            "current_timestamp()",
            "current_timestamp(6)",
            "CURRENT_TIMESTAMP",
            "now()",
        ] {
            assert_eq!(
                Mysql.parse_default(spelling, &ColumnType::Timestamp),
                DefaultValue::Sql("CURRENT_TIMESTAMP".into()),
                "{spelling}"
            );
        }
        assert_eq!(
            Mysql.parse_default("uuid()", &ColumnType::Uuid),
            DefaultValue::Sql("uuid()".into())
        );
    }

    #[test]
    fn defaults_are_written_the_way_each_column_type_accepts() {
        assert_eq!(
            default_clause(&Mysql, &ColumnType::Text, &DefaultValue::Text("x".into())),
            "('x')"
        );
        assert_eq!(
            default_clause(
                &Mysql,
                &ColumnType::Timestamp,
                &DefaultValue::Sql("CURRENT_TIMESTAMP".into())
            ),
            "CURRENT_TIMESTAMP(6)"
        );
        assert_eq!(
            default_clause(&Mysql, &ColumnType::Integer, &DefaultValue::Int(3)),
            "3"
        );
    }
}
