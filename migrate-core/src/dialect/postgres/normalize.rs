//! How PostgreSQL spells types and defaults, and how its catalog reports them back
//! (`format_type()` and `pg_get_expr()`): `character varying(50)`, `timestamp without time
//! zone`, `'draft'::character varying`, `'-1'::integer`.

use super::Postgres;
use crate::dialect::text::{
    numeric_default, quoted_literal, strip_parentheses, tidy_check_expression, typed_literal,
};
use crate::dialect::Normalize;
use crate::dialect::TypeNames;
use crate::schema::{ColumnType, DefaultValue, Table};

/// How `format_type()` names the neutral types.
const CATALOG_NAMES: TypeNames = TypeNames {
    boolean: "boolean",
    small_int: "smallint",
    integer: "integer",
    big_int: "bigint",
    real: "real",
    double: "double precision",
    text: "text",
    varchar: "character varying",
    blob: "bytea",
    date: "date",
    time: "time without time zone",
    timestamp: "timestamp without time zone",
    timestamp_tz: "timestamp with time zone",
    uuid: "uuid",
    json: "jsonb",
    numeric: "numeric",
};

/// A type name split into its words and its modifiers: `timestamp(3) without time zone` is
/// (`timestamp without time zone`, [3]); array brackets are counted apart.
struct TypeName {
    base: String,
    args: Option<Vec<u32>>,
    array_dims: usize,
}

fn split_type(sql: &str) -> TypeName {
    let mut text = lower_outside_quotes(sql.trim());
    let mut array_dims = 0;
    while let Some(rest) = text.strip_suffix("[]") {
        text = rest.trim_end().to_owned();
        array_dims += 1;
    }
    let (base, args) = match (text.find('('), text.find(')')) {
        (Some(open), Some(close)) if open < close => {
            let args = text[open + 1..close]
                .split(',')
                .map(|a| a.trim().parse::<u32>().ok())
                .collect::<Option<Vec<u32>>>();
            let base = format!("{} {}", text[..open].trim(), text[close + 1..].trim());
            (base, args)
        }
        _ => (text.clone(), Some(vec![])),
    };
    TypeName {
        base: base.split_whitespace().collect::<Vec<_>>().join(" "),
        args,
        array_dims,
    }
}

