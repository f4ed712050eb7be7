//! Target specs: `head`, `heads`, `base`, ids and unique prefixes, branch labels,
//! `label@head` / `label@base`, `+N` / `-N` (relative to the current revision) and
//! `REV+N` / `REV-N`.

use std::collections::BTreeSet;

use super::graph::{Dest, Graph, Toward};
use super::Revision;
use crate::error::{Error, Result};

/// `X+N` / `X-N` split into (X, forward?, N); X may be empty.
fn parse_relative(spec: &str) -> Result<Option<(&str, bool, usize)>> {
    let Some(pos) = spec.rfind(['+', '-']) else {
        return Ok(None);
    };
    let digits = &spec[pos + 1..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let steps: usize = digits
        .parse()
        .map_err(|_| Error::Graph(format!("`{spec}`: the step count `{digits}` is too large")))?;
    if steps == 0 {
        return Err(Error::Graph(format!(
            "`{spec}`: a relative step must be at least 1"
        )));
    }
    Ok(Some((&spec[..pos], spec.as_bytes()[pos] == b'+', steps)))
}

impl Graph {
    /// `history -r A:B`, as Alembic reads it: both ends included, `A:` up to the heads,
    /// `:B` from the base, `current` the revisions the database is at and `-N`/`+N` steps
    /// from them (`applied` gives those; `None` when the database was not read). In apply
    /// order.
    pub fn history_range(
        &self,
        spec: &str,
        applied: Option<&BTreeSet<String>>,
    ) -> Result<Vec<&Revision>> {
        let current: Option<Vec<usize>> = applied.map(|applied| {
            self.current(applied)
                .iter()
                .filter_map(|r| self.index.get(&r.id).copied())
                .collect()
        });
        let resolve = |side: &str| -> Result<Vec<usize>> {
            if side.trim() == "current" {
                return current.clone().ok_or_else(|| {
                    Error::Graph("`current` needs the database, which was not read here".to_owned())
                });
            }
            let dest = self.dest(side, current.as_deref(), Toward::Either)?;
            Ok(self.dest_revisions(dest))
        };
        let (from, to) = spec.split_once(':').unwrap_or(("", spec));
        let to = if to.trim().is_empty() { "heads" } else { to };
        let wanted = self.ancestors_mask(&resolve(to)?);
        let mut skip = vec![false; self.revs.len()];
        if !from.trim().is_empty() && from.trim() != "base" {
            let from_revs = resolve(from)?;
            if let Some(&outside) = from_revs.iter().find(|&&f| !wanted[f]) {
                return Err(Error::Graph(format!(
                    "range `{spec}`: {} is not an ancestor of `{to}`\n  hint: put the older \
                     revision first (`OLDER:NEWER`)",
                    self.describe(outside)
                )));
            }
            skip = self.ancestors_mask(&from_revs);
            // Both ends are included.
            for &f in &from_revs {
                skip[f] = false;
            }
        }
        Ok((0..self.revs.len())
            .filter(|&i| wanted[i] && !skip[i])
            .map(|i| &self.revs[i])
            .collect())
    }

    /// Interprets a target spec. `current` is the database's position (for `+N` / `-N`),
    /// `None` when there is no database.
    pub(super) fn dest(
        &self,
        spec: &str,
        current: Option<&[usize]>,
        direction: Toward,
    ) -> Result<Dest> {
        let spec = spec.trim();
        match spec {
            "" => {
                return Err(Error::Graph(
                    "empty revision spec\n  hint: use `head`, `base`, a revision id or a \
                     relative step such as `-1`"
                        .to_owned(),
                ))
            }
            "base" => return Ok(Dest::Base),
            "head" => {
                return Ok(match self.single_head()? {
                    Some(i) => Dest::Revs(vec![i]),
                    None => Dest::Base,
                })
            }
            "heads" => {
                let heads: Vec<usize> = self.head_indices().collect();
                return Ok(if heads.is_empty() {
                    Dest::Base
                } else {
                    Dest::Revs(heads)
                });
            }
            _ => {}
        }
        if let Some(&i) = self.index.get(spec) {
            return Ok(Dest::Revs(vec![i]));
        }
        if let Some(&i) = self.labels.get(spec) {
            return Ok(Dest::Revs(vec![i]));
        }
        // Before `@` forms, so `label@head-1` steps back from the branch head.
        if let Some((base, forward, steps)) = parse_relative(spec)? {
            return self.relative(spec, base, forward, steps, current, direction);
        }
        if let Some((label, which)) = spec.rsplit_once('@') {
            let labeled = self.label_index(label)?;
            return match which {
                "head" => Ok(Dest::Revs(vec![self.branch_head(label, labeled)?])),
                "base" => Ok(Dest::Below(labeled)),
                _ => Err(Error::Graph(format!(
                    "`{spec}`: unknown branch position `@{which}`\n  hint: use `{label}@head` \
                     or `{label}@base`"
                ))),
            };
        }
        Ok(Dest::Revs(vec![self.by_prefix(spec)?]))
    }

    fn relative(
        &self,
        spec: &str,
        base: &str,
        forward: bool,
        steps: usize,
        current: Option<&[usize]>,
        direction: Toward,
    ) -> Result<Dest> {
        let start: Vec<usize> = if base.is_empty() {
            let Some(current) = current else {
                return Err(Error::Graph(format!(
                    "`{spec}` is relative to the database's current revision, which is not \
                     known here\n  hint: name a starting revision, e.g. `head-1` or `REV+1`"
                )));
            };
            match (direction, forward) {
                (Toward::Head, false) => {
                    return Err(Error::Graph(format!(
                        "`{spec}` moves backwards\n  hint: use `downgrade {spec}`"
                    )))
                }
                (Toward::Base, true) => {
                    return Err(Error::Graph(format!(
                        "`{spec}` moves forwards\n  hint: use `upgrade {spec}`"
                    )))
                }
                _ => {}
            }
            current.to_vec()
        } else {
            match self.dest(base, None, Toward::Either)? {
                Dest::Base => Vec::new(),
                Dest::Revs(ids) => ids,
                Dest::Below(_) => {
                    return Err(Error::Graph(format!(
                        "`{spec}`: cannot step from `{base}`\n  hint: step from a revision, e.g. \
                         `head-1` or `REV+1`"
                    )))
                }
            }
        };
        if forward {
            return Ok(Dest::Revs(vec![self.walk_forward(spec, start, steps)?]));
        }
        match start.as_slice() {
            [] => Err(Error::Graph(if base.is_empty() {
                format!("`{spec}`: nothing is applied, there is nothing to step back from")
            } else {
                format!("`{spec}`: cannot step back from base")
            })),
            [one] => self.walk_back(spec, *one, steps),
            many => Err(Error::Graph(format!(
                "`{spec}`: there are several current revisions ({}), so a relative step back is \
                 ambiguous\n  hint: step back from one of them, e.g. `{}-{steps}`",
                self.list(many.iter().copied()),
                self.revs[many[0]].id
            ))),
        }
    }

    /// N steps towards the heads from `start` (empty = base). Each step must have exactly one
    /// way to go.
    fn walk_forward(&self, spec: &str, start: Vec<usize>, steps: usize) -> Result<usize> {
        let mut at = start;
        for done in 0..steps {
            let mut next: Vec<usize> = if at.is_empty() {
                self.base_indices().collect()
            } else {
                at.iter()
                    .flat_map(|&i| self.children[i].iter().copied())
                    .collect()
            };
            next.sort_unstable();
            next.dedup();
            match next.len() {
                1 => at = next,
                0 => {
                    let from = if at.is_empty() {
                        "there are no revisions".to_owned()
                    } else {
                        format!("{} is a head", self.list(at.iter().copied()))
                    };
                    return Err(Error::Graph(format!(
                        "`{spec}`: only {done} step(s) forward are possible ({from})"
                    )));
                }
                _ => {
                    let from = if at.is_empty() {
                        "base".to_owned()
                    } else {
                        self.list(at.iter().copied())
                    };
                    return Err(Error::Graph(format!(
                        "`{spec}`: after {done} step(s), {from} is followed by several \
                         revisions ({}), and a relative step cannot choose a branch\n  hint: \
                         name the target revision instead, e.g. `{}`",
                        self.list(next.iter().copied()),
                        self.revs[next[0]].id
                    )));
                }
            }
        }
        Ok(at[0])
    }

    /// N steps towards the bases from `start`. Stepping back from a merge is allowed only as
    /// the last step (the position is then both parents); stepping back from a base lands
    /// below it.
    fn walk_back(&self, spec: &str, start: usize, steps: usize) -> Result<Dest> {
        let mut at = start;
        for step in 1..=steps {
            match self.parents[at].as_slice() {
                [] if step == steps => return Ok(Dest::Below(at)),
                [] => {
                    return Err(Error::Graph(format!(
                        "`{spec}`: only {step} step(s) back are possible ({} is a base)",
                        self.describe(at)
                    )))
                }
                [parent] => at = *parent,
                parents if step == steps => return Ok(Dest::Revs(parents.to_vec())),
                parents => {
                    return Err(Error::Graph(format!(
                        "`{spec}`: {} is a merge of {}, and a relative step cannot choose which \
                         branch to follow past it\n  hint: name the target revision instead, \
                         e.g. `{}`",
                        self.describe(at),
                        self.list(parents.iter().copied()),
                        self.revs[parents[0]].id
                    )))
                }
            }
        }
        Ok(Dest::Revs(vec![at]))
    }

    /// The only head, `None` for an empty graph, an error suggesting a merge when there are
    /// several.
    pub(super) fn single_head(&self) -> Result<Option<usize>> {
        let heads: Vec<usize> = self.head_indices().collect();
        match heads.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            many => Err(Error::Graph(format!(
                "there are {} heads: {}\n  `head` is ambiguous while branches diverge\n  \
                 hint: join them with `merge heads -m \"merge branches\"`, upgrade every \
                 branch with `heads`, or name one revision",
                many.len(),
                self.list(many.iter().copied())
            ))),
        }
    }

    fn label_index(&self, label: &str) -> Result<usize> {
        if let Some(&i) = self.labels.get(label) {
            return Ok(i);
        }
        let mut known: Vec<&str> = self.labels.keys().map(String::as_str).collect();
        known.sort_unstable();
        let known = if known.is_empty() {
            "no revision has a branch label".to_owned()
        } else {
            format!("known labels: {}", known.join(", "))
        };
        Err(Error::Graph(format!(
            "unknown branch label `{label}` ({known})\n  hint: give a revision a label with \
             `revision --branch-label`"
        )))
    }

    /// The single head among the labeled revision and its descendants.
    fn branch_head(&self, label: &str, labeled: usize) -> Result<usize> {
        let on_branch = self.descendants_mask(&[labeled]);
        let heads: Vec<usize> = self.head_indices().filter(|&h| on_branch[h]).collect();
        match heads.as_slice() {
            [one] => Ok(*one),
            many => Err(Error::Graph(format!(
                "branch `{label}` has {} heads: {}\n  hint: merge them with `merge {} -m \
                 \"…\"`, or name one revision",
                many.len(),
                self.list(many.iter().copied()),
                many.iter()
                    .map(|&i| self.revs[i].id.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ))),
        }
    }

    /// The one revision whose id starts with `prefix`.
    fn by_prefix(&self, prefix: &str) -> Result<usize> {
        let start = self
            .by_id
            .partition_point(|&i| self.revs[i].id.as_str() < prefix);
        let matches: Vec<usize> = self.by_id[start..]
            .iter()
            .copied()
            .take_while(|&i| self.revs[i].id.starts_with(prefix))
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] if self.revs.is_empty() => Err(Error::Graph(format!(
                "unknown revision `{prefix}`: there are no revisions yet\n  hint: create one \
                 with `revision -m \"…\"`"
            ))),
            [] => Err(Error::Graph(format!(
                "unknown revision `{prefix}`\n  hint: run `history` to list the revisions; a \
                 target is a revision id or unique prefix, a branch label, `label@head`, \
                 `head`, `heads`, `base`, `+N`/`-N` or `REV+N`/`REV-N`"
            ))),
            many => Err(Error::Graph(format!(
                "`{prefix}` is ambiguous: {} revisions start with it: {}\n  hint: type more of \
                 the id",
                many.len(),
                self.list(many.iter().copied())
            ))),
        }
    }
}
