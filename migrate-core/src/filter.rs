//! Which tables autogenerate manages: `include_tables` / `exclude_tables` globs. A table
//! outside them is neither created, changed nor dropped, whichever side it is on; the
//! version table and diesel's table are never part of a comparison at all.

use crate::error::{Error, Result};
use crate::schema::Schema;

/// Globs over table names (`*`, `?`, `[abc]`), as `glob::Pattern` reads them.
#[derive(Debug, Clone, Default)]
pub struct TableFilter {
    include: Vec<glob::Pattern>,
    exclude: Vec<glob::Pattern>,
}

impl TableFilter {
    /// Every table, as when no filter is configured.
    pub fn all() -> TableFilter {
        TableFilter::default()
    }

    /// A filter from the configured globs; an empty `include` means every table.
    pub fn new(include: &[String], exclude: &[String]) -> Result<TableFilter> {
        let patterns = |globs: &[String], key: &str| {
            globs
                .iter()
                .map(|glob| {
                    glob::Pattern::new(glob).map_err(|e| {
                        Error::Plan(format!(
                            "`{key}` holds `{glob}`, which is not a valid glob: {e}\n  \
                             hint: `*` matches any run of characters, `?` one, `[abc]` one of those"
                        ))
                    })
                })
                .collect::<Result<Vec<_>>>()
        };
        Ok(TableFilter {
            include: patterns(include, "include_tables")?,
            exclude: patterns(exclude, "exclude_tables")?,
        })
    }

    /// Whether autogenerate manages `table`.
    pub fn manages(&self, table: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|p| p.matches(table)))
            && !self.exclude.iter().any(|p| p.matches(table))
    }

    /// The schema without the tables this filter leaves alone.
    pub fn apply(&self, mut schema: Schema) -> Schema {
        schema.tables.retain(|t| self.manages(&t.name));
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::TableFilter;

    #[test]
    fn include_narrows_and_exclude_wins() {
        let filter = TableFilter::new(&["app_*".into()], &["app_tmp_?".into()]).unwrap();
        assert!(filter.manages("app_users"));
        assert!(!filter.manages("billing_invoices"));
        assert!(!filter.manages("app_tmp_1"));
        assert!(TableFilter::all().manages("anything"));
        let bad = TableFilter::new(&[], &["[unclosed".into()]).unwrap_err();
        assert!(
            bad.to_string()
                .contains("`exclude_tables` holds `[unclosed`"),
            "{bad}"
        );
    }
}
