//! The dependency map: which sources each output file read, so that the dev server can
//! ask which outputs a change touches and re-render only those.
//!
//! A page records what it reads while it renders: the profiles it shows (and in which
//! language), the lists it walks, its template and everything that template pulls in,
//! each interface string, and the derived values it embeds (navigation, charts, filter
//! choices). Reads
//! are recorded into a per-thread recorder that is only active while a page renders in
//! the dev server; a one-off build records nothing and pays nothing.
//!
//! **The thread rule.** A page renders on one thread from its first read to its last:
//! outputs render in parallel (rayon, `render::outputs`), the parts of one never do. A read
//! made on another thread would be lost, or worse, land in the list of whatever page that
//! thread is rendering. So nothing that a page runs (a view, a template function, a
//! Markdown body, a card) may hand work to rayon or spawn a thread.
//! `tests/it/incremental.rs` (`pages_record_the_same_reads_in_parallel_as_alone`) renders
//! every page of a site in parallel and one at a time and requires the same reads.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::config::LangId;
use crate::content::{Kind, Slug};
use crate::output::SitePath;
use crate::resolve::Site;

/// Something an output can depend on.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Dep {
    /// A profile's front matter as seen in a language: its file in that language, or
    /// the original where untranslated, and whether it is translated. (Reading a profile
    /// in a language that has its own file also reads [`Dep::Shared`]; in one that has
    /// not, the original's `Fields`.)
    Fields(Kind, Slug, LangId),
    /// What a translated profile's pages read of its original: the language-neutral fields
    /// and those merged across languages (`added`). A page in another language that has
    /// its own file reads this and not the original's [`Dep::Fields`].
    Shared(Kind, Slug),
    /// A profile's name as its file in a language gives it: what lists in the other
    /// languages show beside the name in their own.
    Name(Kind, Slug, LangId),
    /// A profile's rendered Markdown body in a language (only its own page shows it).
    Body(Kind, Slug, LangId),
    /// A section introduction (`content/<section>/_index.<lang>.md`) in a language.
    Intro(Kind, LangId),
    /// The front matter of every profile of a kind, in every language: what an output
    /// that reads more than [`MANY`] of them records instead of each (the open data reads
    /// them all), so that its entry in the map stays small.
    AnyFields(Kind),
    /// The names of every profile of a kind, in every language: what an output that shows
    /// more than [`MANY`] of them, and nothing else of them, records instead of each (the
    /// open data's companies list their founders by name).
    AnyNames(Kind),
    /// The set of profiles of a kind: a page that lists them all changes when one is
    /// added, removed, renamed or becomes a draft.
    Members(Kind),
    /// A template file of the theme, by name (`partials/macros.html`).
    Template(String),
    /// An interface string of the theme.
    I18n(LangId, String),
    /// The site-wide settings every page shows: title, description, base URL, languages.
    Config,
    /// A city's names (`cities:` in site.yaml).
    City(String),
    /// The navigation of a language (section links and free pages' titles).
    Nav(LangId),
    /// Every language's own name (the language switcher).
    Labels,
    /// The charts of a language.
    Charts(LangId),
    /// The choices of the founders list's filters in a language (sectors, employers with
    /// founders, cities): read from every founder and employer, recorded as one source.
    Filters(LangId),
    /// Which profiles are the newest (the home page's and the feeds' choice) and the
    /// latest changes.
    Latest,
    /// The dates of every profile (the sitemap's `lastmod`).
    Dates,
    /// An image file a page shows (a portrait or logo), by its path as shown to users.
    Image(std::path::PathBuf),
}

/// A read as recorded while rendering: profiles by index, converted to [`Dep`] (by
/// slug, which survives other profiles being added) when the page is done.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Read {
    Fields(Kind, u32, LangId),
    Name(Kind, u32, LangId),
    Body(Kind, u32, LangId),
    Other(Dep),
}

