//! References between profiles: every slug resolved to an index, checked fields, the
//! reverse links (backlinks) and display orders.

pub mod graph;
pub mod links;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use links::parse_target;
pub use links::permalink;

use crate::config::{Config, LangId};
use crate::content::{
    slug_key, Content, Entry, FrontMatterName, Key, Kind, PerKind, Slug, SourceFile,
};
use crate::error::{Diagnostic, Error, Result};

/// An old slug of a profile (`aliases:`): its old address redirects to the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub kind: Kind,
    /// The old slug.
    pub slug: Slug,
    /// The profile it redirects to.
    pub target: usize,
}

/// The content with every reference resolved to an index, and the reverse links.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub content: Content,
    /// Every relation of the reference graph (`graph::RELATIONS`), by relation, then
    /// profile of its source kind: the profiles it links to ([`Site::targets`]).
    links: Vec<Vec<Vec<usize>>>,
    /// The founder's own city, else their company's.
    pub founder_city: Vec<Option<String>>,
    /// Sectors in display order.
    pub sector_order: Vec<usize>,
    /// Employers in display order.
    pub employer_order: Vec<usize>,
    /// Pages in navigation order.
    pub page_order: Vec<usize>,
    /// Every alias, by kind, then profile, then as listed.
    pub aliases: Vec<Alias>,
    /// Each alias's place in `aliases`, by kind and old slug.
    alias_index: HashMap<(Kind, Key), usize>,
    /// Each kind's profiles by slug (in `Kind::ALL` order).
    index: Arc<PerKind<HashMap<Slug, usize>>>,
}

impl Site {
    /// The profiles that profile `i` of `rel`'s source kind refers to (or, for a
    /// backlink, that refer to it), in the order the site keeps them.
    pub fn targets(&self, rel: graph::Rel, i: usize) -> &[usize] {
        &self.links[rel as usize][i]
    }

    /// The one profile a single-valued relation names, if any.
    pub fn target(&self, rel: graph::Rel, i: usize) -> Option<usize> {
        self.targets(rel, i).first().copied()
    }

    /// The profiles profile `i` of `kind` names in its front matter, with their kinds.
    pub fn named_by(&self, kind: Kind, i: usize) -> Vec<(Kind, usize)> {
        graph::fields_of(kind)
            .flat_map(|r| self.targets(r.rel, i).iter().map(|&t| (r.to, t)))
            .collect()
    }
}

/// Resolves every reference of `content`; all unresolved ones are reported together.
pub fn site(content: Content) -> Result<Site> {
    site_after(content, None)
}

/// [`site`], reusing what `prev` computed that depends only on which profiles exist (the
/// slug index) when the content has the very same profiles (the dev server).
pub fn site_after(mut content: Content, prev: Option<&Site>) -> Result<Site> {
    // Stable output: every kind sorted by slug (pinyin), which reads well in both languages.
    content.founders.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.companies.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.sectors.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.employers.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    let same = prev.filter(|p| {
        let c = &p.content;
        fn same<T>(a: &[Arc<Entry<T>>], b: &[Arc<Entry<T>>]) -> bool {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.slug == y.slug)
        }
        same(&c.founders, &content.founders)
            && same(&c.companies, &content.companies)
            && same(&c.sectors, &content.sectors)
            && same(&c.employers, &content.employers)
            && same(&c.pages, &content.pages)
    });
    let mut site = Site {
        index: same.map_or_else(|| Arc::new(index(&content)), |p| p.index.clone()),
        ..Site::default()
    };
    let mut diags = Vec::new();
    site.references(&content, &mut diags);
    site.aliases = site.aliases(&content, &mut diags);
    site.alias_index = site
        .aliases
        .iter()
        .enumerate()
        .map(|(n, a)| ((a.kind, Key::of(a.slug.as_str())), n))
        .collect();
    let (warnings, errors): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.warning);
    if !errors.is_empty() {
        return Err(Error::Diagnostics(errors));
    }
    content.warnings.extend(warnings);
    site.content = content;
    site.backlinks();
    site.orders();
    Ok(site)
}

