//! Autogenerate: compare the registered models with a live database and render the
//! revision that turns one into the other. [`plan_revision`] is the whole step, so a front
//! end only presents what it returns.

mod enums;
mod renames;

pub use renames::{rename_candidates, with_renames, RenameCandidate};

use std::collections::BTreeSet;

use crate::db::Connection;
use crate::dialect::Dialect;
use crate::diff::{self, Op};
use crate::error::{Error, Result};
use crate::filter::TableFilter;
use crate::revision::{Graph, RevisionTimeouts};
use crate::runner;
use crate::schema::Schema;

/// A revision autogenerate would write: the comparison it came from and its SQL bodies.
#[derive(Debug, Clone)]
pub struct RevisionPlan {
    pub comparison: Comparison,
    pub up_sql: String,
    pub down_sql: String,
    /// `(dialect, up, down)` for each other dialect asked for.
    pub extra: Vec<(String, String, String)>,
    /// Whether the revision can run in one transaction (see the revision's metadata).
    pub run_in_transaction: bool,
    /// What its metadata sets: an online plan's short lock timeout and its retries.
    pub timeouts: RevisionTimeouts,
}

/// How long a statement of an online plan waits for its lock before it gives up and is
/// tried again: writers queue behind a waiting DDL statement for at most this long.
pub const ONLINE_LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

/// How often it is tried again (with growing pauses, see the runner).
pub const ONLINE_LOCK_RETRIES: u32 = 10;

/// How a revision is planned.
#[derive(Debug, Clone, Copy)]
pub struct AutogenOptions<'a> {
    pub version_table: &'a str,
    /// The tables autogenerate manages; the others are left alone on both sides.
    pub filter: &'a TableFilter,
    /// Dialects the revision also carries SQL for.
    pub other_dialects: &'a [&'a dyn Dialect],
    /// Whether the revision may drop tables no model defines. Off by default: such a table
    /// is as likely another application's, or made by hand, as a model that was removed.
    pub allow_table_drops: bool,
    /// Whether a dropped and an added column that may be one rename stop the plan, so the
    /// caller can ask ([`Planned::Renames`]) before the data checks judge a drop and an add.
    pub question_renames: bool,
    /// Whether operations on live tables take the dialects' online forms
    /// (`Dialect::render_online`; `online_schema_changes` in migrate.toml).
    pub online: bool,
}

/// What planning found.
#[derive(Debug, Clone)]
pub enum Planned {
    /// The models match the database.
    Unchanged,
    /// Columns that may have been renamed, to settle first (see [`with_renames`]).
    Renames(Vec<RenameCandidate>),
    Revision(Box<RevisionPlan>),
}

