//! A column dropped and another added to the same table with the same type look, to a
//! differ, like two changes; to the user they are often one rename, and writing them as a
//! drop loses the column's data. Autogenerate finds those pairs so the command line can ask
//! (or refuse, without a terminal), and turns the confirmed ones into the `renamed_from` hint
//! the model would have carried.

use crate::diff::Op;
use crate::schema::Schema;

/// A dropped and an added column of one table with the same type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameCandidate {
    pub table: String,
    pub dropped: String,
    pub added: String,
    /// The type both have, as the summary spells it.
    pub ty: String,
}

/// The pairs in `ops`, each dropped and each added column in one pair at most, in the order
/// of the operations.
pub fn rename_candidates(ops: &[Op]) -> Vec<RenameCandidate> {
    let mut taken_added: Vec<(&str, &str)> = Vec::new();
    let mut out = Vec::new();
    for op in ops {
        let Op::DropColumn {
            table,
            column: dropped,
        } = op
        else {
            continue;
        };
        let added = ops.iter().find_map(|other| match other {
            Op::AddColumn { table: t, column }
                if t == table
                    && column.ty == dropped.ty
                    && !taken_added.contains(&(t.as_str(), column.name.as_str())) =>
            {
                Some(column)
            }
            _ => None,
        });
        if let Some(added) = added {
            taken_added.push((table.as_str(), added.name.as_str()));
            out.push(RenameCandidate {
                table: table.clone(),
                dropped: dropped.name.clone(),
                added: added.name.clone(),
                ty: dropped.ty.to_string(),
            });
        }
    }
    out
}

/// `models` with each confirmed pair written as the hint `renamed_from` on the added column,
/// so that planning again renames instead of dropping.
pub fn with_renames(models: &Schema, confirmed: &[RenameCandidate]) -> Schema {
    let mut models = models.clone();
    for rename in confirmed {
        let column = models
            .tables
            .iter_mut()
            .filter(|t| t.name == rename.table)
            .flat_map(|t| t.columns.iter_mut())
            .find(|c| c.name == rename.added);
        if let Some(column) = column {
            column.renamed_from = Some(rename.dropped.clone());
        }
    }
    models
}