thread_local! {
    static RECORDER: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

fn push(read: impl FnOnce() -> Read) {
    RECORDER.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push(read());
        }
    });
}

/// Records that the page being rendered read the front matter of profile `i` of `kind`
/// in `lang`.
pub fn entity(kind: Kind, i: usize, lang: LangId) {
    push(|| Read::Fields(kind, i as u32, lang));
}

/// Records that the page being rendered shows the name of profile `i` of `kind` in `lang`
/// (and nothing else of that language's file).
pub fn name(kind: Kind, i: usize, lang: LangId) {
    push(|| Read::Name(kind, i as u32, lang));
}

/// Records that the page being rendered shows the body of profile `i` of `kind` in `lang`.
pub fn body(kind: Kind, i: usize, lang: LangId) {
    push(|| Read::Body(kind, i as u32, lang));
}

/// Records that the page being rendered read `source` (built only while recording).
pub fn read(source: impl FnOnce() -> Dep) {
    push(|| Read::Other(source()));
}

/// Whether reads are being recorded on this thread.
pub fn recording() -> bool {
    RECORDER.with(|r| r.borrow().is_some())
}

/// Runs `f` with a recorder on this thread when `on`, and returns what it read as sources.
pub fn record<R>(on: bool, site: &Site, f: impl FnOnce() -> R) -> (R, Vec<Dep>) {
    if !on {
        return (f(), Vec::new());
    }
    let outer = RECORDER.with(|r| r.borrow_mut().replace(Vec::new()));
    let result = f();
    let mut reads = RECORDER
        .with(|r| std::mem::replace(&mut *r.borrow_mut(), outer))
        .unwrap_or_default();
    reads.sort_unstable();
    reads.dedup();
    let mut sources: Vec<Dep> = Vec::with_capacity(reads.len() + 8);
    for read in reads {
        match read {
            Read::Fields(kind, i, lang) => {
                let slug = site.slug(kind, i as usize).clone();
                if site.translated(kind, i as usize, lang) {
                    if !lang.is_default() {
                        sources.push(Dep::Shared(kind, slug.clone()));
                    }
                } else {
                    // Shown from the original.
                    sources.push(Dep::Fields(kind, slug.clone(), LangId::DEFAULT));
                }
                sources.push(Dep::Fields(kind, slug, lang));
            }
            Read::Name(kind, i, lang) => {
                let slug = site.slug(kind, i as usize).clone();
                if !site.translated(kind, i as usize, lang) {
                    // The original's name stands in until the translation comes.
                    sources.push(Dep::Name(kind, slug.clone(), LangId::DEFAULT));
                }
                sources.push(Dep::Name(kind, slug, lang));
            }
            Read::Body(kind, i, lang) => {
                sources.push(Dep::Body(kind, site.slug(kind, i as usize).clone(), lang));
            }
            Read::Other(s) => sources.push(s),
        }
    }
    sources.sort_unstable();
    sources.dedup();
    (result, coarsen(sources))
}

/// How many profiles' front matter of one kind an output may record one by one.
pub const MANY: usize = 256;

/// Replaces the reads of a kind's profiles by one `AnyFields` where there are more than
/// [`MANY`] profiles, or by one `AnyNames` where every one of those reads is of a name.
fn coarsen(mut sources: Vec<Dep>) -> Vec<Dep> {
    // Profiles, not reads: a row reads its profile's fields and its names in the other
    // languages, which count once. With each kind, whether any read is more than a name.
    let mut per_kind: HashMap<Kind, (HashSet<&Slug>, bool)> = HashMap::new();
    for s in &sources {
        if let Dep::Fields(k, slug, _) | Dep::Shared(k, slug) | Dep::Name(k, slug, _) = s {
            let (slugs, fields) = per_kind.entry(*k).or_default();
            slugs.insert(slug);
            *fields |= !matches!(s, Dep::Name(..));
        }
    }
    let many: Vec<(Kind, bool)> = per_kind
        .into_iter()
        .filter(|(_, (slugs, _))| slugs.len() > MANY)
        .map(|(k, (_, fields))| (k, fields))
        .collect();
    if many.is_empty() {
        return sources;
    }
    sources.retain(|s| {
        !matches!(s, Dep::Fields(k, ..) | Dep::Shared(k, _) | Dep::Name(k, ..)
                if many.iter().any(|(m, _)| m == k))
    });
    sources.extend(many.into_iter().map(|(k, fields)| match fields {
        true => Dep::AnyFields(k),
        false => Dep::AnyNames(k),
    }));
    sources.sort_unstable();
    sources
}

