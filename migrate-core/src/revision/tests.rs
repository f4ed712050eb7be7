use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::error::Error;

// ----- helpers ----------------------------------------------------------------------------------

fn rev(id: &str, parents: &[&str]) -> Revision {
    Revision {
        id: id.to_owned(),
        parents: parents.iter().map(|p| (*p).to_owned()).collect(),
        message: format!("message {id}"),
        created: None,
        dialect: Some("sqlite".to_owned()),
        run_in_transaction: true,
        branch_labels: Vec::new(),
        dir: PathBuf::from(format!("/migrations/2026-01-01-000000_{id}")),
        up_sql: format!("-- up {id}\n"),
        down_sql: format!("-- down {id}\n"),
        dialect_sql: BTreeMap::new(),
        timeouts: Default::default(),
    }
}

fn labeled(id: &str, parents: &[&str], label: &str) -> Revision {
    let mut r = rev(id, parents);
    r.branch_labels = vec![label.to_owned()];
    r
}

fn graph(revs: Vec<Revision>) -> Graph {
    Graph::from_revisions(revs).unwrap()
}

fn ids<'a>(revs: impl IntoIterator<Item = &'a Revision>) -> Vec<&'a str> {
    revs.into_iter().map(|r| r.id.as_str()).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

fn err<T: std::fmt::Debug>(r: crate::error::Result<T>) -> String {
    r.unwrap_err().to_string()
}

/// a <- b <- c
fn linear() -> Graph {
    graph(vec![
        rev("aaa111", &[]),
        rev("bbb222", &["aaa111"]),
        rev("ccc333", &["bbb222"]),
    ])
}

/// a <- b1, a <- b2 (two heads)
fn forked() -> Vec<Revision> {
    vec![rev("a0", &[]), rev("b1", &["a0"]), rev("b2", &["a0"])]
}

/// a <- b1, a <- b2, (b1, b2) <- m
fn merged() -> Graph {
    let mut revs = forked();
    revs.push(rev("m0", &["b1", "b2"]));
    graph(revs)
}

fn write_file(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn new_rev<'a>(message: &'a str, parents: &[&str]) -> NewRevision<'a> {
    NewRevision {
        id: None,
        parents: parents.iter().map(|p| (*p).to_owned()).collect(),
        message,
        dialect: "sqlite",
        up_sql: "CREATE TABLE t (id INTEGER);".to_owned(),
        down_sql: "DROP TABLE t;\n".to_owned(),
        extra: Vec::new(),
        branch_labels: Vec::new(),
        run_in_transaction: true,
        timeouts: Default::default(),
    }
}

// ----- basic queries ----------------------------------------------------------------------------

#[test]
fn linear_graph_basics() {
    let g = linear();
    assert_eq!(g.len(), 3);
    assert!(!g.is_empty());
    assert_eq!(ids(g.revisions()), ["aaa111", "bbb222", "ccc333"]);
    assert_eq!(ids(g.heads()), ["ccc333"]);
    assert_eq!(ids(g.bases()), ["aaa111"]);
    assert_eq!(g.get("bbb222").unwrap().parents, ["aaa111"]);
    assert!(g.get("bbb").is_none());
    assert_eq!(ids(g.children_of("aaa111")), ["bbb222"]);
    assert_eq!(ids(g.parents_of("ccc333")), ["bbb222"]);
}

#[test]
fn topological_order_breaks_ties_by_created_then_id() {
    let mut x = rev("xxx", &[]);
    x.created = Some("2026-01-01T00:00:00Z".to_owned());
    let mut y = rev("yyy", &[]);
    y.created = Some("2025-01-01T00:00:00+02:00".to_owned());
    let z = rev("zzz", &["yyy", "xxx"]);
    let g = graph(vec![z, x.clone(), y.clone()]);
    assert_eq!(ids(g.revisions()), ["yyy", "xxx", "zzz"]);
    // Same created: by id.
    y.created = x.created.clone();
    let g = graph(vec![y, x]);
    assert_eq!(ids(g.revisions()), ["xxx", "yyy"]);
}

#[test]
fn empty_graph() {
    let g = graph(Vec::new());
    assert!(g.is_empty());
    assert!(g.resolve("head").unwrap().is_none());
    assert!(g.upgrade_plan(&set(&[]), "head").unwrap().is_empty());
    assert!(g.upgrade_plan(&set(&[]), "heads").unwrap().is_empty());
    assert!(g.downgrade_plan(&set(&[]), "base").unwrap().is_empty());
    assert!(err(g.resolve("abc")).contains("no revisions yet"));
}

// ----- resolve ----------------------------------------------------------------------------------

