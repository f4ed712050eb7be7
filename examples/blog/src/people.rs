use migrate_core::Model;

/// A company or group that authors belong to.
#[derive(Debug, Model)]
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

#[derive(Debug, Model)]
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
