//! `#[model(...)]` attributes and doc comments, parsed into plain values.
//!
//! Parsing never stops at the first mistake: a bad key is reported, its value skipped, and
//! the keys after it are still read, so that one compile shows every problem. Each key is
//! listed once, in [`STRUCT_KEYS`] or [`FIELD_KEYS`], with the parser that reads it; a value
//! lands in an [`Attr`] slot, which refuses a second one.

mod doc;
mod keys;
mod list;
mod value;

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, LitStr};

use crate::ctxt::Ctxt;
use keys::{known_key, recover};
use list::{parse_check, parse_index};
use value::{
    action_value, bool_value, default_value, flag, non_empty_string, reference_value, string_value,
    u32_value,
};

/// A value together with the span of the key that set it, which is where errors about the
/// key point.
#[derive(Debug)]
pub struct Key<T> {
    pub span: Span,
    pub value: T,
}

/// A key's slot: empty until the key is written, and an error (pointing at both places) when
/// it is written twice.
#[derive(Debug)]
pub struct Attr<T>(Option<Key<T>>);

impl<T> Default for Attr<T> {
    fn default() -> Self {
        Attr(None)
    }
}

impl<T> Attr<T> {
    fn set(&mut self, meta: &ParseNestedMeta, key: &str, value: T) -> syn::Result<()> {
        if let Some(first) = &self.0 {
            let mut error = syn::Error::new(
                meta.path.span(),
                format!("duplicate key `{key}` in #[model(...)]; remove one of them"),
            );
            error.combine(syn::Error::new(
                first.span,
                format!("`{key}` is first set here"),
            ));
            return Err(error);
        }
        self.0 = Some(Key {
            span: meta.path.span(),
            value,
        });
        Ok(())
    }

    pub fn as_ref(&self) -> Option<&Key<T>> {
        self.0.as_ref()
    }

    pub fn into_inner(self) -> Option<Key<T>> {
        self.0
    }