#[test]
fn resolve_forms() {
    let g = linear();
    assert_eq!(g.resolve("head").unwrap().unwrap().id, "ccc333");
    assert_eq!(g.resolve("heads").unwrap().unwrap().id, "ccc333");
    assert!(g.resolve("base").unwrap().is_none());
    assert_eq!(g.resolve("bbb222").unwrap().unwrap().id, "bbb222");
    assert_eq!(g.resolve("b").unwrap().unwrap().id, "bbb222");
    assert_eq!(g.resolve(" bb ").unwrap().unwrap().id, "bbb222");
    assert_eq!(g.resolve("aaa+2").unwrap().unwrap().id, "ccc333");
    assert_eq!(g.resolve("head-1").unwrap().unwrap().id, "bbb222");
    assert_eq!(g.resolve("base+1").unwrap().unwrap().id, "aaa111");
    assert!(
        g.resolve("head-3").unwrap().is_none(),
        "stepping off the base is base"
    );
    assert!(err(g.resolve("head-4")).contains("only 3 step(s) back"));
    assert!(err(g.resolve("aaa+3")).contains("only 2 step(s) forward"));
    assert!(err(g.resolve("+1")).contains("relative to the database"));
    assert!(err(g.resolve("aaa+0")).contains("at least 1"));
    assert!(err(g.resolve("")).contains("empty revision spec"));
}

#[test]
fn ambiguous_and_unknown_prefixes() {
    let g = graph(vec![
        rev("abc111", &[]),
        rev("abc222", &["abc111"]),
        rev("abd333", &["abc222"]),
    ]);
    let msg = err(g.resolve("abc"));
    assert!(msg.contains("ambiguous"), "{msg}");
    assert!(msg.contains("abc111") && msg.contains("abc222"), "{msg}");
    assert!(!msg.contains("abd333"), "{msg}");
    assert!(err(g.resolve("ab")).contains("3 revisions start with it"));
    assert_eq!(g.resolve("abc2").unwrap().unwrap().id, "abc222");
    assert_eq!(g.resolve("abd").unwrap().unwrap().id, "abd333");
    let msg = err(g.resolve("zzz"));
    assert!(
        msg.contains("unknown revision `zzz`") && msg.contains("history"),
        "{msg}"
    );
    assert!(err(g.upgrade_plan(&set(&[]), "abc")).contains("ambiguous"));
}

// ----- upgrade ----------------------------------------------------------------------------------

