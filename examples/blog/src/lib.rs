//! The blog's models. Nothing lists them anywhere: `#[derive(Model)]` registers each one, and
//! any binary that links this crate (`use blog as _;`) sees them all.
//!
//! Each model is also diesel's schema: the derive writes the `table!` module named after the
//! table (`posts`, `authors`, …) beside the struct, and the joins its `references(…)` imply,
//! so the same structs derive diesel's `Queryable`, `Insertable`, `Associations`… with no
//! `schema.rs` (docs/diesel.md). [`queries`] runs the blog's queries through them.

mod audit;
mod content;
mod people;
pub mod queries;

pub use content::{comments, post_tags, posts, tags, Comment, Post, PostTag, Tag};
pub use people::{authors, organizations, Author, Organization};

// Which tables may share one query is a fact about the whole crate, not about one struct: a
// derive that wrote it per pair of models would clash with the next pair, so the crate names
// its tables once, as `diesel print-schema` does (docs/diesel.md).
diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    authors,
    posts,
    comments,
    tags,
    post_tags,
);
