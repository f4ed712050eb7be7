//! Helpers every dialect's normalizer shares for reading what its catalog prints back.

use crate::schema::{ColumnType, DefaultValue};

/// A literal's value read as the column's type: numbers for numeric columns, booleans for
/// boolean ones, text for everything else.
pub(crate) fn typed_literal(literal: String, ty: &ColumnType) -> DefaultValue {
    if let Some(value) = numeric_default(&literal, ty) {
        return value;
    }
    if *ty == ColumnType::Boolean {
        match literal.to_ascii_lowercase().as_str() {
            "true" | "t" | "yes" | "on" | "1" => return DefaultValue::Bool(true),
            "false" | "f" | "no" | "off" | "0" => return DefaultValue::Bool(false),
            _ => {}
        }
    }
    match ty {
        ColumnType::Time | ColumnType::Timestamp | ColumnType::TimestampTz => {
            DefaultValue::Text(canonical_time(&literal, *ty == ColumnType::TimestampTz))
        }
        _ => DefaultValue::Text(literal),
    }
}

/// A time or timestamp literal as both sides compare it: without trailing zeros in its
/// fractional seconds (MariaDB prints a TIME(6) default as `12:30:00.000000`) and, for a
/// timestamp with time zone, without a UTC offset (PostgreSQL prints `…12:30:00+00` for
/// the `…12:30:00` it was given in a UTC session).
pub(crate) fn canonical_time(literal: &str, with_zone: bool) -> String {
    let mut text = literal.trim();
    if with_zone {
        for utc in ["+00:00", "+00", "Z"] {
            if let Some(rest) = text.strip_suffix(utc) {
                text = rest;
                break;
            }
        }
    }
    let Some((whole, fraction)) = text.rsplit_once('.') else {
        return text.to_owned();
    };
    if whole.contains(':') && !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) {
        let kept = fraction.trim_end_matches('0');
        if kept.is_empty() {
            whole.to_owned()
        } else {
            format!("{whole}.{kept}")
        }
    } else {
        text.to_owned()
    }
}

pub(crate) fn numeric_default(text: &str, ty: &ColumnType) -> Option<DefaultValue> {
    let text = text.trim();
    match ty {
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => {
            text.parse::<i64>().ok().map(DefaultValue::Int)
        }
        ColumnType::Real | ColumnType::Double | ColumnType::Numeric { .. } => text
            .parse::<f64>()
            .ok()
            .map(|_| DefaultValue::Float(canonical_number(text))),
        _ => None,
    }
}

/// A decimal literal without trailing fractional zeros (`2.50` and `2.5` are one default;
/// the catalog prints numeric defaults at the column's scale or as written).
pub(crate) fn canonical_number(text: &str) -> String {
    let text = text.trim().trim_start_matches('+');
    if !text.contains('.') || text.contains(['e', 'E']) {
        return text.to_owned();
    }
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    match trimmed {
        "" | "-" => "0".to_owned(),
        t => t.to_owned(),
    }
}

/// A check expression in the form both sides of a comparison can agree on, still valid SQL:
/// whitespace outside literals collapsed, redundant outer parentheses removed, and identifiers
/// quoted with `quote` unquoted where that cannot change their meaning (lower case, plain
/// characters, not a reserved word). Catalogs print expressions their own way (PostgreSQL
/// wraps them in parentheses, MySQL quotes every column), so without this an unchanged check
/// would look changed on every comparison.
pub(crate) fn tidy_check_expression(expr: &str, quote: char) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut chars = expr.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // A string literal, copied verbatim ('' and \' stay inside it).
                out.push(c);
                while let Some(inner) = chars.next() {
                    out.push(inner);
                    if inner == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if inner == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                            out.push('\'');
                        } else {
                            break;
                        }
                    }
                }
            }
            c if c == quote => {
                let mut name = String::new();
                while let Some(inner) = chars.next() {
                    if inner == quote {
                        if chars.peek() == Some(&quote) {
                            chars.next();
                            name.push(quote);
                            continue;
                        }
                        break;
                    }
                    name.push(inner);
                }
                if is_plain_identifier(&name) {
                    out.push_str(&name);
                } else {
                    out.push(quote);
                    out.push_str(&name.replace(quote, &format!("{quote}{quote}")));
                    out.push(quote);
                }
            }
            c if c.is_whitespace() => {
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                let after_open = out.ends_with('(');
                let before_close = chars.peek() == Some(&')');
                if !(after_open || before_close || out.is_empty()) {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
    let mut text = out.trim().to_owned();
    while let Some(inner) = strip_outer_parentheses(&text) {
        text = inner.trim().to_owned();
    }
    text
}

/// The text inside any number of whole outer parentheses: `((x))` is `x`.
pub(crate) fn strip_parentheses(text: &str) -> &str {
    let mut text = text.trim();
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        text = inner.trim();
    }
    text
}

