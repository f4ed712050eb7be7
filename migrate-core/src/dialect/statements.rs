//! Statements assembled from a dialect's answers, the same for every backend: a backend that
//! needs something else for one operation answers that operation in its own `render`.

use super::Dialect;
use crate::diff::Op;
use crate::schema::{Check, DefaultValue, EnumType, ForeignKey, Index, Table};
use crate::sql::SqlWriter;

/// `CREATE TABLE` with columns, key, foreign keys and checks (not the indexes).
pub(crate) fn create_table<D: Dialect + ?Sized>(d: &D, table: &Table) -> String {
    let inline_pk = match table.primary_key.as_slice() {
        [pk] => table
            .column(pk)
            .is_some_and(|c| c.auto_increment)
            .then_some(pk.as_str()),
        _ => None,
    };
    let mut parts: Vec<String> = table
        .columns
        .iter()
        .map(|c| d.column_definition(&table.name, c, inline_pk == Some(c.name.as_str())))
        .collect();
    if inline_pk.is_none() && !table.primary_key.is_empty() {
        let mut pk = d.writer();
        pk.raw("PRIMARY KEY (").idents(&table.primary_key).raw(")");
        parts.push(pk.finish());
    }
    parts.extend(
        table
            .foreign_keys
            .iter()
            .map(|fk| foreign_key_clause(d, fk)),
    );
    parts.extend(table.checks.iter().map(|check| check_clause(d, check)));
    let mut w = d.writer();
    w.raw("CREATE TABLE ").ident(&table.name).raw(" (");
    for (i, part) in parts.iter().enumerate() {
        w.raw(if i == 0 { "\n    " } else { ",\n    " }).raw(part);
    }
    w.raw("\n)");
    w.finish()
}

pub(crate) fn check_clause<D: Dialect + ?Sized>(d: &D, check: &Check) -> String {
    let mut w = d.writer();
    w.raw("CONSTRAINT ")
        .ident(&check.name)
        .raw(" CHECK (")
        .raw(&check.expr)
        .raw(")");
    w.finish()
}

pub(crate) fn foreign_key_clause<D: Dialect + ?Sized>(d: &D, fk: &ForeignKey) -> String {
    let mut w = d.writer();
    w.raw("CONSTRAINT ")
        .ident(&fk.name)
        .raw(" FOREIGN KEY (")
        .idents(&fk.columns)
        .raw(") REFERENCES ")
        .ident(&fk.ref_table)
        .raw(" (")
        .idents(&fk.ref_columns)
        .raw(")");
    if fk.on_delete != Default::default() {
        w.raw(" ON DELETE ").raw(fk.on_delete.sql());
    }
    if fk.on_update != Default::default() {
        w.raw(" ON UPDATE ").raw(fk.on_update.sql());
    }
    w.finish()
}

