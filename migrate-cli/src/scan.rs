//! The registration check: find every `#[derive(Model)]` in the workspace's library sources
//! and report those the running binary did not register (their crate is not linked).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use migrate_core::Registry;

use crate::error::CliError;
use crate::workspace::{Member, Workspace};

/// A `#[derive(Model)]` struct found in the sources.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FoundModel {
    pub struct_name: String,
    pub package: String,
    pub lib_name: String,
    pub file: PathBuf,
    pub line: usize,
}

/// The members whose models the stock binary links: those named in the config, else
/// every member library that depends on migrate-core and has a `#[derive(Model)]` (or
/// sources that do not parse: leaving such a crate out would hide its models, so it is
/// linked and cargo reports the error).
pub fn model_crates<'w>(
    workspace: &'w Workspace,
    scans: &[(String, MemberScan)],
    configured: Option<&[String]>,
) -> Result<Vec<&'w Member>, CliError> {
    let may_define_models = |member: &Member| {
        scans
            .iter()
            .any(|(package, scan)| *package == member.package && scan.may_define_models())
    };
    match configured {
        None => Ok(workspace
            .members
            .iter()
            .filter(|m| m.uses_core && may_define_models(m))
            .collect()),
        Some(names) => names
            .iter()
            .map(|name| {
                workspace.members
                    .iter()
                    .find(|m| &m.package == name || &m.lib_name == name)
                    .ok_or_else(|| {
                        CliError::Refused(format!(
                            "model_crates names `{name}`, which is not a library in the workspace at {}\n  \
                             hint: the libraries are: {}",
                            workspace.root.display(),
                            workspace.members
                                .iter()
                                .map(|m| m.package.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })
            })
            .collect(),
    }
}

/// Every member's scan, by package name.
pub fn scan_all(workspace: &Workspace) -> Vec<(String, MemberScan)> {
    workspace
        .members
        .iter()
        .map(|member| (member.package.clone(), scan_member(member)))
        .collect()
}

/// The models in the workspace sources (as `scans` found them) that `registry` does not hold.
pub fn unregistered(
    workspace: &Workspace,
    scans: &[(String, MemberScan)],
    registry: Option<&Registry>,
) -> Vec<FoundModel> {
    // Each file resolved once: hundreds of models usually live in a handful of files.
    let mut resolved: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut canonical_once = |path: PathBuf| -> PathBuf {
        resolved
            .entry(path)
            .or_insert_with_key(|path| canonical(path))
            .clone()
    };
    let registered: HashSet<(String, PathBuf)> = registry
        .map(|r| {
            r.models
                .iter()
                .map(|m| {
                    (
                        m.struct_name.to_owned(),
                        canonical_once(workspace.root.join(m.location.file)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut missing = Vec::new();
    for (_, scan) in scans {
        for found in &scan.models {
            let key = (
                found.struct_name.clone(),
                canonical_once(found.file.clone()),
            );
            if !registered.contains(&key) {
                missing.push(found.clone());
            }
        }
    }
    missing
}

/// A readable report of unregistered models with the fix, one per crate.
pub fn report(missing: &[FoundModel], root: &Path) -> String {
    let mut lines = vec![format!(
        "{} model(s) in the workspace are not registered in this binary (their crate is not linked):",
        missing.len()
    )];
    for found in missing {
        let file = found.file.strip_prefix(root).unwrap_or(&found.file);
        lines.push(format!(
            "    - {} at {}:{} (crate {})",
            found.struct_name,
            file.display(),
            found.line,
            found.package
        ));
    }
    let mut crates: Vec<&str> = missing.iter().map(|f| f.lib_name.as_str()).collect();
    crates.sort_unstable();
    crates.dedup();
    for lib in crates {
        lines.push(format!(
            "    fix: add `use {lib} as _;` to the binary's main.rs, or run the stock `migrate-cli` binary, which links every model crate itself"
        ));
    }
    lines.join("\n")
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_owned())
}

/// What the sources of a member's library hold.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct MemberScan {
    pub models: Vec<FoundModel>,
    /// Some file could not be read or parsed, so models may be missing from `models`.
    pub incomplete: bool,
}

impl MemberScan {
    /// Whether the crate may define models: it has some, or a file could not be read (the
    /// compiler, not this scan, should then have its say).
    pub fn may_define_models(&self) -> bool {
        self.incomplete || !self.models.is_empty()
    }
}

/// The models defined in a member's library sources.
pub fn scan_member(member: &Member) -> MemberScan {
    let mut files = source_tree(&member.src_dir).files;
    // The package's binaries (`src/main.rs`, `src/bin/`) are not part of its library: no
    // other binary can link a model defined there.
    let bin_dir = member.src_dir.join("bin");
    let main_rs = member.src_dir.join("main.rs");
    files.retain(|f| !f.starts_with(&bin_dir) && *f != main_rs);
    files.sort();
    let mut scan = MemberScan::default();
    for file in files {
        let ast = std::fs::read_to_string(&file)
            .ok()
            .and_then(|text| syn::parse_file(&text).ok());
        match ast {
            Some(ast) => find_in_items(&ast.items, member, &file, &mut scan.models),
            None => scan.incomplete = true,
        }
    }
    scan
}

/// The directories (`dir` included) and `.rs` files under `dir`: what the scan reads, and
/// what the workspace cache watches for it.
#[derive(Debug, Default)]
pub struct SourceTree {
    pub dirs: Vec<PathBuf>,
    pub files: Vec<PathBuf>,
}

pub fn source_tree(dir: &Path) -> SourceTree {
    fn walk(dir: &Path, tree: &mut SourceTree) {
        tree.dirs.push(dir.to_owned());
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, tree);
            } else if path.extension().is_some_and(|e| e == "rs") {
                tree.files.push(path);
            }
        }
    }
    let mut tree = SourceTree::default();
    walk(dir, &mut tree);
    tree
}

fn find_in_items(items: &[syn::Item], member: &Member, file: &Path, out: &mut Vec<FoundModel>) {
    for item in items {
        match item {
            syn::Item::Struct(s) if derives_model(&s.attrs) && !is_cfg_test(&s.attrs) => {
                out.push(FoundModel {
                    struct_name: s.ident.to_string(),
                    package: member.package.clone(),
                    lib_name: member.lib_name.clone(),
                    file: file.to_owned(),
                    line: s.ident.span().start().line,
                });
            }
            syn::Item::Mod(m) if !is_cfg_test(&m.attrs) => {
                if let Some((_, inner)) = &m.content {
                    find_in_items(inner, member, file, out);
                }
            }
            _ => {}
        }
    }
}

fn derives_model(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Model")
                {
                    found = true;
                }
                Ok(())
            });
            found
        })
}

