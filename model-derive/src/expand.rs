//! The generated code: one `static ModelDef` of plain data, the `Model` impl that points at
//! it, and its registration. Everything the registry needs to check at run time is data;
//! everything rustc can check (types map, `references(T)` is a model, `max_length` is on a
//! string) is checked by naming traits in that data.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::ast::{self, Container, Field};
use crate::attr::{self, DefaultLit, FkAction, Reference};
use crate::check;
use crate::ctxt::Ctxt;

/// The full expansion, or every error found in the input.
pub fn expand(input: &DeriveInput) -> Result<TokenStream, syn::Error> {
    let mut cx = Ctxt::new();
    let container = ast::Container::from_ast(&mut cx, input);
    if let Some(container) = &container {
        check::check(&mut cx, container);
        crate::diesel_schema::check(&mut cx, container);
    }
    cx.check()?;
    container.map(|c| model(&c)).ok_or_else(|| {
        syn::Error::new(
            input.ident.span(),
            "#[derive(Model)] needs a struct with named fields",
        )
    })
}

/// What is emitted next to the errors: a `Model` impl with an empty definition, so that
/// code using the type (`references(X)`, `X::TABLE`) still compiles and the user sees only
/// the errors that matter.
pub fn fallback(input: &DeriveInput) -> TokenStream {
    let private = private();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let struct_name = ident.unraw().to_string();
    // The errors are already reported; this parse only recovers the table name if it was
    // readable.
    let table = attr::parse_container(&mut Ctxt::new(), &input.attrs)
        .table
        .as_ref()
        .map_or_else(|| ast::default_table_name(ident), |key| key.value.value());
    let location = location(ident);
    // The diesel schema as far as the struct can be read, so that models joining this one
    // show no follow-on errors.
    let container = ast::Container::from_ast(&mut Ctxt::new(), input);
    let diesel_schema = container
        .as_ref()
        .map(crate::diesel_schema::expand)
        .unwrap_or_default();
    let diesel_items = container.as_ref().map_or_else(
        || {
            quote! {
                type DieselTable = ();
                const DIESEL_TABLE: () = ();
            }
        },
        crate::diesel_schema::model_items,
    );
    quote! {
        #diesel_schema
        const _: () = {
            static DEFINITION: #private::ModelDef = #private::ModelDef {
                struct_name: #struct_name,
                table: #table,
                schema: #private::None,
                columns: &[],
                primary_key: &[],
                indexes: &[],
                foreign_keys: &[],
                checks: &[],
                renamed_from: #private::None,
                comment: #private::None,
                location: #location,
            };
            #[automatically_derived]
            impl #impl_generics #private::Model for #ident #ty_generics #where_clause {
                const TABLE: &'static str = #table;
                const PRIMARY_KEY: &'static [&'static str] = &[];
                fn definition() -> &'static #private::ModelDef {
                    &DEFINITION
                }
                #diesel_items
            }
        };
    }
}

fn private() -> TokenStream {
    quote!(::migrate_core::__private)
}

