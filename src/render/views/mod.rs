//! The views stage: for every page, a typed, serializable view that borrows from the
//! resolved site. [`Views`] computes what all pages of a language share (navigation,
//! language names, charts) once; a [`Reader`] reads the site in one language for one page
//! and records what it reads (see `deps`). Each kind of page has its own file.

pub mod card;
mod changes;
mod company;
pub mod context;
mod data;
mod employer;
mod founder;
mod home;
mod index;
mod money;
mod not_found;
mod page;
pub mod picture;
mod rows;
mod search;
mod sector;

use serde::Serialize;

pub use context::{
    AddLink, Alternate, CardMeta, Ctx, NavItem, PageMeta, PageView, Pagination, SiteCtx,
    SourceLinks,
};
pub use money::money;
pub use rows::{CompanyRow, DateView, DatesView, FounderRow, Ref};

use super::charts::{self, Charts};
use super::dates::Dated;
use super::latest::Latest;
use super::plan::PageId;
use super::theme::Theme;
use crate::bodies::Bodies;
use crate::cards::Renderer;
use crate::config::{Config, LangId, PerLang};
use crate::content::{Kind, Stage};
use crate::deps::{self, Source};
use crate::error::{Diagnostic, Error, Result};
use crate::history::History;
use crate::images::Images;
use crate::resolve::{permalink, Site};
use crate::search::Record;

/// A page ready for its template: the template's name and the typed context, and for a
/// profile, its record in the search index.
pub struct Rendering {
    pub template: &'static str,
    pub context: tera::Context,
    pub record: Option<Record>,
}

impl Rendering {
    /// Serializes a typed context for `template`.
    pub fn new<D: Serialize>(
        template: &'static str,
        ctx: &D,
    ) -> std::result::Result<Rendering, Diagnostic> {
        let context = tera::Context::from_serialize(ctx).map_err(|e| {
            Diagnostic::file(template, format!("cannot build the template context: {e}"))
        })?;
        Ok(Rendering {
            template,
            context,
            record: None,
        })
    }
}

/// What every page view of the site reads: the stages before, and the values shared by
/// all pages of a language.
pub struct Views<'a> {
    pub cfg: &'a Config,
    pub site: &'a Site,
    pub bodies: &'a Bodies,
    pub theme: &'a Theme,
    pub site_ctx: PerLang<SiteCtx<'a>>,
    /// Each language's own name (中文, English).
    pub labels: PerLang<&'a str>,
    pub charts: PerLang<Charts>,
    /// The newest profiles and the latest changes.
    pub latest: Latest,
    /// Every profile's dates.
    pub dated: Dated,
    /// Every portrait and logo.
    pub images: &'a Images,
    /// Pages have share cards.
    pub cards_on: bool,
    /// Draws the cards (None in `check`, which only fills in their template).
    pub cards: Option<&'a Renderer>,
}

