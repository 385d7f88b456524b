//! References between profiles: every slug resolved to an index, checked fields, the
//! reverse links (backlinks) and display orders.

pub mod links;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use links::parse_target;
pub use links::permalink;

use crate::config::{Config, LangId};
use crate::content::{
    slug_key, Content, Entry, FrontMatter, FrontMatterName, Kind, Slug, SourceFile,
};
use crate::error::{Diagnostic, Error, Result};

/// A founder's company, sector, employer and city.
type FounderRefs = (Option<usize>, Option<usize>, Option<usize>, Option<String>);

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
    pub founder_company: Vec<Option<usize>>,
    pub founder_sector: Vec<Option<usize>>,
    pub founder_employer: Vec<Option<usize>>,
    /// The founder's own city, else their company's.
    pub founder_city: Vec<Option<String>>,
    pub company_sector: Vec<Option<usize>>,
    pub company_founders: Vec<Vec<usize>>,
    pub sector_founders: Vec<Vec<usize>>,
    pub sector_companies: Vec<Vec<usize>>,
    pub employer_founders: Vec<Vec<usize>>,
    /// Sectors in display order.
    pub sector_order: Vec<usize>,
    /// Employers in display order.
    pub employer_order: Vec<usize>,
    /// Pages in navigation order.
    pub page_order: Vec<usize>,
    /// Every alias, by kind, then profile, then as listed.
    pub aliases: Vec<Alias>,
    /// Each kind's profiles by slug (in `Kind::ALL` order).
    index: Arc<[HashMap<Slug, usize>; 5]>,
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

fn index(c: &Content) -> [HashMap<Slug, usize>; 5] {
    fn of<T>(entries: &[Arc<Entry<T>>]) -> HashMap<Slug, usize> {
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.slug.clone(), i))
            .collect()
    }
    [
        of(&c.founders),
        of(&c.companies),
        of(&c.sectors),
        of(&c.employers),
        of(&c.pages),
    ]
}

