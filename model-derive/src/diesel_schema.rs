//! The diesel schema of a model: one `__diesel_schema!` invocation holding the `table!`
//! tokens (columns named by their fields, SQL types from the documented type table) and the
//! models this one references, which `migrate_core` expands (or drops, without its
//! `diesel-schema` feature). It sits beside the struct, not in the `const _` block: `table!`
//! defines the module `<table>` that queries name.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{GenericArgument, PathArguments, Type};

use crate::ast::{Container, Field};
use crate::attr::Reference;
use crate::ctxt::Ctxt;

/// Whether the model carries a diesel schema (`diesel_schema = false` turns it off).
fn wanted(container: &Container) -> bool {
    container
        .attrs
        .diesel_schema
        .as_ref()
        .is_none_or(|key| key.value)
}

/// What diesel's `table!` would refuse, reported with the model's other errors.
pub fn check(cx: &mut Ctxt, container: &Container) {
    if !wanted(container) {
        return;
    }
    let table = container.table();
    if module_name(&table).is_none() {
        cx.error_at(
            container.ident.span(),
            format!(
                "table `{table}` gives no Rust identifier to name the diesel schema's module; \
                 choose another `table = \"…\"`, or leave the schema out with \
                 #[model(diesel_schema = false)]"
            ),
        );
    }
    for field in container.columns() {
        if let Some(key) = field.attrs.diesel_type.as_ref() {
            if syn::parse_str::<syn::TypePath>(&key.value.value()).is_err() {
                cx.error_at(
                    key.value.span(),
                    "`diesel_type` takes a diesel SQL type, e.g. diesel_type = \"Text\" or \
                     diesel_type = \"crate::schema::sql_types::Mood\"",
                );
            }
        }
    }
}

/// The module `table!` defines, when the model has a diesel schema.
pub fn module(container: &Container) -> Option<syn::Ident> {
    // Without a key (already an error) diesel's `table!` would add errors of its own.
    if !wanted(container) || container.primary_key().is_empty() {
        return None;
    }
    module_name(&container.table())
}

/// The module for a table: its name where that is an identifier, else the name lowercased
/// with every other character as `_` (`audit-log` → `audit_log`, with `#[sql_name]`).
fn module_name(table: &str) -> Option<syn::Ident> {
    let spelled: String = table
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let name = if syn::parse_str::<syn::Ident>(table).is_ok() {
        table
    } else {
        &spelled
    };
    syn::parse_str::<syn::Ident>(name).ok()
}