/// `#[cfg(test)]` items are never in a migrate binary.
fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_derived_models_in_nested_modules_with_lines() {
        let source = "use migrate_core::Model;\n\
                      #[derive(Debug, Model)]\npub struct A { id: i64 }\n\
                      mod inner {\n    #[derive(migrate_core::Model)]\n    struct B { id: i64 }\n}\n\
                      #[derive(Debug)]\nstruct NotAModel;\n\
                      #[cfg(test)]\nmod tests { #[derive(Model)] struct C { id: i64 } }\n";
        let ast = syn::parse_file(source).unwrap();
        let member = Member {
            package: "models".into(),
            lib_name: "models".into(),
            dir: PathBuf::new(),
            src_dir: PathBuf::new(),
            uses_core: true,
        };
        let mut found = Vec::new();
        find_in_items(&ast.items, &member, Path::new("src/lib.rs"), &mut found);
        let names: Vec<(&str, usize)> = found
            .iter()
            .map(|f| (f.struct_name.as_str(), f.line))
            .collect();
        assert_eq!(names, [("A", 3), ("B", 6)]);
    }

    #[test]
    fn the_package_binaries_are_not_scanned() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        let model = |name: &str| format!("#[derive(Model)]\npub struct {name} {{ id: i64 }}\n");
        std::fs::create_dir_all(src.join("bin")).unwrap();
        std::fs::write(src.join("lib.rs"), model("InLib")).unwrap();
        std::fs::write(src.join("main.rs"), model("InMain")).unwrap();
        std::fs::write(src.join("bin").join("tool.rs"), model("InBin")).unwrap();
        let member = Member {
            package: "models".into(),
            lib_name: "models".into(),
            dir: dir.path().to_owned(),
            src_dir: src,
            uses_core: true,
        };
        let scan = scan_member(&member);
        let names: Vec<&str> = scan.models.iter().map(|m| m.struct_name.as_str()).collect();
        assert_eq!(names, ["InLib"]);
    }
}
