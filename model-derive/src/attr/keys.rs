//! Which key was written: lookups, did-you-mean suggestions, and recovery after a bad key.

use proc_macro2::TokenTree;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::Token;

use crate::ctxt::Ctxt;

/// Records a failed key and skips the rest of its value, so that parsing resumes at the
/// next key instead of giving up on the whole attribute.
pub(super) fn recover(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    outcome: syn::Result<()>,
) -> syn::Result<()> {
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

pub(super) fn known_key(
    meta: &ParseNestedMeta,
    keys: &[&'static str],
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
/// Optimal string alignment distance: swapping two neighbouring letters, the most common
/// typo (`tabel`), is one edit.
pub(super) fn closest<'k>(written: &str, keys: &[&'k str]) -> Option<&'k str> {
    let limit = (written.chars().count() / 3).max(1);
    keys.iter()
        .map(|key| (strsim::osa_distance(written, key), *key))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, key)| key)
}
