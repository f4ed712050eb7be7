//! `#[model(...)]` attributes and doc comments, parsed into plain values.
//!
//! Parsing never stops at the first mistake: a bad key is reported, its value skipped, and
//! the keys after it are still read, so that one compile shows every problem.

use proc_macro2::{Span, TokenTree};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Lit, LitStr, Meta, Token, UnOp};

use crate::ctxt::Ctxt;

pub const STRUCT_KEYS: &[&str] = &[
    "table",
    "index",
    "unique",
    "check",
    "renamed_from",
    "comment",
];

pub const FIELD_KEYS: &[&str] = &[
    "primary_key",
    "column",
    "max_length",
    "precision",
    "scale",
    "sql_type",
    "unique",
    "index",
    "default",
    "default_sql",
    "references",
    "on_delete",
    "on_update",
    "renamed_from",
    "skip",
    "comment",
];

const INDEX_KEYS: &[&str] = &["columns", "name"];
const ON_STRUCT: &str = "in #[model(...)] on a struct";
const ON_FIELD: &str = "in #[model(...)] on a field";
const CHECK_KEYS: &[&str] = &["name", "expr"];

/// A value together with the span of the key that set it, which is where errors about the
/// key point.
#[derive(Debug)]
pub struct Key<T> {
    pub span: Span,
    pub value: T,
}

/// Struct-level attributes.
#[derive(Debug, Default)]
pub struct ContainerAttrs {
    pub table: Option<Key<LitStr>>,
    pub indexes: Vec<IndexAttr>,
    pub checks: Vec<CheckAttr>,
    pub renamed_from: Option<Key<LitStr>>,
    pub comment: Option<Key<LitStr>>,
    pub doc: Option<String>,
}

/// `index(...)` or `unique(...)` on the struct.
#[derive(Debug)]
pub struct IndexAttr {
    pub unique: bool,
    pub name: Option<LitStr>,
    pub columns: Vec<ColumnRef>,
}

/// A column named in `columns(...)`.
#[derive(Debug)]
pub struct ColumnRef {
    pub name: String,
    pub span: Span,
}

#[derive(Debug)]
pub struct CheckAttr {
    pub name: LitStr,
    pub expr: LitStr,
}

/// Field-level attributes.
#[derive(Debug, Default)]
pub struct FieldAttrs {
    pub primary_key: Option<Key<()>>,
    pub column: Option<Key<LitStr>>,
    pub max_length: Option<Key<u32>>,
    pub precision: Option<Key<u32>>,
    pub scale: Option<Key<u32>>,
    pub sql_type: Option<Key<LitStr>>,
    pub unique: Option<Key<()>>,
    pub index: Option<Key<()>>,
    pub default: Option<Key<DefaultLit>>,
    pub default_sql: Option<Key<LitStr>>,
    pub references: Option<Key<Reference>>,
    pub on_delete: Option<Key<FkAction>>,
    pub on_update: Option<Key<FkAction>>,
    pub renamed_from: Option<Key<LitStr>>,
    pub skip: Option<Key<()>>,
    pub comment: Option<Key<LitStr>>,
    pub doc: Option<String>,
    /// Every known key as written, in order; `skip` must be alone and says which others
    /// it found.
    pub keys: Vec<(&'static str, Span)>,
}

/// A typed `default = <literal>`.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultLit {
    Text(String),
    Bool(bool),
    Int(i64),
    /// Kept as written (minus suffix and underscores) so that it compares exactly.
    Float(String),
}

#[derive(Debug)]
pub enum Reference {
    /// `references(Type)`: the table and key come from the referenced model.
    Model(syn::Type),
    /// `references = "table.column"`.
    Column { table: String, column: String },
}

/// Mirrors `migrate_core::schema::FkAction`; the derive cannot depend on migrate-core,
/// which depends on the derive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

const FK_ACTIONS: &str = "\"cascade\", \"restrict\", \"set null\", \"set default\", \"no action\"";

impl FkAction {
    fn parse(text: &str) -> Option<FkAction> {
        match text.trim().to_ascii_lowercase().replace('_', " ").as_str() {
            "no action" => Some(FkAction::NoAction),
            "restrict" => Some(FkAction::Restrict),
            "cascade" => Some(FkAction::Cascade),
            "set null" => Some(FkAction::SetNull),
            "set default" => Some(FkAction::SetDefault),
            _ => None,
        }
    }

    /// The name of the matching `migrate_core::schema::FkAction` variant.
    pub fn variant(self) -> &'static str {
        match self {
            FkAction::NoAction => "NoAction",
            FkAction::Restrict => "Restrict",
            FkAction::Cascade => "Cascade",
            FkAction::SetNull => "SetNull",
            FkAction::SetDefault => "SetDefault",
        }
    }
}