#[test]
fn upgrade_targets_on_a_line() {
    let g = linear();
    let none = set(&[]);
    let a = set(&["aaa111"]);
    assert_eq!(
        ids(g.upgrade_plan(&none, "head").unwrap()),
        ["aaa111", "bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&a, "head").unwrap()),
        ["bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&a, "heads").unwrap()),
        ["bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&none, "bbb222").unwrap()),
        ["aaa111", "bbb222"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&none, "bb").unwrap()),
        ["aaa111", "bbb222"]
    );
    assert_eq!(ids(g.upgrade_plan(&none, "+1").unwrap()), ["aaa111"]);
    assert_eq!(ids(g.upgrade_plan(&a, "+1").unwrap()), ["bbb222"]);
    assert_eq!(ids(g.upgrade_plan(&a, "+2").unwrap()), ["bbb222", "ccc333"]);
    assert!(err(g.upgrade_plan(&a, "+3")).contains("only 2 step(s) forward"));
    assert_eq!(
        ids(g.upgrade_plan(&none, "aaa+1").unwrap()),
        ["aaa111", "bbb222"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&none, "ccc-1").unwrap()),
        ["aaa111", "bbb222"]
    );
    assert!(g.upgrade_plan(&none, "base").unwrap().is_empty());
    let all = set(&["aaa111", "bbb222", "ccc333"]);
    assert!(g.upgrade_plan(&all, "head").unwrap().is_empty());
    assert!(g.upgrade_plan(&all, "aaa111").unwrap().is_empty());
    assert!(err(g.upgrade_plan(&all, "-1")).contains("downgrade -1"));
}

#[test]
fn upgrade_fills_gaps_in_the_applied_set() {
    let g = linear();
    let gap = set(&["aaa111", "ccc333"]);
    assert_eq!(ids(g.current(&gap)), ["ccc333"]);
    assert_eq!(ids(g.upgrade_plan(&gap, "head").unwrap()), ["bbb222"]);
}

#[test]
fn unknown_applied_revisions() {
    let g = linear();
    let applied = set(&["aaa111", "gone99"]);
    assert_eq!(g.unknown_applied(&applied), ["gone99"]);
    assert_eq!(ids(g.current(&applied)), ["aaa111"]);
    let msg = err(g.upgrade_plan(&applied, "head"));
    assert!(msg.contains("`gone99`") && msg.contains("stamp"), "{msg}");
    assert!(err(g.downgrade_plan(&applied, "base")).contains("`gone99`"));
}

// ----- downgrade --------------------------------------------------------------------------------

#[test]
fn downgrade_targets_on_a_line() {
    let g = linear();
    let all = set(&["aaa111", "bbb222", "ccc333"]);
    assert_eq!(
        ids(g.downgrade_plan(&all, "base").unwrap()),
        ["ccc333", "bbb222", "aaa111"]
    );
    assert_eq!(ids(g.downgrade_plan(&all, "-1").unwrap()), ["ccc333"]);
    assert_eq!(
        ids(g.downgrade_plan(&all, "-2").unwrap()),
        ["ccc333", "bbb222"]
    );
    assert_eq!(
        ids(g.downgrade_plan(&all, "-3").unwrap()),
        ["ccc333", "bbb222", "aaa111"]
    );
    assert!(err(g.downgrade_plan(&all, "-4")).contains("only 3 step(s) back"));
    assert_eq!(
        ids(g.downgrade_plan(&all, "aaa111").unwrap()),
        ["ccc333", "bbb222"]
    );
    assert_eq!(
        ids(g.downgrade_plan(&all, "a").unwrap()),
        ["ccc333", "bbb222"]
    );
    assert_eq!(
        ids(g.downgrade_plan(&all, "ccc-2").unwrap()),
        ["ccc333", "bbb222"]
    );
    assert_eq!(ids(g.downgrade_plan(&all, "head-1").unwrap()), ["ccc333"]);
    assert!(g.downgrade_plan(&all, "head").unwrap().is_empty());
    assert!(err(g.downgrade_plan(&all, "+1")).contains("upgrade +1"));

    let ab = set(&["aaa111", "bbb222"]);
    let msg = err(g.downgrade_plan(&ab, "ccc333"));
    assert!(
        msg.contains("not applied") && msg.contains("upgrade ccc333"),
        "{msg}"
    );
    assert!(err(g.downgrade_plan(&set(&[]), "-1")).contains("nothing is applied"));
    assert!(g.downgrade_plan(&set(&[]), "base").unwrap().is_empty());
}

// ----- branches and merges ----------------------------------------------------------------------

#[test]
fn two_heads_refuse_head_and_suggest_merge() {
    let g = graph(forked());
    assert_eq!(ids(g.heads()), ["b1", "b2"]);
    let msg = err(g.upgrade_plan(&set(&[]), "head"));
    assert!(
        msg.contains("2 heads") && msg.contains("merge heads -m"),
        "{msg}"
    );
    assert!(msg.contains("b1") && msg.contains("b2"), "{msg}");
    assert!(err(g.resolve("head")).contains("merge heads"));
    assert!(err(g.resolve("heads")).contains("several revisions"));
    assert_eq!(
        ids(g.upgrade_plan(&set(&[]), "heads").unwrap()),
        ["a0", "b1", "b2"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&set(&["a0", "b1"]), "heads").unwrap()),
        ["b2"]
    );
    // `+1` from the fork point cannot choose a branch.
    let msg = err(g.upgrade_plan(&set(&["a0"]), "+1"));
    assert!(msg.contains("several") && msg.contains("b1"), "{msg}");
    // Two current revisions: `-1` is ambiguous.
    let both = set(&["a0", "b1", "b2"]);
    assert_eq!(ids(g.current(&both)), ["b1", "b2"]);
    assert!(err(g.downgrade_plan(&both, "-1")).contains("several current revisions"));
    // Downgrading to the fork point reverts both branches, children first.
    assert_eq!(ids(g.downgrade_plan(&both, "b1-1").unwrap()), ["b2", "b1"]);
    assert_eq!(ids(g.downgrade_plan(&both, "a0").unwrap()), ["b2", "b1"]);
}

#[test]
fn merge_semantics() {
    let g = merged();
    assert_eq!(ids(g.heads()), ["m0"]);
    assert!(g.get("m0").unwrap().is_merge());
    assert!(!g.get("b1").unwrap().is_merge());
    assert_eq!(
        ids(g.upgrade_plan(&set(&[]), "head").unwrap()),
        ["a0", "b1", "b2", "m0"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&set(&["a0", "b1"]), "head").unwrap()),
        ["b2", "m0"]
    );
    // From both branch heads, `+1` is the merge.
    assert_eq!(
        ids(g.upgrade_plan(&set(&["a0", "b1", "b2"]), "+1").unwrap()),
        ["m0"]
    );
    // `m0-1` is both parents.
    assert_eq!(
        ids(g.upgrade_plan(&set(&[]), "m0-1").unwrap()),
        ["a0", "b1", "b2"]
    );
    assert!(err(g.resolve("m0-1")).contains("several revisions"));

    let all = set(&["a0", "b1", "b2", "m0"]);
    assert_eq!(ids(g.current(&all)), ["m0"]);
    assert_eq!(ids(g.downgrade_plan(&all, "-1").unwrap()), ["m0"]);
    assert!(err(g.downgrade_plan(&all, "-2")).contains("is a merge of"));
    let base = g.downgrade_plan(&all, "base").unwrap();
    assert_eq!(ids(base), ["m0", "b2", "b1", "a0"]);
    // Downgrading to one parent reverts the merge but not the other branch.
    assert_eq!(ids(g.downgrade_plan(&all, "b1").unwrap()), ["m0"]);
    assert_eq!(
        ids(g.downgrade_plan(&all, "a0").unwrap()),
        ["m0", "b2", "b1"]
    );
}

