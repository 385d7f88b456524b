//! Planning: every file the render stage writes, and where each one lives. No file grows
//! without limit with the site: lists are paginated, feeds keep the newest entries, and
//! the sitemap is split into parts.

use crate::config::{Config, LangId};
use crate::content::Kind;
use crate::error::Error;
use crate::output::SitePath;
use crate::resolve::graph::Rel;
use crate::resolve::{permalink, Site};

use super::tables::{Format, Table};

use super::theme::Theme;

/// One output of the render stage. Pages are numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageId {
    Home(LangId),
    Search(LangId),
    /// Page `n` of the index of a kind (`/founders/`, `/founders/page/2/`).
    Index(Kind, LangId, u32),
    /// Page `n` of profile `i` of a kind, in the site's order. Sectors and employers list
    /// their founders over several pages when they have many.
    Profile(Kind, usize, LangId, u32),
    /// The bilingual 404 page.
    NotFound,
    /// `sitemap.xml` (0): the sitemap, or the index of its parts `sitemap-n.xml` (n ≥ 1).
    Sitemap(u32),
    Robots,
    /// `CNAME`, for a custom domain.
    Cname,
    Atom(LangId),
    /// The feed of sector `i`.
    SectorAtom(usize, LangId),
    /// The latest additions and updates (`/changes/`).
    Changes(LangId),
    /// Their feed (`/changes/atom.xml`).
    ChangesAtom(LangId),
    /// The redirect at the old address of alias `i` (`Site::aliases`).
    Alias(usize, LangId),
    /// The page that explains the open data (`/data/`).
    Data(LangId),
    /// A file of the open data (`/data/founders.csv`).
    DataFile(Table, Format, LangId),
    /// The open data's `datapackage.json`.
    DataPackage(LangId),
    /// The share card (PNG) of profile `i` of a kind (founders, companies, sectors), or of
    /// the home page (None).
    Card(Option<(Kind, usize)>, LangId),
}

/// The kinds whose profiles have a share card of their own; every other page shows the
/// home page's.
pub const CARD_KINDS: [Kind; 3] = [Kind::Founder, Kind::Company, Kind::Sector];

/// How many pages a list of `n` items takes at `per` a page (at least one).
pub fn pages(n: usize, per: usize) -> u32 {
    n.div_ceil(per.max(1)).max(1) as u32
}

/// The items of page `n` (from 1) of a list of `len` at `per` a page.
pub fn slice(len: usize, per: usize, n: u32) -> std::ops::Range<usize> {
    let start = (n as usize - 1).saturating_mul(per).min(len);
    start..(start + per).min(len)
}

/// How many pages profile `i` of `kind` takes.
pub fn profile_pages(cfg: &Config, site: &Site, kind: Kind, i: usize) -> u32 {
    match kind {
        Kind::Sector => pages(
            site.targets(Rel::SectorFounders, i)
                .len()
                .max(site.targets(Rel::SectorCompanies, i).len()),
            cfg.paginate,
        ),
        Kind::Employer => pages(site.targets(Rel::EmployerFounders, i).len(), cfg.paginate),
        _ => 1,
    }
}

/// How many pages the index of `kind` takes.
/// The items of page `n` of a list.
pub fn page_of(list: &[usize], per: usize, n: u32) -> &[usize] {
    &list[slice(list.len(), per, n)]
}

pub fn index_pages(cfg: &Config, site: &Site, kind: Kind) -> u32 {
    pages(site.count(kind), cfg.paginate)
}

/// The pages without a profile that the sitemap lists besides the home page and the
/// indexes, as paths below the language prefix: those the theme has a template for.
pub fn listed_pages(theme: &Theme) -> Vec<&'static str> {
    [("changes.html", "changes/"), ("data.html", "data/")]
        .into_iter()
        .filter(|(t, _)| theme.has(t))
        .map(|(_, rel)| rel)
        .collect()
}

/// How many URLs the sitemap lists: every language's home, indexes, listed pages and
/// profiles.
pub fn sitemap_urls(cfg: &Config, site: &Site, theme: &Theme) -> usize {
    let profiles: usize = Kind::ALL.iter().map(|&k| site.count(k)).sum();
    let per_lang = 1 + Kind::LISTED.len() + listed_pages(theme).len() + profiles;
    per_lang * cfg.langs.len()
}

/// `page/n/` after a list's own path for pages after the first.
fn paged(rel: String, n: u32) -> String {
    if n <= 1 {
        rel
    } else {
        format!("{rel}page/{n}/")
    }
}