/// The position of a kind in `Kind::ALL`.
fn slot(kind: Kind) -> usize {
    match kind {
        Kind::Founder => 0,
        Kind::Company => 1,
        Kind::Sector => 2,
        Kind::Employer => 3,
        Kind::Page => 4,
    }
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

/// The slugs of a kind's profiles.
fn slugs(c: &Content, kind: Kind) -> Vec<&str> {
    fn of<T>(e: &[Arc<Entry<T>>]) -> Vec<&str> {
        e.iter().map(|e| e.slug.as_str()).collect()
    }
    match kind {
        Kind::Founder => of(&c.founders),
        Kind::Company => of(&c.companies),
        Kind::Sector => of(&c.sectors),
        Kind::Employer => of(&c.employers),
        Kind::Page => of(&c.pages),
    }
}

impl Site {
    /// Whether profile `i` of `kind` has its own file in `lang` (the original's language
    /// always has).
    pub fn translated(&self, kind: Kind, i: usize, lang: LangId) -> bool {
        let c = &self.content;
        match kind {
            Kind::Founder => c.founders[i].translated(lang),
            Kind::Company => c.companies[i].translated(lang),
            Kind::Sector => c.sectors[i].translated(lang),
            Kind::Employer => c.employers[i].translated(lang),
            Kind::Page => c.pages[i].translated(lang),
        }
    }

    /// The file page `i` of `kind` is made from in `lang`: its own, or the original where
    /// that language has none.
    pub fn source_in(&self, kind: Kind, i: usize, lang: LangId) -> &crate::content::SourceFile {
        let c = &self.content;
        match kind {
            Kind::Founder => &c.founders[i].doc(lang).src,
            Kind::Company => &c.companies[i].doc(lang).src,
            Kind::Sector => &c.sectors[i].doc(lang).src,
            Kind::Employer => &c.employers[i].doc(lang).src,
            Kind::Page => &c.pages[i].doc(lang).src,
        }
    }

    /// Whether profile `i` of `kind` is a draft (in the site only with `--drafts`).
    pub fn is_draft(&self, kind: Kind, i: usize) -> bool {
        let c = &self.content;
        match kind {
            Kind::Founder => c.founders[i].original().fm.is_draft(),
            Kind::Company => c.companies[i].original().fm.is_draft(),
            Kind::Sector => c.sectors[i].original().fm.is_draft(),
            Kind::Employer => c.employers[i].original().fm.is_draft(),
            Kind::Page => c.pages[i].original().fm.is_draft(),
        }
    }

    /// Index of a profile by kind and slug.
    pub fn lookup(&self, kind: Kind, slug: &str) -> Option<usize> {
        self.index.get(slot(kind))?.get(slug).copied()
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
        let c = &self.content;
        match kind {
            Kind::Founder => &c.founders[i].slug,
            Kind::Company => &c.companies[i].slug,
            Kind::Sector => &c.sectors[i].slug,
            Kind::Employer => &c.employers[i].slug,
            Kind::Page => &c.pages[i].slug,
        }
    }

    /// The original (default-language) file of profile `i` of `kind`.
    pub fn source(&self, kind: Kind, i: usize) -> &SourceFile {
        self.source_in(kind, i, LangId::DEFAULT)
    }

    /// How many profiles of `kind` there are.
    pub fn count(&self, kind: Kind) -> usize {
        let c = &self.content;
        match kind {
            Kind::Founder => c.founders.len(),
            Kind::Company => c.companies.len(),
            Kind::Sector => c.sectors.len(),
            Kind::Employer => c.employers.len(),
            Kind::Page => c.pages.len(),
        }
    }

    /// Resolves one reference, or reports it at its place in the front matter.
    fn reference<T: FrontMatter>(
        &self,
        from: &Entry<T>,
        field: &str,
        slug: Option<&Slug>,
        kind: Kind,
        c: &Content,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let slug = slug?;
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
            let d = from
                .original()
                .src
                .diag_at_value(field, slug.as_str(), msg)
                .with_hint(hint);
            diags.push(if from.original().fm.is_draft() {
                d.warning()
            } else {
                d
            });
        }
        found
    }

    /// The forward references of founders and companies (the two in parallel).
    fn references(&mut self, c: &Content, diags: &mut Vec<Diagnostic>) {
        let (mut d1, mut d2) = (Vec::new(), Vec::new());
        let (founders, companies) = rayon::join(
            || self.founder_refs(c, &mut d1),
            || self.company_refs(c, &mut d2),
        );
        diags.extend(d1.into_iter().chain(d2));
        for (company, sector, employer, city) in founders {
            self.founder_company.push(company);
            self.founder_sector.push(sector);
            self.founder_employer.push(employer);
            self.founder_city.push(city);
        }
        for (sector, founders) in companies {
            self.company_sector.push(sector);
            self.company_founders.push(founders);
        }
    }

    /// Each founder's company, sector, employer and city (their own, else the company's).
    fn founder_refs(&self, c: &Content, diags: &mut Vec<Diagnostic>) -> Vec<FounderRefs> {
        c.founders
            .iter()
            .map(|f| {
                let fm = &f.original().fm;
                let company =
                    self.reference(f, "company", fm.company.as_ref(), Kind::Company, c, diags);
                let sector =
                    self.reference(f, "sector", fm.sector.as_ref(), Kind::Sector, c, diags);
                let employer = fm.former_employer.as_ref();
                let employer =
                    self.reference(f, "former_employer", employer, Kind::Employer, c, diags);
                let city = fm
                    .city
                    .clone()
                    .or_else(|| company.and_then(|ci| c.companies[ci].original().fm.city.clone()));
                (company, sector, employer, city)
            })
            .collect()
    }

    /// Each company's sector and the founders it names.
    fn company_refs(
        &self,
        c: &Content,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(Option<usize>, Vec<usize>)> {
        c.companies
            .iter()
            .map(|co| {
                let fm = &co.original().fm;
                let sector =
                    self.reference(co, "sector", fm.sector.as_ref(), Kind::Sector, c, diags);
                let founders = fm.founders.iter().flatten();
                let founders = founders
                    .filter_map(|s| {
                        self.reference(co, "founders", Some(s), Kind::Founder, c, diags)
                    })
                    .collect();
                (sector, founders)
            })
            .collect()
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

    /// Reverse links: a founder who names a company is one of its founders; sectors and
    /// employers list who is in them.
    fn backlinks(&mut self) {
        for (fi, co) in self.founder_company.iter().enumerate() {
            if let Some(ci) = co {
                if !self.company_founders[*ci].contains(&fi) {
                    self.company_founders[*ci].push(fi);
                }
            }
        }
        let c = &self.content;
        let group = |n: usize, of: &[Option<usize>]| {
            let mut lists = vec![Vec::new(); n];
            for (i, s) in of.iter().enumerate() {
                if let Some(s) = s {
                    lists[*s].push(i);
                }
            }
            lists
        };
        self.sector_founders = group(c.sectors.len(), &self.founder_sector);
        self.sector_companies = group(c.sectors.len(), &self.company_sector);
        self.employer_founders = group(c.employers.len(), &self.founder_employer);
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
                std::cmp::Reverse(self.employer_founders[i].len()),
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
