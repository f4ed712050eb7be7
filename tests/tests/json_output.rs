//! Every `--format json` output against its description in docs/commands.md#json-output:
//! each field the output has is documented, and each documented field is in the output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use integration_tests::Project;
use migrate_core::registry::ModelDef;
use migrate_core::Model;
use serde_json::Value;

#[derive(Debug, Model)]
pub struct Account {
    pub id: i64,
    #[model(max_length = 80)]
    pub email: String,
}

fn models() -> Vec<&'static ModelDef> {
    vec![<Account as Model>::definition()]
}

/// The field tables of docs/commands.md's JSON section, by heading (`history`, `current
/// --check-heads`, …), with "a revision" rows expanded into the revision's own fields.
fn documented() -> BTreeMap<String, Documented> {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/commands.md"))
        .unwrap();
    let section = docs
        .split("\n## JSON output\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/commands.md has a JSON output section");
    let mut tables: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut heading = String::new();
    for line in section.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            heading = title.trim().to_owned();
        } else if let Some(row) = line.strip_prefix("| `") {
            let (path, rest) = row.split_once('`').unwrap();
            let meaning = rest.trim_start_matches(" |").trim().to_owned();
            tables
                .entry(heading.clone())
                .or_default()
                .push((path.to_owned(), meaning));
        }
    }
    let revision: Vec<String> = tables["A revision"]
        .iter()
        .map(|(p, _)| p.clone())
        .collect();
    tables
        .iter()
        .filter(|(heading, _)| heading.as_str() != "A revision")
        .map(|(heading, rows)| {
            let mut paths = BTreeSet::new();
            let mut optional = BTreeSet::new();
            for (path, meaning) in rows {
                if meaning.contains("only when set") {
                    optional.insert(path.clone());
                }
                let is_revision = meaning.starts_with("a revision");
                let prefix = if path == "(top)" { "" } else { path.as_str() };
                if path != "(top)" {
                    paths.insert(path.clone());
                }
                if is_revision {
                    for field in &revision {
                        paths.insert(if prefix.is_empty() {
                            field.clone()
                        } else {
                            format!("{prefix}.{field}")
                        });
                    }
                }
            }
            (heading.clone(), Documented { paths, optional })
        })
        .collect()
}

/// One table of the docs: its paths (`x.*` covers everything under `x`), and those that may
/// be absent.
struct Documented {
    paths: BTreeSet<String>,
    optional: BTreeSet<String>,
}

impl Documented {
    fn covers(&self, path: &str) -> bool {
        self.paths.contains(path)
            || self.paths.iter().any(|p| {
                p.strip_suffix(".*")
                    .is_some_and(|prefix| path.starts_with(&format!("{prefix}.")))
            })
    }
}

/// Every path in `value`: `a.b` for objects, `a[]` and `a[].b` for arrays; the keys of
/// `dialect_sql` are dialects, written `DIALECT` as the docs do.
fn paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let key = if prefix == "dialect_sql" {
                    "DIALECT"
                } else {
                    key
                };
                let path = if prefix.is_empty() {
                    key.to_owned()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(path.clone());
                paths(inner, &path, out);
            }
        }
        Value::Array(items) => {
            let path = format!("{prefix}[]");
            out.insert(path.clone());
            for item in items {
                paths(item, &path, out);
            }
        }
        _ => {}
    }
}