#[test]
fn branch_labels() {
    let g = graph(vec![
        rev("a0", &[]),
        labeled("x1", &["a0"], "feature"),
        rev("x2", &["x1"]),
        rev("y1", &["a0"]),
    ]);
    assert_eq!(g.resolve("feature").unwrap().unwrap().id, "x1");
    assert_eq!(g.labeled("feature").unwrap().id, "x1");
    assert_eq!(g.resolve("feature@head").unwrap().unwrap().id, "x2");
    assert_eq!(g.resolve("feature@base").unwrap().unwrap().id, "a0");
    assert_eq!(g.resolve("feature@head-1").unwrap().unwrap().id, "x1");
    assert_eq!(
        ids(g.upgrade_plan(&set(&[]), "feature").unwrap()),
        ["a0", "x1"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&set(&[]), "feature@head").unwrap()),
        ["a0", "x1", "x2"]
    );
    assert_eq!(
        ids(g.upgrade_plan(&set(&[]), "feature+1").unwrap()),
        ["a0", "x1", "x2"]
    );
    let all = set(&["a0", "x1", "x2", "y1"]);
    assert_eq!(
        ids(g.downgrade_plan(&all, "feature@base").unwrap()),
        ["x2", "x1"]
    );
    assert_eq!(ids(g.downgrade_plan(&all, "feature").unwrap()), ["x2"]);
    assert_eq!(
        ids(g.range(None, "feature@head").unwrap()),
        ["a0", "x1", "x2"]
    );
    let msg = err(g.resolve("nope@head"));
    assert!(
        msg.contains("unknown branch label `nope`") && msg.contains("feature"),
        "{msg}"
    );
    assert!(err(g.resolve("feature@tail")).contains("feature@head"));

    // A branch with two heads.
    let g = graph(vec![
        labeled("a0", &[], "main"),
        rev("x1", &["a0"]),
        rev("y1", &["a0"]),
    ]);
    let msg = err(g.resolve("main@head"));
    assert!(
        msg.contains("2 heads") && msg.contains("merge x1 y1"),
        "{msg}"
    );
}

// ----- ranges -----------------------------------------------------------------------------------