impl<'a> Views<'a> {
    /// Computes the shared values and checks that every interface string the views look
    /// up exists (all problems together).
    pub fn new(
        cfg: &'a Config,
        site: &'a Site,
        bodies: &'a Bodies,
        theme: &'a Theme,
        history: &History,
        images: &'a Images,
        cards: Option<&'a Renderer>,
    ) -> Result<Views<'a>> {
        // Every stage that renders (build, check, serve) comes through here: a plan that
        // writes one path twice, or a file where a directory goes, stops it.
        super::plan::clashes(cfg, site, theme)?;
        let mut missing = Vec::new();
        let labels = PerLang::build(&cfg.langs, |l| match theme.t(l, "language_name") {
            Ok(s) => s,
            Err(d) => {
                missing.push(d);
                cfg.code(l)
            }
        });
        // Funding stage labels are looked up per round: every one must exist.
        for l in cfg.lang_ids() {
            missing.extend(Stage::ALL.iter().filter_map(|s| theme.t(l, s.key()).err()));
        }
        // The charts of each language, and the dates and latest changes, are laid out side
        // by side: on a large site each takes milliseconds, and the dev server waits for
        // them on every edit.
        let (charts, (dated, latest)) = rayon::join(
            || {
                use rayon::prelude::*;
                let ids: Vec<LangId> = cfg.lang_ids().collect();
                let built: Vec<_> = ids
                    .par_iter()
                    .map(|&l| charts::build(cfg, site, theme, l))
                    .collect();
                built
            },
            || {
                let dated = Dated::new(site, history);
                let latest = Latest::new(cfg, site, &dated);
                (dated, latest)
            },
        );
        let charts = PerLang::from_values(
            charts
                .into_iter()
                .map(|c| {
                    c.unwrap_or_else(|d| {
                        missing.push(d);
                        Charts::default()
                    })
                })
                .collect(),
        );
        if !missing.is_empty() {
            return Err(Error::Diagnostics(missing));
        }
        Ok(Views {
            latest,
            dated,
            site_ctx: PerLang::build(&cfg.langs, |l| site_ctx(cfg, site, theme, l)),
            labels,
            charts,
            images,
            cards_on: super::plan::has_cards(cfg, theme),
            cards: cards.filter(|_| cfg.mode != crate::config::Mode::Check),
            cfg,
            site,
            bodies,
            theme,
        })
    }

    /// The filled-in SVG template of a share card.
    pub fn card(&self, id: PageId) -> std::result::Result<String, Diagnostic> {
        match id {
            PageId::Card(of, lang) => card::render(&self.reader(lang), of),
            other => Err(Diagnostic::file(
                other.rel(self.cfg, self.site),
                "not a share card",
            )),
        }
    }

    /// The view of one page.
    pub fn build(&self, id: PageId) -> std::result::Result<Rendering, Diagnostic> {
        match id {
            PageId::Home(lang) => home::render(&self.reader(lang), id),
            PageId::Search(lang) => search::render(&self.reader(lang), id),
            PageId::Changes(lang) => changes::render(&self.reader(lang), id),
            PageId::Data(lang) => data::render(&self.reader(lang), id),
            PageId::Index(kind, lang, _) => index::render(&self.reader(lang), id, kind),
            PageId::Profile(kind, i, lang, _) => {
                let r = self.reader(lang);
                match kind {
                    Kind::Founder => founder::render(&r, id, i),
                    Kind::Company => company::render(&r, id, i),
                    Kind::Sector => sector::render(&r, id, i),
                    Kind::Employer => employer::render(&r, id, i),
                    Kind::Page => page::render(&r, id, i),
                }
            }
            PageId::NotFound => not_found::render(&self.reader(LangId::DEFAULT), id),
            other => Err(Diagnostic::file(
                other.rel(self.cfg, self.site),
                "written without a template",
            )),
        }
    }

    /// Reads the site in `lang`.
    pub fn reader(&self, lang: LangId) -> Reader<'_, 'a> {
        Reader { v: self, lang }
    }
}

/// The `site` context of a language.
fn site_ctx<'a>(cfg: &'a Config, site: &'a Site, theme: &Theme, lang: LangId) -> SiteCtx<'a> {
    let link = |k: Kind, slug: Option<&str>| cfg.base.link(&permalink(cfg, k, slug, lang));
    // A page without a profile, linked only when the theme has its template.
    let page = |template: &str, rel: &str| {
        theme
            .has(template)
            .then(|| cfg.base.link(&format!("{}{rel}", cfg.lang_prefix(lang))))
    };
    let sections = [
        ("nav_founders", Kind::Founder),
        ("nav_companies", Kind::Company),
        ("nav_sectors", Kind::Sector),
        ("nav_employers", Kind::Employer),
    ]
    .into_iter()
    .map(|(key, k)| NavItem {
        key,
        title: "",
        url: link(k, None),
    });
    let pages = site.page_order.iter().map(|&i| {
        let e = &site.content.pages[i];
        NavItem {
            key: "",
            title: e.doc(lang).fm.title.as_deref().unwrap_or(""),
            url: link(Kind::Page, Some(e.slug.as_str())),
        }
    });
    SiteCtx {
        title: &cfg.title[lang],
        description: crate::counts::description(cfg, site, lang),
        lang: cfg.code(lang),
        default_lang: cfg.code(LangId::DEFAULT),
        base_path: &cfg.base.path,
        home: cfg.base.link(&cfg.lang_prefix(lang)),
        static_path: cfg.base.link("static/"),
        search: page("search.html", "search/"),
        data: page("data.html", "data/"),
        changes: page("changes.html", "changes/"),
        nav: sections.chain(pages).collect(),
    }
}

