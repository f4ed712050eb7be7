//! Building a [`Graph`] from revisions: every id once, every parent present, no cycle, branch
//! labels unique; then everything renumbered into topological order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::format::{created_key, Revision, RESERVED};
use super::graph::{cycle_error, Graph};
use crate::error::{Error, Result};

impl Graph {
    /// Builds the graph from revisions read elsewhere (e.g. embedded at compile time), with the
    /// same validation as [`Graph::load`]: duplicate ids, missing parents, cycles, branch labels.
    pub fn from_revisions(revs: Vec<Revision>) -> Result<Graph> {
        let (order, parents) = {
            let index = index_ids(&revs)?;
            let parents = parent_indices(&revs, &index)?;
            (topological_order(&revs, &parents)?, parents)
        };
        let (revs, parents) = renumber(revs, parents, &order);
        let children = children_of(&parents);
        let index: HashMap<String, usize> = revs
            .iter()
            .enumerate()
            .map(|(i, rev)| (rev.id.clone(), i))
            .collect();
        let labels = branch_labels(&revs, &index)?;
        let mut by_id: Vec<usize> = (0..revs.len()).collect();
        by_id.sort_unstable_by(|&a, &b| revs[a].id.cmp(&revs[b].id));
        Ok(Graph {
            revs,
            index,
            parents,
            children,
            labels,
            by_id,
        })
    }
}

/// Each id's position; an empty, reserved or repeated id is an error naming the folders.
fn index_ids(revs: &[Revision]) -> Result<HashMap<&str, usize>> {
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(revs.len());
    for (i, rev) in revs.iter().enumerate() {
        if rev.id.is_empty() {
            return Err(Error::Graph(format!(
                "{}: the revision id is empty\n  hint: set `revision` in its metadata.toml",
                rev.dir.display()
            )));
        }
        if RESERVED.contains(&rev.id.as_str()) {
            return Err(Error::Graph(format!(
                "{}: `{}` cannot be a revision id, it is a reserved target name\n  \
                 hint: change `revision` in its metadata.toml (and the `parents` of its \
                 children)",
                rev.dir.display(),
                rev.id
            )));
        }
        if let Some(&first) = index.get(rev.id.as_str()) {
            return Err(Error::Graph(format!(
                "duplicate revision id `{}` in\n    {}\n    {}\n  \
                 hint: give one of them a new `revision` in its metadata.toml (and \
                 update the `parents` of its children); a copied folder or two diesel \
                 folders with the same timestamp cause this",
                rev.id,
                revs[first].dir.display(),
                rev.dir.display()
            )));
        }
        index.insert(&rev.id, i);
    }
    Ok(index)
}

/// Each revision's parents as positions; a missing or repeated parent is an error.
fn parent_indices(revs: &[Revision], index: &HashMap<&str, usize>) -> Result<Vec<Vec<usize>>> {
    let mut parents: Vec<Vec<usize>> = Vec::with_capacity(revs.len());
    for rev in revs {
        let mut ps = Vec::with_capacity(rev.parents.len());
        for parent in &rev.parents {
            let Some(&p) = index.get(parent.as_str()) else {
                return Err(Error::Graph(format!(
                    "{} lists parent `{parent}`, which is not a revision in the \
                     migrations directory\n  hint: restore the missing revision folder \
                     (e.g. from version control), or correct `parents` in {}",
                    rev.dir.display(),
                    rev.dir.join("metadata.toml").display()
                )));
            };
            if ps.contains(&p) {
                return Err(Error::Graph(format!(
                    "{} lists parent `{parent}` twice\n  hint: remove the repeat from \
                     `parents` in its metadata.toml",
                    rev.dir.display()
                )));
            }
            ps.push(p);
        }
        parents.push(ps);
    }
    Ok(parents)
}

/// Kahn's algorithm; among the revisions ready at once, the oldest (then smallest id) comes
/// first. Revisions left over lie on a cycle.
fn topological_order(revs: &[Revision], parents: &[Vec<usize>]) -> Result<Vec<usize>> {
    let n = revs.len();
    let children = children_of(parents);
    let mut pending: Vec<usize> = parents.iter().map(Vec::len).collect();
    let key = |i: usize| {
        Reverse((
            created_key(revs[i].created.as_deref()),
            revs[i].id.as_str(),
            i,
        ))
    };
    let mut ready: BinaryHeap<_> = (0..n).filter(|&i| pending[i] == 0).map(key).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, _, i))) = ready.pop() {
        order.push(i);
        for &c in &children[i] {
            pending[c] -= 1;
            if pending[c] == 0 {
                ready.push(key(c));
            }
        }
    }
    if order.len() < n {
        return Err(cycle_error(revs, parents, &pending));
    }
    Ok(order)
}

/// The revisions and their parent lists in `order`, positions renumbered to match.
fn renumber(
    revs: Vec<Revision>,
    parents: Vec<Vec<usize>>,
    order: &[usize],
) -> (Vec<Revision>, Vec<Vec<usize>>) {
    let n = revs.len();
    let mut position = vec![0usize; n];
    for (pos, &old) in order.iter().enumerate() {
        position[old] = pos;
    }
    let mut new_parents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (old, ps) in parents.into_iter().enumerate() {
        new_parents[position[old]] = ps.into_iter().map(|p| position[p]).collect();
    }
    let mut tagged: Vec<(usize, Revision)> = revs
        .into_iter()
        .enumerate()
        .map(|(old, rev)| (position[old], rev))
        .collect();
    tagged.sort_unstable_by_key(|(pos, _)| *pos);
    (
        tagged.into_iter().map(|(_, rev)| rev).collect(),
        new_parents,
    )
}

/// Child positions per revision, ascending.
fn children_of(parents: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); parents.len()];
    for (i, ps) in parents.iter().enumerate() {
        for &p in ps {
            children[p].push(i);
        }
    }
    children
}

/// Every branch label's revision; a reserved, repeated or id-shadowing label is an error.
fn branch_labels(
    revs: &[Revision],
    index: &HashMap<String, usize>,
) -> Result<HashMap<String, usize>> {
    let mut labels: HashMap<String, usize> = HashMap::new();
    for (i, rev) in revs.iter().enumerate() {
        for label in &rev.branch_labels {
            if label.is_empty() || RESERVED.contains(&label.as_str()) {
                return Err(Error::Graph(format!(
                    "{}: `{label}` cannot be a branch label\n  hint: change \
                     `branch_labels` in its metadata.toml",
                    rev.dir.display()
                )));
            }
            if let Some(&other) = index.get(label.as_str()) {
                return Err(Error::Graph(format!(
                    "{}: branch label `{label}` is also the id of {}\n  hint: rename the \
                     label in its metadata.toml",
                    rev.dir.display(),
                    revs[other].dir.display()
                )));
            }
            if let Some(&other) = labels.get(label.as_str()) {
                let both = if other == i {
                    format!("{} lists it twice", rev.dir.display())
                } else {
                    format!(
                        "it is used by\n    {}\n    {}",
                        revs[other].dir.display(),
                        rev.dir.display()
                    )
                };
                return Err(Error::Graph(format!(
                    "duplicate branch label `{label}`: {both}\n  hint: keep it on one \
                     revision (`branch_labels` in metadata.toml)"
                )));
            }
            labels.insert(label.clone(), i);
        }
    }
    Ok(labels)
}