#[test]
fn ranges() {
    let g = linear();
    assert_eq!(
        ids(g.range(None, "ccc333").unwrap()),
        ["aaa111", "bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.range(Some("base"), "head").unwrap()),
        ["aaa111", "bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.range(Some("aaa"), "ccc").unwrap()),
        ["bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.range_spec("aaa111:ccc333").unwrap()),
        ["bbb222", "ccc333"]
    );
    assert_eq!(ids(g.range_spec(":bbb").unwrap()), ["aaa111", "bbb222"]);
    assert_eq!(ids(g.range_spec("bbb:").unwrap()), ["ccc333"]);
    assert_eq!(ids(g.range_spec("bbb").unwrap()), ["aaa111", "bbb222"]);
    assert_eq!(ids(g.range_spec("aaa:head-1").unwrap()), ["bbb222"]);
    assert!(g.range(Some("ccc"), "ccc").unwrap().is_empty());
    let msg = err(g.range(Some("ccc"), "aaa"));
    assert!(msg.contains("not an ancestor"), "{msg}");

    let g = merged();
    assert_eq!(ids(g.range_spec("b1:m0").unwrap()), ["b2", "m0"]);
    assert_eq!(
        ids(g.range_spec(":heads").unwrap()),
        ["a0", "b1", "b2", "m0"]
    );
}

// ----- integrity errors -------------------------------------------------------------------------

#[test]
fn missing_parent_names_the_folder() {
    let r = Graph::from_revisions(vec![rev("a0", &[]), rev("b0", &["zz"])]);
    let msg = err(r);
    assert!(
        msg.contains("2026-01-01-000000_b0") && msg.contains("`zz`"),
        "{msg}"
    );
    assert!(msg.contains("parents"), "{msg}");
}

#[test]
fn duplicate_id_names_both_folders() {
    let mut second = rev("a0", &[]);
    second.dir = PathBuf::from("/migrations/2026-02-02-000000_copy");
    let msg = err(Graph::from_revisions(vec![rev("a0", &[]), second]));
    assert!(msg.contains("duplicate revision id `a0`"), "{msg}");
    assert!(
        msg.contains("2026-01-01-000000_a0") && msg.contains("2026-02-02-000000_copy"),
        "{msg}"
    );
}

#[test]
fn cycles_are_reported_with_their_ids() {
    let msg = err(Graph::from_revisions(vec![
        rev("r0", &[]),
        rev("c1", &["r0", "c3"]),
        rev("c2", &["c1"]),
        rev("c3", &["c2"]),
        rev("tail", &["c3"]),
    ]));
    assert!(msg.contains("cycle"), "{msg}");
    for id in ["c1", "c2", "c3"] {
        assert!(msg.contains(&format!("`{id}`")), "{msg}");
    }
    assert!(!msg.contains("`tail`") && !msg.contains("`r0`"), "{msg}");

    let msg = err(Graph::from_revisions(vec![rev("self", &["self"])]));
    assert!(msg.contains("cycle") && msg.contains("`self`"), "{msg}");
}

#[test]
fn label_and_id_conflicts() {
    let msg = err(Graph::from_revisions(vec![
        labeled("a0", &[], "main"),
        labeled("b0", &["a0"], "main"),
    ]));
    assert!(msg.contains("duplicate branch label `main`"), "{msg}");
    let msg = err(Graph::from_revisions(vec![
        rev("a0", &[]),
        labeled("b0", &["a0"], "a0"),
    ]));
    assert!(msg.contains("also the id"), "{msg}");
    let msg = err(Graph::from_revisions(vec![rev("head", &[])]));
    assert!(msg.contains("reserved"), "{msg}");
    let msg = err(Graph::from_revisions(vec![
        rev("a0", &["b0", "b0"]),
        rev("b0", &[]),
    ]));
    assert!(msg.contains("twice"), "{msg}");
}

// ----- files ------------------------------------------------------------------------------------

#[test]
fn missing_directory_says_init() {
    let tmp = tempfile::tempdir().unwrap();
    let msg = err(Graph::load(&tmp.path().join("migrations")));
    assert!(
        msg.contains("does not exist") && msg.contains("init"),
        "{msg}"
    );
    let msg = err(write_revision(
        &tmp.path().join("migrations"),
        new_rev("x", &[]),
    ));
    assert!(msg.contains("init"), "{msg}");
}

#[test]
fn malformed_metadata_names_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("2026-01-01-000000_bad");
    write_file(&folder.join("up.sql"), "SELECT 1;");
    write_file(&folder.join("down.sql"), "");
    write_file(
        &folder.join("metadata.toml"),
        "run_in_transaction = true\nrevision = \n",
    );
    let e = Graph::load(tmp.path()).unwrap_err();
    match &e {
        Error::Metadata { path, .. } => assert_eq!(path, &folder.join("metadata.toml")),
        other => panic!("unexpected error {other:?}"),
    }
    assert!(e.to_string().contains("metadata.toml"), "{e}");

    // Graph keys without `parents`.
    write_file(
        &folder.join("metadata.toml"),
        "run_in_transaction = true\nrevision = \"abc\"\n",
    );
    let msg = err(Graph::load(tmp.path()));
    assert!(msg.contains("`parents` is missing"), "{msg}");
}

#[test]
fn folder_without_up_sql_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    write_file(&tmp.path().join("2026-01-01-000000_empty/down.sql"), "");
    let msg = err(Graph::load(tmp.path()));
    assert!(
        msg.contains("2026-01-01-000000_empty") && msg.contains("no up.sql"),
        "{msg}"
    );
}

#[test]
fn dialect_file_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("2026-01-01-000000_x");
    write_file(&folder.join("up.sql"), "SELECT 1;");
    write_file(&folder.join("down.sql"), "");
    write_file(&folder.join("up.oracle.sql"), "");
    assert!(err(Graph::load(tmp.path())).contains("unknown dialect `oracle`"));
    fs::remove_file(folder.join("up.oracle.sql")).unwrap();
    write_file(&folder.join("up.postgres.sql"), "");
    assert!(err(Graph::load(tmp.path())).contains("no down.postgres.sql"));
}

