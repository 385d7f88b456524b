//! Loading `content/`: finding the files, reading and parsing each one (front matter typed
//! per kind), then pairing translations into entries.

pub mod checks;
pub mod entry;
pub mod file;
pub mod group;
pub mod key;
pub mod kind;
pub mod parse;
pub mod schema;
pub mod split;

use std::path::Path;

use rayon::prelude::*;

pub use entry::{AnyEntry, Content, Doc, Draft, Entry, EntryRef, Group};
pub use file::{ContentFile, SourceFile};
pub use group::{assemble, slug_key};
pub use key::Key;
pub use kind::{Kind, PerKind};
pub use parse::{parse, parse_file_bytes, split_name, AnyDoc};
pub use schema::*;

use crate::config::{Config, LangId};
use crate::error::{Diagnostic, Error, Result};

// Here rather than beside the type in `file`: it needs `parse` and `group`, which need the
// type.
impl ContentFile {
    /// The list and the normalized slug of the entry the file belongs to, and its
    /// language (None when the file name is not one of the site's).
    pub fn entity(&self, cfg: &Config) -> Option<((Group, String), LangId)> {
        let (slug, lang) = split_name(cfg, &self.shown).ok()?;
        let group = if slug == "_index" && self.kind != Kind::Page {
            Group::Intro(self.kind)
        } else {
            Group::Profile(self.kind)
        };
        Some(((group, group::slug_key(&slug)), lang))
    }
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

/// Whether a path under `content/` is a profile file, and of which kind; a Markdown file
/// anywhere else under `content/` is reported.
pub fn classify(cfg: &Config, path: &Path) -> Option<std::result::Result<ContentFile, Diagnostic>> {
    let rel = path.strip_prefix(&cfg.content_dir).ok()?;
    let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
    let name = parts.last()?;
    if !name.ends_with(".md") || parts.iter().any(|p| is_ignored(p)) {
        return None;
    }
    let shown = cfg.shown(path);
    Some(match (parts.len(), Kind::from_section(&parts[0])) {
        (2, Some(kind)) => Ok(ContentFile {
            kind,
            path: path.to_path_buf(),
            shown,
        }),
        _ => Err(Diagnostic::file(
            shown,
            "a profile must sit directly in content/founders/, companies/, sectors/, employers/ or pages/",
        )
        .with_hint("move the file into one of those directories")),
    })
}

/// Every profile file under `content/`, sorted by path, and the misplaced ones.
pub fn discover(cfg: &Config) -> Result<(Vec<ContentFile>, Vec<Diagnostic>)> {
    if !cfg.content_dir.is_dir() {
        return Err(Error::NoContent(cfg.content_dir.clone()));
    }
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let walker = walkdir::WalkDir::new(&cfg.content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|source| Error::Walk {
            path: cfg.content_dir.clone(),
            source,
        })?;
        if entry.file_type().is_file() {
            match classify(cfg, entry.path()) {
                Some(Ok(f)) => files.push(f),
                Some(Err(d)) => diags.push(d),
                None => {}
            }
        }
    }
    Ok((files, diags))
}

/// Walks `content/` and parses every profile, reporting all problems together.
pub fn load(cfg: &Config) -> Result<Content> {
    let (files, mut diags) = discover(cfg)?;
    let parsed: Vec<_> = files.par_iter().map(|f| parse(cfg, f)).collect();
    let mut docs = Vec::with_capacity(parsed.len());
    let mut failed = Vec::new();
    for (p, f) in parsed.into_iter().zip(&files) {
        match p {
            Ok(d) => docs.push(d),
            Err(d) => {
                diags.extend(d);
                failed.push(f.clone());
            }
        }
    }
    let (content, more) = assemble(cfg, docs, &failed);
    diags.extend(more);
    let (warnings, errors): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.warning);
    if !errors.is_empty() {
        return Err(Error::Diagnostics(errors));
    }
    Ok(Content {
        warnings,
        ..content
    })
}
