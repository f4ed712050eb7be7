//! PostgreSQL rendering: every operation is an in-place statement (no table rebuilds, the
//! trait's default `render`), and a revision runs in one transaction, so a failure part-way
//! leaves nothing behind. Only a column change needs its own statements.

use super::Postgres;
use crate::dialect::statements::fill_nulls;
use crate::dialect::Dialect;
use crate::schema::Column;

/// One statement per changed attribute, in an order that cannot trip over itself: the old
/// identity and default go before the type changes (they may not fit the new type), the new
/// default comes before NOT NULL (rows holding NULL take it first), the new identity last.
pub(super) fn alter_column(
    dialect: &Postgres,
    table: &str,
    from: &Column,
    to: &Column,
) -> Vec<String> {
    let alter = || {
        let mut w = dialect.alter_table(table);
        w.raw(" ALTER COLUMN ").ident(&to.name);
        w
    };
    let mut out = Vec::new();
    if from.auto_increment && !to.auto_increment {
        let mut w = alter();
        w.raw(" DROP IDENTITY IF EXISTS");
        out.push(w.finish());
    }
    let default_changes = from.default != to.default;
    if default_changes && from.default.is_some() {
        let mut w = alter();
        w.raw(" DROP DEFAULT");
        out.push(w.finish());
    }
    let (old_type, new_type) = (dialect.column_type(from), dialect.column_type(to));
    if old_type != new_type {
        // USING lets the conversions PostgreSQL does not do on its own (text to integer,
        // say) run as an explicit cast; for the ones it does, it is the same.
        let mut w = alter();
        w.raw(" TYPE ")
            .raw(&new_type)
            .raw(" USING ")
            .ident(&to.name)
            .raw("::")
            .raw(&new_type);
        out.push(w.finish());
    }
    if let Some(default) = to.default.as_ref().filter(|_| default_changes) {
        let mut w = alter();
        w.raw(" SET DEFAULT ").raw(&dialect.default_sql(default));
        out.push(w.finish());
    }
    if from.nullable != to.nullable {
        if to.nullable {
            let mut w = alter();
            w.raw(" DROP NOT NULL");
            out.push(w.finish());
        } else {
            if let Some(default) = &to.default {
                // Rows holding NULL take the default, as the SQLite rebuild does.
                out.push(fill_nulls(dialect, table, &to.name, default));
            }
            let mut w = alter();
            w.raw(" SET NOT NULL");
            out.push(w.finish());
        }
    }
    if to.auto_increment && !from.auto_increment {
        let mut w = alter();
        w.raw(" ADD").raw(dialect.facts().auto_increment);
        out.push(w.finish());
        // The new sequence starts at 1; move it past the numbers the rows already use.
        let mut quoted_table = dialect.writer();
        quoted_table.ident(table);
        let mut w = dialect.writer();
        w.raw("SELECT setval(pg_get_serial_sequence(")
            .string(&quoted_table.finish())
            .raw(", ")
            .string(&to.name)
            .raw("), COALESCE(MAX(")
            .ident(&to.name)
            .raw("), 0) + 1, false) FROM ")
            .ident(table);
        out.push(w.finish());
    }
    out
}
