//! Reading a key's value: strings, numbers, flags, defaults, references, actions.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Lit, LitStr, Token, UnOp};

use super::{DefaultLit, FkAction, Reference};

/// A key that takes no value.
pub(super) fn flag(meta: &ParseNestedMeta, key: &str) -> syn::Result<()> {
    if !(meta.input.is_empty() || meta.input.peek(Token![,])) {
        return Err(meta.error(format!("`{key}` takes no value; write #[model({key})]")));
    }
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

pub(super) fn string_value(meta: &ParseNestedMeta, key: &str) -> syn::Result<LitStr> {
    let example = format!("{key} = \"…\"");
    match literal_value(meta, key, &example)? {
        Lit::Str(text) => Ok(text),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes a string: write {example}"),
        )),
    }
}

pub(super) fn non_empty(text: LitStr, key: &str) -> syn::Result<LitStr> {
    if text.value().trim().is_empty() {
        return Err(syn::Error::new(
            text.span(),
            format!("`{key}` cannot be empty; write a value or remove `{key}`"),
        ));
    }
    Ok(text)
}

/// A string that must not be empty.
pub(super) fn bool_value(meta: &ParseNestedMeta, key: &str) -> syn::Result<bool> {
    let example = format!("{key} = false");
    match literal_value(meta, key, &example)? {
        Lit::Bool(flag) => Ok(flag.value),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes true or false: write {example}"),
        )),
    }
}

pub(super) fn non_empty_string(meta: &ParseNestedMeta, key: &str) -> syn::Result<LitStr> {
    non_empty(string_value(meta, key)?, key)
}

pub(super) fn u32_value(
    meta: &ParseNestedMeta,
    key: &str,
    min: u32,
    example: &str,
) -> syn::Result<u32> {
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

pub(super) fn default_value(meta: &ParseNestedMeta) -> syn::Result<DefaultLit> {
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

pub(super) fn reference_value(meta: &ParseNestedMeta) -> syn::Result<Reference> {
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

pub(super) fn action_value(meta: &ParseNestedMeta, key: &str) -> syn::Result<FkAction> {
    let text = string_value(meta, key)?;
    FkAction::parse(&text.value()).ok_or_else(|| {
        syn::Error::new(
            text.span(),
            format!(
                "invalid action `{}` for `{key}`; expected one of: {}",
                text.value(),
                FkAction::NAMES
                    .iter()
                    .map(|(name, _)| format!("\"{name}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}