impl PageId {
    /// The language of the page (the default for language-less files).
    pub fn lang(self) -> LangId {
        match self {
            PageId::Home(l)
            | PageId::Search(l)
            | PageId::Index(_, l, _)
            | PageId::Profile(_, _, l, _)
            | PageId::Atom(l)
            | PageId::SectorAtom(_, l)
            | PageId::Changes(l)
            | PageId::ChangesAtom(l)
            | PageId::Alias(_, l)
            | PageId::Data(l)
            | PageId::DataFile(_, _, l)
            | PageId::DataPackage(l) => l,
            PageId::Card(_, l) => l,
            PageId::NotFound | PageId::Sitemap(_) | PageId::Robots | PageId::Cname => {
                LangId::DEFAULT
            }
        }
    }

    /// The same page in another language.
    pub fn in_lang(self, lang: LangId) -> PageId {
        match self {
            PageId::Home(_) => PageId::Home(lang),
            PageId::Search(_) => PageId::Search(lang),
            PageId::Index(k, _, n) => PageId::Index(k, lang, n),
            PageId::Profile(k, i, _, n) => PageId::Profile(k, i, lang, n),
            PageId::Atom(_) => PageId::Atom(lang),
            PageId::SectorAtom(i, _) => PageId::SectorAtom(i, lang),
            PageId::Changes(_) => PageId::Changes(lang),
            PageId::ChangesAtom(_) => PageId::ChangesAtom(lang),
            PageId::Alias(i, _) => PageId::Alias(i, lang),
            PageId::Data(_) => PageId::Data(lang),
            PageId::DataFile(t, f, _) => PageId::DataFile(t, f, lang),
            PageId::DataPackage(_) => PageId::DataPackage(lang),
            PageId::Card(of, _) => PageId::Card(of, lang),
            other => other,
        }
    }

    /// The share card a page shows: its own (home page, founders, companies, sectors) or
    /// the home page's of its language.
    pub fn card(self) -> PageId {
        match self {
            PageId::Profile(k, i, l, _) if CARD_KINDS.contains(&k) => PageId::Card(Some((k, i)), l),
            PageId::Card(..) => self,
            other => PageId::Card(None, other.lang()),
        }
    }

    /// Whether the output is an HTML page.
    pub fn is_html(self) -> bool {
        self.is_template() && !matches!(self, PageId::Card(..))
    }

    /// Whether the output reads every profile of its kinds whatever the site's size (the
    /// open data's files and the page that describes them), so that rendering it takes long
    /// on a large site.
    pub fn is_bulk(self) -> bool {
        matches!(
            self,
            PageId::Data(_) | PageId::DataFile(..) | PageId::DataPackage(_)
        )
    }

    /// Page `n` of the same list.
    pub fn page(self, n: u32) -> PageId {
        match self {
            PageId::Index(k, l, _) => PageId::Index(k, l, n),
            PageId::Profile(k, i, l, _) => PageId::Profile(k, i, l, n),
            other => other,
        }
    }

    /// Whether the page goes through a template (the others are written by Rust).
    pub fn is_template(self) -> bool {
        !matches!(
            self,
            PageId::Sitemap(_)
                | PageId::Robots
                | PageId::Cname
                | PageId::Atom(_)
                | PageId::SectorAtom(..)
                | PageId::ChangesAtom(_)
                | PageId::Alias(..)
                | PageId::DataFile(..)
                | PageId::DataPackage(_)
        )
    }

