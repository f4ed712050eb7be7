use diesel::prelude::*;
use migrate_core::Model;

use crate::people::Author;

#[derive(
    Debug,
    Clone,
    PartialEq,
    Model,
    Queryable,
    Selectable,
    Identifiable,
    Insertable,
    AsChangeset,
    Associations,
)]
#[diesel(table_name = posts, belongs_to(Author))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
#[cfg_attr(feature = "postgres", diesel(check_for_backend(diesel::pg::Pg)))]
#[model(index(columns(author_id, published_at)))]
#[model(check(name = "ck_posts_title", expr = "length(title) > 0"))]
pub struct Post {
    pub id: i64,
    #[model(references(Author), on_delete = "cascade")]
    pub author_id: i64,
    #[model(max_length = 200)]
    pub title: String,
    pub body: String,
    #[model(default = "draft", max_length = 20)]
    pub status: String,
    pub published_at: Option<chrono::NaiveDateTime>,
    #[model(default = 0)]
    pub view_count: i32,
}

#[derive(
    Debug,
    Clone,
    PartialEq,
    Model,
    Queryable,
    Selectable,
    Identifiable,
    Insertable,
    AsChangeset,
    Associations,
)]
#[diesel(table_name = comments, belongs_to(Post))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
#[cfg_attr(feature = "postgres", diesel(check_for_backend(diesel::pg::Pg)))]
pub struct Comment {
    pub id: i64,
    #[model(references(Post), on_delete = "cascade")]
    pub post_id: i64,
    #[model(references = "authors.id", on_delete = "set null")]
    pub author_id: Option<i64>,
    pub body: String,
    #[model(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: chrono::NaiveDateTime,
}

#[derive(
    Debug, Clone, PartialEq, Model, Queryable, Selectable, Identifiable, Insertable, AsChangeset,
)]
#[diesel(table_name = tags)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
#[cfg_attr(feature = "postgres", diesel(check_for_backend(diesel::pg::Pg)))]
pub struct Tag {
    pub id: i64,
    #[model(unique, max_length = 40)]
    pub name: String,
}

/// Which tags a post carries.
#[derive(
    Debug, Clone, PartialEq, Model, Queryable, Selectable, Identifiable, Insertable, Associations,
)]
#[diesel(table_name = post_tags, primary_key(post_id, tag_id))]
#[diesel(belongs_to(Post), belongs_to(Tag))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
#[cfg_attr(feature = "postgres", diesel(check_for_backend(diesel::pg::Pg)))]
#[model(table = "post_tags")]
pub struct PostTag {
    #[model(primary_key, references(Post), on_delete = "cascade")]
    pub post_id: i64,
    #[model(primary_key, references(Tag), on_delete = "cascade")]
    pub tag_id: i64,
}
