//! The keys that take a list: `index(...)`, `unique(...)` and `check(...)` on the struct.

use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{LitStr, Token};

use super::keys::{known_key, recover};
use super::value::{non_empty, string_value};
use super::{CheckAttr, ColumnRef, IndexAttr};
use crate::ctxt::Ctxt;

const INDEX_KEYS: &[&str] = &["columns", "name"];
const CHECK_KEYS: &[&str] = &["name", "expr"];

/// `index(columns(a, b), name = "…")` or `unique(...)`. `None` when it was unusable; the
/// reasons are already in `cx`.
pub(super) fn parse_index(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    key: &'static str,
) -> syn::Result<Option<IndexAttr>> {
    let example = format!("{key}(columns(a, b), name = \"…\")");
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`{key}` takes a list: write {example}")));
    }
    let mut parts = IndexParts {
        key,
        example: &example,
        place: format!("in {key}(...)"),
        name: None,
        columns: None,
        columns_written: false,
    };
    meta.parse_nested_meta(|inner| {
        let outcome = parts.parse_key(&inner);
        recover(cx, &inner, outcome)
    })?;
    match parts.columns {
        Some(columns) => Ok(Some(IndexAttr {
            unique: key == "unique",
            name: parts.name,
            columns,
        })),
        None => {
            // A `columns` that was written but unreadable has been reported already.
            if !parts.columns_written {
                cx.error_at(
                    meta.path.span(),
                    format!("`{key}(...)` needs the columns it covers: write {example}"),
                );
            }
            Ok(None)
        }
    }
}

/// What has been read so far inside one `index(...)`/`unique(...)`.
struct IndexParts<'a> {
    key: &'static str,
    example: &'a str,
    place: String,
    name: Option<LitStr>,
    columns: Option<Vec<ColumnRef>>,
    columns_written: bool,
}

impl IndexParts<'_> {
    fn parse_key(&mut self, inner: &ParseNestedMeta) -> syn::Result<()> {
        let key = self.key;
        if known_key(inner, INDEX_KEYS, &self.place)? == "columns" {
            if self.columns_written {
                return Err(inner.error(format!(
                    "duplicate `columns` in {key}(...); list all columns in one columns(a, b)"
                )));
            }
            self.columns_written = true;
            self.columns = Some(column_list(inner, self.example)?);
        } else {
            if self.name.is_some() {
                return Err(inner.error(format!(
                    "duplicate `name` in {key}(...); remove one of them"
                )));
            }
            self.name = Some(non_empty(string_value(inner, "name")?, "name")?);
        }
        Ok(())
    }
}

fn column_list(meta: &ParseNestedMeta, example: &str) -> syn::Result<Vec<ColumnRef>> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`columns` takes a list: write {example}")));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let mut columns = Vec::new();
    while !content.is_empty() {
        // A string is accepted for column names that are not Rust identifiers.
        let column = if content.peek(LitStr) {
            let text: LitStr = content.parse()?;
            ColumnRef {
                name: text.value(),
                span: text.span(),
            }
        } else {
            let ident = syn::Ident::parse_any(&content)?;
            ColumnRef {
                name: ident.unraw().to_string(),
                span: ident.span(),
            }
        };
        columns.push(column);
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    if columns.is_empty() {
        return Err(meta.error(format!("`columns()` is empty: write {example}")));
    }
    Ok(columns)
}

/// `check(name = "…", expr = "…")`. `None` when it was unusable; the reasons are already
/// in `cx`.
pub(super) fn parse_check(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<CheckAttr>> {
    const EXAMPLE: &str = "check(name = \"ck_…\", expr = \"…\")";
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`check` takes a list: write {EXAMPLE}")));
    }
    let mut parts = CheckParts::default();
    meta.parse_nested_meta(|inner| {
        let outcome = parts.parse_key(&inner);
        recover(cx, &inner, outcome)
    })?;
    // A key that was written but unreadable has been reported already.
    let mut missing = Vec::new();
    if !parts.written.contains(&"name") {
        missing.push("`name = \"…\"`");
    }
    if !parts.written.contains(&"expr") {
        missing.push("`expr = \"…\"`");
    }
    match (parts.name, parts.expr) {
        (Some(name), Some(expr)) => Ok(Some(CheckAttr { name, expr })),
        _ => {
            if !missing.is_empty() {
                cx.error_at(
                    meta.path.span(),
                    format!(
                        "`check(...)` needs {}: write {EXAMPLE}",
                        missing.join(" and ")
                    ),
                );
            }
            Ok(None)
        }
    }
}

/// What has been read so far inside one `check(...)`.
#[derive(Default)]
struct CheckParts {
    name: Option<LitStr>,
    expr: Option<LitStr>,
    written: Vec<&'static str>,
}

impl CheckParts {
    fn parse_key(&mut self, inner: &ParseNestedMeta) -> syn::Result<()> {
        let key = known_key(inner, CHECK_KEYS, "in check(...)")?;
        if self.written.contains(&key) {
            return Err(inner.error(format!(
                "duplicate `{key}` in check(...); remove one of them"
            )));
        }
        self.written.push(key);
        let slot = if key == "name" {
            &mut self.name
        } else {
            &mut self.expr
        };
        *slot = Some(non_empty(string_value(inner, key)?, key)?);
        Ok(())
    }
}
