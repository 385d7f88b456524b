//! Where each page lives: permalinks, and `@/section/slug` link targets parsed (`Site::internal_link`
//! resolves them against the site).

use crate::config::{Config, LangId};
use crate::content::Kind;
use crate::escape;

/// Site-relative path of a page (no leading slash, trailing slash): `en/founders/jia-yangqing/`.
/// Free pages sit at the root: `about/`.
pub fn permalink(cfg: &Config, kind: Kind, slug: Option<&str>, lang: LangId) -> String {
    let prefix = cfg.lang_prefix(lang);
    match (kind, slug) {
        (Kind::Page, Some(s)) => format!("{prefix}{}/", escape::url_segment(s)),
        (Kind::Page, None) => prefix,
        (k, Some(s)) => format!("{prefix}{}/{}/", k.section(), escape::url_segment(s)),
        (k, None) => format!("{prefix}{}/", k.section()),
    }
}

/// The site's own pages an internal link can name: `@/data`, `@/changes`.
pub const SITE_PAGES: [&str; 2] = ["data", "changes"];

/// What an internal link (`@/founders/x#a`, after the `@/`) points at: a profile or
/// section index (a kind), the home page (neither), or one of the site's own pages
/// (no kind, the page's name as the slug).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub kind: Option<Kind>,
    pub slug: Option<String>,
}

/// Parses an internal link target into its kind and slug (home: neither).
pub fn parse_target(target: &str) -> Option<(Target, Option<&str>)> {
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Some((
            Target {
                kind: None,
                slug: None,
            },
            anchor,
        ));
    }
    if let Some(page) = SITE_PAGES.iter().find(|p| **p == path) {
        return Some((
            Target {
                kind: None,
                slug: Some((*page).to_owned()),
            },
            anchor,
        ));
    }
    let (section, slug) = match path.split_once('/') {
        Some((s, slug)) => (s, Some(slug)),
        None => (path, None),
    };
    let kind = Kind::from_section(section)?;
    if kind == Kind::Page && slug.is_none() {
        return None;
    }
    Some((
        Target {
            kind: Some(kind),
            slug: slug.map(str::to_owned),
        },
        anchor,
    ))
}