/// `type DieselTable` and `const DIESEL_TABLE` of the model's `Model` impl.
pub fn model_items(container: &Container) -> TokenStream {
    let module = module(container);
    quote! {
        type DieselTable = ::migrate_core::__diesel_table!(type #module);
        const DIESEL_TABLE: Self::DieselTable = ::migrate_core::__diesel_table!(value #module);
    }
}

pub fn expand(container: &Container) -> TokenStream {
    let Some(module) = module(container) else {
        return TokenStream::new();
    };
    let schema = container.attrs.schema.as_ref().map(|key| {
        let schema = syn::Ident::new(&key.value.value(), key.value.span());
        quote!(#schema.)
    });
    let table = container.table();
    let sql_name = (module != table).then(|| quote!(#[sql_name = #table]));
    let key: Vec<&syn::Ident> = container.primary_key().iter().map(|f| f.ident).collect();
    let columns: Vec<TokenStream> = container.columns().map(column).collect();
    let joins = joins(container, &module);
    quote! {
        ::migrate_core::__diesel_schema! {
            module = #module,
            table = {
                #sql_name
                #schema #module (#(#key),*) {
                    #(#columns)*
                }
            },
            joins = { #(#joins)* },
        }
    }
}

/// `field -> SqlType,` with `#[sql_name]` when the column is named otherwise.
fn column(field: &Field) -> TokenStream {
    let ident = field.ident;
    let sql_name = (ident.unraw() != field.column()).then(|| {
        let name = field.column();
        quote!(#[sql_name = #name])
    });
    let (inner, nullable) = match option_inner(field.ty) {
        Some(inner) => (inner, true),
        None => (field.ty, false),
    };
    // An unreadable `diesel_type` is reported by `check`; the schema still takes a type.
    let sql_type = field
        .attrs
        .diesel_type
        .as_ref()
        .and_then(|key| syn::parse_str::<syn::TypePath>(&key.value.value()).ok())
        .map_or_else(|| sql_type(inner), ToTokens::into_token_stream);
    let sql_type = if nullable {
        quote!(Nullable<#sql_type>)
    } else {
        sql_type
    };
    quote!(#sql_name #ident -> #sql_type,)
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// The diesel SQL type for a Rust type the type table names, by its last path segment (so
/// that `table!` sees `BigInt` and gives the column its arithmetic); for the types whose
/// diesel spelling depends on the backend, `migrate_core`'s choice; anything else (an enum
/// with `#[derive(ModelEnum)]`, a type behind `sql_type`) is text unless `diesel_type` says
/// otherwise: diesel then rejects a Rust type that cannot be text where it is used.
fn sql_type(ty: &Type) -> TokenStream {
    by_name(ty).unwrap_or_else(|| quote_spanned!(ty.span()=> Text))
}

/// The SQL type for a Rust type the type table names, by its last path segment.
fn by_name(ty: &Type) -> Option<TokenStream> {
    let span = ty.span();
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last().filter(|_| path.qself.is_none())?;
    let vec_of_u8 = last.ident == "Vec"
        && matches!(&last.arguments, PathArguments::AngleBracketed(args)
            if matches!(args.args.first(), Some(GenericArgument::Type(Type::Path(p))) if p.path.is_ident("u8")));
    let plain = |name: &str| Some(syn::Ident::new(name, span).into_token_stream());
    let chosen = |name: &str| {
        let name = syn::Ident::new(name, span);
        Some(quote!(::migrate_core::__private::sql_types::#name))
    };
    if vec_of_u8 {
        return plain("Binary");
    }
    match last.ident.to_string().as_str() {
        "bool" => plain("Bool"),
        "i16" => plain("SmallInt"),
        "i32" => plain("Integer"),
        "i64" => plain("BigInt"),
        "f32" => plain("Float"),
        "f64" => plain("Double"),
        "String" => plain("Text"),
        "NaiveDate" => plain("Date"),
        "NaiveTime" => plain("Time"),
        "NaiveDateTime" => plain("Timestamp"),
        "BigDecimal" => plain("Numeric"),
        "DateTime" => chosen("Timestamptz"),
        "Uuid" => chosen("Uuid"),
        "Value" => chosen("Json"),
        _ => None,
    }
}

/// diesel's `JoinTo` in both directions for each single-column `references(Model)` to
/// another model, the first per parent: diesel joins two tables through one key only. The
/// same impls as `joinable!`, spelled here because the parent's table is reached through its
/// struct, and spanned at the referenced type, as the definition's `<T as Model>::TABLE` is,
/// so that a type that is not a model is reported once.
fn joins(container: &Container, module: &syn::Ident) -> Vec<TokenStream> {
    let mut parents = BTreeSet::new();
    let mut out = Vec::new();
    for field in container.columns() {
        let Some(key) = field.attrs.references.as_ref() else {
            continue;
        };
        let Reference::Model(parent) = &key.value else {
            continue;
        };
        let text = parent.to_token_stream().to_string();
        if text == "Self" || *container.ident == text || !parents.insert(text) {
            continue;
        }
        let span = parent.span();
        let foreign_key = field.ident;
        out.push(quote_spanned! {span=>
            impl ::migrate_core::__private::diesel::JoinTo<
                <#parent as ::migrate_core::__private::Model>::DieselTable,
            > for #module::table {
                type FromClause = <#parent as ::migrate_core::__private::Model>::DieselTable;
                type OnClause = ::migrate_core::__private::diesel::dsl::Eq<
                    ::migrate_core::__private::diesel::dsl::Nullable<#module::#foreign_key>,
                    ::migrate_core::__private::diesel::dsl::Nullable<
                        <Self::FromClause as ::migrate_core::__private::diesel::Table>::PrimaryKey,
                    >,
                >;
                fn join_target(rhs: Self::FromClause) -> (Self::FromClause, Self::OnClause) {
                    use ::migrate_core::__private::diesel::{ExpressionMethods, NullableExpressionMethods, Table};
                    let key = rhs.primary_key();
                    (rhs, #module::#foreign_key.nullable().eq(key.nullable()))
                }
            }
            impl ::migrate_core::__private::diesel::JoinTo<#module::table>
                for <#parent as ::migrate_core::__private::Model>::DieselTable
            {
                type FromClause = #module::table;
                type OnClause = ::migrate_core::__private::diesel::dsl::Eq<
                    ::migrate_core::__private::diesel::dsl::Nullable<#module::#foreign_key>,
                    ::migrate_core::__private::diesel::dsl::Nullable<
                        <Self as ::migrate_core::__private::diesel::Table>::PrimaryKey,
                    >,
                >;
                fn join_target(rhs: Self::FromClause) -> (Self::FromClause, Self::OnClause) {
                    use ::migrate_core::__private::diesel::{ExpressionMethods, NullableExpressionMethods, Table};
                    let key = <#parent as ::migrate_core::__private::Model>::DIESEL_TABLE;
                    (rhs, #module::#foreign_key.nullable().eq(key.primary_key().nullable()))
                }
            }
        });
    }
    out
}