pub fn parse_container(cx: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut parsed = ContainerAttrs {
        doc: doc_comment(attrs),
        ..ContainerAttrs::default()
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| {
            let outcome = parsed.parse_key(cx, &meta);
            recover(cx, &meta, outcome)
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
    parsed
}

pub fn parse_field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut parsed = FieldAttrs {
        doc: doc_comment(attrs),
        ..FieldAttrs::default()
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| {
            let outcome = parsed.parse_key(&meta);
            recover(cx, &meta, outcome)
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
    parsed
}

impl ContainerAttrs {
    fn parse_key(&mut self, cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<()> {
        let key = known_key(meta, STRUCT_KEYS, ON_STRUCT)?;
        let span = meta.path.span();
        match key {
            "table" => {
                vacant(self.table.is_some(), meta, key)?;
                let value = non_empty(string_value(meta, key)?, key)?;
                self.table = Some(Key { span, value });
            }
            "index" | "unique" => {
                if let Some(index) = parse_index(cx, meta, key)? {
                    self.indexes.push(index);
                }
            }
            "check" => {
                if let Some(check) = parse_check(cx, meta)? {
                    self.checks.push(check);
                }
            }
            "renamed_from" => {
                vacant(self.renamed_from.is_some(), meta, key)?;
                let value = non_empty(string_value(meta, key)?, key)?;
                self.renamed_from = Some(Key { span, value });
            }
            "comment" => {
                vacant(self.comment.is_some(), meta, key)?;
                let value = string_value(meta, key)?;
                self.comment = Some(Key { span, value });
            }
            _ => return Err(unknown_key(meta, STRUCT_KEYS, ON_STRUCT)),
        }
        Ok(())
    }
}

impl FieldAttrs {
    fn parse_key(&mut self, meta: &ParseNestedMeta) -> syn::Result<()> {
        let key = known_key(meta, FIELD_KEYS, ON_FIELD)?;
        let span = meta.path.span();
        self.keys.push((key, span));
        match key {
            "primary_key" => set_flag(&mut self.primary_key, meta, key)?,
            "unique" => set_flag(&mut self.unique, meta, key)?,
            "index" => set_flag(&mut self.index, meta, key)?,
            "skip" => set_flag(&mut self.skip, meta, key)?,
            "column" => {
                vacant(self.column.is_some(), meta, key)?;
                let value = non_empty(string_value(meta, key)?, key)?;
                self.column = Some(Key { span, value });
            }
            "sql_type" => {
                vacant(self.sql_type.is_some(), meta, key)?;
                let value = non_empty(string_value(meta, key)?, key)?;
                self.sql_type = Some(Key { span, value });
            }
            "default_sql" => {
                vacant(self.default_sql.is_some(), meta, key)?;
                let value = non_empty(string_value(meta, key)?, key)?;
                self.default_sql = Some(Key { span, value });
            }
            "renamed_from" => {
                vacant(self.renamed_from.is_some(), meta, key)?;
                let value = non_empty(string_value(meta, key)?, key)?;
                self.renamed_from = Some(Key { span, value });
            }
            "comment" => {
                vacant(self.comment.is_some(), meta, key)?;
                let value = string_value(meta, key)?;
                self.comment = Some(Key { span, value });
            }
            "max_length" => {
                vacant(self.max_length.is_some(), meta, key)?;
                let value = u32_value(meta, key, 1, "max_length = 50")?;
                self.max_length = Some(Key { span, value });
            }
            "precision" => {
                vacant(self.precision.is_some(), meta, key)?;
                let value = u32_value(meta, key, 1, "precision = 10, scale = 2")?;
                self.precision = Some(Key { span, value });
            }
            "scale" => {
                vacant(self.scale.is_some(), meta, key)?;
                let value = u32_value(meta, key, 0, "precision = 10, scale = 2")?;
                self.scale = Some(Key { span, value });
            }
            "default" => {
                vacant(self.default.is_some(), meta, key)?;
                let value = default_value(meta)?;
                self.default = Some(Key { span, value });
            }
            "references" => {
                vacant(self.references.is_some(), meta, key)?;
                let value = reference_value(meta)?;
                self.references = Some(Key { span, value });
            }
            "on_delete" => {
                vacant(self.on_delete.is_some(), meta, key)?;
                let value = action_value(meta, key)?;
                self.on_delete = Some(Key { span, value });
            }
            "on_update" => {
                vacant(self.on_update.is_some(), meta, key)?;
                let value = action_value(meta, key)?;
                self.on_update = Some(Key { span, value });
            }
            _ => return Err(unknown_key(meta, FIELD_KEYS, ON_FIELD)),
        }
        Ok(())
    }
}

/// Records a failed key and skips the rest of its value, so that parsing resumes at the
/// next key instead of giving up on the whole attribute.
fn recover(cx: &mut Ctxt, meta: &ParseNestedMeta, outcome: syn::Result<()>) -> syn::Result<()> {
    if let Err(error) = outcome {
        cx.syn_error(error);
        skip_value(meta.input)?;
    }
    Ok(())
}

fn skip_value(input: ParseStream) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<TokenTree>()?;
    }
    Ok(())
}

fn known_key(
    meta: &ParseNestedMeta,
    keys: &'static [&'static str],
    place: &str,
) -> syn::Result<&'static str> {
    meta.path
        .get_ident()
        .map(|ident| ident.unraw().to_string())
        .and_then(|name| keys.iter().copied().find(|key| *key == name))
        .ok_or_else(|| unknown_key(meta, keys, place))
}