    /// The site-relative URL path (percent-encoded, no leading slash): `en/founders/x/`.
    pub fn rel(self, cfg: &Config, site: &Site) -> String {
        match self {
            PageId::Home(l) => cfg.lang_prefix(l),
            PageId::Search(l) => format!("{}search/", cfg.lang_prefix(l)),
            PageId::Index(k, l, n) => paged(permalink(cfg, k, None, l), n),
            PageId::Profile(k, i, l, n) => {
                paged(permalink(cfg, k, Some(site.slug(k, i).as_str()), l), n)
            }
            PageId::NotFound => "404.html".into(),
            PageId::Sitemap(0) => "sitemap.xml".into(),
            PageId::Sitemap(n) => format!("sitemap-{n}.xml"),
            PageId::Robots => "robots.txt".into(),
            PageId::Cname => "CNAME".into(),
            PageId::Atom(l) => format!("{}atom.xml", cfg.lang_prefix(l)),
            PageId::SectorAtom(i, l) => {
                let slug = site.slug(Kind::Sector, i).as_str();
                format!("{}atom.xml", permalink(cfg, Kind::Sector, Some(slug), l))
            }
            PageId::Changes(l) => format!("{}changes/", cfg.lang_prefix(l)),
            PageId::ChangesAtom(l) => format!("{}changes/atom.xml", cfg.lang_prefix(l)),
            PageId::Alias(i, l) => {
                let a = &site.aliases[i];
                permalink(cfg, a.kind, Some(a.slug.as_str()), l)
            }
            PageId::Data(l) => format!("{}data/", cfg.lang_prefix(l)),
            PageId::DataFile(t, f, l) => format!("{}data/{}", cfg.lang_prefix(l), f.file(t)),
            PageId::DataPackage(l) => format!("{}data/datapackage.json", cfg.lang_prefix(l)),
            PageId::Card(None, l) => format!("{}card.png", cfg.lang_prefix(l)),
            PageId::Card(Some((k, i)), l) => {
                format!(
                    "{}card.png",
                    permalink(cfg, k, Some(site.slug(k, i).as_str()), l)
                )
            }
        }
    }

    /// The file the page is written to: `en/founders/x/index.html`. Every part of it is
    /// a configured language code, a fixed name, a number or a validated slug, so it is
    /// always a path inside the site; anything else is a bug, reported as an internal error.
    pub fn path(self, cfg: &Config, site: &Site) -> Result<SitePath, Error> {
        let rel = self.rel(cfg, site);
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{}index.html", crate::escape::url_decode(&rel))
        } else {
            crate::escape::url_decode(&rel).into_owned()
        };
        SitePath::new(file).map_err(Error::Internal)
    }
}

/// Every output of the site, in a stable order: per language the home, search, changes
/// and data pages, the data files, the index pages, every profile and the redirects at
/// its aliases; then the 404 page, sitemap, robots.txt, CNAME and feeds.
pub fn plan(cfg: &Config, site: &Site, theme: &Theme) -> Vec<PageId> {
    let mut out = Vec::new();
    for lang in cfg.lang_ids() {
        out.push(PageId::Home(lang));
        if theme.has("search.html") {
            out.push(PageId::Search(lang));
        }
        if theme.has("changes.html") {
            out.push(PageId::Changes(lang));
        }
        if theme.has("data.html") {
            out.push(PageId::Data(lang));
        }
        for t in Table::ALL {
            out.extend(Format::ALL.map(|f| PageId::DataFile(t, f, lang)));
        }
        out.push(PageId::DataPackage(lang));
        for k in Kind::LISTED {
            out.extend((1..=index_pages(cfg, site, k)).map(|n| PageId::Index(k, lang, n)));
        }
        for kind in Kind::ALL {
            for i in 0..site.count(kind) {
                let n = profile_pages(cfg, site, kind, i);
                out.extend((1..=n).map(|n| PageId::Profile(kind, i, lang, n)));
            }
        }
        out.extend((0..site.aliases.len()).map(|i| PageId::Alias(i, lang)));
    }
    out.extend([PageId::NotFound, PageId::Sitemap(0), PageId::Robots]);
    let parts = sitemap_urls(cfg, site, theme).div_ceil(cfg.sitemap_limit);
    if parts > 1 {
        out.extend((1..=parts as u32).map(PageId::Sitemap));
    }
    if cfg.custom_domain.is_some() {
        out.push(PageId::Cname);
    }
    for lang in cfg.lang_ids() {
        out.push(PageId::Atom(lang));
        if theme.has("changes.html") {
            out.push(PageId::ChangesAtom(lang));
        }
        out.extend((0..site.count(Kind::Sector)).map(|i| PageId::SectorAtom(i, lang)));
    }
    if has_cards(cfg, theme) {
        for lang in cfg.lang_ids() {
            out.push(PageId::Card(None, lang));
            for k in CARD_KINDS {
                out.extend((0..site.count(k)).map(|i| PageId::Card(Some((k, i)), lang)));
            }
        }
    }
    out
}