/// For every source, the outputs that read it.
#[derive(Debug, Clone, Default)]
pub struct DepMap {
    readers: HashMap<Dep, HashSet<SitePath>>,
    /// What each output read (to forget it when the output is rendered again).
    reads: HashMap<SitePath, Vec<Dep>>,
}

impl DepMap {
    /// Records (or replaces) what `output` read.
    pub fn set(&mut self, output: SitePath, sources: Vec<Dep>) {
        // An edit mostly renders pages that read what they read before.
        if self.reads.get(&output) == Some(&sources) {
            return;
        }
        self.remove(&output);
        for s in &sources {
            self.readers
                .entry(s.clone())
                .or_default()
                .insert(output.clone());
        }
        self.reads.insert(output, sources);
    }

    /// Forgets an output (it is no longer written).
    pub fn remove(&mut self, output: &SitePath) {
        if let Some(old) = self.reads.remove(output) {
            for s in old {
                if let Some(set) = self.readers.get_mut(&s) {
                    set.remove(output);
                    if set.is_empty() {
                        self.readers.remove(&s);
                    }
                }
            }
        }
    }

    /// The outputs that read any of `changed`.
    pub fn affected<'a>(&self, changed: impl IntoIterator<Item = &'a Dep>) -> HashSet<SitePath> {
        let mut out = HashSet::new();
        for s in changed {
            if let Some(set) = self.readers.get(s) {
                out.extend(set.iter().cloned());
            }
            let coarse = match s {
                Dep::Fields(k, ..) | Dep::Shared(k, _) => [Some(Dep::AnyFields(*k)), None],
                Dep::Name(k, ..) => [Some(Dep::AnyFields(*k)), Some(Dep::AnyNames(*k))],
                _ => [None, None],
            };
            for c in coarse.iter().flatten() {
                if let Some(set) = self.readers.get(c) {
                    out.extend(set.iter().cloned());
                }
            }
        }
        out
    }

    /// What an output read.
    pub fn sources(&self, output: &SitePath) -> &[Dep] {
        self.reads.get(output).map(Vec::as_slice).unwrap_or(&[])
    }

    /// How many outputs are mapped.
    pub fn len(&self) -> usize {
        self.reads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.reads.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> SitePath {
        SitePath::new(s).unwrap()
    }

    #[test]
    fn a_map_answers_which_outputs_read_a_source() {
        let mut m = DepMap::default();
        m.set(
            path("a/index.html"),
            vec![Dep::Config, Dep::Members(Kind::Founder)],
        );
        m.set(path("b/index.html"), vec![Dep::Config]);
        let hit = m.affected([&Dep::Members(Kind::Founder)]);
        assert_eq!(hit, HashSet::from([path("a/index.html")]));
        // Rendering `a` again with other reads forgets the old ones.
        m.set(path("a/index.html"), vec![Dep::Nav(LangId::DEFAULT)]);
        assert!(m.affected([&Dep::Members(Kind::Founder)]).is_empty());
        assert_eq!(
            m.affected([&Dep::Config]),
            HashSet::from([path("b/index.html")])
        );
        m.remove(&path("b/index.html"));
        assert!(m.affected([&Dep::Config]).is_empty());
    }

    #[test]
    fn an_output_that_reads_many_profiles_records_their_kind() {
        let slug = |i: usize| Slug::parse(&format!("p{i}")).unwrap();
        let fields = |n: usize, kind| -> Vec<Dep> {
            (0..n)
                .map(|i| Dep::Fields(kind, slug(i), LangId::DEFAULT))
                .collect()
        };
        // A few stay one by one.
        let few = coarsen(fields(MANY, Kind::Founder));
        assert_eq!(few.len(), MANY);
        // They count by profile: the rows of MANY founders, with their names.
        let mut rows = fields(MANY, Kind::Founder);
        rows.extend((0..MANY).map(|i| Dep::Name(Kind::Founder, slug(i), LangId::DEFAULT)));
        rows.extend((0..MANY).map(|i| Dep::Shared(Kind::Founder, slug(i))));
        assert_eq!(coarsen(rows).len(), 3 * MANY);
        // Many become one source, and other reads stay as they were.
        let mut reads = fields(MANY + 1, Kind::Founder);
        reads.extend(fields(3, Kind::Company));
        reads.push(Dep::Config);
        let coarse = coarsen(reads);
        assert_eq!(coarse.len(), 1 + 3 + 1, "{coarse:?}");
        assert!(coarse.contains(&Dep::AnyFields(Kind::Founder)));
        // A change to any founder, one it read or one added since, reaches it.
        let mut m = DepMap::default();
        m.set(path("data/founders.json"), coarse);
        let added = Dep::Fields(Kind::Founder, slug(10_000), LangId::DEFAULT);
        assert_eq!(
            m.affected([&added]),
            HashSet::from([path("data/founders.json")])
        );
        let company = Dep::Fields(Kind::Company, slug(7), LangId::DEFAULT);
        assert!(m.affected([&company]).is_empty());
        // So does a change of a name or of the neutral fields alone.
        for s in [
            Dep::Name(Kind::Founder, slug(3), LangId::DEFAULT),
            Dep::Shared(Kind::Founder, slug(20_000)),
        ] {
            assert_eq!(
                m.affected([&s]),
                HashSet::from([path("data/founders.json")])
            );
        }
    }

    #[test]
    fn an_output_that_shows_only_the_names_of_many_profiles_is_left_alone_by_other_fields() {
        let slug = |i: usize| Slug::parse(&format!("p{i}")).unwrap();
        let names: Vec<Dep> = (0..=MANY)
            .map(|i| Dep::Name(Kind::Founder, slug(i), LangId::DEFAULT))
            .collect();
        let coarse = coarsen(names.clone());
        assert_eq!(coarse, [Dep::AnyNames(Kind::Founder)]);
        let mut m = DepMap::default();
        m.set(path("data/companies.json"), coarse);
        // A founder renamed, added or removed reaches it (their names change)...
        let hit = HashSet::from([path("data/companies.json")]);
        assert_eq!(
            m.affected([&Dep::Name(Kind::Founder, slug(10_000), LangId::DEFAULT)]),
            hit
        );
        // ... a founder's summary does not.
        for s in [
            Dep::Fields(Kind::Founder, slug(3), LangId::DEFAULT),
            Dep::Shared(Kind::Founder, slug(3)),
        ] {
            assert!(m.affected([&s]).is_empty(), "{s:?}");
        }
        // One read of more than a name makes the whole kind's fields the source.
        let mut more = names;
        more.push(Dep::Shared(Kind::Founder, slug(0)));
        assert_eq!(coarsen(more), [Dep::AnyFields(Kind::Founder)]);
    }

    #[test]
    fn nothing_is_recorded_outside_a_recorder() {
        read(|| Dep::Config);
        assert!(!recording());
        let site = Site::default();
        let ((), sources) = record(true, &site, || {
            read(|| Dep::Config);
            read(|| Dep::Config);
            assert!(recording());
        });
        assert_eq!(sources, vec![Dep::Config]);
        assert!(!recording());
    }
}
