//! Planning: every file the render stage writes, and where each one lives. No file grows
//! without limit with the site: lists are paginated, feeds keep the newest entries, and
//! the sitemap is split into parts.

use crate::config::{Config, LangId};
use crate::content::{Key, Kind, PerKind};
use crate::error::Error;
use crate::output::SitePath;
use crate::resolve::graph::Rel;
use crate::resolve::{permalink, Site};

use super::tables::{Format, Table};

use super::theme::Theme;

/// One output of the render stage. Pages are numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputId {
    Home(LangId),
    Search(LangId),
    /// Page `n` of the index of a kind (`/founders/`, `/founders/page/2/`).
    Index(Kind, LangId, u32),
    /// Page `n` of a profile, named by its kind and slug. Sectors and employers list
    /// their founders over several pages when they have many.
    Profile(Kind, Key, LangId, u32),
    /// The bilingual 404 page.
    NotFound,
    /// `sitemap.xml` (0): the sitemap, or the index of its parts `sitemap-n.xml` (n ≥ 1).
    Sitemap(u32),
    Robots,
    /// `CNAME`, for a custom domain.
    Cname,
    Atom(LangId),
    /// The feed of a sector.
    SectorAtom(Key, LangId),
    /// The latest additions and updates (`/changes/`).
    Changes(LangId),
    /// Their feed (`/changes/atom.xml`).
    ChangesAtom(LangId),
    /// The redirect at an old address of a profile: its kind and old slug (`aliases:`).
    Alias(Kind, Key, LangId),
    /// The page that explains the open data (`/data/`).
    Data(LangId),
    /// A file of the open data (`/data/founders.csv`).
    DataFile(Table, Format, LangId),
    /// The open data's `datapackage.json`.
    DataPackage(LangId),
    /// The share card (PNG) of a profile (founders, companies, sectors), or of the home
    /// page (None).
    Card(Option<(Kind, Key)>, LangId),
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

impl OutputId {
    /// The language of the page (the default for language-less files).
    pub fn lang(self) -> LangId {
        match self {
            OutputId::Home(l)
            | OutputId::Search(l)
            | OutputId::Index(_, l, _)
            | OutputId::Profile(_, _, l, _)
            | OutputId::Atom(l)
            | OutputId::SectorAtom(_, l)
            | OutputId::Changes(l)
            | OutputId::ChangesAtom(l)
            | OutputId::Alias(_, _, l)
            | OutputId::Data(l)
            | OutputId::DataFile(_, _, l)
            | OutputId::DataPackage(l) => l,
            OutputId::Card(_, l) => l,
            OutputId::NotFound | OutputId::Sitemap(_) | OutputId::Robots | OutputId::Cname => {
                LangId::DEFAULT
            }
        }
    }

    /// The same page in another language.
    pub fn in_lang(self, lang: LangId) -> OutputId {
        match self {
            OutputId::Home(_) => OutputId::Home(lang),
            OutputId::Search(_) => OutputId::Search(lang),
            OutputId::Index(k, _, n) => OutputId::Index(k, lang, n),
            OutputId::Profile(k, i, _, n) => OutputId::Profile(k, i, lang, n),
            OutputId::Atom(_) => OutputId::Atom(lang),
            OutputId::SectorAtom(i, _) => OutputId::SectorAtom(i, lang),
            OutputId::Changes(_) => OutputId::Changes(lang),
            OutputId::ChangesAtom(_) => OutputId::ChangesAtom(lang),
            OutputId::Alias(k, a, _) => OutputId::Alias(k, a, lang),
            OutputId::Data(_) => OutputId::Data(lang),
            OutputId::DataFile(t, f, _) => OutputId::DataFile(t, f, lang),
            OutputId::DataPackage(_) => OutputId::DataPackage(lang),
            OutputId::Card(of, _) => OutputId::Card(of, lang),
            other => other,
        }
    }

    /// The share card a page shows: its own (home page, founders, companies, sectors) or
    /// the home page's of its language.
    pub fn card(self) -> OutputId {
        match self {
            OutputId::Profile(k, i, l, _) if CARD_KINDS.contains(&k) => {
                OutputId::Card(Some((k, i)), l)
            }
            OutputId::Card(..) => self,
            other => OutputId::Card(None, other.lang()),
        }
    }

    /// Whether the output is an HTML page.
    pub fn is_html(self) -> bool {
        self.is_template() && !matches!(self, OutputId::Card(..))
    }

    /// Whether the output reads every profile of its kinds whatever the site's size (the
    /// open data's files and the page that describes them), so that rendering it takes long
    /// on a large site.
    pub fn is_bulk(self) -> bool {
        matches!(
            self,
            OutputId::Data(_) | OutputId::DataFile(..) | OutputId::DataPackage(_)
        )
    }

    /// Page `n` of the same list.
    pub fn page(self, n: u32) -> OutputId {
        match self {
            OutputId::Index(k, l, _) => OutputId::Index(k, l, n),
            OutputId::Profile(k, i, l, _) => OutputId::Profile(k, i, l, n),
            other => other,
        }
    }