/// Refuses a site whose plan writes two outputs at one path, or a file where another
/// output needs a directory (an alias `index.html` of a founder would put its redirect at
/// `founders/index.html/index.html`, where the founders' index is a file). The paths come
/// from the plan itself, so a new output cannot reopen the hole. The alias or profile
/// named like the other file is reported, at its line.
pub fn clashes(cfg: &Config, site: &Site, theme: &Theme) -> Result<(), Error> {
    let mut diags: Vec<crate::error::Diagnostic> = Vec::new();
    let mut blamed = std::collections::HashSet::new();
    for (a, b, path) in colliding(cfg, site, &plan(cfg, site, theme))? {
        // The alias if there is one, else a profile: fixed outputs are never to blame.
        let culprit = [a, b]
            .into_iter()
            .find(|id| matches!(id, PageId::Alias(..)))
            .or_else(|| {
                [a, b]
                    .into_iter()
                    .find(|id| matches!(id, PageId::Profile(..)))
            });
        let Some(culprit) = culprit else {
            return Err(Error::Internal(format!(
                "two outputs are written at {path}: {a:?} and {b:?}"
            )));
        };
        let other = if culprit == a { b } else { a };
        let other_path = other.path(cfg, site)?;
        let shown = if other_path.as_str().starts_with(&format!("{path}/")) {
            // The culprit's file is where the other needs a directory.
            culprit.path(cfg, site)?.as_str().to_owned()
        } else {
            path.clone()
        };
        if let Some(d) = blame(site, culprit, &shown, &mut blamed) {
            diags.push(d);
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Diagnostics(diags))
    }
}

/// The pairs of outputs written at one path, or one where the other needs a directory,
/// with that path.
fn colliding(
    cfg: &Config,
    site: &Site,
    ids: &[PageId],
) -> Result<Vec<(PageId, PageId, String)>, Error> {
    let mut at: std::collections::HashMap<SitePath, PageId> =
        std::collections::HashMap::with_capacity(ids.len());
    let mut found: Vec<(PageId, PageId, String)> = Vec::new();
    for &id in ids {
        let p = id.path(cfg, site)?;
        if let Some(&other) = at.get(&p) {
            found.push((id, other, p.as_str().to_owned()));
        } else {
            at.insert(p, id);
        }
    }
    for &id in ids {
        let p = id.path(cfg, site)?;
        let mut rest = p.as_str();
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if let Some(&other) = SitePath::new(dir.to_owned()).ok().and_then(|d| at.get(&d)) {
                found.push((id, other, dir.to_owned()));
            }
            rest = dir;
        }
    }
    Ok(found)
}

/// The diagnostic of the alias or profile to blame for a clash at `shown` (once each).
type Blamed = std::collections::HashSet<(Option<usize>, Option<(Kind, usize)>)>;
fn blame(
    site: &Site,
    culprit: PageId,
    shown: &str,
    blamed: &mut Blamed,
) -> Option<crate::error::Diagnostic> {
    Some(match culprit {
        PageId::Alias(i, _) => {
            if !blamed.insert((Some(i), None)) {
                return None;
            }
            let alias = &site.aliases[i];
            let src = site.source(alias.kind, alias.target);
            src.diag_at_item(
                "aliases",
                alias.slug.as_str(),
                0,
                format!(
                    "alias `{}` would write the redirect where the site writes {shown}",
                    alias.slug
                ),
            )
            .with_hint("an alias is an old slug that had a page of its own; remove this one")
        }
        PageId::Profile(kind, i, ..) => {
            if !blamed.insert((None, Some((kind, i)))) {
                return None;
            }
            let slug = site.slug(kind, i);
            crate::error::Diagnostic::file(
                    &site.source(kind, i).path,
                    format!(
                        "a {} cannot be called `{slug}`: its page would be written where the site writes {shown}",
                        kind.name()
                    ),
                )
                .with_hint("rename the file (dossier mv renames it and every reference)")
        }
        _ => return None,
    })
}

/// Whether pages get share cards: `cards: true` in site.yaml and a `card.svg` in the theme.
pub fn has_cards(cfg: &Config, theme: &Theme) -> bool {
    cfg.cards && theme.has("card.svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_into_pages() {
        assert_eq!(pages(0, 100), 1);
        assert_eq!(pages(100, 100), 1);
        assert_eq!(pages(101, 100), 2);
        assert_eq!(slice(250, 100, 3), 200..250);
        assert_eq!(slice(250, 100, 1), 0..100);
        assert_eq!(slice(5, 100, 9), 5..5);
        assert_eq!(paged("founders/".into(), 1), "founders/");
        assert_eq!(paged("en/sectors/x/".into(), 2), "en/sectors/x/page/2/");
    }
}
