//! The derive's view of the input: the struct, its fields, and their parsed attributes.

use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericArgument, PathArguments, Type};

use crate::attr::{self, ContainerAttrs, FieldAttrs};
use crate::ctxt::Ctxt;

#[derive(Debug)]
pub struct Container<'a> {
    pub ident: &'a syn::Ident,
    pub attrs: ContainerAttrs,
    pub fields: Vec<Field<'a>>,
}

#[derive(Debug)]
pub struct Field<'a> {
    pub ident: &'a syn::Ident,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
}

impl<'a> Container<'a> {
    /// `None` when the input is not something a model can be made of; the reason is in
    /// `cx`. Attribute errors are reported to `cx` but still give a container, so that
    /// the checks can find the remaining problems in the same compile.
    pub fn from_ast(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Container<'a>> {
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => Some(named),
                Fields::Unnamed(_) | Fields::Unit => None,
            },
            Data::Enum(_) | Data::Union(_) => None,
        };
        let Some(named) = named else {
            cx.error_at(
                input.ident.span(),
                "#[derive(Model)] needs a struct with named fields; each field is a column",
            );
            return None;
        };
        if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
            cx.error_at(
                input.generics.span(),
                "models cannot be generic: a table has one fixed set of column types; \
                 remove the type parameters",
            );
            return None;
        }
        let attrs = attr::parse_container(cx, &input.attrs);
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                Some(Field {
                    ident: field.ident.as_ref()?,
                    ty: &field.ty,
                    attrs: attr::parse_field(cx, &field.attrs),
                })
            })
            .collect();
        Some(Container {
            ident: &input.ident,
            attrs,
            fields,
        })
    }

    pub fn table(&self) -> String {
        self.attrs
            .table
            .as_ref()
            .map_or_else(|| default_table_name(self.ident), |key| key.value.value())
    }

    /// The fields that are columns.
    pub fn columns(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields
            .iter()
            .filter(|field| field.attrs.skip.is_none())
    }

    /// The fields marked `primary_key` in order, or else the field named `id`.
    pub fn primary_key(&self) -> Vec<&Field<'a>> {
        let marked: Vec<&Field<'a>> = self
            .columns()
            .filter(|field| field.attrs.primary_key.is_some())
            .collect();
        if !marked.is_empty() {
            return marked;
        }
        self.columns()
            .filter(|field| field.ident.unraw() == "id")
            .collect()
    }

    pub fn comment(&self) -> Option<String> {
        explicit_or_doc(self.attrs.comment.as_ref(), self.attrs.doc.as_ref())
    }
}

impl Field<'_> {
    /// `column = "…"`, or the field name without `r#`.
    pub fn column(&self) -> String {
        self.attrs
            .column
            .as_ref()
            .map_or_else(|| self.ident.unraw().to_string(), |key| key.value.value())
    }

    pub fn comment(&self) -> Option<String> {
        explicit_or_doc(self.attrs.comment.as_ref(), self.attrs.doc.as_ref())
    }
}

fn explicit_or_doc(
    explicit: Option<&attr::Key<syn::LitStr>>,
    doc: Option<&String>,
) -> Option<String> {
    explicit
        .map(|key| key.value.value())
        .or_else(|| doc.cloned())
}

/// Diesel's rule, so that a struct deriving both agrees on its table: a `_` before every
/// uppercase letter but the first, everything lowercased, then `s`.
pub fn default_table_name(ident: &syn::Ident) -> String {
    let mut table = snake_case(ident);
    table.push('s');
    table
}

/// `UserProfile` → `user_profile`: a `_` before every uppercase letter but the first,
/// everything lowercased.
pub fn snake_case(ident: &syn::Ident) -> String {
    let name = ident.unraw().to_string();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// Whether the type is written as `Option<T>`. Only used with `sql_type`, where there is
/// no `SqlMapped` impl to say whether the column is nullable.
pub fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Group(group) => is_option(&group.elem),
        Type::Paren(paren) => is_option(&paren.elem),
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            let PathArguments::AngleBracketed(args) = &last.arguments else {
                return false;
            };
            last.ident == "Option"
                && args.args.len() == 1
                && matches!(args.args.first(), Some(GenericArgument::Type(_)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_follow_diesel() {
        let name =
            |s: &str| default_table_name(&syn::Ident::new(s, proc_macro2::Span::call_site()));
        assert_eq!(name("User"), "users");
        assert_eq!(name("UserProfile"), "user_profiles");
        assert_eq!(name("HTTPRequest"), "h_t_t_p_requests");
    }

    #[test]
    fn option_is_detected_by_its_spelling() {
        assert!(is_option(&syn::parse_quote!(Option<i64>)));
        assert!(is_option(&syn::parse_quote!(std::option::Option<MyType>)));
        assert!(!is_option(&syn::parse_quote!(Vec<i64>)));
        assert!(!is_option(&syn::parse_quote!(Option)));
    }
}
