//! Registry errors: two models claiming one table, a foreign key to a table no model defines,
//! and the empty registry.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use migrate_core::{Error, Model, Registry};

mod first {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "accounts")]
    pub struct Account {
        pub id: i64,
    }
}

mod second {
    use migrate_core::Model;

    #[derive(Debug, Model)]
    #[model(table = "accounts")]
    pub struct LegacyAccount {
        pub id: i64,
    }
}

#[derive(Debug, Model)]
pub struct Invoice {
    pub id: i64,
    #[model(references = "ghosts.id")]
    pub ghost_id: i64,
}

#[derive(Debug, Model)]
pub struct Payment {
    pub id: i64,
    #[model(references = "accounts.number")]
    pub account_number: i64,
}

#[test]
fn two_models_on_one_table_name_both_locations() {
    let err = Registry::from_definitions(&[
        first::Account::definition(),
        second::LegacyAccount::definition(),
    ])
    .unwrap_err();
    assert!(matches!(err, Error::DuplicateTable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("table `accounts` is claimed by two models"),
        "{text}"
    );
    assert!(
        text.contains("Account at tests/tests/registry_errors.rs:"),
        "{text}"
    );
    assert!(
        text.contains("LegacyAccount at tests/tests/registry_errors.rs:"),
        "{text}"
    );
    assert!(text.contains("#[model(table = "), "{text}");
}

#[test]
fn a_foreign_key_to_an_unknown_table_names_the_model_and_the_known_tables() {
    let err = Registry::from_definitions(&[first::Account::definition(), Invoice::definition()])
        .unwrap_err();
    assert!(matches!(err, Error::DanglingForeignKey { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("Invoice at tests/tests/registry_errors.rs:"),
        "{text}"
    );
    assert!(text.contains("`ghost_id` references `ghosts`"), "{text}");
    assert!(text.contains("known: accounts, invoices"), "{text}");
}

#[test]
fn a_foreign_key_to_an_unknown_column_lists_the_columns() {
    let err = Registry::from_definitions(&[first::Account::definition(), Payment::definition()])
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("references `accounts.number`"), "{text}");
    assert!(text.contains("known: accounts.id"), "{text}");
}

#[test]
fn an_empty_registry_is_an_error_with_the_linking_hint() {
    let err = Registry::from_definitions(&[]).unwrap_err();
    assert!(
        err.to_string().contains("use your_models_crate as _;"),
        "{err}"
    );
}

#[test]
fn models_are_ordered_by_dependencies_then_name() {
    let registry = Registry::from_definitions(&[
        Order::definition(),
        Customer::definition(),
        Region::definition(),
    ])
    .unwrap();
    let names: Vec<&str> = registry
        .models
        .iter()
        .map(|m| m.table.name.as_str())
        .collect();
    assert_eq!(names, ["customers", "regions", "orders"]);
}

#[derive(Debug, Model)]
pub struct Order {
    pub id: i64,
    #[model(references(Customer))]
    pub customer_id: i64,
}

#[derive(Debug, Model)]
pub struct Customer {
    pub id: i64,
}

#[derive(Debug, Model)]
pub struct Region {
    pub id: i64,
}
