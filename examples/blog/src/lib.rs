//! The blog's models. Nothing lists them anywhere: `#[derive(Model)]` registers each one, and
//! any binary that links this crate (`use blog as _;`) sees them all.

mod audit;
mod content;
mod people;

pub use content::{Comment, Post, PostTag, Tag};
pub use people::{Author, Organization};