fn index(c: &Content) -> PerKind<HashMap<Slug, usize>> {
    PerKind::build(|kind| {
        (0..c.count(kind))
            .map(|i| (c.entry(kind, i).slug().clone(), i))
            .collect()
    })
}

/// The hint for an unknown slug of `kind`: "did you mean" only when one slug is a near
/// miss (a typo), else how to create the profile. A different profile that merely looks
/// alike is never offered as the fix: accepting it would publish a wrong fact.
pub(crate) fn suggest(slugs: &[&str], bad: &str, kind: Kind) -> String {
    let create = format!("create it with `dossier new {} {bad}`", kind.name());
    match near_miss(slugs, bad) {
        Some(s) => format!("did you mean `{s}`? If not, {create}"),
        None => format!("no {} is called `{bad}`: {create}", kind.name()),
    }
}

/// The one candidate within typing distance of `bad`: at most one edit for a short word,
/// two from ten characters on. None when none is, or when two are equally near.
pub(crate) fn near_miss<'a>(candidates: &[&'a str], bad: &str) -> Option<&'a str> {
    let limit = if bad.chars().count() >= 10 { 2 } else { 1 };
    let mut near: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(bad, c), *c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    near.sort();
    match near.as_slice() {
        [(d, c), rest @ ..] if rest.first().is_none_or(|(d2, _)| d2 > d) => Some(c),
        _ => None,
    }
}

/// Profile `i`'s original file and whether it is a draft.
fn original(c: &Content, kind: Kind, i: usize) -> (&SourceFile, bool) {
    let e = c.entry(kind, i);
    (e.src_in(LangId::DEFAULT), e.is_draft())
}

/// The slugs of a kind's profiles.
fn slugs(c: &Content, kind: Kind) -> Vec<&str> {
    (0..c.count(kind))
        .map(|i| c.entry(kind, i).slug().as_str())
        .collect()
}

impl Site {
    /// Whether profile `i` of `kind` has its own file in `lang` (the original's language
    /// always has).
    pub fn translated(&self, kind: Kind, i: usize, lang: LangId) -> bool {
        self.content.entry(kind, i).translated(lang)
    }

    /// The file page `i` of `kind` is made from in `lang`: its own, or the original where
    /// that language has none.
    pub fn source_in(&self, kind: Kind, i: usize, lang: LangId) -> &SourceFile {
        self.content.entry(kind, i).src_in(lang)
    }

    /// Whether profile `i` of `kind` is a draft (in the site only with `--drafts`).
    pub fn is_draft(&self, kind: Kind, i: usize) -> bool {
        self.content.entry(kind, i).is_draft()
    }

    /// The key of profile `i` of `kind`: its slug, interned (the name its outputs have).
    pub fn key(&self, kind: Kind, i: usize) -> Key {
        Key::of(self.slug(kind, i).as_str())
    }

    /// The key of every profile of `kind`, in order.
    pub fn keys(&self, kind: Kind) -> Vec<Key> {
        Key::of_each((0..self.count(kind)).map(|i| self.slug(kind, i).as_str()))
    }

    /// The profile of `kind` whose slug `key` is.
    pub fn index_of(&self, kind: Kind, key: Key) -> Option<usize> {
        self.lookup(kind, &key.name())
    }

    /// The alias of `kind` whose old slug `old` is.
    pub fn alias(&self, kind: Kind, old: Key) -> Option<&Alias> {
        self.alias_index
            .get(&(kind, old))
            .map(|&n| &self.aliases[n])
    }

    /// Index of a profile by kind and slug.
    pub fn lookup(&self, kind: Kind, slug: &str) -> Option<usize> {
        self.index[kind].get(slug).copied()
    }

    /// Resolves an internal link target `founders/slug` (after `@/`) to a URL for `lang`.
    pub fn internal_link(&self, cfg: &Config, target: &str, lang: LangId) -> Option<String> {
        let (t, anchor) = parse_target(target)?;
        let rel = match (t.kind, t.slug.as_deref()) {
            (None, None) => cfg.lang_prefix(lang),
            (None, Some(page)) => format!("{}{page}/", cfg.lang_prefix(lang)),
            (Some(kind), Some(slug)) => {
                self.lookup(kind, slug)?;
                permalink(cfg, kind, Some(slug), lang)
            }
            (Some(kind), None) => permalink(cfg, kind, None, lang),
        };
        Some(match anchor {
            Some(a) => format!("{}#{}", cfg.base.link(&rel), a),
            None => cfg.base.link(&rel),
        })
    }