#[test]
fn diesel_layout_is_adopted_as_a_linear_history() {
    let tmp = tempfile::tempdir().unwrap();
    let m = tmp.path();
    write_file(
        &m.join("00000000000000_diesel_initial_setup/up.sql"),
        "SELECT 0;",
    );
    write_file(
        &m.join("00000000000000_diesel_initial_setup/down.sql"),
        "SELECT 0;",
    );
    write_file(
        &m.join("2020-01-01-000000_create_users/up.sql"),
        "CREATE TABLE users (id INT);",
    );
    write_file(
        &m.join("2020-01-01-000000_create_users/down.sql"),
        "DROP TABLE users;",
    );
    // diesel reads a metadata.toml without the key as `false`.
    write_file(
        &m.join("2020-02-01-120000_add_posts/up.sql"),
        "CREATE TABLE posts (id INT);",
    );
    write_file(&m.join("2020-02-01-120000_add_posts/metadata.toml"), "");
    write_file(&m.join("2020-03-01-000000_no_tx/up.sql"), "SELECT 3;");
    write_file(&m.join("2020-03-01-000000_no_tx/down.sql"), "SELECT 3;");
    write_file(
        &m.join("2020-03-01-000000_no_tx/metadata.toml"),
        "run_in_transaction = false\n",
    );
    // A graph-keyed revision on top of the diesel history.
    write_file(&m.join("2026-01-01-000000_keyed/up.sql"), "SELECT 4;");
    write_file(&m.join("2026-01-01-000000_keyed/down.sql"), "SELECT 4;");
    write_file(
        &m.join("2026-01-01-000000_keyed/metadata.toml"),
        "run_in_transaction = true\nrevision = \"0123456789ab\"\nparents = [\"20200301000000\"]\n\
         message = \"keyed\"\ncreated = \"2026-01-01T00:00:00Z\"\ndialect = \"sqlite\"\n",
    );
    // Ignored: files and hidden folders.
    write_file(&m.join("README.md"), "notes");
    write_file(&m.join(".git-keep/up.sql"), "nope");

    let g = Graph::load(m).unwrap();
    assert_eq!(
        ids(g.revisions()),
        [
            "00000000000000",
            "20200101000000",
            "20200201120000",
            "20200301000000",
            "0123456789ab"
        ]
    );
    let users = g.get("20200101000000").unwrap();
    assert_eq!(users.parents, ["00000000000000"]);
    assert_eq!(users.message, "create_users");
    assert_eq!(users.created.as_deref(), Some("2020-01-01T00:00:00Z"));
    assert!(
        users.run_in_transaction,
        "no metadata.toml: diesel's default, true"
    );
    assert_eq!(users.dialect, None);
    let posts = g.get("20200201120000").unwrap();
    assert_eq!(posts.parents, ["20200101000000"]);
    assert!(!posts.run_in_transaction);
    assert_eq!(posts.down_sql, "", "diesel allows a missing down.sql");
    assert!(!g.get("20200301000000").unwrap().run_in_transaction);
    assert_eq!(ids(g.heads()), ["0123456789ab"]);
    assert_eq!(ids(g.bases()), ["00000000000000"]);
    // diesel's __diesel_schema_migrations versions are valid applied ids.
    let applied = set(&["00000000000000", "20200101000000"]);
    assert_eq!(
        ids(g.upgrade_plan(&applied, "head").unwrap()),
        ["20200201120000", "20200301000000", "0123456789ab"]
    );
    assert!(err(g.resolve("2020013")).contains("unknown revision"));
    assert_eq!(g.resolve("202002").unwrap().unwrap().id, "20200201120000");
}

#[test]
fn duplicate_diesel_versions_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    write_file(
        &tmp.path().join("2020-01-01-000000_one/up.sql"),
        "SELECT 1;",
    );
    write_file(
        &tmp.path().join("2020-01-01-000000_two/up.sql"),
        "SELECT 2;",
    );
    let msg = err(Graph::load(tmp.path()));
    assert!(
        msg.contains("duplicate revision id `20200101000000`"),
        "{msg}"
    );
    assert!(msg.contains("_one") && msg.contains("_two"), "{msg}");
}

