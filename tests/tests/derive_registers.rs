//! `#[derive(Debug, Model)]` on valid models: what the registry makes of every attribute.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use migrate_core::registry::{ModelDef, RegisteredModel};
use migrate_core::schema::{Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index};
use migrate_core::{Model, Registry};

/// An organization that owns memberships.
#[derive(Debug, Model)]
#[model(table = "dr_organizations", comment = "Tenants of the service")]
pub struct DrOrganization {
    pub id: i64,
    #[model(max_length = 100, unique)]
    pub name: String,
    #[model(default = true)]
    pub active: bool,
    #[model(default = -5)]
    pub balance_cents: i64,
    #[model(default = 1.5)]
    pub ratio: f64,
    #[model(default = 0)]
    pub level: i16,
    #[model(default = 7)]
    pub seats: i32,
    #[model(default = 2.5e3)]
    pub quota: f32,
    pub founded: chrono::NaiveDate,
    pub opens_at: Option<chrono::NaiveTime>,
    pub created: chrono::DateTime<chrono::Utc>,
    #[model(precision = 12, scale = 2)]
    pub revenue: bigdecimal::BigDecimal,
    pub big_number: bigdecimal::BigDecimal,
    pub settings: serde_json::Value,
    pub logo: Option<Vec<u8>>,
    /// Not a column: the type has no mapping, which `skip` makes irrelevant.
    #[model(skip)]
    pub cache: std::collections::HashMap<String, String>,
}

#[derive(Debug, Model)]
#[model(table = "dr_accounts", renamed_from = "dr_users")]
pub struct DrAccount {
    pub id: i64,
    #[model(references(Self), on_delete = "set null")]
    pub parent_id: Option<i64>,
    #[model(max_length = 200, default = "nobody@example.com", index)]
    pub email: String,
    pub external_id: Option<uuid::Uuid>,
}

/// Membership of an account in an organization.
///
/// One row per pair.
#[derive(Debug, Model)]
#[model(index(columns(role, joined_at)))]
#[model(unique(name = "uq_member_token", columns(token_value)))]
#[model(check(name = "ck_member_role", expr = "length(role) > 0"))]
#[model(renamed_from = "org_members")]
pub struct DrMembership {
    #[model(
        primary_key,
        references(DrOrganization),
        on_delete = "cascade",
        on_update = "set_null"
    )]
    pub org_id: i64,
    #[model(primary_key, references = "dr_accounts.id", on_delete = "restrict")]
    pub account_id: i64,
    /// What the member
    ///   may do.
    #[model(max_length = 20, default = "member", index)]
    pub role: String,
    #[model(column = "token_value")]
    pub token: uuid::Uuid,
    #[model(default_sql = "CURRENT_TIMESTAMP")]
    pub joined_at: chrono::NaiveDateTime,
    #[model(sql_type = "citext")]
    pub email: Option<String>,
    #[model(sql_type = "jsonb", default = "{}")]
    pub prefs: serde_json::Value,
    /// This doc comment loses to the explicit comment.
    #[model(renamed_from = "nick", comment = "Shown in the UI")]
    pub display_name: Option<String>,
    pub r#type: i32,
    #[model(precision = 10, scale = 0)]
    pub score: Option<bigdecimal::BigDecimal>,
    #[model(unique, index)]
    pub badge: Option<i16>,
}

/// A column as the registry builds it, before the parts a test cares about are set.
fn column(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column {
        name: name.to_owned(),
        ty,
        nullable,
        default: None,
        auto_increment: false,
        renamed_from: None,
        comment: None,
    }
}

fn with_default(mut column: Column, default: DefaultValue) -> Column {
    column.default = Some(default);
    column
}

fn index(name: &str, columns: &[&str], unique: bool) -> Index {
    Index {
        name: name.to_owned(),
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        unique,
        prefix_lengths: Default::default(),
    }
}

fn registered(table: &str) -> RegisteredModel {
    let registry = Registry::collect().expect("the registry is valid");
    registry
        .models
        .into_iter()
        .find(|m| m.table.name == table)
        .unwrap_or_else(|| panic!("table {table} is registered"))
}

