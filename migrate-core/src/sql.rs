//! The only place SQL text is assembled: a writer that quotes identifiers and escapes
//! literals for a dialect, and the client-side statement splitter.

/// How a dialect quotes identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentQuote {
    /// `"name"` (SQL standard: SQLite, PostgreSQL).
    Double,
    /// `` `name` `` (MySQL).
    Backtick,
    /// `[name]` (SQL Server).
    Bracket,
}

impl IdentQuote {
    /// The opening and closing characters; a closing one inside a name is doubled.
    fn delimiters(self) -> (char, char) {
        match self {
            IdentQuote::Double => ('"', '"'),
            IdentQuote::Backtick => ('`', '`'),
            IdentQuote::Bracket => ('[', ']'),
        }
    }
}

/// How a dialect writes names and string literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoting {
    pub ident: IdentQuote,
    /// Whether a backslash inside a string literal starts an escape (MySQL's default), so a
    /// literal backslash must be doubled.
    pub backslash_escapes: bool,
}

/// Builds one SQL statement. Identifiers go through [`SqlWriter::ident`], string literals
/// through [`SqlWriter::string`]; raw text only through [`SqlWriter::raw`], which callers use
/// for keywords and for expressions the user wrote on purpose (`default_sql`, `check`).
#[derive(Debug)]
pub struct SqlWriter {
    quoting: Quoting,
    out: String,
}

impl SqlWriter {
    pub fn new(quoting: Quoting) -> SqlWriter {
        SqlWriter {
            quoting,
            out: String::new(),
        }
    }

    pub fn raw(&mut self, text: &str) -> &mut Self {
        self.out.push_str(text);
        self
    }

    /// A quoted identifier; `schema.table` is quoted part by part (`"schema"."table"`), so a
    /// table in a PostgreSQL schema (`#[model(schema = "…")]`) is named the same way
    /// everywhere. No name this tool writes contains a dot otherwise.
    pub fn ident(&mut self, name: &str) -> &mut Self {
        let (open, close) = self.quoting.ident.delimiters();
        for (position, part) in name.splitn(2, '.').enumerate() {
            if position > 0 {
                self.out.push('.');
            }
            self.out.push(open);
            for ch in part.chars() {
                if ch == close {
                    self.out.push(close);
                }
                self.out.push(ch);
            }
            self.out.push(close);
        }
        self
    }

    /// A comma-separated list of identifiers.
    pub fn idents<S: AsRef<str>>(&mut self, names: &[S]) -> &mut Self {
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.ident(name.as_ref());
        }
        self
    }

    /// A comma-separated list of string literals.
    pub fn strings<S: AsRef<str>>(&mut self, values: &[S]) -> &mut Self {
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.string(value.as_ref());
        }
        self
    }

    /// `value` as a string literal, or `NULL`.
    pub fn string_or_null(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => self.string(value),
            None => self.raw("NULL"),
        }
    }

    pub fn string(&mut self, value: &str) -> &mut Self {
        self.out.push('\'');
        for ch in value.chars() {
            if ch == '\'' {
                self.out.push('\'');
            }
            if ch == '\\' && self.quoting.backslash_escapes {
                self.out.push('\\');
            }
            self.out.push(ch);
        }
        self.out.push('\'');
        self
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// A table name's schema and bare name: `billing.invoices` → (`Some("billing")`,
/// `invoices`).
pub fn split_schema(table: &str) -> (Option<&str>, &str) {
    match table.split_once('.') {
        Some((schema, bare)) => (Some(schema), bare),
        None => (None, table),
    }
}

/// `name` (an index's) in the schema of `table`: indexes live in their table's schema.
pub fn in_schema_of(table: &str, name: &str) -> String {
    match split_schema(table).0 {
        Some(schema) => format!("{schema}.{name}"),
        None => name.to_owned(),
    }
}

/// Splits a script into statements on `;`, ignoring semicolons inside quotes, comments and
/// PostgreSQL dollar-quoted bodies. Comment-only pieces are dropped. Statements keep their
/// own text (without the trailing `;`).
pub fn split_statements(script: &str) -> Vec<String> {
    let bytes = script.as_bytes();
    let mut statements = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' | b'`' => i = skip_quoted(bytes, i),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = script[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = script[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            b'$' => i = skip_dollar_quoted(script, i),
            b';' => {
                push_statement(&mut statements, &script[start..i]);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    push_statement(&mut statements, &script[start..]);
    statements
}

fn push_statement(statements: &mut Vec<String>, piece: &str) {
    let code = skip_leading_comments(piece).trim_end();
    if !code.is_empty() {
        statements.push(code.to_owned());
    }
}

/// The piece from its first token on: the comments before a statement (such as a revision's
/// header) are not part of it.
fn skip_leading_comments(piece: &str) -> &str {
    let mut rest = piece.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after
                .find('\n')
                .map_or("", |n| &after[n + 1..])
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after
                .find("*/")
                .map_or("", |n| &after[n + 2..])
                .trim_start();
        } else {
            return rest;
        }
    }
}

fn skip_quoted(bytes: &[u8], open: usize) -> usize {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn skip_dollar_quoted(script: &str, open: usize) -> usize {
    let rest = &script[open + 1..];
    let tag_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if !rest[tag_len..].starts_with('$')
        || rest[..tag_len].starts_with(|c: char| c.is_ascii_digit())
    {
        return open + 1;
    }
    let tag = &script[open..open + tag_len + 2];
    let body_start = open + tag.len();
    script[body_start..]
        .find(tag)
        .map_or(script.len(), |n| body_start + n + tag.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_strings_are_escaped() {
        let quoting = |ident, backslash_escapes| Quoting {
            ident,
            backslash_escapes,
        };
        let mut w = SqlWriter::new(quoting(IdentQuote::Double, false));
        w.ident("we\"ird").raw(" = ").string("it's");
        assert_eq!(w.finish(), r#""we""ird" = 'it''s'"#);
        let mut w = SqlWriter::new(quoting(IdentQuote::Backtick, true));
        w.ident("a`b").raw(" ").string(r"c\d");
        assert_eq!(w.finish(), r"`a``b` 'c\\d'");
        let mut w = SqlWriter::new(quoting(IdentQuote::Bracket, false));
        w.ident("a]b[c").raw(" ").string(r"c\d");
        assert_eq!(w.finish(), r"[a]]b[c] 'c\d'");
    }

    #[test]
    fn splitting_respects_quotes_comments_and_dollar_bodies() {
        let script = "-- header; not a statement\nCREATE TABLE \"a;b\" (x TEXT DEFAULT ';');\n\
                      /* block ; */ INSERT INTO t VALUES ('it''s;');\n\
                      CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n-- trailing";
        let statements = split_statements(script);
        assert_eq!(statements.len(), 3, "{statements:#?}");
        assert!(statements[0].starts_with("CREATE TABLE"), "{statements:#?}");
        assert!(statements[0].ends_with("DEFAULT ';')"));
        assert!(statements[1].starts_with("INSERT"), "{statements:#?}");
        assert!(statements[1].contains("'it''s;'"));
        assert!(statements[2].contains("SELECT 1; $body$"));
    }

    #[test]
    fn comment_only_script_has_no_statements() {
        assert!(split_statements("-- nothing\n/* at all */\n").is_empty());
    }
}
