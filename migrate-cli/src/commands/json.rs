//! The JSON shapes several commands share (`--format json`), so that a revision reads the
//! same in `history`, `heads`, `current` and `show`. docs/commands.md#json-output lists every
//! field; a test holds the two together.

use clap::Args;
use migrate_core::revision::Revision;
use serde_json::{json, Value};

use crate::args::Format;

/// `--format` for a command that has no other arguments.
#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Output format: `json` prints one JSON document on stdout (fields in docs/commands.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// A revision's metadata, without its SQL.
pub(super) fn revision(revision: &Revision) -> Value {
    json!({
        "id": revision.id,
        "parents": revision.parents,
        "message": revision.message,
        "created": revision.created,
        "branch_labels": revision.branch_labels,
        "folder": revision.dir.display().to_string(),
        "run_in_transaction": revision.run_in_transaction,
    })
}

/// `value` with `extra`'s fields added (both objects).
pub(super) fn with(mut value: Value, extra: Value) -> Value {
    if let (Some(object), Value::Object(extra)) = (value.as_object_mut(), extra) {
        object.extend(extra);
    }
    value
}
