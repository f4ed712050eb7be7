//! A history embedded in the binary at compile time by `migrate_embed::embed_migrations!`.
//! The macro checks the folder while compiling (a bad history does not compile) and emits
//! only data, the files' texts; [`EmbeddedMigrations::graph`] parses them at run time with
//! the same code that reads a migrations directory.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::folder::FolderFiles;
use super::read::{assemble, parse_folder};
use super::Graph;
use crate::error::Result;

/// A migrations directory as compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedMigrations {
    /// The directory as the macro was given it (relative to the crate), for messages.
    pub dir: &'static str,
    pub folders: &'static [EmbeddedFolder],
}

/// One revision folder's files, as text.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFolder {
    pub name: &'static str,
    pub metadata: Option<&'static str>,
    pub up: Option<&'static str>,
    pub down: Option<&'static str>,
    /// The extra per-dialect pairs: (dialect, up, down).
    pub dialect_sql: &'static [(&'static str, &'static str, &'static str)],
}

impl EmbeddedMigrations {
    /// The revision graph. The macro validated the same texts while compiling, so this fails
    /// only if the binary was built by a different version of the parser.
    pub fn graph(&self) -> Result<Graph> {
        let parsed = self
            .folders
            .iter()
            .map(|folder| parse_folder(self.files_of(folder)))
            .collect();
        Graph::from_revisions(assemble(parsed)?)
    }

    fn files_of(&self, folder: &EmbeddedFolder) -> FolderFiles {
        FolderFiles {
            name: folder.name.to_owned(),
            dir: PathBuf::from(self.dir).join(folder.name),
            metadata: folder.metadata.map(str::to_owned),
            up: folder.up.map(str::to_owned),
            down: folder.down.map(str::to_owned),
            dialect_sql: folder
                .dialect_sql
                .iter()
                .map(|(d, up, down)| ((*d).to_owned(), ((*up).to_owned(), (*down).to_owned())))
                .collect::<BTreeMap<_, _>>(),
        }
    }
}