fn unknown_key(meta: &ParseNestedMeta, keys: &[&str], place: &str) -> syn::Error {
    let written = path_text(&meta.path);
    let suggestion = closest(&written, keys)
        .map(|key| format!("did you mean `{key}`? "))
        .unwrap_or_default();
    syn::Error::new(
        meta.path.span(),
        format!(
            "unknown key `{written}` {place}; {suggestion}expected one of: {}",
            keys.join(", ")
        ),
    )
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.unraw().to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The valid key a typo most likely meant, if any is close enough to be a useful guess.
fn closest<'k>(written: &str, keys: &[&'k str]) -> Option<&'k str> {
    let limit = (written.chars().count() / 3).max(1);
    keys.iter()
        .map(|key| (edit_distance(written, key), *key))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, key)| key)
}

/// Edit distance where swapping two neighbouring letters counts as one edit, the most
/// common typo (`tabel`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // distances[i][j]: edits to turn the first i chars of `a` into the first j of `b`.
    let mut distances = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in distances.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in distances[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = distances[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution
                .min(distances[i - 1][j] + 1)
                .min(distances[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(distances[i - 2][j - 2] + 1);
            }
            distances[i][j] = best;
        }
    }
    distances[a.len()][b.len()]
}

fn vacant(taken: bool, meta: &ParseNestedMeta, key: &str) -> syn::Result<()> {
    if taken {
        return Err(meta.error(format!(
            "duplicate key `{key}` in #[model(...)]; remove one of them"
        )));
    }
    Ok(())
}

fn set_flag(slot: &mut Option<Key<()>>, meta: &ParseNestedMeta, key: &str) -> syn::Result<()> {
    vacant(slot.is_some(), meta, key)?;
    if !(meta.input.is_empty() || meta.input.peek(Token![,])) {
        return Err(meta.error(format!("`{key}` takes no value; write #[model({key})]")));
    }
    *slot = Some(Key {
        span: meta.path.span(),
        value: (),
    });
    Ok(())
}

/// The expression after `key =`.
fn expr_value(meta: &ParseNestedMeta, key: &str, example: &str) -> syn::Result<Expr> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("`{key}` takes a value: write {example}")));
    }
    meta.input.parse::<Token![=]>()?;
    meta.input.parse::<Expr>()
}

fn literal_value(meta: &ParseNestedMeta, key: &str, example: &str) -> syn::Result<Lit> {
    match expr_value(meta, key, example)? {
        Expr::Lit(ExprLit { lit, .. }) => Ok(lit),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes a literal: write {example}"),
        )),
    }
}

fn string_value(meta: &ParseNestedMeta, key: &str) -> syn::Result<LitStr> {
    let example = format!("{key} = \"…\"");
    match literal_value(meta, key, &example)? {
        Lit::Str(text) => Ok(text),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes a string: write {example}"),
        )),
    }
}

fn non_empty(text: LitStr, key: &str) -> syn::Result<LitStr> {
    if text.value().trim().is_empty() {
        return Err(syn::Error::new(
            text.span(),
            format!("`{key}` cannot be empty; write a value or remove `{key}`"),
        ));
    }
    Ok(text)
}

fn u32_value(meta: &ParseNestedMeta, key: &str, min: u32, example: &str) -> syn::Result<u32> {
    let range_error = |span: Span| {
        syn::Error::new(
            span,
            format!(
                "`{key}` takes a whole number from {min} to {}: write {example}",
                u32::MAX
            ),
        )
    };
    match literal_value(meta, key, example)? {
        Lit::Int(number) => match number.base10_parse::<u32>() {
            Ok(value) if value >= min => Ok(value),
            _ => Err(range_error(number.span())),
        },
        other => Err(range_error(other.span())),
    }
}

