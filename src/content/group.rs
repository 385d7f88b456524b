//! Pairing each original with its translations: duplicate slugs, orphaned translations,
//! required fields, neutral fields (stated once, inherited) and drafts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use super::entry::{Content, Doc, Draft, Entry};
use super::file::{ContentFile, SourceFile};
use super::kind::Kind;
use super::parse::{split_name, AnyDoc, Raw};
use super::schema::{FrontMatter, Page, Slug};
use crate::config::{Config, LangId};
use crate::error::Diagnostic;

/// Slugs that would write the same page on a case-insensitive or normalizing file system.
pub fn slug_key(s: &str) -> String {
    s.nfc().collect::<String>().to_lowercase()
}

/// Groups parsed documents into entries per kind. `failed` lists files that could not be
/// parsed: translations of a failed original are not reported again as orphans.
pub fn assemble(
    cfg: &Config,
    docs: Vec<AnyDoc>,
    failed: &[ContentFile],
) -> (Content, Vec<Diagnostic>) {
    let failed: HashSet<(Kind, String)> = failed
        .iter()
        .filter_map(|f| match split_name(cfg, &f.shown) {
            Ok((slug, lang)) if lang.is_default() => Some((f.kind, slug_key(&slug))),
            _ => None,
        })
        .collect();
    let mut by_kind: (Vec<_>, Vec<_>, Vec<_>, Vec<_>, Vec<_>) = Default::default();
    let mut intros: BTreeMap<Kind, Vec<(Doc<Page>, Raw)>> = BTreeMap::new();
    for d in docs {
        match d {
            AnyDoc::Founder(d, r) => by_kind.0.push((d, r)),
            AnyDoc::Company(d, r) => by_kind.1.push((d, r)),
            AnyDoc::Sector(d, r) => by_kind.2.push((d, r)),
            AnyDoc::Employer(d, r) => by_kind.3.push((d, r)),
            AnyDoc::Page(d, r) => by_kind.4.push((d, r)),
            AnyDoc::Intro(k, d, r) => intros.entry(k).or_default().push((d, r)),
        }
    }
    let mut diags = Vec::new();
    let mut g = Grouper {
        cfg,
        failed: &failed,
        diags: &mut diags,
        drafts: Vec::new(),
    };
    let content = Content {
        founders: g.kind(Kind::Founder, by_kind.0),
        companies: g.kind(Kind::Company, by_kind.1),
        sectors: g.kind(Kind::Sector, by_kind.2),
        employers: g.kind(Kind::Employer, by_kind.3),
        pages: g.kind(Kind::Page, by_kind.4),
        intros: intros
            .into_iter()
            .flat_map(|(k, docs)| g.kind(k, docs).into_iter().map(move |e| (k, e)))
            .collect(),
        warnings: Vec::new(),
        drafts: std::mem::take(&mut g.drafts),
    };
    (content, diags)
}

/// The documents of one slug, per language.
type Slots<T> = Vec<Option<(Doc<T>, Raw)>>;

struct Grouper<'a> {
    cfg: &'a Config,
    failed: &'a HashSet<(Kind, String)>,
    diags: &'a mut Vec<Diagnostic>,
    drafts: Vec<Draft>,
}