/// The value of a `'…'` literal at the start of `text`, unescaped (`''`, and with
/// `backslash_escapes` the backslash escapes MySQL reads in strings), and what follows it.
pub(crate) fn quoted_literal(text: &str, backslash_escapes: bool) -> Option<(String, &str)> {
    let body = text.strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if backslash_escapes => {
                let (_, escaped) = chars.next()?;
                value.push(match escaped {
                    '0' => '\0',
                    'b' => '\u{8}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'Z' => '\u{1a}',
                    other => other,
                });
            }
            '\'' if chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                chars.next();
                value.push('\'');
            }
            '\'' => return Some((value, &body[i + 1..])),
            other => value.push(other),
        }
    }
    None
}

/// `name` cut to at most `limit` bytes on a character boundary, as a server that truncates
/// long identifiers stores it.
pub(crate) fn truncate_identifier(name: &mut String, limit: usize) {
    if name.len() > limit {
        let mut end = limit;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
}

/// An identifier that means the same quoted or not.
fn is_plain_identifier(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        "all",
        "and",
        "any",
        "as",
        "asc",
        "between",
        "by",
        "case",
        "check",
        "column",
        "constraint",
        "create",
        "default",
        "desc",
        "distinct",
        "else",
        "end",
        "false",
        "for",
        "from",
        "group",
        "having",
        "in",
        "index",
        "is",
        "key",
        "like",
        "limit",
        "not",
        "null",
        "on",
        "or",
        "order",
        "range",
        "references",
        "select",
        "table",
        "then",
        "to",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "when",
        "where",
        "with",
    ];
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name)
}

/// `inner` when `text` is `(inner)` with the two parentheses matching each other.
fn strip_outer_parentheses(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0usize;
    let mut in_string = false;
    for c in inner.chars() {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                // The opening parenthesis closes before the end: `(a) AND (b)`.
                depth = depth.checked_sub(1)?;
            }
            _ => {}
        }
    }
    (depth == 0 && !in_string).then_some(inner)
}

#[cfg(test)]
mod time_tests {
    use super::canonical_time;

    #[test]
    fn fractional_zeros_and_utc_offsets_do_not_count() {
        assert_eq!(canonical_time("12:30:00.000000", false), "12:30:00");
        assert_eq!(canonical_time("12:30:00.250000", false), "12:30:00.25");
        assert_eq!(
            canonical_time("2026-01-31 12:30:00+00", true),
            "2026-01-31 12:30:00"
        );
        assert_eq!(
            canonical_time("2026-01-31 12:30:00+01", true),
            "2026-01-31 12:30:00+01"
        );
        assert_eq!(canonical_time("2026-01-31", false), "2026-01-31");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_expressions_tidy_to_one_form() {
        assert_eq!(tidy_check_expression("((small >= 0))", '"'), "small >= 0");
        assert_eq!(
            tidy_check_expression("octet_length(`title`)  >  0", '`'),
            "octet_length(title) > 0"
        );
        assert_eq!(
            tidy_check_expression("( \"order\" > 0 ) AND ( \"Big\" < 1 )", '"'),
            "(\"order\" > 0) AND (\"Big\" < 1)"
        );
        assert_eq!(
            tidy_check_expression("status IN ('a  b', 'it''s')", '"'),
            "status IN ('a  b', 'it''s')"
        );
    }

    #[test]
    fn literals_unescape_per_dialect() {
        assert_eq!(
            quoted_literal("'it''s'::text", false),
            Some(("it's".to_owned(), "::text"))
        );
        assert_eq!(
            quoted_literal(r"'a\nb'", true),
            Some(("a\nb".to_owned(), ""))
        );
        assert_eq!(
            quoted_literal(r"'a\nb'", false),
            Some((r"a\nb".to_owned(), ""))
        );
        assert_eq!(quoted_literal("'open", false), None);
    }

    #[test]
    fn numbers_lose_trailing_zeros_only() {
        assert_eq!(canonical_number("2.50"), "2.5");
        assert_eq!(canonical_number("10.0"), "10");
        assert_eq!(canonical_number("100"), "100");
        assert_eq!(canonical_number("1e10"), "1e10");
    }
}
