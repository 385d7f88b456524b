//! Parsed content: documents, entries pairing an original with its translations, and the
//! whole content of a site grouped by kind.

use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

use super::file::SourceFile;
use super::kind::Kind;
use super::schema::{Company, Employer, Founder, FrontMatter, Page, Sector, Slug};
use crate::config::LangId;
use crate::error::Diagnostic;

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
    ///
    /// The entries are grouped by kind first, which reads only their handles. The handles
    /// are then cloned on every core. Cloning one writes to the entry's own memory, and in
    /// the dev server at 10,000 profiles most of that memory has gone cold since the last
    /// change (docs/performance.md, round 5).
    pub fn from_entries<'a>(entries: impl IntoIterator<Item = &'a AnyEntry>) -> Content {
        fn shared<T: Send + Sync>(list: &[&Arc<T>]) -> Vec<Arc<T>> {
            list.par_iter().map(|x| Arc::clone(x)).collect()
        }
        let (mut f, mut c, mut s, mut e, mut p) = (vec![], vec![], vec![], vec![], vec![]);
        let mut intros = Vec::new();
        for x in entries {
            match x {
                AnyEntry::Founder(x) => f.push(x),
                AnyEntry::Company(x) => c.push(x),
                AnyEntry::Sector(x) => s.push(x),
                AnyEntry::Employer(x) => e.push(x),
                AnyEntry::Page(x) => p.push(x),
                AnyEntry::Intro(k, x) => intros.push((*k, x.clone())),
            }
        }
        Content {
            founders: shared(&f),
            companies: shared(&c),
            sectors: shared(&s),
            employers: shared(&e),
            pages: shared(&p),
            intros,
            ..Content::default()
        }
    }
}

/// One profile of any kind, borrowed: what code that treats every kind alike reads. The
/// dispatch from a kind to its typed list is written once, in [`Content::entry`] and the
/// `each!` macro below.
#[derive(Debug, Clone, Copy)]
pub enum EntryRef<'a> {
    Founder(&'a Arc<Entry<Founder>>),
    Company(&'a Arc<Entry<Company>>),
    Sector(&'a Arc<Entry<Sector>>),
    Employer(&'a Arc<Entry<Employer>>),
    Page(&'a Arc<Entry<Page>>),
}

/// Runs `$body` with `$e` bound to the typed entry, whatever its kind.
macro_rules! each {
    ($r:expr, $e:ident => $body:expr) => {
        match $r {
            EntryRef::Founder($e) => $body,
            EntryRef::Company($e) => $body,
            EntryRef::Sector($e) => $body,
            EntryRef::Employer($e) => $body,
            EntryRef::Page($e) => $body,
        }
    };
}

impl<'a> EntryRef<'a> {
    pub fn slug(self) -> &'a Slug {
        each!(self, e => &e.slug)
    }

    /// Whether `lang` has its own file.
    pub fn translated(self, lang: LangId) -> bool {
        each!(self, e => e.translated(lang))
    }

    /// The file its page in `lang` is made from: its own, or the original.
    pub fn src_in(self, lang: LangId) -> &'a Arc<SourceFile> {
        each!(self, e => &e.doc(lang).src)
    }

    /// The name (a free page's title) its page in `lang` shows.
    pub fn name_in(self, lang: LangId) -> Option<&'a str> {
        use super::schema::FrontMatterName;
        each!(self, e => e.doc(lang).fm.name())
    }

    /// Whether the profile is a draft.
    pub fn is_draft(self) -> bool {
        each!(self, e => e.original().fm.is_draft())
    }

    /// Whether both are the very same entry (shared between two loads of the content).
    pub fn same(self, other: EntryRef) -> bool {
        match (self, other) {
            (EntryRef::Founder(a), EntryRef::Founder(b)) => Arc::ptr_eq(a, b),
            (EntryRef::Company(a), EntryRef::Company(b)) => Arc::ptr_eq(a, b),
            (EntryRef::Sector(a), EntryRef::Sector(b)) => Arc::ptr_eq(a, b),
            (EntryRef::Employer(a), EntryRef::Employer(b)) => Arc::ptr_eq(a, b),
            (EntryRef::Page(a), EntryRef::Page(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Content {
    /// Profile `i` of `kind`.
    pub fn entry(&self, kind: Kind, i: usize) -> EntryRef<'_> {
        match kind {
            Kind::Founder => EntryRef::Founder(&self.founders[i]),
            Kind::Company => EntryRef::Company(&self.companies[i]),
            Kind::Sector => EntryRef::Sector(&self.sectors[i]),
            Kind::Employer => EntryRef::Employer(&self.employers[i]),
            Kind::Page => EntryRef::Page(&self.pages[i]),
        }
    }

    /// How many profiles of `kind` there are.
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Founder => self.founders.len(),
            Kind::Company => self.companies.len(),
            Kind::Sector => self.sectors.len(),
            Kind::Employer => self.employers.len(),
            Kind::Page => self.pages.len(),
        }
    }
}
