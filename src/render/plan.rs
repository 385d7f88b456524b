//! Planning: every file the render stage writes, and where each one lives.

use crate::config::{Config, LangId};
use crate::content::Kind;
use crate::error::Error;
use crate::output::SitePath;
use crate::resolve::{permalink, Site};

use super::theme::Theme;

/// One output of the render stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageId {
    Home(LangId),
    Search(LangId),
    /// The index page of a kind (`/founders/`).
    Index(Kind, LangId),
    /// Profile `i` of a kind, in the site's order.
    Profile(Kind, usize, LangId),
    /// The bilingual 404 page.
    NotFound,
    Sitemap,
    Robots,
    /// `CNAME`, for a custom domain.
    Cname,
    Atom(LangId),
}

impl PageId {
    /// The language of the page (the default for language-less files).
    pub fn lang(self) -> LangId {
        match self {
            PageId::Home(l)
            | PageId::Search(l)
            | PageId::Index(_, l)
            | PageId::Profile(_, _, l)
            | PageId::Atom(l) => l,
            PageId::NotFound | PageId::Sitemap | PageId::Robots | PageId::Cname => LangId::DEFAULT,
        }
    }

    /// The same page in another language.
    pub fn in_lang(self, lang: LangId) -> PageId {
        match self {
            PageId::Home(_) => PageId::Home(lang),
            PageId::Search(_) => PageId::Search(lang),
            PageId::Index(k, _) => PageId::Index(k, lang),
            PageId::Profile(k, i, _) => PageId::Profile(k, i, lang),
            PageId::Atom(_) => PageId::Atom(lang),
            other => other,
        }
    }

    /// Whether the page goes through a template (the others are written by Rust).
    pub fn is_template(self) -> bool {
        !matches!(
            self,
            PageId::Sitemap | PageId::Robots | PageId::Cname | PageId::Atom(_)
        )
    }

    /// The site-relative URL path (percent-encoded, no leading slash): `en/founders/x/`.
    pub fn rel(self, cfg: &Config, site: &Site) -> String {
        match self {
            PageId::Home(l) => cfg.lang_prefix(l),
            PageId::Search(l) => format!("{}search/", cfg.lang_prefix(l)),
            PageId::Index(k, l) => permalink(cfg, k, None, l),
            PageId::Profile(k, i, l) => permalink(cfg, k, Some(site.slug(k, i).as_str()), l),
            PageId::NotFound => "404.html".into(),
            PageId::Sitemap => "sitemap.xml".into(),
            PageId::Robots => "robots.txt".into(),
            PageId::Cname => "CNAME".into(),
            PageId::Atom(l) => format!("{}atom.xml", cfg.lang_prefix(l)),
        }
    }

    /// The file the page is written to: `en/founders/x/index.html`. Every part of it is
    /// a configured language code, a fixed name or a validated slug, so it is always a
    /// path inside the site; anything else is a bug, reported as an internal error.
    pub fn path(self, cfg: &Config, site: &Site) -> Result<SitePath, Error> {
        let rel = self.rel(cfg, site);
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{}index.html", crate::escape::url_decode(&rel))
        } else {
            rel
        };
        SitePath::new(file).map_err(Error::Internal)
    }
}

/// Every output of the site, in a stable order: per language the home, search and
/// index pages and every profile; then the 404 page, sitemap, robots.txt, CNAME and feeds.
pub fn plan(cfg: &Config, site: &Site, theme: &Theme) -> Vec<PageId> {
    let mut out = Vec::new();
    for lang in cfg.lang_ids() {
        out.push(PageId::Home(lang));
        if theme.has("search.html") {
            out.push(PageId::Search(lang));
        }
        out.extend(Kind::LISTED.map(|k| PageId::Index(k, lang)));
        for kind in Kind::ALL {
            out.extend((0..site.count(kind)).map(|i| PageId::Profile(kind, i, lang)));
        }
    }
    out.extend([PageId::NotFound, PageId::Sitemap, PageId::Robots]);
    if cfg.custom_domain.is_some() {
        out.push(PageId::Cname);
    }
    out.extend(cfg.lang_ids().map(PageId::Atom));
    out
}