fn model(container: &Container) -> TokenStream {
    let private = private();
    let ident = container.ident;
    let struct_name = ident.unraw().to_string();
    let table = container.table();
    let columns: Vec<TokenStream> = container.columns().map(column_def).collect();
    let primary_key: Vec<String> = container
        .primary_key()
        .iter()
        .map(|field| field.column())
        .collect();
    let indexes = index_defs(container);
    let foreign_keys: Vec<TokenStream> = container
        .columns()
        .filter_map(|field| foreign_key_def(container, field))
        .collect();
    let checks = container.attrs.checks.iter().map(|check| {
        let (name, expr) = (check.name.value(), check.expr.value());
        quote!(#private::CheckDef { name: #name, expr: #expr })
    });
    let renamed_from = optional_str(
        container
            .attrs
            .renamed_from
            .as_ref()
            .map(|key| key.value.value()),
    );
    let comment = optional_str(container.comment());
    let schema = optional_str(container.attrs.schema.as_ref().map(|key| key.value.value()));
    let location = location(ident);
    let assertions = container.columns().map(type_assertions);
    let diesel_schema = crate::diesel_schema::expand(container);
    let diesel_items = crate::diesel_schema::model_items(container);
    quote! {
        #diesel_schema
        const _: () = {
            static DEFINITION: #private::ModelDef = #private::ModelDef {
                struct_name: #struct_name,
                table: #table,
                schema: #schema,
                columns: &[#(#columns),*],
                primary_key: &[#(#primary_key),*],
                indexes: &[#(#indexes),*],
                foreign_keys: &[#(#foreign_keys),*],
                checks: &[#(#checks),*],
                renamed_from: #renamed_from,
                comment: #comment,
                location: #location,
            };
            #(#assertions)*
            #[automatically_derived]
            impl #private::Model for #ident {
                const TABLE: &'static str = #table;
                const PRIMARY_KEY: &'static [&'static str] = &[#(#primary_key),*];
                fn definition() -> &'static #private::ModelDef {
                    &DEFINITION
                }
                #diesel_items
            }
            #private::inventory::submit! {
                #private::Registration(&DEFINITION)
            }
        };
    }
}

/// `line!()` spanned at the struct name reports the struct's line rather than the derive's.
fn location(ident: &syn::Ident) -> TokenStream {
    let private = private();
    let line = quote_spanned!(ident.span()=> ::core::line!());
    quote! {
        #private::SourceLocation {
            module_path: ::core::module_path!(),
            file: ::core::file!(),
            line: #line,
        }
    }
}

fn column_def(field: &Field) -> TokenStream {
    let private = private();
    let attrs = &field.attrs;
    let name = field.column();
    let (ty, nullable) = match attrs.sql_type.as_ref() {
        // An explicit SQL type needs no `SqlMapped` impl, so nullability has to come from
        // how the field type is spelled.
        Some(sql_type) => {
            let sql_type = sql_type.value.value();
            let nullable = ast::is_option(field.ty);
            (
                quote!(#private::custom(#sql_type)),
                nullable.to_token_stream(),
            )
        }
        None => {
            let field_ty = field.ty;
            // Spanned at the field type so that an unmapped type is reported there.
            let span = field_ty.span();
            (
                quote_spanned!(span=> <#field_ty as #private::SqlMapped>::COLUMN_TYPE),
                quote_spanned!(span=> <#field_ty as #private::SqlMapped>::NULLABLE),
            )
        }
    };
    let max_length = optional(
        attrs
            .max_length
            .as_ref()
            .map(|key| Literal::u32_unsuffixed(key.value).into_token_stream()),
    );
    let precision = optional(match (attrs.precision.as_ref(), attrs.scale.as_ref()) {
        (Some(precision), Some(scale)) => {
            let precision = Literal::u32_unsuffixed(precision.value);
            let scale = Literal::u32_unsuffixed(scale.value);
            Some(quote!((#precision, #scale)))
        }
        _ => None,
    });
    let default = optional(match (attrs.default.as_ref(), attrs.default_sql.as_ref()) {
        (Some(default), _) => Some(default_def(&default.value)),
        (None, Some(sql)) => {
            let sql = sql.value.value();
            Some(quote!(#private::DefaultDef::Sql(#sql)))
        }
        (None, None) => None,
    });
    let renamed_from = optional_str(attrs.renamed_from.as_ref().map(|key| key.value.value()));
    let comment = optional_str(field.comment());
    let index_prefix = optional(
        attrs
            .index_prefix
            .as_ref()
            .map(|key| Literal::u32_unsuffixed(key.value).into_token_stream()),
    );
    quote! {
        #private::ColumnDef {
            name: #name,
            ty: #ty,
            nullable: #nullable,
            max_length: #max_length,
            precision: #precision,
            default: #default,
            renamed_from: #renamed_from,
            comment: #comment,
            index_prefix: #index_prefix,
        }
    }
}

fn default_def(default: &DefaultLit) -> TokenStream {
    let private = private();
    match default {
        DefaultLit::Text(text) => quote!(#private::DefaultDef::Text(#text)),
        DefaultLit::Bool(flag) => quote!(#private::DefaultDef::Bool(#flag)),
        DefaultLit::Int(number) => {
            // A negative `Literal` does not survive every token consumer; spell the sign.
            let magnitude = Literal::u64_unsuffixed(number.unsigned_abs());
            if *number < 0 {
                quote!(#private::DefaultDef::Int(-#magnitude))
            } else {
                quote!(#private::DefaultDef::Int(#magnitude))
            }
        }
        DefaultLit::Float(text) => quote!(#private::DefaultDef::Float(#text)),
    }
}

/// Struct-level indexes in the order written, then the fields' `index`/`unique`.
fn index_defs(container: &Container) -> Vec<TokenStream> {
    let private = private();
    let mut indexes: Vec<TokenStream> = container
        .attrs
        .indexes
        .iter()
        .map(|index| {
            let name = optional_str(index.name.as_ref().map(syn::LitStr::value));
            let columns = index.columns.iter().map(|column| &column.name);
            let unique = index.unique;
            quote!(#private::IndexDef { name: #name, columns: &[#(#columns),*], unique: #unique })
        })
        .collect();
    for field in container.columns() {
        let column = field.column();
        for (present, unique) in [
            (field.attrs.index.is_some(), false),
            (field.attrs.unique.is_some(), true),
        ] {
            if present {
                indexes.push(quote!(#private::IndexDef {
                    name: #private::None,
                    columns: &[#column],
                    unique: #unique,
                }));
            }
        }
    }
    indexes
}

fn foreign_key_def(container: &Container, field: &Field) -> Option<TokenStream> {
    let private = private();
    let reference = field.attrs.references.as_ref()?;
    let column = field.column();
    let (ref_table, ref_columns) = match &reference.value {
        Reference::Model(ty) => {
            // Spanned at the type so that a type that is not a model is reported there.
            let span = ty.span();
            // The definition lives outside the impl, where `Self` means nothing.
            let ty = match ty {
                syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident("Self") => {
                    syn::Ident::new(&container.ident.to_string(), span).into_token_stream()
                }
                _ => ty.into_token_stream(),
            };
            (
                quote_spanned!(span=> <#ty as #private::Model>::TABLE),
                quote!(&[]),
            )
        }
        Reference::Column { table, column } => (quote!(#table), quote!(&[#column])),
    };
    let action = |key: Option<&attr::Key<FkAction>>| {
        let variant = key
            .as_ref()
            .map_or(FkAction::NoAction, |k| k.value)
            .variant();
        let variant = syn::Ident::new(variant, Span::call_site());
        quote!(#private::FkAction::#variant)
    };
    let on_delete = action(field.attrs.on_delete.as_ref());
    let on_update = action(field.attrs.on_update.as_ref());
    let name = match field.attrs.foreign_key_name.as_ref() {
        Some(key) => {
            let name = &key.value;
            quote!(#private::Some(#name))
        }
        None => quote!(#private::None),
    };
    Some(quote! {
        #private::ForeignKeyDef {
            name: #name,
            columns: &[#column],
            ref_table: #ref_table,
            ref_columns: #ref_columns,
            on_delete: #on_delete,
            on_update: #on_update,
        }
    })
}

/// Assertions that let rustc reject `max_length` on a non-string and `precision`/`scale` on
/// a non-decimal, with the messages the marker traits carry. The helper is spanned at the
/// key, so rustc's "required by this bound" note points at the key too.
fn type_assertions(field: &Field) -> TokenStream {
    if field.attrs.sql_type.is_some() {
        return TokenStream::new();
    }
    let ty = field.ty;
    let mut assertions = TokenStream::new();
    if let Some(key) = field.attrs.max_length.as_ref() {
        assertions.extend(quote_spanned! {key.span=>
            const _: fn() = || {
                fn string_column<T: ?::core::marker::Sized + ::migrate_core::__private::StringColumn>() {}
                string_column::<#ty>();
            };
        });
    }
    if let Some(key) = field
        .attrs
        .precision
        .as_ref()
        .or(field.attrs.scale.as_ref())
    {
        assertions.extend(quote_spanned! {key.span=>
            const _: fn() = || {
                fn decimal_column<T: ?::core::marker::Sized + ::migrate_core::__private::DecimalColumn>() {}
                decimal_column::<#ty>();
            };
        });
    }
    assertions
}

fn optional(value: Option<TokenStream>) -> TokenStream {
    let private = private();
    match value {
        Some(value) => quote!(#private::Some(#value)),
        None => quote!(#private::None),
    }
}

fn optional_str(value: Option<String>) -> TokenStream {
    optional(value.map(|text| text.to_token_stream()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).expect("the expansion parses as items");
        prettyplease::unparse(&file)
    }

    fn expanded(input: DeriveInput) -> String {
        pretty(expand(&input).expect("the model is valid"))
    }

    #[test]
    fn user_profile() {
        // The model of DESIGN.md section 3, verbatim.
        insta::assert_snapshot!(expanded(syn::parse_quote! {
            #[derive(Model)]
            #[model(table = "user_profiles")]
            #[model(index(columns(org_id, created_at)))]
            #[model(unique(name = "uq_profile_slug", columns(org_id, slug)))]
            #[model(check(name = "ck_profile_slug", expr = "length(slug) > 0"))]
            pub struct UserProfile {
                pub id: i64,
                pub org_id: i64,
                #[model(max_length = 50)]
                pub slug: String,
                pub onboarding_screen: Option<String>,
                #[model(default = "draft")]
                pub status: String,
                #[model(default_sql = "CURRENT_TIMESTAMP")]
                pub created_at: chrono::NaiveDateTime,
                #[model(references(Organization), on_delete = "cascade")]
                pub owner_id: i64,
                #[model(references = "accounts.id")]
                pub account_id: Option<i64>,
                #[model(renamed_from = "nick")]
                pub display_name: String,
            }
        }));
    }

    #[test]
    fn organization() {
        insta::assert_snapshot!(expanded(syn::parse_quote! {
            /// A customer of the service.
            #[derive(Model)]
            pub struct Organization {
                pub id: i64,
                #[model(max_length = 100, unique)]
                pub name: String,
                #[model(default = true)]
                pub active: bool,
                #[model(precision = 12, scale = 2, default = 0)]
                pub balance: bigdecimal::BigDecimal,
            }
        }));
    }

    #[test]
    fn account() {
        insta::assert_snapshot!(expanded(syn::parse_quote! {
            #[derive(Model)]
            #[model(renamed_from = "users", comment = "Login accounts")]
            pub struct Account {
                #[model(primary_key, column = "account_id")]
                pub id: i64,
                #[model(references(Self), on_delete = "set null", on_update = "cascade")]
                pub invited_by: Option<i64>,
                /// Unique per organization.
                #[model(sql_type = "citext", index)]
                pub email: Option<String>,
                #[model(default = -1)]
                pub quota: i32,
                #[model(default = 0.5)]
                pub ratio: f64,
                #[model(skip)]
                pub session: SessionCache,
            }
        }));
    }

    #[test]
    fn fallback_keeps_the_type_a_model() {
        let input: DeriveInput = syn::parse_quote! {
            #[derive(Model)]
            #[model(table = "people", tabel = "typo")]
            pub struct Person {
                pub name: String,
            }
        };
        let errors = expand(&input).expect_err("the model is invalid");
        let messages: Vec<String> = errors.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(messages[0].starts_with("unknown key `tabel`"));
        assert!(messages[1].starts_with("`Person` has no primary key"));
        insta::assert_snapshot!(pretty(fallback(&input)));
    }
}
