//! The listing commands read each revision's `metadata.toml` only: the graph they see has the
//! same ids, parents, labels and messages as the full one, and its SQL is never read.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::revision::{write_revision, Graph, NewRevision};

fn new_revision<'a>(message: &'a str, parents: &[String], label: &[&str]) -> NewRevision<'a> {
    NewRevision {
        id: None,
        parents: parents.to_vec(),
        message,
        dialect: "sqlite",
        up_sql: format!("CREATE TABLE {} (id INTEGER);", message.replace(' ', "_")),
        down_sql: format!("DROP TABLE {};\n", message.replace(' ', "_")),
        extra: Vec::new(),
        branch_labels: label.iter().map(|l| (*l).to_owned()).collect(),
        run_in_transaction: true,
    }
}

fn ids<'a>(
    revisions: impl IntoIterator<Item = &'a migrate_core::revision::Revision>,
) -> Vec<&'a str> {
    revisions.into_iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn the_metadata_graph_has_the_full_graphs_shape_and_no_sql() {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    let base = write_revision(&migrations, new_revision("base table", &[], &[])).unwrap();
    let left = write_revision(
        &migrations,
        new_revision("left table", std::slice::from_ref(&base.id), &["left"]),
    )
    .unwrap();
    write_revision(
        &migrations,
        new_revision("right table", std::slice::from_ref(&base.id), &[]),
    )
    .unwrap();
    // A plain diesel folder (no metadata.toml) stays part of the history.
    std::fs::create_dir_all(migrations.join("2020-01-01-000000_plain")).unwrap();
    std::fs::write(
        migrations.join("2020-01-01-000000_plain/up.sql"),
        "SELECT 1;",
    )
    .unwrap();
    std::fs::write(migrations.join("2020-01-01-000000_plain/down.sql"), "").unwrap();

    let full = Graph::load(&migrations).unwrap();
    let listed = Graph::load_metadata_only(&migrations).unwrap();
    let shape = |graph: &Graph| -> Vec<(String, Vec<String>, Vec<String>, String)> {
        graph
            .revisions()
            .map(|r| {
                (
                    r.id.clone(),
                    r.parents.clone(),
                    r.branch_labels.clone(),
                    r.message.clone(),
                )
            })
            .collect()
    };
    assert_eq!(shape(&full), shape(&listed));
    assert_eq!(ids(full.heads()), ids(listed.heads()));
    assert_eq!(listed.resolve("left").unwrap().unwrap().id, left.id);
    assert!(full.revisions().all(|r| !r.up_sql.is_empty()));
    assert!(
        listed.revisions().all(|r| r.up_sql.is_empty()),
        "the listing reads no SQL"
    );

    // A folder whose SQL is unreadable still lists; the full load, which runs it, refuses.
    std::fs::remove_file(left.dir.join("down.sql")).unwrap();
    assert!(Graph::load(&migrations).is_err());
    assert_eq!(Graph::load_metadata_only(&migrations).unwrap().len(), 4);
}
