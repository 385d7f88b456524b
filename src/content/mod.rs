//! Loading `content/`: finding the files, reading and parsing each one (front matter typed
//! per kind), then pairing translations into entries.

pub mod checks;
pub mod group;
pub mod parse;
pub mod schema;
pub mod split;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use group::{assemble, slug_key};
pub use parse::{parse, parse_file_bytes, split_name, AnyDoc};
pub use schema::*;

use crate::config::{Config, LangId};
use crate::error::{Diagnostic, Error, Result};

/// The kinds of content, one directory each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Founder,
    Company,
    Sector,
    Employer,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Founder,
        Kind::Company,
        Kind::Sector,
        Kind::Employer,
        Kind::Page,
    ];

    /// The kinds with an index page of their own (`/founders/` ...).
    pub const LISTED: [Kind; 4] = [Kind::Founder, Kind::Company, Kind::Sector, Kind::Employer];

    /// Directory under `content/`, also the URL section.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Founder => "founders",
            Kind::Company => "companies",
            Kind::Sector => "sectors",
            Kind::Employer => "employers",
            Kind::Page => "pages",
        }
    }

    /// Singular name, as in `dossier new founder`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Founder => "founder",
            Kind::Company => "company",
            Kind::Sector => "sector",
            Kind::Employer => "employer",
            Kind::Page => "page",
        }
    }

    pub fn from_section(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == s)
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// One Markdown file as read from disk, normalized (no BOM, `\n` line ends).
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path shown to users, relative to the site root.
    pub path: PathBuf,
    pub text: String,
    /// Where the front matter and the body start (see [`split::Split`]).
    pub split: split::Split,
}

impl SourceFile {
    /// 1-based line and column of a byte offset into `text`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        crate::text::line_col(&self.text, offset)
    }

    /// A diagnostic at a byte offset, with the source line attached.
    pub fn diag_at(&self, offset: usize, msg: impl Into<String>) -> Diagnostic {
        let (l, c) = self.line_col(offset);
        Diagnostic::new(&self.path, l, c, msg).with_source(&self.text)
    }

    /// The front matter text, including its opening line.
    fn head(&self) -> &str {
        &self.text[..self.split.body_start]
    }

    /// A diagnostic at the front matter line of `key` (or the first line).
    pub fn diag_at_key(&self, key: &str, msg: impl Into<String>) -> Diagnostic {
        let line = crate::yaml::key_line(self.head(), key).unwrap_or(1);
        Diagnostic::new(&self.path, line, 1, msg).with_source(&self.text)
    }

    /// The byte range of the front matter block of `key`: its own line and the indented
    /// lines under it; and where its value starts (after the colon).
    fn value_block(&self, key: &str) -> Option<(std::ops::Range<usize>, usize)> {
        let fm = self.head();
        let line = crate::yaml::key_line(fm, key)?;
        let start = crate::text::line_start(fm, line);
        let mut end = start;
        for (i, l) in fm[start..].split_inclusive('\n').enumerate() {
            if i > 0 && !(l.starts_with(' ') || l.starts_with('-') || l.trim().is_empty()) {
                break;
            }
            end += l.len();
        }
        let from = fm[start..end].find(':').map(|i| i + 1).unwrap_or(0);
        Some((start..end, start + from))
    }

    /// A diagnostic at the first occurrence of `needle` inside the front matter block of `key`.
    pub fn diag_at_value(&self, key: &str, needle: &str, msg: impl Into<String>) -> Diagnostic {
        let Some((block, from)) = self.value_block(key) else {
            return Diagnostic::new(&self.path, 1, 1, msg).with_source(&self.text);
        };
        match self.text[from..block.end].find(needle) {
            Some(i) => self.diag_at(from + i, msg),
            None => self.diag_at(block.start, msg),
        }
    }

    /// A diagnostic at the `nth` (from 0) item `item` of the list under `key`: a whole
    /// item (`a` in `[ab, a]` is the second), bare or quoted.
    pub fn diag_at_item(
        &self,
        key: &str,
        item: &str,
        nth: usize,
        msg: impl Into<String>,
    ) -> Diagnostic {
        let Some((block, from)) = self.value_block(key) else {
            return Diagnostic::new(&self.path, 1, 1, msg).with_source(&self.text);
        };
        let text = &self.text[from..block.end];
        let edge = |c: Option<char>| {
            c.is_none_or(|c| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"' | '\''))
        };
        let found = text
            .match_indices(item)
            .filter(|(i, m)| {
                edge(text[..*i].chars().next_back()) && edge(text[i + m.len()..].chars().next())
            })
            .nth(nth);
        match found {
            Some((i, _)) => self.diag_at(from + i, msg),
            None => self.diag_at(block.start, msg),
        }
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.split.body_start..]
    }
}

/// One file of one kind, parsed.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    pub slug: Slug,
    /// The language of the file.
    pub lang: LangId,
    /// Front matter after inheriting the neutral fields of the original.
    pub fm: T,
    pub src: Arc<SourceFile>,
}

/// One profile in every language it exists in. The default-language document (the
/// original) always exists.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub slug: Slug,
    original: Doc<T>,
    /// Translations, indexed by `LangId::index() - 1`.
    translations: Vec<Option<Doc<T>>>,
}

