//! The render environment: what every page of a run reads (the stages before, and the
//! values all pages of a language share: navigation, language names, charts, the founders
//! list's filter choices, dates, the newest profiles). Views never see it: they read
//! through [`crate::render::access`], which records each read; the outputs written without
//! a view (feeds, sitemap, redirects) read it directly and record what they read
//! themselves.

use super::charts::{self, Charts};
use super::context::{FreePageLink, SectionLink, SiteCtx};
use super::dates::Dated;
use super::filters::{self, Filters};
use super::latest::Latest;
use super::plan::OutputId;
use super::theme::Theme;
use crate::bodies::Bodies;
use crate::cards::Renderer;
use crate::config::{Config, LangId, PerLang};
use crate::content::{Kind, Stage};
use crate::error::{Error, Result};
use crate::history::History;
use crate::images::Images;
use crate::resolve::{permalink, Site};
use std::sync::Arc;

/// What every page view of the site reads: the stages before, and the values shared by
/// all pages of a language.
pub struct Env<'a> {
    /// Every output of the site ([`super::plan::checked`]).
    pub plan: Arc<[OutputId]>,
    pub cfg: &'a Config,
    pub site: &'a Site,
    pub bodies: &'a Bodies,
    pub theme: &'a Theme,
    pub site_ctx: PerLang<SiteCtx<'a>>,
    /// Each language's own name (中文, English).
    pub labels: PerLang<&'a str>,
    pub charts: PerLang<Charts>,
    /// The choices of the founders list's filters.
    pub filters: PerLang<Filters>,
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

impl<'a> Env<'a> {
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
    ) -> Result<Env<'a>> {
        // Every stage that renders (build, check, serve) comes through here: a plan that
        // writes one path twice, or a file where a directory goes, stops it.
        let plan = super::plan::checked(cfg, site, theme)?.into();
        let mut missing = Vec::new();
        // Each language's name, and the funding stage labels, looked up per round: every
        // one must exist.
        for l in cfg.lang_ids() {
            missing.extend(theme.t(l, "language_name").err());
        }
        for l in cfg.lang_ids() {
            missing.extend(Stage::ALL.iter().filter_map(|s| theme.t(l, s.key()).err()));
        }
        // The charts and filter choices of each language, and the dates and latest changes,
        // are laid out side by side: on a large site each takes milliseconds, and the dev
        // server waits for them on every edit.
        let (per_lang, (dated, latest)) = rayon::join(
            || {
                use rayon::prelude::*;
                let ids: Vec<LangId> = cfg.lang_ids().collect();
                let built: Vec<_> = ids
                    .par_iter()
                    .map(|&l| {
                        (
                            charts::build(cfg, site, theme, l),
                            filters::build(cfg, site, l),
                        )
                    })
                    .collect();
                built
            },
            || {
                let dated = Dated::new(site, history);
                let latest = Latest::new(cfg, site, &dated);
                (dated, latest)
            },
        );
        let (charts, filters): (Vec<Charts>, Vec<Filters>) = per_lang
            .into_iter()
            .map(|(c, f)| {
                let c = c.unwrap_or_else(|d| {
                    missing.push(d);
                    Charts::default()
                });
                (c, f)
            })
            .unzip();
        if !missing.is_empty() {
            return Err(Error::Diagnostics(missing));
        }
        let derived = Derived {
            plan,
            charts: PerLang::from_values(charts),
            filters: PerLang::from_values(filters),
            latest,
            dated,
        };
        Ok(Env::again(cfg, site, bodies, theme, images, cards, derived))
    }

    /// The environment of a run whose environment was built, and so checked, before: the
    /// dev server renders more outputs of the same front half with it. Takes the values
    /// [`Env::new`] computed instead of computing them again.
    pub fn again(
        cfg: &'a Config,
        site: &'a Site,
        bodies: &'a Bodies,
        theme: &'a Theme,
        images: &'a Images,
        cards: Option<&'a Renderer>,
        derived: Derived,
    ) -> Env<'a> {
        let labels = PerLang::build(&cfg.langs, |l| {
            theme.t(l, "language_name").unwrap_or_else(|_| cfg.code(l))
        });
        let Derived {
            plan,
            charts,
            filters,
            latest,
            dated,
        } = derived;
        Env {
            plan,
            latest,
            dated,
            site_ctx: PerLang::build(&cfg.langs, |l| site_ctx(cfg, site, theme, l)),
            labels,
            charts,
            filters,
            images,
            cards_on: super::plan::has_cards(cfg, theme),
            cards: cards.filter(|_| cfg.mode != crate::config::Mode::Check),
            cfg,
            site,
            bodies,
            theme,
        }
    }

    /// The values computed from the whole site, for [`Env::again`].
    pub fn derived(&self) -> Derived {
        Derived {
            plan: self.plan.clone(),
            charts: self.charts.clone(),
            filters: self.filters.clone(),
            latest: self.latest.clone(),
            dated: self.dated.clone(),
        }
    }
}

/// What [`Env::new`] computes from the whole site: the plan, the charts, the filter
/// choices, every profile's dates and the newest profiles.
#[derive(Clone, Default)]
pub struct Derived {
    pub plan: Arc<[OutputId]>,
    pub charts: PerLang<Charts>,
    pub filters: PerLang<Filters>,
    pub latest: Latest,
    pub dated: Dated,
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
    let sections: Vec<SectionLink> = [
        ("nav_founders", Kind::Founder),
        ("nav_companies", Kind::Company),
        ("nav_sectors", Kind::Sector),
        ("nav_employers", Kind::Employer),
    ]
    .into_iter()
    .map(|(key, k)| SectionLink {
        key,
        url: link(k, None),
    })
    .collect();
    let index = Kind::LISTED
        .into_iter()
        .map(|k| (k.section(), link(k, None)))
        .collect();
    let pages = site.page_order.iter().map(|&i| {
        let e = &site.content.pages[i];
        FreePageLink {
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
        sections,
        index,
        pages: pages.collect(),
    }
}