fn source_line_of(needle: &str) -> u32 {
    let source = include_str!("derive_registers.rs");
    let index = source
        .lines()
        .position(|line| line.starts_with(needle))
        .expect("the struct is in this file");
    u32::try_from(index + 1).unwrap()
}

#[test]
fn model_constants_name_table_and_key() {
    assert_eq!(DrOrganization::TABLE, "dr_organizations");
    assert_eq!(DrOrganization::PRIMARY_KEY, ["id"]);
    assert_eq!(DrMembership::TABLE, "dr_memberships");
    assert_eq!(DrMembership::PRIMARY_KEY, ["org_id", "account_id"]);
    assert_eq!(<DrAccount as Model>::TABLE, "dr_accounts");
}

#[test]
fn definition_records_where_the_model_is() {
    let def: &ModelDef = DrMembership::definition();
    assert_eq!(def.struct_name, "DrMembership");
    assert_eq!(def.location.module_path, "derive_registers");
    assert!(def.location.file.ends_with("derive_registers.rs"));
    assert_eq!(def.location.line, source_line_of("pub struct DrMembership"));
    assert_eq!(
        DrOrganization::definition().location.line,
        source_line_of("pub struct DrOrganization")
    );
}

#[test]
fn every_mapped_type_and_literal_default() {
    let model = registered("dr_organizations");
    assert_eq!(model.struct_name, "DrOrganization");
    let table = model.table;
    let mut id = column("id", ColumnType::BigInt, false);
    id.auto_increment = true;
    let expected = vec![
        id,
        column("name", ColumnType::Varchar { max_length: 100 }, false),
        with_default(
            column("active", ColumnType::Boolean, false),
            DefaultValue::Bool(true),
        ),
        with_default(
            column("balance_cents", ColumnType::BigInt, false),
            DefaultValue::Int(-5),
        ),
        with_default(
            column("ratio", ColumnType::Double, false),
            DefaultValue::Float("1.5".into()),
        ),
        with_default(
            column("level", ColumnType::SmallInt, false),
            DefaultValue::Int(0),
        ),
        with_default(
            column("seats", ColumnType::Integer, false),
            DefaultValue::Int(7),
        ),
        with_default(
            column("quota", ColumnType::Real, false),
            DefaultValue::Float("2.5e3".into()),
        ),
        column("founded", ColumnType::Date, false),
        column("opens_at", ColumnType::Time, true),
        column("created", ColumnType::TimestampTz, false),
        column(
            "revenue",
            ColumnType::Numeric {
                precision: 12,
                scale: 2,
            },
            false,
        ),
        column("big_number", migrate_core::types::DEFAULT_NUMERIC, false),
        column("settings", ColumnType::Json, false),
        column("logo", ColumnType::Blob, true),
    ];
    for (actual, expected) in table.columns.iter().zip(&expected) {
        assert_eq!(actual, expected);
    }
    assert_eq!(table.columns.len(), expected.len(), "`cache` is skipped");
    assert_eq!(table.primary_key, ["id"]);
    assert_eq!(
        table.indexes,
        [index("uq_dr_organizations_name", &["name"], true)]
    );
    assert!(table.foreign_keys.is_empty());
    assert!(table.checks.is_empty());
    assert_eq!(table.renamed_from, None);
    assert_eq!(table.comment.as_deref(), Some("Tenants of the service"));
}

#[test]
fn self_reference_and_table_rename() {
    let table = registered("dr_accounts").table;
    assert_eq!(table.renamed_from.as_deref(), Some("dr_users"));
    assert_eq!(table.comment, None);
    let mut id = column("id", ColumnType::BigInt, false);
    id.auto_increment = true;
    assert_eq!(
        table.columns,
        [
            id,
            column("parent_id", ColumnType::BigInt, true),
            with_default(
                column("email", ColumnType::Varchar { max_length: 200 }, false),
                DefaultValue::Text("nobody@example.com".into()),
            ),
            column("external_id", ColumnType::Uuid, true),
        ]
    );
    assert_eq!(
        table.indexes,
        [index("ix_dr_accounts_email", &["email"], false)]
    );
    assert_eq!(
        table.foreign_keys,
        [ForeignKey {
            name: "fk_dr_accounts_parent_id_dr_accounts".into(),
            columns: vec!["parent_id".into()],
            ref_table: "dr_accounts".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::SetNull,
            on_update: FkAction::NoAction,
        }]
    );
}

