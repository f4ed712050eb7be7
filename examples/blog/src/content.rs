use migrate_core::Model;

use crate::people::Author;

#[derive(Debug, Model)]
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

#[derive(Debug, Model)]
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

#[derive(Debug, Model)]
pub struct Tag {
    pub id: i64,
    #[model(unique, max_length = 40)]
    pub name: String,
}

/// Which tags a post carries.
#[derive(Debug, Model)]
#[model(table = "post_tags")]
pub struct PostTag {
    #[model(primary_key, references(Post), on_delete = "cascade")]
    pub post_id: i64,
    #[model(primary_key, references(Tag), on_delete = "cascade")]
    pub tag_id: i64,
}
