//! `#[derive(ModelEnum)]`: a Rust enum of unit variants as an enum column type. Parsed into
//! [`EnumDef`], validated, then expanded into data: the `SqlMapped` impl whose column type
//! carries the type's name and labels, and the `ModelEnum` impl with the variants.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::ast::snake_case;
use crate::attr::{self, Key};
use crate::ctxt::Ctxt;

/// The longest type name PostgreSQL keeps, in bytes.
const NAME_LIMIT: usize = 63;

struct EnumDef<'a> {
    ident: &'a syn::Ident,
    name: String,
    /// Where the name is written, or the enum's name when it is the default.
    name_span: Span,
    variants: Vec<Variant<'a>>,
}

struct Variant<'a> {
    ident: &'a syn::Ident,
    label: String,
    label_span: Span,
    renamed_from: Option<Key<syn::LitStr>>,
}

/// The expansion, or every error found in the input.
pub fn expand(input: &DeriveInput) -> Result<TokenStream, syn::Error> {
    let mut cx = Ctxt::new();
    let def = parse(&mut cx, input);
    if let Some(def) = &def {
        validate(&mut cx, def);
    }
    cx.check()?;
    def.map(|def| generate(&def)).ok_or_else(|| {
        syn::Error::new(
            input.ident.span(),
            "#[derive(ModelEnum)] needs an enum of unit variants",
        )
    })
}

/// What is emitted next to the errors: a text column type, so that models with a field of
/// this type compile and the user sees only the errors in the enum.
pub fn fallback(input: &DeriveInput) -> TokenStream {
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        return TokenStream::new();
    }
    let private = quote!(::migrate_core::__private);
    let ident = &input.ident;
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #private::SqlMapped for #ident {
                const COLUMN_TYPE: #private::ColumnType = #private::ColumnType::Text;
            }
        };
    }
}

fn parse<'a>(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<EnumDef<'a>> {
    let Data::Enum(data) = &input.data else {
        cx.error_at(
            input.ident.span(),
            "#[derive(ModelEnum)] needs an enum; each unit variant is a label",
        );
        return None;
    };
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        cx.error_at(
            input.generics.span(),
            "an enum column type cannot be generic; remove the type parameters",
        );
        return None;
    }
    let attrs = attr::parse_enum(cx, &input.attrs);
    let (name, name_span) = attrs.name.as_ref().map_or_else(
        || (snake_case(&input.ident), input.ident.span()),
        |key| (key.value.value(), key.value.span()),
    );
    let mut variants = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_at(
                variant.fields.span(),
                "an enum column's variants hold no data: each is one label; remove the fields",
            );
        }
        let attrs = attr::parse_variant(cx, &variant.attrs);
        let (label, label_span) = match attrs.rename.as_ref() {
            Some(key) => (key.value.value(), key.value.span()),
            None => (snake_case(&variant.ident), variant.ident.span()),
        };
        variants.push(Variant {
            ident: &variant.ident,
            label,
            label_span,
            renamed_from: attrs.renamed_from.into_inner(),
        });
    }
    Some(EnumDef {
        ident: &input.ident,
        name,
        name_span,
        variants,
    })
}

/// What the database would refuse or the differ could not follow.
fn validate(cx: &mut Ctxt, def: &EnumDef) {
    if def.variants.is_empty() {
        cx.error_at(
            def.ident.span(),
            "an enum column type needs at least one variant",
        );
    }
    let (schema, bare) = match def.name.split_once('.') {
        Some((schema, bare)) => (Some(schema), bare),
        None => (None, def.name.as_str()),
    };
    let plain = |part: &str| {
        part.chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    if !schema.is_none_or(plain) || !plain(bare) || bare.len() > NAME_LIMIT {
        cx.error_at(
            def.name_span,
            format!(
                "enum type name `{}` must be a lower-case identifier of at most {NAME_LIMIT} \
                 bytes (letters, digits, `_`), optionally `schema.name`; set it with \
                 #[model(name = \"…\")]",
                def.name
            ),
        );
    }
    let mut seen: BTreeMap<&str, &Variant> = BTreeMap::new();
    for variant in &def.variants {
        if variant.label.is_empty() {
            cx.error_at(variant.label_span, "a label cannot be empty");
        }
        if let Some(first) = seen.insert(&variant.label, variant) {
            cx.error_at(
                variant.label_span,
                format!(
                    "label `{}` is also the label of `{}`; give one of them another with \
                     #[model(rename = \"…\")]",
                    variant.label, first.ident
                ),
            );
        }
    }
    for variant in &def.variants {
        let Some(old) = &variant.renamed_from else {
            continue;
        };
        let old_label = old.value.value();
        if seen.contains_key(old_label.as_str()) {
            cx.error_at(
                old.span,
                format!(
                    "`renamed_from = \"{old_label}\"` names a label the enum still has; a \
                     rename's old label must be gone"
                ),
            );
        }
    }
}

fn generate(def: &EnumDef) -> TokenStream {
    let private = quote!(::migrate_core::__private);
    let ident = def.ident;
    let name = &def.name;
    let labels: Vec<&str> = def.variants.iter().map(|v| v.label.as_str()).collect();
    let variants: Vec<&syn::Ident> = def.variants.iter().map(|v| v.ident).collect();
    let renames = def.variants.iter().filter_map(|v| {
        let from = v.renamed_from.as_ref()?.value.value();
        let to = &v.label;
        Some(quote! {
            #private::LabelRename {
                from: #private::Cow::Borrowed(#from),
                to: #private::Cow::Borrowed(#to),
            }
        })
    });
    quote! {
        const _: () = {
            const LABELS: &[#private::Cow<'static, str>] = &[#(#private::Cow::Borrowed(#labels)),*];
            const RENAMED: &[#private::LabelRename] = &[#(#renames),*];
            #[automatically_derived]
            impl #private::SqlMapped for #ident {
                const COLUMN_TYPE: #private::ColumnType = #private::ColumnType::Enum(
                    #private::EnumType {
                        name: #private::Cow::Borrowed(#name),
                        labels: #private::Cow::Borrowed(LABELS),
                        renamed: #private::Cow::Borrowed(RENAMED),
                    },
                );
            }
            #[automatically_derived]
            impl #private::ModelEnum for #ident {
                const VARIANTS: &'static [Self] = &[#(#ident::#variants),*];
                const LABELS: &'static [&'static str] = &[#(#labels),*];
                fn label(&self) -> &'static str {
                    match self {
                        #(#ident::#variants => #labels,)*
                    }
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mood() {
        let input: DeriveInput = syn::parse_quote! {
            #[model(name = "mood")]
            enum Mood {
                Happy,
                #[model(rename = "so-so")]
                SoSo,
                #[model(renamed_from = "sad")]
                Unhappy,
            }
        };
        let file: syn::File = syn::parse2(expand(&input).expect("valid")).expect("parses");
        insta::assert_snapshot!(prettyplease::unparse(&file));
    }
}