    /// The slug of profile `i` of `kind`.
    pub fn slug(&self, kind: Kind, i: usize) -> &Slug {
        self.content.entry(kind, i).slug()
    }

    /// The original (default-language) file of profile `i` of `kind`.
    pub fn source(&self, kind: Kind, i: usize) -> &SourceFile {
        self.source_in(kind, i, LangId::DEFAULT)
    }

    /// How many profiles of `kind` there are.
    pub fn count(&self, kind: Kind) -> usize {
        self.content.count(kind)
    }

    /// Resolves one reference of a profile (its original file and whether it is a
    /// draft), or reports it at its place in the front matter.
    fn reference(
        &self,
        (src, draft): (&SourceFile, bool),
        field: &str,
        slug: &Slug,
        kind: Kind,
        c: &Content,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let found = self.lookup(kind, slug.as_str());
        // A draft in a preview (`serve`, `--drafts`) may still point nowhere: the page shows
        // without the link and the problem is a warning, so the editor sees the draft.
        if found.is_none() {
            let (msg, hint) = match c.draft(kind, slug) {
                Some(d) => (
                    format!("{} `{slug}` is a draft, not published", kind.name()),
                    format!(
                        "publish it by removing `draft: true` from {}, or preview both with `--drafts`",
                        d.path.display()
                    ),
                ),
                None => (
                    format!("unknown {} `{slug}`", kind.name()),
                    suggest(&slugs(c, kind), slug.as_str(), kind),
                ),
            };
            let d = src.diag_at_value(field, slug.as_str(), msg).with_hint(hint);
            diags.push(if draft { d.warning() } else { d });
        }
        found
    }

    /// The forward references of every kind, field by field as the reference graph
    /// declares them (the kinds in parallel), and each founder's city.
    fn references(&mut self, c: &Content, diags: &mut Vec<Diagnostic>) {
        use rayon::prelude::*;
        /// One kind's forward relations, resolved, and the problems found.
        struct Resolved {
            links: Vec<(graph::Rel, Vec<Vec<usize>>)>,
            diags: Vec<Diagnostic>,
        }
        let per_kind: Vec<Resolved> = Kind::ALL
            .par_iter()
            .map(|&kind| {
                let mut diags = Vec::new();
                let links = self.kind_refs(c, kind, &mut diags);
                Resolved { links, diags }
            })
            .collect();
        self.links = vec![Vec::new(); graph::RELATIONS.len()];
        for kind in per_kind {
            diags.extend(kind.diags);
            for (rel, lists) in kind.links {
                self.links[rel as usize] = lists;
            }
        }
        let company = |i: usize| self.target(graph::Rel::FounderCompany, i);
        self.founder_city = c
            .founders
            .iter()
            .enumerate()
            .map(|(i, f)| {
                f.original().fm.city.clone().or_else(|| {
                    company(i).and_then(|ci| c.companies[ci].original().fm.city.clone())
                })
            })
            .collect();
    }