    /// Whether the page goes through a template (the others are written by Rust).
    pub fn is_template(self) -> bool {
        !matches!(
            self,
            OutputId::Sitemap(_)
                | OutputId::Robots
                | OutputId::Cname
                | OutputId::Atom(_)
                | OutputId::SectorAtom(..)
                | OutputId::ChangesAtom(_)
                | OutputId::Alias(..)
                | OutputId::DataFile(..)
                | OutputId::DataPackage(_)
        )
    }

    /// The site-relative URL path (percent-encoded, no leading slash): `en/founders/x/`.
    pub fn rel(self, cfg: &Config) -> String {
        match self {
            OutputId::Home(l) => cfg.lang_prefix(l),
            OutputId::Search(l) => format!("{}search/", cfg.lang_prefix(l)),
            OutputId::Index(k, l, n) => paged(permalink(cfg, k, None, l), n),
            OutputId::Profile(k, key, l, n) => paged(permalink(cfg, k, Some(&key.name()), l), n),
            OutputId::NotFound => "404.html".into(),
            OutputId::Sitemap(0) => "sitemap.xml".into(),
            OutputId::Sitemap(n) => format!("sitemap-{n}.xml"),
            OutputId::Robots => "robots.txt".into(),
            OutputId::Cname => "CNAME".into(),
            OutputId::Atom(l) => format!("{}atom.xml", cfg.lang_prefix(l)),
            OutputId::SectorAtom(key, l) => {
                let slug = key.name();
                format!("{}atom.xml", permalink(cfg, Kind::Sector, Some(&slug), l))
            }
            OutputId::Changes(l) => format!("{}changes/", cfg.lang_prefix(l)),
            OutputId::ChangesAtom(l) => format!("{}changes/atom.xml", cfg.lang_prefix(l)),
            OutputId::Alias(kind, old, l) => permalink(cfg, kind, Some(&old.name()), l),
            OutputId::Data(l) => format!("{}data/", cfg.lang_prefix(l)),
            OutputId::DataFile(t, f, l) => format!("{}data/{}", cfg.lang_prefix(l), f.file(t)),
            OutputId::DataPackage(l) => format!("{}data/datapackage.json", cfg.lang_prefix(l)),
            OutputId::Card(None, l) => format!("{}card.png", cfg.lang_prefix(l)),
            OutputId::Card(Some((k, key)), l) => {
                format!("{}card.png", permalink(cfg, k, Some(&key.name()), l))
            }
        }
    }