    pub fn is_some(&self) -> bool {
        self.0.is_some()
    }

    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

/// Struct-level attributes.
#[derive(Debug, Default)]
pub struct ContainerAttrs {
    pub table: Attr<LitStr>,
    pub schema: Attr<LitStr>,
    pub indexes: Vec<IndexAttr>,
    pub checks: Vec<CheckAttr>,
    pub renamed_from: Attr<LitStr>,
    pub comment: Attr<LitStr>,
    /// `diesel_schema = false`: no diesel `table!` for this model.
    pub diesel_schema: Attr<bool>,
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
    pub primary_key: Attr<()>,
    pub column: Attr<LitStr>,
    pub max_length: Attr<u32>,
    pub index_prefix: Attr<u32>,
    pub precision: Attr<u32>,
    pub scale: Attr<u32>,
    pub sql_type: Attr<LitStr>,
    pub unique: Attr<()>,
    pub index: Attr<()>,
    pub default: Attr<DefaultLit>,
    pub default_sql: Attr<LitStr>,
    pub references: Attr<Reference>,
    pub on_delete: Attr<FkAction>,
    pub on_update: Attr<FkAction>,
    pub foreign_key_name: Attr<LitStr>,
    pub renamed_from: Attr<LitStr>,
    pub skip: Attr<()>,
    pub comment: Attr<LitStr>,
    /// The column's diesel SQL type, where the field's Rust type does not say it.
    pub diesel_type: Attr<LitStr>,
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

impl FkAction {
    /// `(spelling, action)`, each action once; `_` reads as a space.
    const NAMES: [(&'static str, FkAction); 5] = [
        ("cascade", FkAction::Cascade),
        ("restrict", FkAction::Restrict),
        ("set null", FkAction::SetNull),
        ("set default", FkAction::SetDefault),
        ("no action", FkAction::NoAction),
    ];

    fn parse(text: &str) -> Option<FkAction> {
        let text = text.trim().to_ascii_lowercase().replace('_', " ");
        Self::NAMES
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, action)| *action)
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

/// `#[model(...)]` on an enum deriving `ModelEnum`.
#[derive(Debug, Default)]
pub struct EnumAttrs {
    pub name: Attr<LitStr>,
}

/// `#[model(...)]` on one of its variants.
#[derive(Debug, Default)]
pub struct VariantAttrs {
    pub rename: Attr<LitStr>,
    pub renamed_from: Attr<LitStr>,
}

/// Reads one key's value into the attributes; the key is passed for messages.
type KeyParser<A> = fn(&mut A, &mut Ctxt, &ParseNestedMeta, &'static str) -> syn::Result<()>;

/// Every struct key with its parser.
const STRUCT_KEYS: &[(&str, KeyParser<ContainerAttrs>)] = &[
    ("table", |a, _, m, k| {
        a.table.set(m, k, non_empty_string(m, k)?)
    }),
    ("schema", |a, _, m, k| {
        a.schema.set(m, k, non_empty_string(m, k)?)
    }),
    ("index", |a, cx, m, k| {
        a.indexes.extend(parse_index(cx, m, k)?);
        Ok(())
    }),
    ("unique", |a, cx, m, k| {
        a.indexes.extend(parse_index(cx, m, k)?);
        Ok(())
    }),
    ("check", |a, cx, m, _| {
        a.checks.extend(parse_check(cx, m)?);
        Ok(())
    }),
    ("renamed_from", |a, _, m, k| {
        a.renamed_from.set(m, k, non_empty_string(m, k)?)
    }),
    ("comment", |a, _, m, k| {
        a.comment.set(m, k, string_value(m, k)?)
    }),
    ("diesel_schema", |a, _, m, k| {
        a.diesel_schema.set(m, k, bool_value(m, k)?)
    }),
];

/// Every field key with its parser.
const FIELD_KEYS: &[(&str, KeyParser<FieldAttrs>)] = &[
    ("primary_key", |a, _, m, k| {
        a.primary_key.set(m, k, flag(m, k)?)
    }),
    ("column", |a, _, m, k| {
        a.column.set(m, k, non_empty_string(m, k)?)
    }),
    ("max_length", |a, _, m, k| {
        a.max_length
            .set(m, k, u32_value(m, k, 1, "max_length = 50")?)
    }),
    ("index_prefix", |a, _, m, k| {
        a.index_prefix
            .set(m, k, u32_value(m, k, 1, "index_prefix = 100")?)
    }),
    ("precision", |a, _, m, k| {
        a.precision
            .set(m, k, u32_value(m, k, 1, "precision = 10, scale = 2")?)
    }),
    ("scale", |a, _, m, k| {
        a.scale
            .set(m, k, u32_value(m, k, 0, "precision = 10, scale = 2")?)
    }),
    ("sql_type", |a, _, m, k| {
        a.sql_type.set(m, k, non_empty_string(m, k)?)
    }),
    ("unique", |a, _, m, k| a.unique.set(m, k, flag(m, k)?)),
    ("index", |a, _, m, k| a.index.set(m, k, flag(m, k)?)),
    ("default", |a, _, m, k| {
        a.default.set(m, k, default_value(m)?)
    }),
    ("default_sql", |a, _, m, k| {
        a.default_sql.set(m, k, non_empty_string(m, k)?)
    }),
    ("references", |a, _, m, k| {
        a.references.set(m, k, reference_value(m)?)
    }),
    ("on_delete", |a, _, m, k| {
        a.on_delete.set(m, k, action_value(m, k)?)
    }),
    ("on_update", |a, _, m, k| {
        a.on_update.set(m, k, action_value(m, k)?)
    }),
    ("foreign_key_name", |a, _, m, k| {
        a.foreign_key_name.set(m, k, non_empty_string(m, k)?)
    }),
    ("renamed_from", |a, _, m, k| {
        a.renamed_from.set(m, k, non_empty_string(m, k)?)
    }),
    ("skip", |a, _, m, k| a.skip.set(m, k, flag(m, k)?)),
    ("comment", |a, _, m, k| {
        a.comment.set(m, k, string_value(m, k)?)
    }),
    ("diesel_type", |a, _, m, k| {
        a.diesel_type.set(m, k, non_empty_string(m, k)?)
    }),
];

/// Every enum key with its parser.
const ENUM_KEYS: &[(&str, KeyParser<EnumAttrs>)] = &[("name", |a, _, m, k| {
    a.name.set(m, k, non_empty_string(m, k)?)
})];

/// Every variant key with its parser.
const VARIANT_KEYS: &[(&str, KeyParser<VariantAttrs>)] = &[
    ("rename", |a, _, m, k| {
        a.rename.set(m, k, non_empty_string(m, k)?)
    }),
    ("renamed_from", |a, _, m, k| {
        a.renamed_from.set(m, k, non_empty_string(m, k)?)
    }),
];

/// The names in a key table, for lookups and messages.
fn names<A>(table: &[(&'static str, KeyParser<A>)]) -> Vec<&'static str> {
    table.iter().map(|(name, _)| *name).collect()
}

/// Reads every `#[model(...)]` attribute with a key table; `on_key` sees each known key.
fn parse_attrs<A>(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    parsed: &mut A,
    table: &[(&'static str, KeyParser<A>)],
    place: &str,
    mut on_key: impl FnMut(&mut A, &'static str, Span),
) {
    let keys = names(table);
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| {
            let outcome = known_key(&meta, &keys, place).and_then(|key| {
                on_key(parsed, key, meta.path.span());
                let parse = table.iter().find(|(name, _)| *name == key).map(|(_, p)| *p);
                match parse {
                    Some(parse) => parse(parsed, cx, &meta, key),
                    None => Ok(()),
                }
            });
            recover(cx, &meta, outcome)
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
}

pub fn parse_container(cx: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut parsed = ContainerAttrs {
        doc: doc::doc_comment(attrs),
        ..ContainerAttrs::default()
    };
    let place = "in #[model(...)] on a struct";
    parse_attrs(cx, attrs, &mut parsed, STRUCT_KEYS, place, |_, _, _| {});
    parsed
}

pub fn parse_field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut parsed = FieldAttrs {
        doc: doc::doc_comment(attrs),
        ..FieldAttrs::default()
    };
    let place = "in #[model(...)] on a field";
    parse_attrs(cx, attrs, &mut parsed, FIELD_KEYS, place, |a, key, span| {
        a.keys.push((key, span));
    });
    parsed
}

pub fn parse_enum(cx: &mut Ctxt, attrs: &[Attribute]) -> EnumAttrs {
    let mut parsed = EnumAttrs::default();
    let place = "in #[model(...)] on an enum";
    parse_attrs(cx, attrs, &mut parsed, ENUM_KEYS, place, |_, _, _| {});
    parsed
}

pub fn parse_variant(cx: &mut Ctxt, attrs: &[Attribute]) -> VariantAttrs {
    let mut parsed = VariantAttrs::default();
    let place = "in #[model(...)] on a variant";
    parse_attrs(cx, attrs, &mut parsed, VARIANT_KEYS, place, |_, _, _| {});
    parsed
}

#[cfg(test)]
mod tests {
    use super::keys::closest;
    use super::*;

    #[test]
    fn typos_suggest_the_nearest_key() {
        let field = names(FIELD_KEYS);
        assert_eq!(closest("max_lenght", &field), Some("max_length"));
        assert_eq!(closest("primarykey", &field), Some("primary_key"));
        assert_eq!(closest("tabel", &names(STRUCT_KEYS)), Some("table"));
        assert_eq!(closest("lenght", &field), None);
    }

    #[test]
    fn fk_actions_accept_both_spellings() {
        assert_eq!(FkAction::parse("set_null"), Some(FkAction::SetNull));
        assert_eq!(FkAction::parse("SET NULL"), Some(FkAction::SetNull));
        assert_eq!(FkAction::parse("no_action"), Some(FkAction::NoAction));
        assert_eq!(FkAction::parse("explode"), None);
    }
}
