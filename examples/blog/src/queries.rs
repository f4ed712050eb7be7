//! The blog's queries, written against the model structs and the schema their derive emits:
//! an insert, selects that follow the foreign keys, an update. diesel types a query by its
//! connection, so the same functions are written once and instantiated per backend.

macro_rules! queries_for {
    ($connection:ty) => {
        use diesel::prelude::*;

        use crate::{authors, posts, Author, Organization, Post, Tag};

        /// Stores an organization, its author and the author's posts in one transaction.
        pub fn insert_author_with_posts(
            conn: &mut $connection,
            organization: &Organization,
            author: &Author,
            posts: &[Post],
        ) -> QueryResult<()> {
            conn.transaction(|conn| {
                diesel::insert_into(crate::organizations::table)
                    .values(organization)
                    .execute(conn)?;
                diesel::insert_into(authors::table)
                    .values(author)
                    .execute(conn)?;
                diesel::insert_into(posts::table)
                    .values(posts)
                    .execute(conn)?;
                Ok(())
            })
        }

        /// Every post with its author, by title: a join over `posts.author_id`.
        pub fn posts_with_authors(conn: &mut $connection) -> QueryResult<Vec<(Post, Author)>> {
            posts::table
                .inner_join(authors::table)
                .select((Post::as_select(), Author::as_select()))
                .order(posts::title)
                .load(conn)
        }

        /// The titles of the posts an organization's active authors wrote: two joins.
        pub fn titles_by_organization(
            conn: &mut $connection,
            organization: &Organization,
        ) -> QueryResult<Vec<String>> {
            posts::table
                .inner_join(authors::table.inner_join(crate::organizations::table))
                .filter(crate::organizations::id.eq(organization.id))
                .filter(authors::active.eq(true))
                .select(posts::title)
                .order(posts::title)
                .load(conn)
        }

        /// An author's posts through `Associations` (`Post::belonging_to`).
        pub fn posts_of(conn: &mut $connection, author: &Author) -> QueryResult<Vec<Post>> {
            Post::belonging_to(author)
                .select(Post::as_select())
                .order(posts::id)
                .load(conn)
        }

        /// Publishes a post: one update through `Identifiable`, the change set from the struct.
        pub fn publish(
            conn: &mut $connection,
            post: &Post,
            at: chrono::NaiveDateTime,
        ) -> QueryResult<Post> {
            let published = Post {
                status: "published".to_owned(),
                published_at: Some(at),
                ..post.clone()
            };
            diesel::update(post).set(&published).execute(conn)?;
            posts::table
                .find(post.id)
                .select(Post::as_select())
                .first(conn)
        }

        /// Counts a view: an update computed by the database.
        pub fn count_view(conn: &mut $connection, post: &Post) -> QueryResult<usize> {
            diesel::update(post)
                .set(posts::view_count.eq(posts::view_count + 1))
                .execute(conn)
        }

        /// Stores a tag and puts it on a post.
        pub fn tag(conn: &mut $connection, post: &Post, tag: &Tag) -> QueryResult<()> {
            diesel::insert_into(crate::tags::table)
                .values(tag)
                .execute(conn)?;
            diesel::insert_into(crate::post_tags::table)
                .values(&crate::PostTag {
                    post_id: post.id,
                    tag_id: tag.id,
                })
                .execute(conn)?;
            Ok(())
        }
    };
}

/// The queries on SQLite.
pub mod sqlite {
    queries_for!(diesel::SqliteConnection);
}

/// The queries on PostgreSQL (feature `postgres`).
#[cfg(feature = "postgres")]
pub mod postgres {
    queries_for!(diesel::PgConnection);
}