/// Plans the revision that brings the database to the models, building on `parents`.
///
/// Refuses when the database is not at `parents` (a comparison would repeat what pending
/// revisions already do) and when an operation would fail on the rows the database holds;
/// `None` when the models match the database. Reads only: nothing is written.
pub fn plan_revision(
    conn: &mut Connection,
    graph: &Graph,
    models: &Schema,
    parents: &[String],
    options: &AutogenOptions<'_>,
) -> Result<Planned> {
    let version_table = options.version_table;
    let other_dialects = options.other_dialects;
    let models = &options.filter.apply(models.clone());
    let mut dialects = vec![conn.dialect()];
    dialects.extend(other_dialects.iter().copied());
    let in_schemas: Vec<&str> = models
        .tables
        .iter()
        .filter(|t| t.name.contains('.'))
        .map(|t| t.name.as_str())
        .collect();
    if let (Some(without), false) = (
        dialects.iter().find(|d| !d.facts().schemas),
        in_schemas.is_empty(),
    ) {
        return Err(Error::Plan(format!(
            "models put tables in a schema ({}), which {} does not have; nothing written\n  \
             hint: `#[model(schema = \"…\")]` is for PostgreSQL; remove it, or leave {} out of \
             the dialects",
            in_schemas.join(", "),
            without.facts().label,
            without.name()
        )));
    }
    let too_long = crate::naming::over_limit(models, &dialects);
    if !too_long.is_empty() {
        return Err(Error::Plan(format!(
            "names in the models are too long for a dialect this revision is written for; \
             nothing written:\n  {}\n  hint: shorten them in the model: `table = \"…\"`, \
             `column = \"…\"`, `name = \"…\"` of an index, unique or check, or \
             `foreign_key_name = \"…\"`",
            too_long.join("\n  ")
        )));
    }
    let rows = runner::applied_rows(conn, graph, version_table)?;
    let applied = runner::applied_ids(&rows);
    let current: BTreeSet<String> = graph
        .current(&applied)
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let heads: BTreeSet<String> = parents.iter().cloned().collect();
    if current != heads {
        return Err(Error::Plan(format!(
            "the database is not at head (database: {}; head: {}), so a comparison would repeat \
             changes that pending revisions already make\n  hint: run `upgrade head` first",
            list_or_base(&current),
            list_or_base(&heads)
        )));
    }
    let dialect = conn.dialect();
    let live = options
        .filter
        .apply(conn.introspect_for(version_table, models)?);
    let comparison = compare(models, &live, dialect);
    if comparison.is_empty() {
        return Ok(Planned::Unchanged);
    }
    if options.question_renames {
        let candidates = rename_candidates(&comparison.ops);
        if !candidates.is_empty() {
            return Ok(Planned::Renames(candidates));
        }
    }
    let mut dropped: Vec<&str> = comparison
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::DropTable { table } => Some(table.name.as_str()),
            _ => None,
        })
        .collect();
    dropped.sort_unstable();
    if !dropped.is_empty() && !options.allow_table_drops {
        return Err(Error::Plan(format!(
            "the database has tables that no model defines: {}; the revision would drop them \
             with every row, so nothing is written\n  hint: if they are models you removed, run \
             again with --allow-table-drops; if they belong to something else (another \
             application, a table made by hand), leave them out with `exclude_tables` in \
             migrate.toml",
            dropped.join(", ")
        )));
    }
    let mut blockers = blockers(&comparison, conn)?;
    blockers.extend(enums::removed_labels_in_use(
        &comparison.ops,
        &comparison.live,
        models,
        conn,
    )?);
    if !blockers.is_empty() {
        return Err(Error::Plan(format!(
            "this revision would fail on the data in the database; nothing written:\n  {}",
            blockers.join("\n  ")
        )));
    }
    let (up_sql, down_sql, mut online) = render_scripts(&comparison, dialect, options.online);
    // Another dialect renders the same operations, with the columns and tables as the models
    // declare them: the comparison's are in the connected dialect's terms (SQLite reads a
    // UUID column back as TEXT, which PostgreSQL must not be told).
    let shaped = Comparison {
        live: comparison.live.clone(),
        ops: model_shaped(&comparison.ops, models),
    };
    let others: Vec<&dyn Dialect> = other_dialects
        .iter()
        .copied()
        .filter(|d| d.name() != dialect.name())
        .collect();
    enums::refuse_mixed_styles(&shaped.ops, dialect, &others)?;
    let inexpressible: Vec<String> = others
        .iter()
        .flat_map(|d| {
            shaped
                .ops
                .iter()
                .filter_map(|op| d.cannot_express(op, models))
                .map(move |why| format!("{}: {why}", d.name()))
        })
        .collect();
    if !inexpressible.is_empty() {
        return Err(Error::Plan(format!(
            "a listed dialect cannot express this revision; nothing written:\n  {}",
            inexpressible.join("\n  ")
        )));
    }
    let extra = others
        .iter()
        .map(|d| {
            let (up, down, online_here) = render_scripts(&shaped, *d, options.online);
            online |= online_here;
            (d.name().to_owned(), up, down)
        })
        .collect();
    let run_in_transaction = !online && enums::fits_one_transaction(&comparison.ops, &dialects);
    // A short wait for each lock, tried again: a DDL statement waiting for its lock holds
    // up every writer queued behind it, so it should wait briefly and often, not long.
    let timeouts = if online {
        RevisionTimeouts {
            lock: Some(ONLINE_LOCK_TIMEOUT),
            statement: None,
            lock_retries: Some(ONLINE_LOCK_RETRIES),
        }
    } else {
        RevisionTimeouts::default()
    };
    Ok(Planned::Revision(Box::new(RevisionPlan {
        comparison,
        up_sql,
        down_sql,
        extra,
        run_in_transaction,
        timeouts,
    })))
}

/// The operations with what they create or change taken from the models as declared.
fn model_shaped(ops: &[Op], models: &Schema) -> Vec<Op> {
    let model_column =
        |table: &str, name: &str| models.table(table).and_then(|t| t.column(name)).cloned();
    ops.iter()
        .map(|op| match op {
            Op::CreateTable { table } => Op::CreateTable {
                table: models
                    .table(&table.name)
                    .cloned()
                    .unwrap_or_else(|| table.clone()),
            },
            Op::AddColumn { table, column } => Op::AddColumn {
                table: table.clone(),
                column: model_column(table, &column.name).unwrap_or_else(|| column.clone()),
            },
            Op::AlterColumn { table, from, to } => Op::AlterColumn {
                table: table.clone(),
                from: from.clone(),
                to: model_column(table, &to.name).unwrap_or_else(|| to.clone()),
            },
            other => other.clone(),
        })
        .collect()
}

/// How the database has drifted from the migration files and the models.
#[derive(Debug, Clone)]
pub struct Drift<'g> {
    /// Applied revisions whose up SQL no longer matches the recorded checksum.
    pub edited: Vec<&'g crate::revision::Revision>,
    /// Revisions not applied yet, in apply order.
    pub pending: Vec<&'g crate::revision::Revision>,
    /// Revisions that stopped part-way, each described with its way out.
    pub unfinished: Vec<String>,
    /// What the database lacks compared with the models.
    pub comparison: Comparison,
}