#[test]
fn write_revision_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let m = tmp.path();
    let base = write_revision(m, new_rev("Create users table!", &[])).unwrap();
    assert_eq!(base.id.len(), 12);
    assert!(base.parents.is_empty());
    let folder = base.folder_name();
    assert_eq!(
        folder.len(),
        "2026-01-01-000000_".len() + "create_users_table".len()
    );
    assert!(folder.ends_with("_create_users_table"), "{folder}");
    let metadata = fs::read_to_string(base.dir.join("metadata.toml")).unwrap();
    assert!(
        metadata.starts_with("run_in_transaction = true\n"),
        "{metadata}"
    );
    assert!(
        metadata.contains(&format!("revision = \"{}\"", base.id)),
        "{metadata}"
    );
    assert!(metadata.contains("parents = []"), "{metadata}");
    assert!(metadata.contains("dialect = \"sqlite\""), "{metadata}");
    assert!(!metadata.contains("branch_labels"), "{metadata}");
    let up = fs::read_to_string(base.dir.join("up.sql")).unwrap();
    assert_eq!(up, base.up_sql);
    assert!(up.starts_with("-- Create users table!\n"), "{up}");
    assert!(up.contains(&format!("-- revision: {}\n", base.id)), "{up}");
    assert!(up.ends_with("\nCREATE TABLE t (id INTEGER);\n"), "{up}");

    let mut child = new_rev("add posts\nsecond line", &[&base.id]);
    child.id = Some("myrev_1".to_owned());
    child.branch_labels = vec!["feature-x".to_owned()];
    child.run_in_transaction = false;
    child.extra = vec![(
        "postgres".to_owned(),
        "CREATE TABLE p (id BIGINT);".to_owned(),
        "DROP TABLE p;".to_owned(),
    )];
    let child = write_revision(m, child).unwrap();
    let metadata = fs::read_to_string(child.dir.join("metadata.toml")).unwrap();
    assert!(
        metadata.starts_with("run_in_transaction = false\n"),
        "{metadata}"
    );
    assert!(
        metadata.contains("branch_labels = [\"feature-x\"]"),
        "{metadata}"
    );
    assert!(child.dir.join("up.postgres.sql").is_file());
    assert!(child.dir.join("down.postgres.sql").is_file());
    // Written in the same second as the base, yet a later diesel version.
    assert!(child.folder_name() > base.folder_name());
    assert!(child.folder_name().ends_with("_add_posts"));

    let g = Graph::load(m).unwrap();
    assert_eq!(g.get(&base.id).unwrap(), &base);
    assert_eq!(g.get("myrev_1").unwrap(), &child);
    assert_eq!(ids(g.revisions()), [base.id.as_str(), "myrev_1"]);
    assert_eq!(g.resolve("feature-x").unwrap().unwrap().id, "myrev_1");
    let (up, down) = child.sql_for("postgres");
    assert!(up.ends_with("CREATE TABLE p (id BIGINT);\n") && down.ends_with("DROP TABLE p;\n"));
    assert!(up.contains("-- dialect: postgres"));
    assert!(child
        .sql_for("sqlite")
        .0
        .ends_with("CREATE TABLE t (id INTEGER);\n"));
    assert!(child
        .sql_for("mysql")
        .0
        .ends_with("CREATE TABLE t (id INTEGER);\n"));
    assert_ne!(child.checksum("postgres"), child.checksum("sqlite"));
    assert_eq!(child.checksum("mysql"), child.checksum("sqlite"));

    // Refusals.
    let mut dup = new_rev("again", &[]);
    dup.id = Some("myrev_1".to_owned());
    let msg = err(write_revision(m, dup));
    assert!(
        msg.contains("already used") && msg.contains("_add_posts"),
        "{msg}"
    );
    assert!(err(write_revision(m, new_rev("x", &["nope"]))).contains("does not exist"));
    let mut bad = new_rev("x", &[]);
    bad.id = Some("head".to_owned());
    assert!(err(write_revision(m, bad)).contains("reserved"));
    let mut bad = new_rev("x", &[]);
    bad.id = Some("a-1".to_owned());
    assert!(err(write_revision(m, bad)).contains("invalid revision id"));
    let mut bad = new_rev("x", &[&base.id]);
    bad.branch_labels = vec!["feature-x".to_owned()];
    assert!(err(write_revision(m, bad)).contains("already used"));
    let mut bad = new_rev("x", &[]);
    bad.dialect = "oracle";
    assert!(err(write_revision(m, bad)).contains("unknown dialect"));
    // Nothing half-written was left behind.
    assert_eq!(fs::read_dir(m).unwrap().count(), 2);
}

#[test]
fn written_revisions_are_readable_by_diesel() {
    use diesel::migration::MigrationSource;
    let tmp = tempfile::tempdir().unwrap();
    let base = write_revision(tmp.path(), new_rev("one", &[])).unwrap();
    let mut second = new_rev("two", &[&base.id]);
    second.run_in_transaction = false;
    let second = write_revision(tmp.path(), second).unwrap();
    let source = diesel_migrations::FileBasedMigrations::from_path(tmp.path()).unwrap();
    let mut found: Vec<(String, bool)> =
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&source)
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m.name().version().to_string(),
                    m.metadata().run_in_transaction(),
                )
            })
            .collect();
    found.sort();
    let version = |r: &Revision| r.folder_name().split('_').next().unwrap().replace('-', "");
    assert_eq!(found, [(version(&base), true), (version(&second), false)]);
}

