//! Named enum types: which to create, drop or change, and what changes in a type's labels.

use std::fmt;

use super::Op;
use crate::schema::{ColumnType, EnumType, Schema};

/// What turns one spelling of an enum type's labels into another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelChanges {
    /// `(old, new)`, from `renamed_from` hints, applied first.
    pub renamed: Vec<(String, String)>,
    /// Labels the new type has and the renamed old one lacks, in the new type's order.
    pub added: Vec<String>,
    /// Labels the renamed old type has and the new one lacks.
    pub removed: Vec<String>,
    /// Whether the labels both have are in another order in the new type.
    pub reordered: bool,
}

impl LabelChanges {
    /// Whether the new type is the old one with labels renamed and added only, which a
    /// backend can do in place (PostgreSQL's `RENAME VALUE` and `ADD VALUE`).
    pub fn in_place(&self) -> bool {
        self.removed.is_empty() && !self.reordered
    }
}

impl fmt::Display for LabelChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quoted = |labels: &[String]| {
            labels
                .iter()
                .map(|l| format!("'{l}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        for (old, new) in &self.renamed {
            parts.push(format!("rename '{old}' to '{new}'"));
        }
        if !self.added.is_empty() {
            parts.push(format!("add {}", quoted(&self.added)));
        }
        if !self.removed.is_empty() {
            parts.push(format!("remove {}", quoted(&self.removed)));
        }
        if self.reordered {
            parts.push("reorder".to_owned());
        }
        f.write_str(&parts.join("; "))
    }
}

/// The changes from `from` to `to`. Renames come from the hints of either side, so that the
/// reverse of a change is the change undone: `to`'s hints rename forwards, `from`'s (when
/// `from` is the newer type, in a down plan) backwards.
pub fn label_changes(from: &EnumType, to: &EnumType) -> LabelChanges {
    let forwards = to.renamed.iter().map(|r| (r.from.as_ref(), r.to.as_ref()));
    let backwards = from
        .renamed
        .iter()
        .map(|r| (r.to.as_ref(), r.from.as_ref()));
    let mut renamed = Vec::new();
    let mut labels: Vec<String> = from.labels.iter().map(|l| l.to_string()).collect();
    for (old, new) in forwards.chain(backwards) {
        let applies = !to.has_label(old) && to.has_label(new) && !labels.iter().any(|l| l == new);
        if let Some(label) = labels.iter_mut().find(|l| *l == old).filter(|_| applies) {
            new.clone_into(label);
            renamed.push((old.to_owned(), new.to_owned()));
        }
    }
    let added = to
        .labels
        .iter()
        .filter(|l| !labels.contains(&l.to_string()))
        .map(|l| l.to_string())
        .collect();
    let removed: Vec<String> = labels
        .iter()
        .filter(|l| !to.has_label(l))
        .cloned()
        .collect();
    let kept: Vec<&String> = labels.iter().filter(|l| to.has_label(l)).collect();
    let kept_in_new_order: Vec<&str> = to
        .labels
        .iter()
        .map(|l| l.as_ref())
        .filter(|l| kept.iter().any(|k| k == l))
        .collect();
    let reordered = kept.iter().map(|k| k.as_str()).ne(kept_in_new_order);
    LabelChanges {
        renamed,
        added,
        removed,
        reordered,
    }
}

/// The enum type operations from `from` to `to`: types the target has and the start lacks
/// are created, types both have but with other labels altered, and types of the start that
/// no column of the target names dropped (a type the models name only through
/// `sql_type = "…"` is not theirs to drop).
pub(super) fn diff_enums(from: &Schema, to: &Schema) -> Vec<Op> {
    let mut ops = Vec::new();
    for ty in &to.enums {
        match from.enum_type(&ty.name) {
            None => ops.push(Op::CreateEnum { ty: ty.clone() }),
            Some(old) if old != ty => ops.push(Op::AlterEnum {
                from: old.clone(),
                to: ty.clone(),
            }),
            Some(_) => {}
        }
    }
    for ty in &from.enums {
        if to.enum_type(&ty.name).is_none() && !used(to, &ty.name) {
            ops.push(Op::DropEnum { ty: ty.clone() });
        }
    }
    ops
}

/// Whether a column names the type, as normalized (`Custom`) or as declared (`Enum`).
fn used(schema: &Schema, name: &str) -> bool {
    schema
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .any(|c| match &c.ty {
            ColumnType::Custom { sql } => sql == name,
            ColumnType::Enum(ty) => ty.name == name,
            _ => false,
        })
}

/// The `(table, column)` pairs of `schema` whose type is the enum type `name`.
pub fn columns_using<'s>(
    schema: &'s Schema,
    name: &str,
) -> Vec<(&'s str, &'s crate::schema::Column)> {
    schema
        .tables
        .iter()
        .flat_map(|t| t.columns.iter().map(move |c| (t.name.as_str(), c)))
        .filter(|(_, c)| match &c.ty {
            ColumnType::Custom { sql } => sql == name,
            ColumnType::Enum(ty) => ty.name == name,
            _ => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::schema::LabelRename;

    fn ty(labels: &[&str]) -> EnumType {
        EnumType::new("mood", labels.iter().map(|l| (*l).to_owned()).collect())
    }

    #[test]
    fn added_and_removed_labels() {
        let changes = label_changes(&ty(&["a", "b"]), &ty(&["a", "c", "b"]));
        assert_eq!(changes.added, ["c"]);
        assert!(changes.removed.is_empty() && changes.in_place());
        let changes = label_changes(&ty(&["a", "b", "c"]), &ty(&["a", "c"]));
        assert_eq!(changes.removed, ["b"]);
        assert!(!changes.in_place());
        assert!(label_changes(&ty(&["a", "b"]), &ty(&["b", "a"])).reordered);
    }

    #[test]
    fn renames_reverse_through_the_newer_types_hints() {
        let mut new = ty(&["happy", "unhappy"]);
        new.renamed = Cow::Owned(vec![LabelRename {
            from: "sad".into(),
            to: "unhappy".into(),
        }]);
        let old = ty(&["happy", "sad"]);
        let up = label_changes(&old, &new);
        assert_eq!(up.renamed, [("sad".to_owned(), "unhappy".to_owned())]);
        assert!(up.added.is_empty() && up.removed.is_empty());
        let down = label_changes(&new, &old);
        assert_eq!(down.renamed, [("unhappy".to_owned(), "sad".to_owned())]);
        assert!(down.added.is_empty() && down.removed.is_empty());
    }
}
