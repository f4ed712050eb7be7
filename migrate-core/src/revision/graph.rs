//! The revision graph: a DAG over index vectors, validated once when it is built.
//!
//! Revisions are stored in topological order (bases first, ties by `created` then id), so
//! every "in apply order" answer is a filtered forward scan and every "children first" answer
//! a backward scan. All operations are O(V + E).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::cache::Need;
use super::format::Revision;
use super::read::read_all;
use crate::error::{Error, Result};

/// How many revisions an error message lists before it says "and N more".
const LIST_LIMIT: usize = 8;

/// The revision graph of a migrations directory.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// In topological order.
    pub(super) revs: Vec<Revision>,
    pub(super) index: HashMap<String, usize>,
    /// Parent indices, in the order metadata.toml lists them.
    pub(super) parents: Vec<Vec<usize>>,
    /// Child indices, ascending (so in topological order).
    pub(super) children: Vec<Vec<usize>>,
    pub(super) labels: HashMap<String, usize>,
    /// Indices sorted by id, for prefix lookups.
    pub(super) by_id: Vec<usize>,
}

impl Graph {
    /// Reads and validates every revision folder of `dir`. A missing directory is an error that
    /// says to run `init`.
    pub fn load(dir: &Path) -> Result<Graph> {
        Graph::from_revisions(read_all(dir, Need::Everything)?)
    }

    /// The graph of `dir` for a command that lists revisions and never runs, checksums or
    /// shows their SQL (`heads`, `branches`, `history`): every revision's SQL is empty, and
    /// of each folder the cache checks only `metadata.toml`, one `stat` instead of four.
    pub fn load_listing(dir: &Path) -> Result<Graph> {
        Graph::from_revisions(read_all(dir, Need::Listing)?)
    }

    /// True when there are no revisions.
    pub fn is_empty(&self) -> bool {
        self.revs.is_empty()
    }

    /// The number of revisions.
    pub fn len(&self) -> usize {
        self.revs.len()
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.index.get(id).map(|&i| &self.revs[i])
    }

    /// Every revision in topological order: bases first, ties by (created, id).
    pub fn revisions(&self) -> impl DoubleEndedIterator<Item = &Revision> + ExactSizeIterator {
        self.revs.iter()
    }

    /// The revisions nothing builds on, in topological order.
    pub fn heads(&self) -> Vec<&Revision> {
        self.head_indices().map(|i| &self.revs[i]).collect()
    }

    /// The parents of a new revision: the one head (none for an empty history). Several
    /// heads must be merged first.
    pub fn new_revision_parents(&self) -> Result<Vec<String>> {
        let heads = self.heads();
        if heads.len() > 1 {
            let ids: Vec<&str> = heads.iter().map(|r| r.id.as_str()).collect();
            return Err(Error::Graph(format!(
                "the history has {} heads ({}); a new revision needs one parent\n  \
                 hint: `merge heads -m \"merge\"` joins them",
                heads.len(),
                ids.join(", ")
            )));
        }
        Ok(heads.into_iter().map(|r| r.id.clone()).collect())
    }

    /// The revisions without parents, in topological order.
    pub fn bases(&self) -> Vec<&Revision> {
        self.base_indices().map(|i| &self.revs[i]).collect()
    }

    /// The parents of a revision, in the order its metadata lists them (empty if unknown).
    pub fn parents_of(&self, id: &str) -> Vec<&Revision> {
        self.index
            .get(id)
            .map(|&i| self.parents[i].iter().map(|&p| &self.revs[p]).collect())
            .unwrap_or_default()
    }

    /// The revisions that list this one as a parent, in topological order (empty if unknown).
    pub fn children_of(&self, id: &str) -> Vec<&Revision> {
        self.index
            .get(id)
            .map(|&i| self.children[i].iter().map(|&c| &self.revs[c]).collect())
            .unwrap_or_default()
    }

    /// The revision carrying a branch label.
    pub fn labeled(&self, label: &str) -> Option<&Revision> {
        self.labels.get(label).map(|&i| &self.revs[i])
    }