/// Output paths the docs lack, and documented paths the output lacks, must both be none;
/// the fields of a list's elements are exempt where the list is empty.
fn assert_matches(heading: &str, docs: &BTreeMap<String, Documented>, output: &str) {
    let value: Value = serde_json::from_str(output)
        .unwrap_or_else(|e| panic!("`{heading}` printed no JSON ({e}): {output}"));
    let mut found = BTreeSet::new();
    paths(&value, "", &mut found);
    // A list is the path `x` and its elements `x[]`; the docs write either.
    let documented = &docs[heading];
    let undocumented: Vec<&String> = found
        .iter()
        .filter(|p| {
            !documented.covers(p)
                && !documented.covers(&format!("{p}[]"))
                && !p
                    .strip_suffix("[]")
                    .is_some_and(|list| documented.covers(list))
        })
        .collect();
    assert!(
        undocumented.is_empty(),
        "`{heading}` prints fields docs/commands.md does not list: {undocumented:?}\n{output}"
    );
    let in_empty_list = |path: &str| {
        path.match_indices("[].").any(|(at, _)| {
            let list = &path[..at + 2];
            found.contains(list) && !found.iter().any(|f| f.starts_with(&format!("{list}.")))
        })
    };
    let missing: Vec<&String> = documented
        .paths
        .iter()
        .filter(|p| {
            !found.contains(*p)
                && !in_empty_list(p)
                && !documented.optional.contains(*p)
                && !p.ends_with(".*")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/commands.md lists fields `{heading}` does not print: {missing:?}\n{output}"
    );
}

#[test]
fn every_json_output_has_exactly_its_documented_fields() {
    let docs = documented();
    let project = Project::new();
    let models = models();
    std::fs::create_dir_all(project.migrations()).unwrap();
    let revision = project
        .run(
            &models,
            &[
                "--dialects",
                "sqlite,postgres",
                "revision",
                "--autogenerate",
                "-m",
                "accounts",
                "--format",
                "json",
            ],
        )
        .expect_code(0)
        .stdout;
    assert_matches("revision", &docs, &revision);
    let revision: Value = serde_json::from_str(&revision).unwrap();
    let base_id = revision["id"].as_str().unwrap().to_owned();
    assert_eq!(revision["operations"][0], "create table accounts");
    let upgraded = project
        .run(&models, &["upgrade", "--format", "json"])
        .expect_code(0)
        .stdout;
    assert_matches("upgrade and downgrade", &docs, &upgraded);
    let upgraded: Value = serde_json::from_str(&upgraded).unwrap();
    assert_eq!(upgraded["revisions"][0]["id"], base_id.as_str());
    // Two children of the first revision: a branch point and two heads.
    let left = project
        .run(
            &models,
            &[
                "revision", "-m", "left", "--head", &base_id, "--format", "json",
            ],
        )
        .expect_code(0)
        .stdout;
    let left: Value = serde_json::from_str(&left).unwrap();
    // A hand-written statement that loses data, for the lint to find.
    let left_folder = project.path().join(left["folder"].as_str().unwrap());
    std::fs::write(left_folder.join("up.sql"), "DROP TABLE accounts;\n").unwrap();
    project
        .run(
            &models,
            &[
                "revision",
                "-m",
                "right",
                "--head",
                &base_id,
                "--branch-label",
                "right",
            ],
        )
        .expect_code(0);

    let json = |args: &[&str], code: i32| {
        let mut argv = args.to_vec();
        argv.extend(["--format", "json"]);
        project.run(&models, &argv).expect_code(code).stdout
    };
    // The first revision applied, two pending on two branches.
    let history = json(&["history", "--indicate-current"], 0);
    assert_matches("history", &docs, &history);
    assert_matches("models", &docs, &json(&["models"], 0));
    assert_matches("current", &docs, &json(&["current"], 0));
    assert_matches(
        "current --check-heads",
        &docs,
        &json(&["current", "--check-heads"], 4),
    );
    assert_matches("heads", &docs, &json(&["heads"], 0));
    assert_matches("branches", &docs, &json(&["branches"], 0));
    assert_matches("show", &docs, &json(&["show", &base_id], 0));
    let lint = json(&["lint"], 3);
    assert_matches("lint", &docs, &lint);
    let lint: Value = serde_json::from_str(&lint).unwrap();
    assert_eq!(lint["errors"], 1, "{lint}");
    assert_eq!(lint["revisions"].as_array().unwrap().len(), 2, "{lint}");
    let check = json(&["check"], 3);
    assert_matches("check", &docs, &check);
    let check: Value = serde_json::from_str(&check).unwrap();
    assert_eq!(check["ok"], false);
    assert_eq!(check["pending"].as_array().unwrap().len(), 2, "{check}");

    let unchanged = json(
        &[
            "revision",
            "--autogenerate",
            "-m",
            "again",
            "--head",
            &base_id,
        ],
        0,
    );
    assert_matches("revision", &docs, &unchanged);
    let downgraded = json(&["downgrade", "base"], 0);
    assert_matches("upgrade and downgrade", &docs, &downgraded);
    let downgraded: Value = serde_json::from_str(&downgraded).unwrap();
    assert_eq!(downgraded["direction"], "down");
    assert_eq!(downgraded["revisions"][0]["id"], base_id.as_str());

    let history: Value = serde_json::from_str(&history).unwrap();
    let newest_first: Vec<&str> = history["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(newest_first.len(), 3);
    assert_eq!(newest_first[2], "accounts");
    let current: Vec<bool> = history["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["current"].as_bool().unwrap())
        .collect();
    assert_eq!(current, [false, false, true]);

    // A fleet of this database and one that cannot be reached: the probe, then an upgrade.
    let url = project.database_url();
    let unreachable = "postgres://app:secret@127.0.0.1:1/none?connect_timeout=1";
    let fleet = |args: &[&str], code: i32| {
        let mut argv = vec!["fleet"];
        argv.extend_from_slice(args);
        argv.extend([
            "--database",
            &url,
            "--database",
            unreachable,
            "--keep-going",
        ]);
        json(&argv, code)
    };
    let probe = fleet(&["current", "--check-heads"], 1);
    assert_matches("fleet", &docs, &probe);
    let upgraded = fleet(&["upgrade", "-j", "2"], 1);
    assert_matches("fleet", &docs, &upgraded);
    let upgraded: Value = serde_json::from_str(&upgraded).unwrap();
    assert_eq!(upgraded["counts"]["failed"], 1, "{upgraded}");
    assert_eq!(upgraded["targets"][0]["status"], "ok", "{upgraded}");
    assert_eq!(upgraded["targets"][0]["revisions"], 3, "{upgraded}");
    assert!(!upgraded.to_string().contains("secret"), "{upgraded}");
}