impl<T> Entry<T> {
    /// An entry from its original and its translations (`translations[i]` is the
    /// language with index `i + 1`).
    pub fn new(original: Doc<T>, translations: Vec<Option<Doc<T>>>) -> Entry<T> {
        Entry {
            slug: original.slug.clone(),
            original,
            translations,
        }
    }

    /// The default-language document.
    pub fn original(&self) -> &Doc<T> {
        &self.original
    }

    /// The document for `lang`, or the original when it is not translated.
    pub fn doc(&self, lang: LangId) -> &Doc<T> {
        self.own(lang).unwrap_or(&self.original)
    }

    /// The document written in `lang`, if there is one.
    pub fn own(&self, lang: LangId) -> Option<&Doc<T>> {
        if lang.is_default() {
            Some(&self.original)
        } else {
            self.translations.get(lang.index() - 1)?.as_ref()
        }
    }

    /// Whether `lang` has its own file.
    pub fn translated(&self, lang: LangId) -> bool {
        self.own(lang).is_some()
    }

    /// Every document of the entry, the original first.
    pub fn docs(&self) -> impl Iterator<Item = &Doc<T>> {
        std::iter::once(&self.original).chain(self.translations.iter().flatten())
    }
}

/// All content, grouped by kind and translation. Entries are shared (`Arc`): the dev
/// server keeps every unchanged one from one change to the next.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub founders: Vec<Arc<Entry<Founder>>>,
    pub companies: Vec<Arc<Entry<Company>>>,
    pub sectors: Vec<Arc<Entry<Sector>>>,
    pub employers: Vec<Arc<Entry<Employer>>>,
    pub pages: Vec<Arc<Entry<Page>>>,
    /// Section introductions, `content/<section>/_index.<lang>.md` (as in Zola): a title,
    /// summary and body shown on the section's index page.
    pub intros: Vec<(Kind, Arc<Entry<Page>>)>,
    /// Problems that do not stop a build (reported by `check`).
    pub warnings: Vec<Diagnostic>,
    /// Profiles left out because they are drafts (`draft: true`, without `--drafts`).
    pub drafts: Vec<Draft>,
}

/// A profile left out of the site as a draft: references to it are explained, and
/// `check` lists it instead of skipping it silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: Kind,
    pub slug: Slug,
    /// The original's path, as shown to users.
    pub path: PathBuf,
}

/// Which list an entry belongs to: a kind's profiles, or a section's introduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    Profile(Kind),
    Intro(Kind),
}

/// One entry of any kind.
#[derive(Debug, Clone)]
pub enum AnyEntry {
    Founder(Arc<Entry<Founder>>),
    Company(Arc<Entry<Company>>),
    Sector(Arc<Entry<Sector>>),
    Employer(Arc<Entry<Employer>>),
    Page(Arc<Entry<Page>>),
    Intro(Kind, Arc<Entry<Page>>),
}

impl Content {
    /// The files of every profile marked `draft: true` (loaded with `--drafts`).
    pub fn draft_sources(&self) -> Vec<&SourceFile> {
        fn of<'a, T: FrontMatter>(entries: &'a [Arc<Entry<T>>], out: &mut Vec<&'a SourceFile>) {
            for e in entries.iter().filter(|e| e.original().fm.is_draft()) {
                out.extend(e.docs().map(|d| &*d.src));
            }
        }
        let mut out = Vec::new();
        of(&self.founders, &mut out);
        of(&self.companies, &mut out);
        of(&self.sectors, &mut out);
        of(&self.employers, &mut out);
        of(&self.pages, &mut out);
        out
    }

    /// The draft left out under `kind` and `slug`, if any.
    pub fn draft(&self, kind: Kind, slug: &Slug) -> Option<&Draft> {
        self.drafts
            .iter()
            .find(|d| d.kind == kind && d.slug == *slug)
    }

    /// The entries of the content, whatever their kind.
    pub fn into_entries(self) -> impl Iterator<Item = AnyEntry> {
        let f = self.founders.into_iter().map(AnyEntry::Founder);
        let c = self.companies.into_iter().map(AnyEntry::Company);
        let s = self.sectors.into_iter().map(AnyEntry::Sector);
        let e = self.employers.into_iter().map(AnyEntry::Employer);
        let p = self.pages.into_iter().map(AnyEntry::Page);
        let i = self.intros.into_iter().map(|(k, e)| AnyEntry::Intro(k, e));
        f.chain(c).chain(s).chain(e).chain(p).chain(i)
    }

    /// Content made of `entries`, in their order.
    pub fn from_entries<'a>(entries: impl IntoIterator<Item = &'a AnyEntry>) -> Content {
        let mut c = Content::default();
        for e in entries {
            match e {
                AnyEntry::Founder(x) => c.founders.push(x.clone()),
                AnyEntry::Company(x) => c.companies.push(x.clone()),
                AnyEntry::Sector(x) => c.sectors.push(x.clone()),
                AnyEntry::Employer(x) => c.employers.push(x.clone()),
                AnyEntry::Page(x) => c.pages.push(x.clone()),
                AnyEntry::Intro(k, x) => c.intros.push((*k, x.clone())),
            }
        }
        c
    }
}

/// A content file found on disk, before reading it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentFile {
    pub kind: Kind,
    /// Absolute (or root-joined) path to read.
    pub path: PathBuf,
    /// Path shown to users, relative to the site root.
    pub shown: PathBuf,
}

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