#[test]
fn checksums_are_stable() {
    assert_eq!(
        checksum_sql("SELECT 1;\n"),
        "b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd"
    );
    assert_eq!(checksum_sql("SELECT 1;\r\n"), checksum_sql("SELECT 1;\n"));
    assert_ne!(checksum_sql("SELECT 1;"), checksum_sql("SELECT 1;\n"));
    let mut r = rev("a0", &[]);
    r.up_sql = "CREATE TABLE t (id INTEGER);\n".to_owned();
    r.dialect_sql.insert(
        "mysql".to_owned(),
        ("SELECT 1;\n".to_owned(), String::new()),
    );
    assert_eq!(
        r.checksum("sqlite"),
        "cb7bba9473513daa6e6daf9337f9d5822cbc95cac71c944b6bf85958041038e1"
    );
    assert_eq!(r.checksum("postgres"), r.checksum("sqlite"));
    assert_eq!(
        r.checksum("mysql"),
        "b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd"
    );
}

#[test]
fn revision_ids_are_12_hex_and_distinct() {
    let ids: BTreeSet<String> = (0..1000).map(|_| new_revision_id()).collect();
    assert_eq!(ids.len(), 1000);
    for id in &ids {
        assert_eq!(id.len(), 12);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    }
}

// ----- scale ------------------------------------------------------------------------------------

#[test]
fn ten_thousand_revisions() {
    const N: usize = 10_000;
    let id = |i: usize| format!("{:012x}", i.wrapping_mul(0x9E37_79B9_7F4A) % (1 << 48));
    // Built children-first, so the topological sort has to do real work.
    let revs: Vec<Revision> = (0..N)
        .rev()
        .map(|i| {
            let parent = if i == 0 { Vec::new() } else { vec![id(i - 1)] };
            let mut r = rev(&id(i), &[]);
            r.parents = parent;
            r
        })
        .collect();
    let g = Graph::from_revisions(revs).unwrap();
    assert_eq!(g.len(), N);
    assert_eq!(ids(g.heads()), [id(N - 1).as_str()]);
    assert_eq!(ids(g.bases()), [id(0).as_str()]);
    let in_order: Vec<String> = g.revisions().map(|r| r.id.clone()).collect();
    assert_eq!(in_order, (0..N).map(id).collect::<Vec<_>>());

    let applied: BTreeSet<String> = (0..N / 2).map(id).collect();
    assert_eq!(ids(g.current(&applied)), [id(N / 2 - 1).as_str()]);
    let plan = g.upgrade_plan(&applied, "head").unwrap();
    assert_eq!(plan.len(), N - N / 2);
    assert_eq!(plan[0].id, id(N / 2));
    assert_eq!(plan[plan.len() - 1].id, id(N - 1));
    assert_eq!(ids(g.upgrade_plan(&applied, "+3").unwrap()).len(), 3);
    let down = g.downgrade_plan(&applied, "base").unwrap();
    assert_eq!(down.len(), N / 2);
    assert_eq!(down[0].id, id(N / 2 - 1));
    assert_eq!(g.downgrade_plan(&applied, "-10").unwrap().len(), 10);
    assert_eq!(g.range(Some(&id(10)), &id(20)).unwrap().len(), 10);
    assert_eq!(g.resolve(&id(1234)).unwrap().unwrap().id, id(1234));
}

#[test]
fn revisions_without_statements_run_on_every_dialect() {
    let dir = tempfile::tempdir().expect("temp dir");
    let with_sql = write_revision(dir.path(), new_rev("table", &[])).expect("written");
    let empty = write_revision(
        dir.path(),
        NewRevision {
            up_sql: String::new(),
            down_sql: String::new(),
            ..new_rev("merge-like", &[&with_sql.id])
        },
    )
    .expect("written");
    assert!(require_sql_for([&empty], "postgres").is_ok());
    assert!(require_sql_for([&empty], "mssql").is_ok());
    let refused = require_sql_for([&with_sql, &empty], "postgres")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(refused.contains(&with_sql.id), "{refused}");
    assert!(!refused.contains(&empty.id), "{refused}");
}

#[test]
fn history_ranges_include_both_ends_and_read_current() {
    let g = linear();
    assert_eq!(
        ids(g.history_range("aaa111:ccc333", None).unwrap()),
        ["aaa111", "bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.history_range("bbb:", None).unwrap()),
        ["bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.history_range(":bbb", None).unwrap()),
        ["aaa111", "bbb222"]
    );
    let applied: BTreeSet<String> = ["aaa111".to_owned(), "bbb222".to_owned()].into();
    assert_eq!(
        ids(g.history_range("current:", Some(&applied)).unwrap()),
        ["bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.history_range("-1:", Some(&applied)).unwrap()),
        ["aaa111", "bbb222", "ccc333"]
    );
    assert_eq!(
        ids(g.history_range("base:current", Some(&applied)).unwrap()),
        ["aaa111", "bbb222"]
    );
    let msg = err(g.history_range("current:", None));
    assert!(msg.contains("needs the database"), "{msg}");
}