fn default_value(meta: &ParseNestedMeta) -> syn::Result<DefaultLit> {
    const EXPECTED: &str = "`default` takes a string, integer, float or bool literal, e.g. \
                            default = \"draft\", default = 0, default = 1.5, default = false; \
                            for an SQL expression use default_sql = \"…\"";
    let expr = expr_value(meta, "default", "default = \"draft\"")?;
    let (negative, lit) = match &expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            _ => return Err(syn::Error::new(expr.span(), EXPECTED)),
        },
        _ => return Err(syn::Error::new(expr.span(), EXPECTED)),
    };
    match lit {
        Lit::Str(text) if !negative => Ok(DefaultLit::Text(text.value())),
        Lit::Bool(flag) if !negative => Ok(DefaultLit::Bool(flag.value)),
        Lit::Int(number) => {
            let out_of_range = || {
                syn::Error::new(
                    expr.span(),
                    "`default` integer does not fit in 64 bits; use default_sql = \"…\" for larger values",
                )
            };
            let magnitude: i128 = number.base10_parse().map_err(|_| out_of_range())?;
            let value = if negative { -magnitude } else { magnitude };
            i64::try_from(value)
                .map(DefaultLit::Int)
                .map_err(|_| out_of_range())
        }
        Lit::Float(number) => {
            let digits = number.base10_digits();
            Ok(DefaultLit::Float(if negative {
                format!("-{digits}")
            } else {
                digits.to_owned()
            }))
        }
        _ => Err(syn::Error::new(expr.span(), EXPECTED)),
    }
}

fn reference_value(meta: &ParseNestedMeta) -> syn::Result<Reference> {
    const EXPECTED: &str = "`references` names a model type or a column: write \
                            references(Account) or references = \"accounts.id\"";
    if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let ty: syn::Type = content.parse()?;
        if !content.is_empty() {
            return Err(content.error(EXPECTED));
        }
        return Ok(Reference::Model(ty));
    }
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(EXPECTED));
    }
    let text = string_value(meta, "references")?;
    let value = text.value();
    match value.split_once('.') {
        Some((table, column))
            if !table.is_empty() && !column.is_empty() && !column.contains('.') =>
        {
            Ok(Reference::Column {
                table: table.to_owned(),
                column: column.to_owned(),
            })
        }
        _ => Err(syn::Error::new(
            text.span(),
            format!(
                "`references = \"{value}\"` needs the form \"table.column\", e.g. \
                 references = \"accounts.id\"; or name the model type: references(Account)"
            ),
        )),
    }
}

fn action_value(meta: &ParseNestedMeta, key: &str) -> syn::Result<FkAction> {
    let text = string_value(meta, key)?;
    FkAction::parse(&text.value()).ok_or_else(|| {
        syn::Error::new(
            text.span(),
            format!(
                "invalid action `{}` for `{key}`; expected one of: {FK_ACTIONS}",
                text.value()
            ),
        )
    })
}

/// `index(columns(a, b), name = "…")` or `unique(...)`. `None` when it was unusable; the
/// reasons are already in `cx`.
fn parse_index(
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
fn parse_check(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<CheckAttr>> {
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

/// The doc comment as one string: lines trimmed, lines of a paragraph joined with a space,
/// paragraphs with a newline.
fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let Meta::NameValue(pair) = &attr.meta else {
            continue;
        };
        let Expr::Lit(ExprLit {
            lit: Lit::Str(text),
            ..
        }) = &pair.value
        else {
            continue;
        };
        // `split`, not `lines`: an empty `///` line is an empty string and must still end
        // the paragraph.
        for line in text.value().split('\n') {
            let line = line.trim();
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(current.join(" "));
                    current.clear();
                }
            } else {
                current.push(line.to_owned());
            }
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    if paragraphs.is_empty() {
        None
    } else {
        Some(paragraphs.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_suggest_the_nearest_key() {
        assert_eq!(closest("max_lenght", FIELD_KEYS), Some("max_length"));
        assert_eq!(closest("primarykey", FIELD_KEYS), Some("primary_key"));
        assert_eq!(closest("tabel", STRUCT_KEYS), Some("table"));
        assert_eq!(closest("lenght", FIELD_KEYS), None);
    }

    #[test]
    fn fk_actions_accept_both_spellings() {
        assert_eq!(FkAction::parse("set_null"), Some(FkAction::SetNull));
        assert_eq!(FkAction::parse("SET NULL"), Some(FkAction::SetNull));
        assert_eq!(FkAction::parse("no_action"), Some(FkAction::NoAction));
        assert_eq!(FkAction::parse("explode"), None);
    }

    #[test]
    fn doc_comments_join_lines_and_keep_paragraphs() {
        let item: syn::ItemStruct = syn::parse_quote! {
            ///  First line
            /// continues here.
            ///
            /// Second paragraph.
            struct S;
        };
        assert_eq!(
            doc_comment(&item.attrs).as_deref(),
            Some("First line continues here.\nSecond paragraph.")
        );
    }
}
