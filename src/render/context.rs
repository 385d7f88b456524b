//! What every page's context holds besides its own data: the site (`site.*`), the page's
//! metadata (`page.*`) and a section introduction (`intro`).

use std::borrow::Cow;

use serde::Serialize;

/// Site-wide values every template gets as `site`, per language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub description: std::borrow::Cow<'a, str>,
    pub lang: &'a str,
    pub default_lang: &'a str,
    pub base_path: &'a str,
    pub home: String,
    pub static_path: String,
    /// The search page of this language, when the theme has one.
    pub search: Option<String>,
    pub nav: Vec<NavItem<'a>>,
}

/// A navigation link: a section (by its i18n key) or a free page (by its title).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NavItem<'a> {
    /// i18n key of a section's label; empty for a free page.
    pub key: &'static str,
    /// A free page's title in the page's language.
    pub title: &'a str,
    pub url: String,
}

/// A language version of the page.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate<'a> {
    pub lang: &'a str,
    /// The language's own name (中文, English).
    pub label: &'a str,
    pub href: String,
    pub link: String,
    pub current: bool,
}

/// Per-page metadata: canonical URL, alternates, Open Graph, JSON-LD.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta<'a> {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub path: String,
    pub canonical: String,
    pub alternates: Vec<Alternate<'a>>,
    pub x_default: String,
    pub og_type: &'static str,
    pub og_locale: String,
    /// JSON-LD, serialized and escaped for a `<script>` element.
    pub jsonld: Option<String>,
    pub translated: bool,
    /// A draft's page (built with `--drafts`, as `serve` does): shown with a banner.
    pub draft: bool,
    /// The share card (`og:image`), when the site has cards.
    pub card: Option<CardMeta>,
    /// Links to the page's source on GitHub, when `site.yaml` names a `repository:`.
    pub source: Option<SourceLinks>,
}

/// A page's links to the repository it is built from.
#[derive(Debug, Clone, Serialize)]
pub struct SourceLinks {
    /// GitHub's editor for the page's file (a profile or free page).
    pub edit: Option<String>,
    /// A new profile of the kind an index lists.
    pub add: Option<AddLink>,
    /// A new issue through the correction form, naming the page.
    pub report: String,
}

/// "Add a founder": GitHub's new-file page, prefilled with the theme's archetype.
#[derive(Debug, Clone, Serialize)]
pub struct AddLink {
    /// The i18n key of the link's text (`add_founder`).
    pub key: &'static str,
    pub url: String,
}

/// A page's share card.
#[derive(Debug, Clone, Serialize)]
pub struct CardMeta {
    /// Absolute URL of the PNG.
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// The card's text, for `og:image:alt`.
    pub alt: String,
}

impl PageMeta<'_> {
    /// Title, description and translation state of a profile page.
    pub fn describe(
        &mut self,
        kind: &'static str,
        name: &str,
        site_title: &str,
        translated: bool,
        summary: Option<&str>,
    ) {
        self.kind = kind;
        self.title = format!("{name} · {site_title}");
        self.translated = translated;
        if let Some(s) = summary {
            self.description = one_line(s);
        }
    }
}

/// A free page or a section introduction.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub slug: &'a str,
    pub url: String,
    pub title: &'a str,
    pub summary: Option<Cow<'a, str>>,
    /// The rendered body, with `{{ count.… }}` filled in (crate::counts).
    pub content: Cow<'a, str>,
    pub translated: bool,
}

/// The whole context of a page: `site`, `page`, `intro`, `pagination` and the page's
/// own fields.
#[derive(Serialize)]
pub struct Ctx<'a, D: Serialize> {
    pub site: &'a SiteCtx<'a>,
    pub page: PageMeta<'a>,
    /// A section index's introduction (`content/<section>/_index.<lang>.md`).
    pub intro: Option<PageView<'a>>,
    /// Where the page stands in its list, when the list takes several pages.
    pub pagination: Option<Pagination>,
    #[serde(flatten)]
    pub data: D,
}

/// Where a page stands in a list that takes several pages.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// This page's number, from 1.
    pub current: u32,
    pub total: u32,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Links to show: the first and last pages and those around this one; `n: 0` marks
    /// a gap.
    pub links: Vec<PageLink>,
    /// Every page's URL, in order (the table script loads them to sort and filter the
    /// whole list).
    pub all: Vec<String>,
}

/// A link to one page of a list.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub n: u32,
    pub url: String,
    pub current: bool,
}

impl Pagination {
    /// Page `current` of `urls.len()` pages.
    pub fn new(current: u32, urls: Vec<String>) -> Pagination {
        let total = urls.len() as u32;
        let url = |n: u32| urls[(n - 1) as usize].clone();
        let shown = |n: u32| n == 1 || n == total || n.abs_diff(current) <= 2;
        let mut links: Vec<PageLink> = Vec::new();
        for n in 1..=total {
            if shown(n) {
                links.push(PageLink {
                    n,
                    url: url(n),
                    current: n == current,
                });
            } else if links.last().is_some_and(|l| l.n != 0) {
                links.push(PageLink {
                    n: 0,
                    url: String::new(),
                    current: false,
                });
            }
        }
        Pagination {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            links,
            all: urls,
        }
    }
}

/// A summary on one line, for `<meta name="description">`.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Open Graph locale of a language code.
pub fn og_locale(lang: &str) -> String {
    match lang {
        "zh" => "zh_CN".into(),
        "en" => "en_US".into(),
        l => l.replace('-', "_"),
    }
}
