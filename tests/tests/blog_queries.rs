//! The blog's diesel queries (examples/blog/src/queries.rs) run against the schema its own
//! migrations create: the model structs are the query models, with no `schema.rs`, on SQLite
//! and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use blog::{Author, Organization, Post, Tag};
use diesel::Connection;

/// Brings the database at `url` to the blog's head with the blog's migrations.
fn migrate_blog(url: &str) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/blog/migrations");
    let argv = [
        "migrate",
        "--database-url",
        url,
        "--migrations-dir",
        dir,
        "upgrade",
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = migrate_cli::run_with(
        argv,
        &migrate_cli::Models::Linked,
        &mut out,
        &mut err,
        false,
    );
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
}

fn at(hour: u32) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 5, 1)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn organization() -> Organization {
    Organization {
        id: 1,
        name: "Acme".into(),
        slug: "acme".into(),
        created_at: at(8),
    }
}

fn author() -> Author {
    Author {
        id: 7,
        organization_id: 1,
        display_name: "Ada".into(),
        email: "ada@example.com".into(),
        bio: None,
        active: true,
    }
}

fn post(id: i64, title: &str) -> Post {
    Post {
        id,
        author_id: 7,
        title: title.into(),
        body: "…".into(),
        status: "draft".into(),
        published_at: None,
        view_count: 0,
    }
}

/// The same walk through the queries on either backend: `$queries` is the module the blog
/// instantiated for the connection.
macro_rules! walk_through_the_blog {
    ($queries:path, $conn:expr) => {{
        use $queries as queries;
        let conn = $conn;
        let posts = [post(10, "Second"), post(11, "First")];
        queries::insert_author_with_posts(conn, &organization(), &author(), &posts).unwrap();

        let joined = queries::posts_with_authors(conn).unwrap();
        let titles: Vec<(&str, &str)> = joined
            .iter()
            .map(|(post, author)| (post.title.as_str(), author.display_name.as_str()))
            .collect();
        assert_eq!(titles, [("First", "Ada"), ("Second", "Ada")]);
        assert_eq!(
            queries::titles_by_organization(conn, &organization()).unwrap(),
            ["First", "Second"]
        );
        assert_eq!(queries::posts_of(conn, &author()).unwrap(), posts);

        let published = queries::publish(conn, &posts[0], at(9)).unwrap();
        assert_eq!(published.status, "published");
        assert_eq!(published.published_at, Some(at(9)));
        assert_eq!(
            published.title, "Second",
            "the rest of the row is unchanged"
        );
        assert_eq!(queries::count_view(conn, &published).unwrap(), 1);
        assert_eq!(queries::count_view(conn, &published).unwrap(), 1);
        let counted = queries::posts_of(conn, &author()).unwrap();
        assert_eq!(counted[0].view_count, 2, "computed by the database");
        assert_eq!(counted[1].view_count, 0, "the other post is untouched");

        queries::tag(
            conn,
            &posts[1],
            &Tag {
                id: 3,
                name: "rust".into(),
            },
        )
        .unwrap();
        let duplicate = queries::tag(
            conn,
            &posts[1],
            &Tag {
                id: 4,
                name: "rust".into(),
            },
        );
        assert!(
            duplicate.is_err(),
            "the unique index on tags.name the model declares is in the database"
        );
    }};
}

#[test]
fn the_blog_queries_through_its_models_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blog.db").display().to_string();
    migrate_blog(&format!("sqlite://{file}"));
    let mut conn = diesel::SqliteConnection::establish(&file).unwrap();
    walk_through_the_blog!(blog::queries::sqlite, &mut conn);
}

#[cfg(feature = "postgres")]
#[test]
fn the_blog_queries_through_its_models_on_postgres() {
    use integration_tests::server::{Backend, TestDatabase};
    let Some(db) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    migrate_blog(&db.url);
    let mut conn = diesel::PgConnection::establish(&db.url).unwrap();
    walk_through_the_blog!(blog::queries::postgres, &mut conn);
}
