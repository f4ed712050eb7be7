//! `#[derive(Model)]`: turns a struct into a registered table definition.
//!
//! Use it through `migrate_core::Model`; the generated code names only
//! `::migrate_core::__private`. The attributes are described in the user guide
//! (docs/attributes.md) and in the doc of [`macro@Model`].

mod ast;
mod attr;
mod check;
mod ctxt;
mod diesel_schema;
mod enum_type;
mod expand;

use proc_macro::TokenStream;

/// Registers the struct as a table definition.
///
/// Struct attributes: `table = "…"` (default: the struct name in snake case plus `s`, as
/// diesel infers it), `schema = "…"` (PostgreSQL), `index(columns(a, b), name = "…")`, `unique(columns(a, b), name = "…")`,
/// `check(name = "…", expr = "…")`, `renamed_from = "…"`, `comment = "…"`.
///
/// Field attributes: `primary_key`, `column = "…"`, `max_length = N`, `index_prefix = N`,
/// `precision = P,
/// scale = S`, `sql_type = "…"`, `unique`, `index`, `default = <literal>`,
/// `default_sql = "…"`, `references(Model)` or `references = "table.column"`,
/// `on_delete = "…"`, `on_update = "…"`, `foreign_key_name = "…"`, `renamed_from = "…"`,
/// `skip`, `comment = "…"`.
///
/// Doc comments become table and column comments unless `comment` is given. Columns in
/// `index(columns(…))` are column names, which are the field names unless `column = "…"`
/// renames them. Without `primary_key` on any field, the field named `id` is the key.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    match expand::expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(errors) => {
            let mut tokens = errors.to_compile_error();
            tokens.extend(expand::fallback(&input));
            tokens.into()
        }
    }
}

/// Makes a Rust enum of unit variants the type of enum columns.
///
/// Each variant is a label, in declaration order: its name in snake case unless
/// `#[model(rename = "…")]` spells it. `#[model(renamed_from = "…")]` on a variant says
/// the label had another spelling, so the database's label is renamed in place (rows keep
/// their value). On the enum, `#[model(name = "…")]` names the type on PostgreSQL
/// (default: the enum's name in snake case). See docs/types.md.
#[proc_macro_derive(ModelEnum, attributes(model))]
pub fn derive_model_enum(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    match enum_type::expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(errors) => {
            let mut tokens = errors.to_compile_error();
            tokens.extend(enum_type::fallback(&input));
            tokens.into()
        }
    }
}