#[test]
fn composite_key_references_indexes_and_checks() {
    let model = registered("dr_memberships");
    assert_eq!(model.struct_name, "DrMembership");
    let table = model.table;
    assert_eq!(
        table.comment.as_deref(),
        Some("Membership of an account in an organization.\nOne row per pair.")
    );
    assert_eq!(table.renamed_from.as_deref(), Some("org_members"));
    assert_eq!(table.primary_key, ["org_id", "account_id"]);

    let mut role = with_default(
        column("role", ColumnType::Varchar { max_length: 20 }, false),
        DefaultValue::Text("member".into()),
    );
    role.comment = Some("What the member may do.".into());
    let mut display_name = column("display_name", ColumnType::Text, true);
    display_name.renamed_from = Some("nick".into());
    display_name.comment = Some("Shown in the UI".into());
    assert_eq!(
        table.columns,
        [
            // Composite keys are never numbered by the database.
            column("org_id", ColumnType::BigInt, false),
            column("account_id", ColumnType::BigInt, false),
            role,
            column("token_value", ColumnType::Uuid, false),
            with_default(
                column("joined_at", ColumnType::Timestamp, false),
                DefaultValue::Sql("CURRENT_TIMESTAMP".into()),
            ),
            column(
                "email",
                ColumnType::Custom {
                    sql: "citext".into()
                },
                true
            ),
            with_default(
                column(
                    "prefs",
                    ColumnType::Custom {
                        sql: "jsonb".into()
                    },
                    false
                ),
                DefaultValue::Text("{}".into()),
            ),
            display_name,
            column("type", ColumnType::Integer, false),
            column(
                "score",
                ColumnType::Numeric {
                    precision: 10,
                    scale: 0
                },
                true
            ),
            column("badge", ColumnType::SmallInt, true),
        ]
    );
    assert_eq!(
        table.indexes,
        [
            index(
                "ix_dr_memberships_role_joined_at",
                &["role", "joined_at"],
                false
            ),
            index("uq_member_token", &["token_value"], true),
            index("ix_dr_memberships_role", &["role"], false),
            index("ix_dr_memberships_badge", &["badge"], false),
            index("uq_dr_memberships_badge", &["badge"], true),
        ]
    );
    assert_eq!(
        table.foreign_keys,
        [
            ForeignKey {
                name: "fk_dr_memberships_org_id_dr_organizations".into(),
                columns: vec!["org_id".into()],
                ref_table: "dr_organizations".into(),
                ref_columns: vec!["id".into()],
                on_delete: FkAction::Cascade,
                on_update: FkAction::SetNull,
            },
            ForeignKey {
                name: "fk_dr_memberships_account_id_dr_accounts".into(),
                columns: vec!["account_id".into()],
                ref_table: "dr_accounts".into(),
                ref_columns: vec!["id".into()],
                on_delete: FkAction::Restrict,
                on_update: FkAction::NoAction,
            },
        ]
    );
    assert_eq!(
        table.checks,
        [Check {
            name: "ck_member_role".into(),
            expr: "length(role) > 0".into(),
        }]
    );
}

#[test]
fn referenced_tables_are_ordered_first() {
    let registry = Registry::collect().expect("the registry is valid");
    let position = |name: &str| {
        registry
            .models
            .iter()
            .position(|m| m.table.name == name)
            .unwrap_or_else(|| panic!("table {name} is registered"))
    };
    assert!(position("dr_organizations") < position("dr_memberships"));
    assert!(position("dr_accounts") < position("dr_memberships"));
}

#[test]
fn these_models_alone_form_a_valid_registry() {
    // Independent of whatever else the test binary links (the blog example registers too).
    let registry = Registry::from_definitions(&[
        DrMembership::definition(),
        DrAccount::definition(),
        DrOrganization::definition(),
    ])
    .expect("the models are consistent");
    let names: Vec<&str> = registry
        .models
        .iter()
        .map(|m| m.table.name.as_str())
        .collect();
    assert_eq!(names, ["dr_accounts", "dr_organizations", "dr_memberships"]);
}
