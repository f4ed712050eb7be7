//! Doc comments, which become table and column comments.

use syn::{Attribute, Expr, ExprLit, Lit, Meta};

/// The doc comment as one string: lines trimmed, lines of a paragraph joined with a space,
/// paragraphs with a newline.
pub(super) fn doc_comment(attrs: &[Attribute]) -> Option<String> {
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
