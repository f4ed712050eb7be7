//! Fixtures shared by the round-trip tests of every backend.

/// Every mapped type and constraint kind. Registered by the derive; nothing constructs them.
#[allow(dead_code, missing_debug_implementations)]
pub mod all_types {
    use migrate_core::registry::ModelDef;
    use migrate_core::Model;

    /// The definitions of every model here, for runs that are given their models.
    pub fn definitions() -> Vec<&'static ModelDef> {
        vec![
            Owner::definition(),
            Everything::definition(),
            Membership::definition(),
        ]
    }

    #[derive(Model)]
    #[model(table = "owners")]
    pub struct Owner {
        pub id: i32,
        #[model(max_length = 64, unique)]
        pub handle: String,
    }

    /// Every mapped type, nullable and not, with a default of every literal kind.
    #[derive(Model)]
    #[model(table = "everything")]
    #[model(index(columns(small, big)))]
    #[model(unique(name = "uq_everything_code", columns(code)))]
    #[model(check(name = "ck_everything_small", expr = "small >= 0"))]
    pub struct Everything {
        pub id: i64,
        #[model(default = true)]
        pub flag: bool,
        pub maybe_flag: Option<bool>,
        #[model(default = 7)]
        pub small: i16,
        #[model(default = -1)]
        pub medium: i32,
        pub big: i64,
        #[model(default = 1.5)]
        pub ratio: f32,
        #[model(default = 2.50)]
        pub precise: Option<f64>,
        #[model(default = "it's")]
        pub note: String,
        #[model(max_length = 12, default = "a\\b")]
        pub code: String,
        pub payload: Vec<u8>,
        pub day: chrono::NaiveDate,
        pub at_time: Option<chrono::NaiveTime>,
        #[model(default_sql = "CURRENT_TIMESTAMP")]
        pub created: chrono::NaiveDateTime,
        pub stamped: Option<chrono::DateTime<chrono::Utc>>,
        pub external_id: uuid::Uuid,
        pub document: Option<serde_json::Value>,
        #[model(precision = 12, scale = 2, default = 0)]
        pub amount: bigdecimal::BigDecimal,
        pub plain_amount: Option<bigdecimal::BigDecimal>,
        #[model(sql_type = "CHAR(3)")]
        pub currency: String,
        #[model(references(Owner), on_delete = "set null", on_update = "cascade")]
        pub owner_id: Option<i32>,
        #[model(skip)]
        pub cached: Vec<String>,
    }

    /// A composite primary key and a foreign key by name.
    #[derive(Model)]
    #[model(table = "memberships")]
    pub struct Membership {
        #[model(primary_key, references = "owners.id", on_delete = "cascade")]
        pub owner_id: i32,
        #[model(primary_key, max_length = 20)]
        pub role: String,
    }
}