impl Grouper<'_> {
    /// Pairs the documents of one kind by slug and builds an entry per slug.
    fn kind<T: FrontMatter>(&mut self, kind: Kind, docs: Vec<(Doc<T>, Raw)>) -> Vec<Arc<Entry<T>>> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut groups: Vec<(Slug, Slots<T>)> = Vec::new();
        for (doc, raw) in docs {
            let gi = *index.entry(slug_key(doc.slug.as_str())).or_insert_with(|| {
                groups.push((doc.slug.clone(), vec_of_none(self.cfg.langs.len())));
                groups.len() - 1
            });
            let (slug, slots) = &mut groups[gi];
            if let Some(d) = duplicate(slug, slots, &doc) {
                self.diags.push(d);
                continue;
            }
            let lang = doc.lang.index();
            slots[lang] = Some((doc, raw));
        }
        groups
            .into_iter()
            .filter_map(|(slug, slots)| self.entry(kind, &slug, slots).map(Arc::new))
            .collect()
    }

    /// One entry from its documents: the original's required fields, the translations'
    /// neutral fields, inheritance and drafts. None when it has errors or is a draft.
    fn entry<T: FrontMatter>(
        &mut self,
        kind: Kind,
        slug: &Slug,
        mut slots: Slots<T>,
    ) -> Option<Entry<T>> {
        let Some((original, orig_raw)) = slots[0].take() else {
            if !self.failed.contains(&(kind, slug_key(slug.as_str()))) {
                self.orphans(&slots);
            }
            return None;
        };
        let before = self.diags.len();
        original.fm.check(&original.src, self.cfg, self.diags);
        updated_is_a_day(&original, self.diags);
        if kind == Kind::Page {
            self.reserved(&original);
        }
        for m in original.fm.missing() {
            self.diags.push(missing(&original.src, &orig_raw, m));
        }
        let translations: Vec<Option<Doc<T>>> = slots
            .into_iter()
            .skip(1)
            .map(|slot| slot.map(|(doc, raw)| self.translation(doc, &raw, &original, &orig_raw)))
            .collect();
        for doc in std::iter::once(&original).chain(translations.iter().flatten()) {
            if let Some((at, name)) = crate::counts::placeholders::unknown(&doc.src.text) {
                self.diags.push(
                    doc.src
                        .diag_at(at, format!("`{{{{ count.{name} }}}}` counts nothing"))
                        .with_hint(
                            "use count.founders, count.companies, count.sectors or count.employers",
                        ),
                );
            }
        }
        if !original.fm.is_draft() {
            placeholders(&original.src, self.diags);
            for doc in translations.iter().flatten() {
                placeholders(&doc.src, self.diags);
            }
        }
        if self.diags.len() > before {
            return None;
        }
        if original.fm.is_draft() && !self.cfg.drafts {
            self.drafts.push(Draft {
                kind,
                slug: slug.clone(),
                path: original.src.path.clone(),
            });
            return None;
        }
        Some(Entry::new(original, translations))
    }

    /// Checks a translation against its original and inherits the neutral fields.
    fn translation<T: FrontMatter>(
        &mut self,
        mut doc: Doc<T>,
        raw: &Raw,
        original: &Doc<T>,
        orig_raw: &Raw,
    ) -> Doc<T> {
        let orig_name = original
            .src
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (key, value) in raw.iter().filter(|(k, _)| T::NEUTRAL.contains(&k.as_str())) {
            let (msg, hint) = match orig_raw.iter().find(|(k, _)| k == key) {
                Some((_, ov)) if ov == value => continue,
                Some(_) => (
                    format!("`{key}` conflicts with the value in {orig_name}"),
                    format!("`{key}` is language-neutral: it is written once, in {orig_name}; remove it here"),
                ),
                None => (
                    format!("`{key}` is language-neutral and belongs in {orig_name}"),
                    format!("move `{key}` to {orig_name}; translations inherit it"),
                ),
            };
            self.diags
                .push(doc.src.diag_at_key(key, msg).with_hint(hint));
        }
        updated_is_a_day(&doc, self.diags);
        doc.fm.inherit(&original.fm);
        for m in doc
            .fm
            .missing()
            .into_iter()
            .filter(|m| !T::NEUTRAL.contains(m))
        {
            self.diags.push(missing(&doc.src, raw, m));
        }
        doc
    }

    /// A free page sits at the root of the site (`/about/`): neither its slug nor an alias
    /// may take an address the site uses for something else.
    fn reserved<T: FrontMatter>(&mut self, doc: &Doc<T>) {
        let taken = |s: &str| reserved(self.cfg, s);
        let hint = "the site's own pages, sections and language prefixes live at the root; choose another slug";
        if taken(doc.slug.as_str()) {
            self.diags.push(
                Diagnostic::file(
                    &doc.src.path,
                    format!(
                        "a free page cannot be called `{}`: /{}/ is taken",
                        doc.slug, doc.slug
                    ),
                )
                .with_hint(hint),
            );
        }
        for a in doc.fm.aliases().iter().filter(|a| taken(a.as_str())) {
            self.diags.push(
                doc.src
                    .diag_at_item(
                        "aliases",
                        a.as_str(),
                        0,
                        format!("alias `{a}` is an address the site uses: /{a}/"),
                    )
                    .with_hint(hint),
            );
        }
    }

    /// Reports translations whose original does not exist.
    fn orphans<T>(&mut self, slots: &Slots<T>) {
        let default = &self.cfg.langs[LangId::DEFAULT.index()];
        for (d, _) in slots.iter().flatten() {
            let name = format!("{}.{default}.md", d.slug);
            self.diags.push(
                Diagnostic::file(
                    &d.src.path,
                    format!("translation without an original: no {name} next to it"),
                )
                .with_hint(format!(
                    "create {name}; language-neutral fields live in the {default} file"
                )),
            );
        }
    }
}