pub(crate) fn create_index<D: Dialect + ?Sized>(d: &D, table: &str, index: &Index) -> String {
    create_index_with(d, table, index, false)
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON table (columns)`.
pub(crate) fn create_index_with<D: Dialect + ?Sized>(
    d: &D,
    table: &str,
    index: &Index,
    concurrently: bool,
) -> String {
    let mut w = d.writer();
    w.raw(if index.unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    })
    .raw(if concurrently { "CONCURRENTLY " } else { "" })
    .ident(&index.name)
    .raw(" ON ")
    .ident(table)
    .raw(" (")
    .idents(&index.columns)
    .raw(")");
    w.finish()
}

/// `CREATE TYPE name AS ENUM ('a', 'b')`. The name is written as the models and the catalog
/// spell it (a lower-case identifier, schema-qualified or not), so it is not quoted.
pub(crate) fn create_enum<D: Dialect + ?Sized>(d: &D, ty: &EnumType) -> String {
    let mut w = d.writer();
    w.raw("CREATE TYPE ").raw(&ty.name).raw(" AS ENUM (");
    w.strings(&ty.labels);
    w.raw(")");
    w.finish()
}

/// Rows holding NULL take the default before a column becomes NOT NULL.
pub(crate) fn fill_nulls<D: Dialect + ?Sized>(
    d: &D,
    table: &str,
    column: &str,
    default: &DefaultValue,
) -> String {
    let mut w = d.writer();
    w.raw("UPDATE ")
        .ident(table)
        .raw(" SET ")
        .ident(column)
        .raw(" = ")
        .raw(&d.default_sql(default))
        .raw(" WHERE ")
        .ident(column)
        .raw(" IS NULL");
    w.finish()
}

/// The name PostgreSQL gives a primary key declared without one: `<table>_pkey`, the table's
/// part cut so the whole fits its 63 bytes.
fn primary_key_name(table: &str) -> String {
    let mut base = crate::sql::split_schema(table).1.to_owned();
    super::text::truncate_identifier(&mut base, 63 - "_pkey".len());
    format!("{base}_pkey")
}

/// The in-place statements for one operation.
pub(crate) fn in_place<D: Dialect + ?Sized>(d: &D, op: &Op) -> Vec<String> {
    let one = |w: SqlWriter| vec![w.finish()];
    let named_types = d.facts().enum_style == super::EnumStyle::NamedType;
    match op {
        Op::CreateTable { table } => crate::sql::split_schema(&table.name)
            .0
            .map(|schema| {
                let mut w = d.writer();
                w.raw("CREATE SCHEMA IF NOT EXISTS ").ident(schema);
                w.finish()
            })
            .into_iter()
            .chain(std::iter::once(create_table(d, table)))
            .chain(
                table
                    .indexes
                    .iter()
                    .map(|index| create_index(d, &table.name, index)),
            )
            .collect(),
        Op::DropTable { table } => {
            let mut w = d.writer();
            w.raw("DROP TABLE ").ident(&table.name);
            one(w)
        }
        Op::RenameTable { from, to } => {
            let mut w = d.alter_table(from);
            w.raw(" RENAME TO ").ident(to);
            one(w)
        }
        Op::AddColumn { table, column } => {
            let mut w = d.alter_table(table);
            w.raw(" ADD COLUMN ")
                .raw(&d.column_definition(table, column, false));
            one(w)
        }
        Op::DropColumn { table, column } => {
            let mut w = d.alter_table(table);
            w.raw(" DROP COLUMN ").ident(&column.name);
            one(w)
        }
        Op::RenameColumn { table, from, to } => {
            let mut w = d.alter_table(table);
            w.raw(" RENAME COLUMN ").ident(from).raw(" TO ").ident(to);
            one(w)
        }
        Op::AlterColumn { table, from, to } => d.alter_column(table, from, to),
        Op::AlterPrimaryKey { table, from, to } => {
            let mut out = Vec::new();
            if !from.is_empty() {
                let mut w = d.alter_table(table);
                w.raw(" DROP CONSTRAINT ").ident(&primary_key_name(table));
                out.push(w.finish());
            }
            if !to.is_empty() {
                let mut w = d.alter_table(table);
                w.raw(" ADD PRIMARY KEY (").idents(to).raw(")");
                out.push(w.finish());
            }
            out
        }
        Op::RenameForeignKey { table, from, to } => {
            let mut w = d.alter_table(table);
            w.raw(" RENAME CONSTRAINT ")
                .ident(from)
                .raw(" TO ")
                .ident(&to.name);
            one(w)
        }
        Op::RenameIndex { table, from, to } => {
            let mut w = d.writer();
            w.raw("ALTER INDEX ")
                .ident(&crate::sql::in_schema_of(table, from))
                .raw(" RENAME TO ")
                .ident(&to.name);
            one(w)
        }
        Op::AddIndex { table, index } => vec![create_index(d, table, index)],
        Op::DropIndex { table, index } => vec![d.drop_index(table, &index.name)],
        Op::AddForeignKey { table, foreign_key } => {
            let mut w = d.alter_table(table);
            w.raw(" ADD ").raw(&foreign_key_clause(d, foreign_key));
            one(w)
        }
        Op::DropForeignKey { table, foreign_key } => {
            vec![d.drop_foreign_key(table, &foreign_key.name)]
        }
        Op::AddCheck { table, check } => {
            let mut w = d.alter_table(table);
            w.raw(" ADD ").raw(&check_clause(d, check));
            one(w)
        }
        Op::DropCheck { table, check } => {
            // DROP CONSTRAINT rather than DROP CHECK: MariaDB knows only the former.
            let mut w = d.alter_table(table);
            w.raw(" DROP CONSTRAINT ").ident(&check.name);
            one(w)
        }
        // Enum types exist on their own only where the backend names them; elsewhere the
        // labels live in the columns, which their own operations create and change.
        Op::CreateEnum { ty } if named_types => vec![create_enum(d, ty)],
        Op::DropEnum { ty } if named_types => {
            let mut w = d.writer();
            w.raw("DROP TYPE ").raw(&ty.name);
            one(w)
        }
        // Changing a named type's labels needs the columns that use it: the backend's own
        // `render` answers it with the schema at hand.
        Op::CreateEnum { .. } | Op::DropEnum { .. } | Op::AlterEnum { .. } => Vec::new(),
    }
}
