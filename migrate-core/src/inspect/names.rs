//! Rust names for what a database names: structs for tables, fields for columns, variants
//! for labels, each paired with whether the derive's convention gives the name back (when it
//! does not, the generated attribute spells the database's name).

/// Words Rust reserves: a column named so becomes a raw identifier (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe",
    "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// `UserProfile` → `user_profile`, as the derive turns a struct's or variant's name into a
/// table's or label's. The derive's own copy (model-derive `ast::snake_case`) cannot be shared:
/// a proc-macro crate exports only macros. The inspect round trips on every backend fail when
/// the two disagree.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// The table the derive names for a struct: diesel's rule, snake case plus `s`.
pub fn default_table_name(struct_name: &str) -> String {
    format!("{}s", snake_case(struct_name))
}

/// `blog_posts` → `BlogPosts`; anything but ASCII letters and digits separates words. A
/// name that would start with a digit gets a leading letter.
pub fn camel_case(name: &str, lead: char) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, lead);
    }
    out
}

/// The struct for a table: the singular (one trailing `s` dropped) when the convention
/// gives the table back from it, else the whole name in camel case.
pub fn struct_name(table: &str) -> (String, bool) {
    if let Some(singular) = table.strip_suffix('s') {
        let candidate = camel_case(singular, 'T');
        if default_table_name(&candidate) == table {
            return (candidate, true);
        }
    }
    let candidate = camel_case(table, 'T');
    let conventional = default_table_name(&candidate) == table;
    (candidate, conventional)
}

/// The field for a column, as written in Rust, and whether it names the column without a
/// `column = "…"`: the column itself when it is a lowercase identifier (raw when it is a
/// keyword), else its snake-case spelling.
pub fn field_name(column: &str) -> (String, bool) {
    let is_identifier = column
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && column
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && column != "_";
    if is_identifier && !NOT_RAW.contains(&column) {
        if KEYWORDS.contains(&column) {
            return (format!("r#{column}"), true);
        }
        return (column.to_owned(), true);
    }
    let mut spelled = String::new();
    let mut previous_lower = false;
    for c in column.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                spelled.push('_');
            }
            spelled.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            spelled.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !spelled.ends_with('_') {
                spelled.push('_');
            }
            previous_lower = false;
        }
    }
    let mut spelled = spelled.trim_matches('_').to_owned();
    if spelled.is_empty() || spelled.starts_with(|c: char| c.is_ascii_digit()) {
        spelled.insert_str(0, "c_");
    }
    if KEYWORDS.contains(&spelled.as_str()) || NOT_RAW.contains(&spelled.as_str()) {
        spelled.push('_');
    }
    (spelled, false)
}

/// The variant for an enum label, and whether the derive's convention gives the label back.
pub fn variant_name(label: &str) -> (String, bool) {
    let candidate = camel_case(label, 'V');
    let conventional = snake_case(&candidate) == label;
    (candidate, conventional)
}

/// `name`, or `name2`, `name3`… when `taken` already holds it; the result is taken.
pub fn unique(name: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}{n}");
        n += 1;
    }
    candidate
}

/// A Rust string literal holding `text`.
pub fn literal(text: &str) -> String {
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structs_are_singular_where_the_convention_gives_the_table_back() {
        assert_eq!(struct_name("users"), ("User".to_owned(), true));
        assert_eq!(struct_name("blog_posts"), ("BlogPost".to_owned(), true));
        assert_eq!(struct_name("audit_log"), ("AuditLog".to_owned(), false));
        assert_eq!(struct_name("people"), ("People".to_owned(), false));
        assert_eq!(struct_name("Orders"), ("Orders".to_owned(), false));
        assert_eq!(struct_name("2024_stats"), ("T2024Stats".to_owned(), false));
    }

    #[test]
    fn fields_keep_the_column_where_they_can() {
        assert_eq!(field_name("email"), ("email".to_owned(), true));
        assert_eq!(field_name("type"), ("r#type".to_owned(), true));
        assert_eq!(field_name("UserId"), ("user_id".to_owned(), false));
        assert_eq!(field_name("first name"), ("first_name".to_owned(), false));
        assert_eq!(field_name("1st"), ("c_1st".to_owned(), false));
        assert_eq!(field_name("self"), ("self_".to_owned(), false));
    }

    #[test]
    fn variants_rename_labels_the_convention_does_not_give_back() {
        assert_eq!(variant_name("happy"), ("Happy".to_owned(), true));
        assert_eq!(
            variant_name("over_the_moon"),
            ("OverTheMoon".to_owned(), true)
        );
        assert_eq!(
            variant_name("over-the-moon"),
            ("OverTheMoon".to_owned(), false)
        );
        assert_eq!(variant_name("HAPPY"), ("Happy".to_owned(), false));
        assert_eq!(variant_name("1"), ("V1".to_owned(), false));
    }
}