/// The archetypes' placeholder: a published profile that still says `TODO` (in a value of
/// its front matter or in its text) was never filled in.
const PLACEHOLDER: &str = "TODO";

/// Reports every `TODO` left from an archetype, outside YAML comments, at its line.
pub fn placeholders(src: &SourceFile, diags: &mut Vec<Diagnostic>) {
    let head_end = src.split.body_start;
    let mut offset = 0;
    for line in src.text.split_inclusive('\n') {
        let in_head = offset < head_end;
        // A YAML comment starts at `#` at the line's start or after a blank.
        let text = if in_head {
            let cut = line
                .char_indices()
                .find(|&(i, c)| c == '#' && (i == 0 || line[..i].ends_with([' ', '\t'])))
                .map_or(line.len(), |(i, _)| i);
            &line[..cut]
        } else {
            line
        };
        let found = text.match_indices(PLACEHOLDER).find(|&(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + PLACEHOLDER.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        });
        if let Some((i, _)) = found {
            let what = if in_head { "a field" } else { "the text" };
            diags.push(
                src.diag_at(
                    offset + i,
                    format!("placeholder `{PLACEHOLDER}` left in {what}"),
                )
                .with_hint(
                    "write what the source says, or leave the field empty when it is silent; \
                         to keep working on the profile unpublished, set `draft: true`",
                ),
            );
        }
        offset += line.len();
    }
}

/// Names at the root of the site besides the sections and language prefixes.
const RESERVED: &[&str] = &[
    "search",
    "changes",
    "data",
    "static",
    "pagefind",
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "CNAME",
];

/// Whether a free page at `/<s>/` would take an address the site uses: a language
/// prefix, a section, one of the site's own pages or files.
pub fn reserved(cfg: &Config, s: &str) -> bool {
    cfg.langs.iter().any(|l| l == s)
        || Kind::LISTED.iter().any(|k| k.section() == s)
        || RESERVED.contains(&s)
}

/// `updated:` names a day: a page shows it as one.
fn updated_is_a_day<T: FrontMatter>(doc: &Doc<T>, diags: &mut Vec<Diagnostic>) {
    if let Some(d) = doc.fm.updated().filter(|d| d.day.is_none()) {
        diags.push(
            doc.src
                .diag_at_value(
                    "updated",
                    &d.to_string(),
                    format!("`updated: {d}` is not a day"),
                )
                .with_hint("write the day of the last change: YYYY-MM-DD"),
        );
    }
}

fn vec_of_none<T>(n: usize) -> Vec<Option<T>> {
    (0..n).map(|_| None).collect()
}

/// A second file for a slot that is taken, or a slug spelled differently from its group's.
fn duplicate<T>(slug: &Slug, slots: &Slots<T>, doc: &Doc<T>) -> Option<Diagnostic> {
    if let Some((other, _)) = &slots[doc.lang.index()] {
        return Some(
            Diagnostic::file(
                &doc.src.path,
                format!(
                    "duplicate slug: {} is also defined by {}",
                    doc.slug,
                    other.src.path.display()
                ),
            )
            .with_hint("two files with the same slug and language (or differing only by case or Unicode normalization) would write the same page; rename one"),
        );
    }
    if *slug != doc.slug {
        let other = slots
            .iter()
            .flatten()
            .next()
            .map(|(d, _)| d.src.path.display().to_string())
            .unwrap_or_default();
        return Some(
            Diagnostic::file(
                &doc.src.path,
                format!(
                    "duplicate slug: `{}` differs from `{}` in {} only by case or Unicode normalization",
                    doc.slug, slug, other
                ),
            )
            .with_hint("spell the slug identically in every language's file name"),
        );
    }
    None
}

/// A required field that is absent, or written with no value (`name:`, `name: ~`,
/// `name: ""`, `sources: []`): located at its key when it is there.
fn missing(src: &SourceFile, raw: &Raw, key: &str) -> Diagnostic {
    if raw.iter().any(|(k, _)| k == key) {
        src.diag_at_key(key, format!("`{key}` is required but has no value"))
            .with_hint(format!("write the value after `{key}:`"))
    } else {
        Diagnostic::new(&src.path, 1, 1, format!("missing field `{key}`"))
            .with_source(&src.text)
            .with_hint(format!("add `{key}:` to the front matter"))
    }
}
