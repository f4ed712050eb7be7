use diesel::prelude::*;
use migrate_core::Model;

/// A company or group that authors belong to.
#[derive(
    Debug, Clone, PartialEq, Model, Queryable, Selectable, Identifiable, Insertable, AsChangeset,
)]
#[diesel(table_name = organizations)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
#[cfg_attr(feature = "postgres", diesel(check_for_backend(diesel::pg::Pg)))]
#[model(unique(name = "uq_organizations_slug", columns(slug)))]
pub struct Organization {
    pub id: i64,
    #[model(max_length = 100)]
    pub name: String,
    #[model(max_length = 50)]
    pub slug: String,
    #[model(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: chrono::NaiveDateTime,
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
#[diesel(table_name = authors, belongs_to(Organization))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
#[cfg_attr(feature = "postgres", diesel(check_for_backend(diesel::pg::Pg)))]
#[model(index(columns(organization_id, display_name)))]
pub struct Author {
    pub id: i64,
    #[model(references(Organization), on_delete = "cascade")]
    pub organization_id: i64,
    #[model(max_length = 80)]
    pub display_name: String,
    #[model(unique, max_length = 255)]
    pub email: String,
    pub bio: Option<String>,
    #[model(default = true)]
    pub active: bool,
}