    /// The file the page is written to: `en/founders/x/index.html`. Every part of it is
    /// a configured language code, a fixed name, a number or a validated slug, so it is
    /// always a path inside the site; anything else is a bug, reported as an internal error.
    pub fn path(self, cfg: &Config) -> Result<SitePath, Error> {
        let rel = self.rel(cfg);
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
pub fn plan(cfg: &Config, site: &Site, theme: &Theme) -> Vec<OutputId> {
    // Each profile's key, looked up once rather than once per language and again for its
    // card: the dev server plans after every edit.
    let keys = PerKind::build(|k| site.keys(k));
    // About a page and a card per profile and language; more pages grow it.
    let profiles: usize = keys.iter().map(|(_, k)| k.len()).sum();
    let mut out = Vec::with_capacity(2 * cfg.langs.len() * (profiles + 16));
    for lang in cfg.lang_ids() {
        out.push(OutputId::Home(lang));
        if theme.has("search.html") {
            out.push(OutputId::Search(lang));
        }
        if theme.has("changes.html") {
            out.push(OutputId::Changes(lang));
        }
        if theme.has("data.html") {
            out.push(OutputId::Data(lang));
        }
        for t in Table::ALL {
            out.extend(Format::ALL.map(|f| OutputId::DataFile(t, f, lang)));
        }
        out.push(OutputId::DataPackage(lang));
        for k in Kind::LISTED {
            out.extend((1..=index_pages(cfg, site, k)).map(|n| OutputId::Index(k, lang, n)));
        }
        for kind in Kind::ALL {
            for (i, &key) in keys[kind].iter().enumerate() {
                let n = profile_pages(cfg, site, kind, i);
                out.extend((1..=n).map(|n| OutputId::Profile(kind, key, lang, n)));
            }
        }
        out.extend(
            site.aliases
                .iter()
                .map(|a| OutputId::Alias(a.kind, Key::of(a.slug.as_str()), lang)),
        );
    }
    out.extend([OutputId::NotFound, OutputId::Sitemap(0), OutputId::Robots]);
    let parts = sitemap_urls(cfg, site, theme).div_ceil(cfg.sitemap_limit);
    if parts > 1 {
        out.extend((1..=parts as u32).map(OutputId::Sitemap));
    }
    if cfg.custom_domain.is_some() {
        out.push(OutputId::Cname);
    }
    for lang in cfg.lang_ids() {
        out.push(OutputId::Atom(lang));
        if theme.has("changes.html") {
            out.push(OutputId::ChangesAtom(lang));
        }
        out.extend(
            keys[Kind::Sector]
                .iter()
                .map(|&key| OutputId::SectorAtom(key, lang)),
        );
    }
    if has_cards(cfg, theme) {
        for lang in cfg.lang_ids() {
            out.push(OutputId::Card(None, lang));
            for k in CARD_KINDS {
                out.extend(
                    keys[k]
                        .iter()
                        .map(|&key| OutputId::Card(Some((k, key)), lang)),
                );
            }
        }
    }
    out
}

/// The plan, refused where it writes two outputs at one path, or a file where another
/// output needs a directory (an alias `index.html` of a founder would put its redirect at
/// `founders/index.html/index.html`, where the founders' index is a file). The paths come
/// from the plan itself, so a new output cannot reopen the hole. The alias or profile
/// named like the other file is reported, at its line.
///
/// Whether a plan clashes depends on the settings and the outputs alone, so the last plan
/// found free of clashes is remembered by a hash of them: the dev server plans the same
/// outputs after almost every edit, and at 10,000 profiles working out the paths of all
/// 80,000 took most of an edit's rebuild.
pub fn checked(cfg: &Config, site: &Site, theme: &Theme) -> Result<Vec<OutputId>, Error> {
    static CLEAR: std::sync::Mutex<Option<[u8; 32]>> = std::sync::Mutex::new(None);
    let ids = plan(cfg, site, theme);
    let key = fingerprint(cfg, &ids);
    if CLEAR.lock().is_ok_and(|c| *c == Some(key)) {
        return Ok(ids);
    }
    let mut diags: Vec<crate::error::Diagnostic> = Vec::new();
    let mut blamed = std::collections::HashSet::new();
    for (a, b, path) in colliding(cfg, &ids)? {
        // The alias if there is one, else a profile: fixed outputs are never to blame.
        let culprit = [a, b]
            .into_iter()
            .find(|id| matches!(id, OutputId::Alias(..)))
            .or_else(|| {
                [a, b]
                    .into_iter()
                    .find(|id| matches!(id, OutputId::Profile(..)))
            });
        let Some(culprit) = culprit else {
            return Err(Error::Internal(format!(
                "two outputs are written at {path}: {a:?} and {b:?}"
            )));
        };
        let other = if culprit == a { b } else { a };
        let other_path = other.path(cfg)?;
        let shown = if other_path.as_str().starts_with(&format!("{path}/")) {
            // The culprit's file is where the other needs a directory.
            culprit.path(cfg)?.as_str().to_owned()
        } else {
            path.clone()
        };
        if let Some(d) = blame(site, culprit, &shown, &mut blamed) {
            diags.push(d);
        }
    }
    if diags.is_empty() {
        if let Ok(mut c) = CLEAR.lock() {
            *c = Some(key);
        }
        Ok(ids)
    } else {
        Err(Error::Diagnostics(diags))
    }
}

/// A hash of the settings and of every output of a plan (their slugs as this process
/// interns them).
fn fingerprint(cfg: &Config, ids: &[OutputId]) -> [u8; 32] {
    use std::hash::Hash;
    /// The bytes `Hash` feeds, gathered to be hashed in one go.
    struct Bytes(Vec<u8>);
    impl std::hash::Hasher for Bytes {
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
        fn finish(&self) -> u64 {
            0
        }
    }
    let mut b = Bytes(format!("{cfg:?}").into_bytes());
    ids.hash(&mut b);
    *blake3::hash(&b.0).as_bytes()
}

/// The pairs of outputs written at one path, or one where the other needs a directory,
/// with that path.
fn colliding(cfg: &Config, ids: &[OutputId]) -> Result<Vec<(OutputId, OutputId, String)>, Error> {
    let mut at: std::collections::HashMap<SitePath, OutputId> =
        std::collections::HashMap::with_capacity(ids.len());
    let mut found: Vec<(OutputId, OutputId, String)> = Vec::new();
    for &id in ids {
        let p = id.path(cfg)?;
        if let Some(&other) = at.get(&p) {
            found.push((id, other, p.as_str().to_owned()));
        } else {
            at.insert(p, id);
        }
    }
    for &id in ids {
        let p = id.path(cfg)?;
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
type Blamed = std::collections::HashSet<OutputId>;
fn blame(
    site: &Site,
    culprit: OutputId,
    shown: &str,
    blamed: &mut Blamed,
) -> Option<crate::error::Diagnostic> {
    Some(match culprit {
        OutputId::Alias(kind, old, _) => {
            if !blamed.insert(culprit.in_lang(LangId::DEFAULT)) {
                return None;
            }
            let alias = site.alias(kind, old)?;
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
        OutputId::Profile(kind, key, ..) => {
            if !blamed.insert(OutputId::Profile(kind, key, LangId::DEFAULT, 1)) {
                return None;
            }
            let i = site.index_of(kind, key)?;
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