    /// The forward relations of `kind`'s profiles, resolved profile by profile (each
    /// profile's problems together, in the order of the graph's fields).
    fn kind_refs(
        &self,
        c: &Content,
        kind: Kind,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(graph::Rel, Vec<Vec<usize>>)> {
        let rels: Vec<&graph::Relation> = graph::fields_of(kind).collect();
        let mut lists = vec![Vec::new(); rels.len()];
        for i in 0..slugs(c, kind).len() {
            let (src, draft) = original(c, kind, i);
            for (n, r) in rels.iter().enumerate() {
                let (Some(read), Some(field)) = (r.slugs, r.field) else {
                    continue;
                };
                let found = read(c, i)
                    .into_iter()
                    .filter_map(|slug| self.reference((src, draft), field, slug, r.to, c, diags))
                    .collect();
                lists[n].push(found);
            }
        }
        rels.iter().map(|r| r.rel).zip(lists).collect()
    }

    /// Every alias, checked: an old slug can be neither a live profile's slug nor another
    /// profile's alias (both would write the same page).
    fn aliases(&self, c: &Content, diags: &mut Vec<Diagnostic>) -> Vec<Alias> {
        /// Each profile's original file and the aliases it lists.
        fn listed<T: FrontMatterName>(entries: &[Arc<Entry<T>>]) -> Vec<(&SourceFile, &[Slug])> {
            entries
                .iter()
                .map(|e| (&*e.original().src, e.original().fm.aliases()))
                .collect()
        }
        let kinds = [
            (Kind::Founder, listed(&c.founders)),
            (Kind::Company, listed(&c.companies)),
            (Kind::Sector, listed(&c.sectors)),
            (Kind::Employer, listed(&c.employers)),
            (Kind::Page, listed(&c.pages)),
        ];
        let mut out = Vec::new();
        let mut seen: HashMap<(Kind, String), PathBuf> = HashMap::new();
        for (kind, profiles) in kinds {
            for (i, (src, aliases)) in profiles.into_iter().enumerate() {
                for (n, a) in aliases.iter().enumerate() {
                    let nth = aliases[..n].iter().filter(|b| *b == a).count();
                    let at = |msg: String| src.diag_at_item("aliases", a.as_str(), nth, msg);
                    if let Some(j) = self.lookup(kind, a.as_str()) {
                        diags.push(if j == i {
                            at(format!("alias `{a}` is this profile's own slug"))
                                .with_hint("an alias is an old slug: remove this one")
                        } else {
                            at(format!(
                                "alias `{a}` is the slug of another {}: its page would be replaced by a redirect",
                                kind.name()
                            ))
                            .with_hint(format!(
                                "content/{}/{a}.*.md is live at that address; remove the alias or rename that profile",
                                kind.section()
                            ))
                        });
                        continue;
                    }
                    let key = (kind, slug_key(a.as_str()));
                    if let Some(other) = seen.get(&key) {
                        diags.push(
                            at(format!("alias `{a}` is already an alias in {}", other.display()))
                                .with_hint("one old address can redirect to one profile only; remove one of them"),
                        );
                        continue;
                    }
                    seen.insert(key, src.path.clone());
                    out.push(Alias {
                        kind,
                        slug: a.clone(),
                        target: i,
                    });
                }
            }
        }
        out
    }

    /// Reverse links, as the graph declares them: a sector lists the founders and
    /// companies in it, an employer who left it; a company's founders include those who
    /// name it.
    fn backlinks(&mut self) {
        for r in graph::RELATIONS {
            let Some(of) = r.reverse_of else { continue };
            let n = slugs(&self.content, r.from).len();
            let mut lists = std::mem::take(&mut self.links[r.rel as usize]);
            lists.resize(n, Vec::new());
            for (i, targets) in self.links[of as usize].iter().enumerate() {
                for &t in targets {
                    if !lists[t].contains(&i) {
                        lists[t].push(i);
                    }
                }
            }
            self.links[r.rel as usize] = lists;
        }
    }

    /// Display orders: by `order`, then (employers) by how many left, then by slug.
    fn orders(&mut self) {
        let c = &self.content;
        let mut sectors: Vec<usize> = (0..c.sectors.len()).collect();
        sectors.sort_by_key(|&i| (c.sectors[i].original().fm.order.unwrap_or(i64::MAX), i));
        let mut employers: Vec<usize> = (0..c.employers.len()).collect();
        employers.sort_by_key(|&i| {
            (
                c.employers[i].original().fm.order.unwrap_or(i64::MAX),
                std::cmp::Reverse(self.targets(graph::Rel::EmployerFounders, i).len()),
                i,
            )
        });
        let mut pages: Vec<usize> = (0..c.pages.len()).collect();
        pages.sort_by_key(|&i| (c.pages[i].original().fm.order.unwrap_or(i64::MAX), i));
        self.sector_order = sectors;
        self.employer_order = employers;
        self.page_order = pages;
    }
}