    /// Resolves a single revision spec: a full id, a unique id prefix, a branch label,
    /// `label@head`, `head` (an error when there are several heads), `heads` (only when there
    /// is one), `REV+N` / `REV-N`, or `base` (`None`).
    pub fn resolve(&self, spec: &str) -> Result<Option<&Revision>> {
        let dest = self.dest(spec, None, Toward::Either)?;
        let single = |ids: &[usize]| -> Result<Option<&Revision>> {
            match ids {
                [] => Ok(None),
                [i] => Ok(Some(&self.revs[*i])),
                many => Err(Error::Graph(format!(
                    "`{spec}` names several revisions: {}\n  hint: name one of them",
                    self.list(many.iter().copied())
                ))),
            }
        };
        match dest {
            Dest::Base => Ok(None),
            Dest::Revs(ids) => single(&ids),
            Dest::Below(i) => single(&self.parents[i]),
        }
    }

    /// The applied revisions that no applied revision descends from, in topological order.
    /// Ids unknown to the graph are ignored (see [`Graph::unknown_applied`]).
    pub fn current(&self, applied: &BTreeSet<String>) -> Vec<&Revision> {
        let mask = self.applied_mask(applied);
        self.current_indices(&mask)
            .into_iter()
            .map(|i| &self.revs[i])
            .collect()
    }

