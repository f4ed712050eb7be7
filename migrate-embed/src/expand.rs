//! Parses the macro's argument, checks the folder, and writes the data.

use std::path::{Path, PathBuf};

use migrate_core::revision::{scan_for_embedding, FolderFiles};
use proc_macro2::{Span, TokenStream};
use quote::quote;

const DEFAULT_DIR: &str = "migrations";

/// Where the folder is looked up: the crate's manifest directory. Tests of this macro run
/// in a generated crate elsewhere, so they point it back with `MIGRATE_EMBED_MANIFEST_DIR`.
fn manifest_dir() -> syn::Result<PathBuf> {
    std::env::var_os("MIGRATE_EMBED_MANIFEST_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new(
                Span::call_site(),
                "CARGO_MANIFEST_DIR is not set: embed_migrations! must be compiled by cargo",
            )
        })
}

pub(crate) fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let (relative, span) = if input.is_empty() {
        (DEFAULT_DIR.to_owned(), Span::call_site())
    } else {
        let literal: syn::LitStr = syn::parse2(input).map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the migrations directory as a string, e.g. \
                 embed_migrations!(\"migrations\")",
            )
        })?;
        (literal.value(), literal.span())
    };
    let dir = manifest_dir()?.join(&relative);
    let folders = scan_for_embedding(&dir)
        .map_err(|e| syn::Error::new(span, format!("embed_migrations!(\"{relative}\"): {e}")))?;
    let folders = folders.iter().map(folder_tokens);
    Ok(quote! {
        ::migrate_core::revision::EmbeddedMigrations {
            dir: #relative,
            folders: &[#(#folders),*],
        }
    })
}

/// One folder as data: every text through `include_str!` of its absolute path, which also
/// makes cargo rebuild the crate when the file changes.
fn folder_tokens(folder: &FolderFiles) -> TokenStream {
    let name = &folder.name;
    let optional = |present: bool, path: PathBuf| {
        if present {
            let path = path_text(&path);
            quote!(::core::option::Option::Some(include_str!(#path)))
        } else {
            quote!(::core::option::Option::None)
        }
    };
    let metadata = optional(folder.metadata.is_some(), folder.metadata_path());
    let up = optional(
        folder.up.is_some(),
        folder.dir.join(migrate_core::revision::up_file(None)),
    );
    let down = optional(
        folder.down.is_some(),
        folder.dir.join(migrate_core::revision::down_file(None)),
    );
    let pairs = folder.dialect_sql.keys().map(|dialect| {
        let up = path_text(
            &folder
                .dir
                .join(migrate_core::revision::up_file(Some(dialect))),
        );
        let down = path_text(
            &folder
                .dir
                .join(migrate_core::revision::down_file(Some(dialect))),
        );
        quote!((#dialect, include_str!(#up), include_str!(#down)))
    });
    quote! {
        ::migrate_core::revision::EmbeddedFolder {
            name: #name,
            metadata: #metadata,
            up: #up,
            down: #down,
            dialect_sql: &[#(#pairs),*],
        }
    }
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