/// Everything `check` reports about a database, read in one pass; writes nothing.
pub fn drift<'g>(
    conn: &mut Connection,
    graph: &'g Graph,
    models: Schema,
    version_table: &str,
    filter: &TableFilter,
) -> Result<Drift<'g>> {
    let models = &filter.apply(models);
    let dialect = conn.dialect();
    let rows = runner::applied_rows(conn, graph, version_table)?;
    let edited = runner::edited_revisions(graph, &rows, dialect.name());
    let pending = graph.upgrade_plan(&runner::applied_ids(&rows), "heads")?;
    let live = filter.apply(conn.introspect_for(version_table, models)?);
    let unfinished = rows
        .iter()
        .filter(|r| r.state.is_unfinished())
        .map(|r| runner::describe_unfinished_with_hint(graph, r, dialect.name()))
        .collect();
    Ok(Drift {
        edited,
        pending,
        unfinished,
        comparison: compare(models, &live, dialect),
    })
}

fn list_or_base(ids: &BTreeSet<String>) -> String {
    if ids.is_empty() {
        "base".to_owned()
    } else {
        ids.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// The difference between the models and the database.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The live schema as normalized for comparing; the plan starts from it.
    pub live: Schema,
    /// The up plan, in execution order.
    pub ops: Vec<Op>,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// Compares normalized models with the normalized live schema.
pub fn compare(models: &Schema, live: &Schema, dialect: &dyn Dialect) -> Comparison {
    // Each side on its own core: normalizing renders and parses back every column's type
    // and default, most of a comparison's time on hundreds of tables.
    let (models, live) = std::thread::scope(|scope| {
        let models = scope.spawn(|| dialect.normalize(models));
        let live = dialect.normalize(live);
        let models = models
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (models, live)
    });
    let ops = diff::diff(&live, &models);
    Comparison { live, ops }
}

/// Operations that would fail on the data the database holds now, each with the fix:
/// a NOT NULL column without a default added to a table that has rows.
pub fn blockers(comparison: &Comparison, conn: &mut Connection) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for op in &comparison.ops {
        if let Op::AddColumn { table, column } = op {
            if !column.nullable
                && column.default.is_none()
                && !column.auto_increment
                && conn.has_rows(table)?
            {
                found.push(format!(
                    "add column {table}.{}: the column is NOT NULL without a default and `{table}` holds rows, \
                     so the migration would fail\n    fix: give the field a default (#[model(default = …)] or \
                     #[model(default_sql = \"…\")]), or make it optional (Option<…>)",
                    column.name
                ));
            }
        }
    }
    Ok(found)
}

/// The up and down SQL scripts for a plan, each statement ending in `;`, preceded by a
/// comment for every destructive operation; with `online`, in the dialect's online forms
/// where it has them. The flag says whether either script took an online form that must run
/// outside a transaction.
pub fn render_scripts(
    comparison: &Comparison,
    dialect: &dyn Dialect,
    online: bool,
) -> (String, String, bool) {
    let render = |ops: &[Op], before: &Schema| {
        online
            .then(|| dialect.render_online(ops, before))
            .flatten()
            .map_or_else(
                || (dialect.render(ops, before), false),
                |plan| (plan.statements, plan.outside_transaction),
            )
    };
    let (up_statements, up_online) = render(&comparison.ops, &comparison.live);
    let mut after = comparison.live.clone();
    for op in &comparison.ops {
        diff::apply(&mut after, op);
    }
    let down_ops = diff::reverse_plan(&comparison.ops);
    let (down_statements, down_online) = render(&down_ops, &after);
    let online_note = |used: bool| {
        used.then(|| {
            "-- online plan: each statement commits on its own, so the table stays writable \
             (run_in_transaction = false)"
                .to_owned()
        })
    };

    let warnings = |ops: &[Op]| -> Vec<String> {
        ops.iter()
            .filter_map(|op| {
                op.destructive()
                    .map(|why| format!("-- WARNING: destructive: {why}"))
            })
            .collect()
    };
    let mut up_notes = warnings(&comparison.ops);
    up_notes.extend(online_note(up_online));
    let mut down_notes = warnings(&down_ops);
    down_notes.extend(online_note(down_online));
    let up = script(&up_notes, &up_statements);
    let down = script(&down_notes, &down_statements);
    (up, down, up_online || down_online)
}

fn script(warnings: &[String], statements: &[String]) -> String {
    let mut out = String::new();
    for warning in warnings {
        out.push_str(warning);
        out.push('\n');
    }
    for statement in statements {
        out.push('\n');
        out.push_str(statement);
        out.push_str(";\n");
    }
    out
}