/// Lower case except inside double quotes (a quoted type name keeps its case).
fn lower_outside_quotes(text: &str) -> String {
    let mut quoted = false;
    text.chars()
        .map(|c| {
            if c == '"' {
                quoted = !quoted;
            }
            if quoted {
                c
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn neutral_type(name: &TypeName) -> Option<ColumnType> {
    let ty = match (name.base.as_str(), name.args.as_deref()?) {
        ("boolean" | "bool", []) => ColumnType::Boolean,
        ("smallint" | "int2", []) => ColumnType::SmallInt,
        ("integer" | "int" | "int4", []) => ColumnType::Integer,
        ("bigint" | "int8", []) => ColumnType::BigInt,
        ("real" | "float4", []) => ColumnType::Real,
        ("double precision" | "float8" | "float", []) => ColumnType::Double,
        ("text", []) => ColumnType::Text,
        ("character varying" | "varchar", [n]) => ColumnType::Varchar { max_length: *n },
        ("bytea", []) => ColumnType::Blob,
        ("date", []) => ColumnType::Date,
        ("time" | "time without time zone", []) => ColumnType::Time,
        ("timestamp" | "timestamp without time zone", []) => ColumnType::Timestamp,
        ("timestamptz" | "timestamp with time zone", []) => ColumnType::TimestampTz,
        ("uuid", []) => ColumnType::Uuid,
        ("jsonb", []) => ColumnType::Json,
        ("numeric" | "decimal", [p, s]) => ColumnType::Numeric {
            precision: *p,
            scale: *s,
        },
        // `numeric(p)` is stored as `numeric(p,0)`.
        ("numeric" | "decimal", [p]) => ColumnType::Numeric {
            precision: *p,
            scale: 0,
        },
        _ => return None,
    };
    Some(ty)
}

/// The spelling `format_type()` uses for a type this crate has no neutral name for, so a
/// `sql_type = "CHAR(3)"` in a model compares equal to the `character(3)` the catalog
/// reports.
fn canonical_spelling(name: &TypeName) -> String {
    let element = TypeName {
        base: name.base.clone(),
        args: name.args.clone(),
        array_dims: 0,
    };
    let args = match name.args.as_deref() {
        Some([]) | None => String::new(),
        Some(args) => format!(
            "({})",
            args.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ),
    };
    let base = match neutral_type(&element) {
        Some(ty) => CATALOG_NAMES.spell(&ty),
        None => match (name.base.as_str(), args.as_str()) {
            ("char" | "character" | "bpchar", "") => "character(1)".to_owned(),
            ("char" | "character" | "bpchar", _) => format!("character{args}"),
            ("varchar" | "character varying", _) => format!("character varying{args}"),
            ("timestamp" | "timestamp without time zone", _) => {
                format!("timestamp{args} without time zone")
            }
            ("timestamptz" | "timestamp with time zone", _) => {
                format!("timestamp{args} with time zone")
            }
            ("time" | "time without time zone", _) => format!("time{args} without time zone"),
            ("timetz" | "time with time zone", _) => format!("time{args} with time zone"),
            ("serial" | "serial4", "") => "integer".to_owned(),
            ("bigserial" | "serial8", "") => "bigint".to_owned(),
            ("smallserial" | "serial2", "") => "smallint".to_owned(),
            (base, _) => format!("{base}{args}"),
        },
    };
    format!("{base}{}", "[]".repeat(name.array_dims))
}

/// Whether a default expression is just NULL (`NULL`, `NULL::character varying`): the same
/// as no default.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(super) fn is_null_default(sql: &str) -> bool {
    let text = sql.trim();
    let value = text.split_once("::").map_or(text, |(value, _)| value);
    value.trim().eq_ignore_ascii_case("null")
}

/// The text of `'…'` or `'…'::type`, with `''` unescaped; `None` for anything else.
fn literal_with_casts(text: &str) -> Option<String> {
    let (value, rest) = quoted_literal(text, false)?;
    let rest = rest.trim();
    (rest.is_empty() || is_cast_chain(rest)).then_some(value)
}

/// `::type` repeated, e.g. `::character varying` or `::text::jsonb`: no operator or further
/// literal after the value.
fn is_cast_chain(text: &str) -> bool {
    text.starts_with("::") && !text.contains(['\'', '|', '+', '-', '*', '/', '<', '>', '=', '%'])
}

/// SQL value functions in the spelling `pg_get_expr()` prints, so `current_timestamp` in a
/// model matches `CURRENT_TIMESTAMP` from the catalog.
fn canonical_expression(text: &str) -> String {
    const VALUE_FUNCTIONS: &[&str] = &[
        "CURRENT_TIMESTAMP",
        "CURRENT_DATE",
        "CURRENT_TIME",
        "LOCALTIMESTAMP",
        "LOCALTIME",
        "CURRENT_USER",
        "SESSION_USER",
    ];
    VALUE_FUNCTIONS
        .iter()
        .find(|f| text.eq_ignore_ascii_case(f))
        .map_or_else(|| text.to_owned(), |f| (*f).to_owned())
}

/// The expression without casts to `text` and `character varying`. PostgreSQL prints the
/// implicit ones it adds around varchar columns and string literals (`length(title)` comes
/// back as `length((title)::text)`), and for those types an explicit one means the same.
fn without_text_casts(expr: &str) -> String {
    const CASTS: [&str; 2] = ["::text", "::character varying"];
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            // A literal, copied whole ('' inside it included).
            let end = rest[1..].find('\'').map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let cast = CASTS.iter().find(|cast| {
            rest.starts_with(**cast)
                && !rest[cast.len()..].starts_with(|n: char| {
                    n.is_ascii_alphanumeric() || matches!(n, '_' | '[' | '(')
                })
        });
        match cast {
            Some(cast) => rest = &rest[cast.len()..],
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// `(title)` as `title` where the parentheses hold a bare identifier and are not a call's
/// (`length(title)` stays).
fn unwrap_identifiers(expr: &str) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(expr.len());
    let mut in_literal = false;
    let mut rest = expr;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            in_literal = !in_literal;
        }
        if c == '(' && !in_literal && !out.ends_with(is_word) {
            let inner_len = rest[1..].find(|n: char| !is_word(n)).unwrap_or(0);
            if inner_len > 0 && rest[1 + inner_len..].starts_with(')') {
                out.push_str(&rest[1..=inner_len]);
                rest = &rest[inner_len + 2..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

impl Normalize for Postgres {
    fn parse_type(&self, sql: &str) -> ColumnType {
        let name = split_type(sql);
        if name.array_dims == 0 {
            if let Some(ty) = neutral_type(&name) {
                return ty;
            }
        }
        ColumnType::Custom {
            sql: canonical_spelling(&name).into(),
        }
    }

    fn parse_default(&self, sql: &str, ty: &ColumnType) -> DefaultValue {
        let text = sql.trim();
        if let Some(literal) = literal_with_casts(text) {
            return typed_literal(literal, ty);
        }
        let unwrapped = strip_parentheses(text);
        if let Some(value) = numeric_default(unwrapped, ty) {
            return value;
        }
        match (ty, unwrapped.to_ascii_lowercase().as_str()) {
            (ColumnType::Boolean, "true") => DefaultValue::Bool(true),
            (ColumnType::Boolean, "false") => DefaultValue::Bool(false),
            _ => DefaultValue::Sql(canonical_expression(text)),
        }
    }

    /// PostgreSQL prints check expressions its own way; both sides are brought to that form.
    fn normalize_table(&self, table: &mut Table) {
        for check in &mut table.checks {
            let bare = unwrap_identifiers(&without_text_casts(&check.expr));
            check.expr = tidy_check_expression(&bare, '"');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;

    #[test]
    fn catalog_spellings_read_back_as_neutral_types() {
        assert_eq!(
            Postgres.parse_type("character varying(50)"),
            ColumnType::Varchar { max_length: 50 }
        );
        assert_eq!(Postgres.parse_type("int4"), ColumnType::Integer);
        assert_eq!(Postgres.parse_type("int8"), ColumnType::BigInt);
        assert_eq!(Postgres.parse_type("double precision"), ColumnType::Double);
        assert_eq!(
            Postgres.parse_type("timestamp without time zone"),
            ColumnType::Timestamp
        );
        assert_eq!(Postgres.parse_type("TIMESTAMPTZ"), ColumnType::TimestampTz);
        assert_eq!(
            Postgres.parse_type("numeric(12,2)"),
            ColumnType::Numeric {
                precision: 12,
                scale: 2
            }
        );
        assert_eq!(Postgres.parse_type("jsonb"), ColumnType::Json);
        assert_eq!(
            Postgres.parse_type("json"),
            ColumnType::Custom { sql: "json".into() }
        );
    }

    #[test]
    fn custom_types_compare_in_catalog_spelling() {
        assert_eq!(
            Postgres.parse_type("CHAR(3)"),
            Postgres.parse_type("character(3)")
        );
        assert_eq!(
            Postgres.parse_type("INT[]"),
            Postgres.parse_type("integer[]")
        );
        assert_eq!(
            Postgres.parse_type("varchar(10)[]"),
            Postgres.parse_type("character varying(10)[]")
        );
        assert_eq!(
            Postgres.parse_type("TIMESTAMP(3)"),
            Postgres.parse_type("timestamp(3) without time zone")
        );
        assert_eq!(
            Postgres.parse_type("CITEXT"),
            ColumnType::Custom {
                sql: "citext".into()
            }
        );
        assert_eq!(
            Postgres.parse_type("\"Mood\""),
            ColumnType::Custom {
                sql: "\"Mood\"".into()
            }
        );
    }

    #[test]
    fn catalog_defaults_read_back_typed() {
        let varchar = ColumnType::Varchar { max_length: 20 };
        assert_eq!(
            Postgres.parse_default("'draft'::character varying", &varchar),
            DefaultValue::Text("draft".into())
        );
        assert_eq!(
            Postgres.parse_default("'it''s'::text", &ColumnType::Text),
            DefaultValue::Text("it's".into())
        );
        assert_eq!(
            Postgres.parse_default("'-1'::integer", &ColumnType::Integer),
            DefaultValue::Int(-1)
        );
        assert_eq!(
            Postgres.parse_default("7", &ColumnType::SmallInt),
            DefaultValue::Int(7)
        );
        assert_eq!(
            Postgres.parse_default("2.50", &ColumnType::Double),
            DefaultValue::Float("2.5".into())
        );
        assert_eq!(
            Postgres.parse_default("true", &ColumnType::Boolean),
            DefaultValue::Bool(true)
        );
        assert_eq!(
            Postgres.parse_default("current_timestamp", &ColumnType::Timestamp),
            DefaultValue::Sql("CURRENT_TIMESTAMP".into())
        );
        assert_eq!(
            Postgres.parse_default("'{}'::jsonb", &ColumnType::Json),
            DefaultValue::Text("{}".into())
        );
        assert_eq!(
            Postgres.parse_default("nextval('posts_id_seq'::regclass)", &ColumnType::BigInt),
            DefaultValue::Sql("nextval('posts_id_seq'::regclass)".into())
        );
        assert_eq!(
            Postgres.parse_default("('a'::text || 'b'::text)", &ColumnType::Text),
            DefaultValue::Sql("('a'::text || 'b'::text)".into())
        );
        assert!(is_null_default("NULL::character varying"));
        assert!(!is_null_default("'NULL'::text"));
    }

    #[test]
    fn check_expressions_compare_without_the_catalogs_parentheses() {
        let mut table = Table {
            name: "t".into(),
            columns: vec![],
            primary_key: vec![],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![crate::schema::Check {
                name: "c".repeat(70),
                expr: "((length(\"title\") > 0))".into(),
            }],
            renamed_from: None,
            comment: None,
        };
        Postgres.normalize_table(&mut table);
        assert_eq!(table.checks[0].expr, "length(title) > 0");
        table.checks[0].expr = "((email)::text <> ''::text)".into();
        Postgres.normalize_table(&mut table);
        assert_eq!(table.checks[0].expr, "email <> ''");
        table.checks[0].expr = "(length((title)::text) > 0)".into();
        Postgres.normalize_table(&mut table);
        assert_eq!(table.checks[0].expr, "length(title) > 0");
        table.checks[0].expr = "note <> 'x::text'".into();
        Postgres.normalize_table(&mut table);
        assert_eq!(table.checks[0].expr, "note <> 'x::text'");
        let normalized = super::super::Postgres.normalize(&crate::schema::Schema::new(vec![table]));
        assert_eq!(normalized.tables[0].checks[0].name.len(), 63);
    }
}