/// Reads the site in one language for one page, recording what it reads.
pub struct Reader<'v, 'a> {
    pub v: &'v Views<'a>,
    pub lang: LangId,
}

impl<'v, 'a> Reader<'v, 'a> {
    pub fn cfg(&self) -> &'a Config {
        self.v.cfg
    }

    pub fn site(&self) -> &'a Site {
        self.v.site
    }

    /// The language's code.
    pub fn code(&self) -> &'a str {
        self.v.cfg.code(self.lang)
    }

    /// An interface string of this language (checked to exist by [`Views::new`] or
    /// reported).
    pub fn t(&self, key: &str) -> std::result::Result<&'a str, Diagnostic> {
        self.v.theme.t(self.lang, key)
    }

    /// The shared `site` context.
    pub fn site_ctx(&self) -> &'v SiteCtx<'a> {
        deps::read(|| Source::Nav(self.lang));
        deps::read(|| Source::Config);
        &self.v.site_ctx[self.lang]
    }

    /// The charts of this language.
    pub fn charts(&self) -> &'v Charts {
        deps::read(|| Source::Charts(self.lang));
        &self.v.charts[self.lang]
    }

    /// The newest profiles and the latest changes.
    pub fn latest(&self) -> &'v Latest {
        deps::read(|| Source::Latest);
        &self.v.latest
    }

    /// Marks that the page lists every profile of `kind`.
    pub fn members(&self, kind: Kind) {
        deps::read(|| Source::Members(kind));
    }

    /// The search record of page `id`: site-relative URL, title, text parts.
    pub fn record<'p>(
        &self,
        id: PageId,
        title: &str,
        parts: impl IntoIterator<Item = &'p str>,
    ) -> Record {
        let url = format!("/{}", id.rel(self.v.cfg, self.v.site));
        Record::new(self.lang, url, title, parts)
    }

    /// A URL of a page of this language.
    pub fn url(&self, kind: Kind, slug: Option<&str>) -> String {
        self.v
            .cfg
            .base
            .link(&permalink(self.v.cfg, kind, slug, self.lang))
    }

    /// Metadata of a page, before its kind fills in title and description.
    pub fn meta(&self, id: PageId) -> PageMeta<'a> {
        deps::read(|| Source::Labels);
        let cfg = self.v.cfg;
        let site = self.v.site;
        let rel = id.rel(cfg, site);
        let alternates = cfg
            .lang_ids()
            .map(|l| {
                let rel = id.in_lang(l).rel(cfg, site);
                Alternate {
                    lang: cfg.code(l),
                    label: self.v.labels[l],
                    og_locale: context::og_locale(cfg.code(l)),
                    href: cfg.base.absolute(&rel),
                    link: cfg.base.link(&rel),
                    current: l == self.lang,
                }
            })
            .collect();
        PageMeta {
            kind: "",
            title: String::new(),
            description: crate::counts::description(cfg, site, self.lang).into_owned(),
            path: cfg.base.link(&rel),
            canonical: cfg.base.absolute(&rel),
            alternates,
            x_default: cfg
                .base
                .absolute(&id.in_lang(LangId::DEFAULT).rel(cfg, site)),
            og_type: "website",
            og_locale: context::og_locale(self.code()),
            card: self.card_meta(id),
            source: self.source_links(id),
            jsonld: None,
            translated: true,
            draft: match id {
                PageId::Profile(kind, i, _, _) => site.is_draft(kind, i),
                _ => false,
            },
        }
    }

    /// The links of page `id` to its source, when the site names its repository. The
    /// correction link needs the page's title: [`Reader::finish_paged`] fills it in.
    fn source_links(&self, id: PageId) -> Option<SourceLinks> {
        let cfg = self.v.cfg;
        let repo = cfg.repository.as_ref()?;
        let edit = match id {
            PageId::Profile(kind, i, lang, _) => {
                let src = self.v.site.source_in(kind, i, lang);
                src.path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .map(|file| repo.edit(&format!("content/{}/{file}", kind.section())))
            }
            PageId::NotFound => return None,
            _ => None,
        };
        let add = match id {
            PageId::Index(kind @ (Kind::Founder | Kind::Company), _, _) => {
                // A profile starts with its original: the file in the default language,
                // where its language-neutral fields live (a translation alone does not
                // build). Both languages' indexes offer that file.
                let lang = cfg.code(LangId::DEFAULT);
                let slug = format!("new-{}", kind.name());
                let value = self
                    .v
                    .theme
                    .archetype(kind, lang)
                    .map(|a| a.replace("__SLUG__", &slug));
                Some(AddLink {
                    key: match kind {
                        Kind::Founder => "add_founder",
                        _ => "add_company",
                    },
                    url: repo.new_file(
                        &format!("content/{}", kind.section()),
                        &format!("{slug}.{lang}.md"),
                        value.as_deref(),
                    ),
                })
            }
            _ => None,
        };
        Some(SourceLinks {
            edit,
            add,
            report: String::new(),
        })
    }

    /// The share card of page `id`: where it is and what it says.
    pub(super) fn card_meta(&self, id: PageId) -> Option<CardMeta> {
        if !self.v.cards_on {
            return None;
        }
        let card = id.card();
        let PageId::Card(of, _) = card else {
            return None;
        };
        Some(CardMeta {
            url: self.v.cfg.base.absolute(&card.rel(self.v.cfg, self.v.site)),
            width: crate::cards::WIDTH,
            height: crate::cards::HEIGHT,
            alt: card::view(self, of).alt(),
        })
    }

    /// Wraps a page's own data into its full context and serializes it.
    pub fn finish<D: Serialize>(
        &self,
        template: &'static str,
        page: PageMeta<'a>,
        intro: Option<PageView<'a>>,
        data: D,
    ) -> std::result::Result<Rendering, Diagnostic> {
        self.finish_paged(template, page, intro, None, data)
    }

    /// [`Reader::finish`] for a page of a list.
    pub fn finish_paged<D: Serialize>(
        &self,
        template: &'static str,
        page: PageMeta<'a>,
        intro: Option<PageView<'a>>,
        pagination: Option<Pagination>,
        data: D,
    ) -> std::result::Result<Rendering, Diagnostic> {
        let mut page = page;
        if let (Some(links), Some(repo)) = (&mut page.source, &self.v.cfg.repository) {
            links.report = repo.correction(&page.title, &page.canonical);
        }
        Rendering::new(
            template,
            &Ctx {
                site: self.site_ctx(),
                page,
                intro,
                pagination,
                data,
            },
        )
    }

    /// Where page `id` stands among `total` pages of its list (None for a single page);
    /// a later page's title says its number.
    pub fn pagination(
        &self,
        id: PageId,
        total: u32,
        meta: &mut PageMeta,
    ) -> std::result::Result<Option<Pagination>, Diagnostic> {
        let current = match id {
            PageId::Index(_, _, n) | PageId::Profile(_, _, _, n) => n,
            _ => 1,
        };
        if current > 1 {
            let label = self.t("page_n")?.replace("{n}", &current.to_string());
            meta.title = match meta.title.split_once(" · ") {
                Some((head, tail)) => format!("{head} · {label} · {tail}"),
                None => format!("{} · {label}", meta.title),
            };
        }
        if total <= 1 {
            return Ok(None);
        }
        let urls = (1..=total)
            .map(|n| {
                self.v
                    .cfg
                    .base
                    .link(&id.page(n).rel(self.v.cfg, self.v.site))
            })
            .collect();
        Ok(Some(Pagination::new(current, urls)))
    }
}