    /// The applied ids that are not revisions of this graph (e.g. a deleted folder).
    pub fn unknown_applied<'s>(&self, applied: &'s BTreeSet<String>) -> Vec<&'s str> {
        applied
            .iter()
            .filter(|id| !self.index.contains_key(id.as_str()))
            .map(String::as_str)
            .collect()
    }

    /// The revisions to apply to reach `target`, parents first, without the applied ones.
    ///
    /// Targets: `head` (an error suggesting `merge heads` when there are several), `heads`,
    /// a full id or unique prefix, a branch label, `label@head`, `+N` (N steps forward from the
    /// current revision), `REV+N`, `REV-N`, `base` (nothing). Everything the target depends on
    /// is included, so a merge brings in both branches.
    pub fn upgrade_plan(&self, applied: &BTreeSet<String>, target: &str) -> Result<Vec<&Revision>> {
        self.check_applied(applied)?;
        let mask = self.applied_mask(applied);
        let current = self.current_indices(&mask);
        let dest = self.dest(target, Some(&current), Toward::Head)?;
        let targets = self.dest_revisions(dest);
        let wanted = self.ancestors_mask(&targets);
        Ok((0..self.revs.len())
            .filter(|&i| wanted[i] && !mask[i])
            .map(|i| &self.revs[i])
            .collect())
    }

    /// The revisions to revert to reach `target`, children first.
    ///
    /// Targets: `base` (revert everything), a full id or unique prefix or branch label (revert
    /// every applied revision that descends from it, keeping it and its ancestors; other
    /// branches are untouched), `-N` (N steps back from the single current revision; `-1` from a
    /// merge reverts only the merge), `REV-N`, `label@base` (revert the labeled revision and
    /// everything applied on top of it).
    pub fn downgrade_plan(
        &self,
        applied: &BTreeSet<String>,
        target: &str,
    ) -> Result<Vec<&Revision>> {
        self.check_applied(applied)?;
        let mask = self.applied_mask(applied);
        let current = self.current_indices(&mask);
        let dest = self.dest(target, Some(&current), Toward::Base)?;
        let revert: Vec<bool> = match dest {
            Dest::Base => mask.clone(),
            Dest::Below(i) => {
                let below = self.descendants_mask(&[i]);
                (0..self.revs.len()).map(|j| below[j] && mask[j]).collect()
            }
            Dest::Revs(keep) => {
                let has_applied_desc = self.applied_descendant_mask(&mask);
                if let Some(&ahead) = keep.iter().find(|&&k| !mask[k] && !has_applied_desc[k]) {
                    let current = if current.is_empty() {
                        "nothing is applied".to_owned()
                    } else {
                        format!("current: {}", self.list(current.iter().copied()))
                    };
                    return Err(Error::Graph(format!(
                        "cannot downgrade to {}: it is not applied ({current})\n  hint: a \
                         downgrade target must be an applied revision; to move forward use \
                         `upgrade {}`",
                        self.describe(ahead),
                        self.revs[ahead].id
                    )));
                }
                let down = self.descendants_mask(&keep);
                let up = self.ancestors_mask(&keep);
                (0..self.revs.len())
                    .map(|j| down[j] && !up[j] && mask[j])
                    .collect()
            }
        };
        Ok((0..self.revs.len())
            .rev()
            .filter(|&i| revert[i])
            .map(|i| &self.revs[i])
            .collect())
    }

    /// For offline `--sql`: the revisions after `from` (exclusive; `None` or `base` means from
    /// the start) up to `to` (inclusive; `heads` allowed), in apply order. `from` must be an
    /// ancestor of `to`.
    pub fn range(&self, from: Option<&str>, to: &str) -> Result<Vec<&Revision>> {
        let to_dest = self.dest(to, None, Toward::Head)?;
        let to_revs = self.dest_revisions(to_dest);
        let wanted = self.ancestors_mask(&to_revs);
        let skip = match from.map(str::trim) {
            None | Some("") => vec![false; self.revs.len()],
            Some(spec) => {
                let from_dest = self.dest(spec, None, Toward::Head)?;
                let from_revs = self.dest_revisions(from_dest);
                if let Some(&outside) = from_revs.iter().find(|&&f| !wanted[f]) {
                    return Err(Error::Graph(format!(
                        "range `{spec}:{to}`: {} is not an ancestor of `{to}`\n  hint: put the \
                         older revision first (`OLDER:NEWER`)",
                        self.describe(outside)
                    )));
                }
                self.ancestors_mask(&from_revs)
            }
        };
        Ok((0..self.revs.len())
            .filter(|&i| wanted[i] && !skip[i])
            .map(|i| &self.revs[i])
            .collect())
    }

    /// [`Graph::range`] from one `A:B` string (`:B` and `B` mean from base; `A:` means to
    /// `heads`).
    pub fn range_spec(&self, spec: &str) -> Result<Vec<&Revision>> {
        match spec.split_once(':') {
            Some((from, to)) => {
                let to = if to.trim().is_empty() { "heads" } else { to };
                self.range(Some(from), to)
            }
            None => self.range(None, spec),
        }
    }

    // ----- internals -------------------------------------------------------------------------

    pub(super) fn head_indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.revs.len()).filter(|&i| self.children[i].is_empty())
    }

    pub(super) fn base_indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.revs.len()).filter(|&i| self.parents[i].is_empty())
    }

    fn check_applied(&self, applied: &BTreeSet<String>) -> Result<()> {
        let unknown = self.unknown_applied(applied);
        if unknown.is_empty() {
            return Ok(());
        }
        let more = if unknown.len() > LIST_LIMIT {
            format!(" and {} more", unknown.len() - LIST_LIMIT)
        } else {
            String::new()
        };
        Err(Error::Graph(format!(
            "the database records revision(s) {}{more} that are not in the migrations \
             directory\n  hint: restore the missing revision folders (e.g. from version \
             control); if they were removed on purpose, `stamp --purge` the database to a \
             revision that exists",
            unknown
                .iter()
                .take(LIST_LIMIT)
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    fn applied_mask(&self, applied: &BTreeSet<String>) -> Vec<bool> {
        let mut mask = vec![false; self.revs.len()];
        for id in applied {
            if let Some(&i) = self.index.get(id.as_str()) {
                mask[i] = true;
            }
        }
        mask
    }

    /// For each revision: does an applied revision descend from it?
    fn applied_descendant_mask(&self, mask: &[bool]) -> Vec<bool> {
        let mut below = vec![false; self.revs.len()];
        for i in (0..self.revs.len()).rev() {
            below[i] = self.children[i].iter().any(|&c| mask[c] || below[c]);
        }
        below
    }

    pub(super) fn current_indices(&self, mask: &[bool]) -> Vec<usize> {
        let below = self.applied_descendant_mask(mask);
        (0..self.revs.len())
            .filter(|&i| mask[i] && !below[i])
            .collect()
    }

    /// The given revisions and all their ancestors.
    pub(super) fn ancestors_mask(&self, from: &[usize]) -> Vec<bool> {
        self.closure(from, &self.parents)
    }

    /// The given revisions and all their descendants.
    pub(super) fn descendants_mask(&self, from: &[usize]) -> Vec<bool> {
        self.closure(from, &self.children)
    }

    fn closure(&self, from: &[usize], edges: &[Vec<usize>]) -> Vec<bool> {
        let mut seen = vec![false; self.revs.len()];
        let mut stack: Vec<usize> = Vec::new();
        for &i in from {
            if !seen[i] {
                seen[i] = true;
                stack.push(i);
            }
        }
        while let Some(i) = stack.pop() {
            for &j in &edges[i] {
                if !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        seen
    }

    /// The revisions a destination stands for when moving forward.
    pub(super) fn dest_revisions(&self, dest: Dest) -> Vec<usize> {
        match dest {
            Dest::Base => Vec::new(),
            Dest::Revs(ids) => ids,
            Dest::Below(i) => self.parents[i].clone(),
        }
    }

    /// `id (folder)`, for messages.
    pub(super) fn describe(&self, i: usize) -> String {
        let rev = &self.revs[i];
        format!("`{}` ({})", rev.id, rev.folder_name())
    }

    /// A comma-separated, bounded list of revisions, for messages.
    pub(super) fn list(&self, ids: impl ExactSizeIterator<Item = usize>) -> String {
        let total = ids.len();
        let mut out: Vec<String> = ids.take(LIST_LIMIT).map(|i| self.describe(i)).collect();
        if total > LIST_LIMIT {
            out.push(format!("and {} more", total - LIST_LIMIT));
        }
        out.join(", ")
    }
}

/// Which command a target spec is for (relative steps only make sense one way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Toward {
    Head,
    Base,
    Either,
}

/// Where a target spec points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Dest {
    /// Before every revision.
    Base,
    /// These revisions (and, implicitly, their ancestors) are the position.
    Revs(Vec<usize>),
    /// Just before this revision: its parents are the position, it and its descendants are
    /// not (from `label@base`, or stepping back past a base).
    Below(usize),
}

/// Finds a cycle among the revisions Kahn's algorithm could not order (each has an unordered
/// parent) and describes it.
pub(super) fn cycle_error(revs: &[Revision], parents: &[Vec<usize>], pending: &[usize]) -> Error {
    let mut path: Vec<usize> = Vec::new();
    let mut seen_at: HashMap<usize, usize> = HashMap::new();
    let mut cursor = (0..revs.len()).find(|&i| pending[i] > 0);
    let mut cycle: &[usize] = &[];
    while let Some(i) = cursor {
        if let Some(&at) = seen_at.get(&i) {
            cycle = &path[at..];
            break;
        }
        seen_at.insert(i, path.len());
        path.push(i);
        cursor = parents[i].iter().copied().find(|&p| pending[p] > 0);
    }
    if cycle.is_empty() {
        cycle = &path;
    }
    let mut lines = String::new();
    for (k, &i) in cycle.iter().enumerate() {
        let parent = cycle[(k + 1) % cycle.len()];
        lines.push_str(&format!(
            "\n    `{}` ({}) lists `{}` as parent",
            revs[i].id,
            revs[i].dir.display(),
            revs[parent].id
        ));
    }
    let ids: Vec<&str> = cycle.iter().map(|&i| revs[i].id.as_str()).collect();
    Error::Graph(format!(
        "the revisions {} form a cycle:{lines}\n  hint: a revision can only build on older \
         ones; correct `parents` in one of these metadata.toml files",
        ids.join(", ")
    ))
}
