//! Rendering: Markdown bodies once per document, then every page through Tera, in parallel.

pub mod charts;
pub mod feeds;
pub mod theme;
pub mod views;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, LangId};
use crate::content::Kind;
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::{self, Rendered};
use crate::resolve::{permalink, Site};
pub use theme::Theme;
use views::*;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Site-relative path with `/` separators, percent-decoded: `en/founders/x/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Markdown bodies per kind, entity and language.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    pub founders: Vec<Vec<Rendered>>,
    pub companies: Vec<Vec<Rendered>>,
    pub sectors: Vec<Vec<Rendered>>,
    pub employers: Vec<Vec<Rendered>>,
    pub pages: Vec<Vec<Rendered>>,
    /// Section introductions, aligned with `Content::intros`.
    pub intros: Vec<Vec<Rendered>>,
    /// The bodies by file, for the next build (dev server only).
    pub cache: BodyCache,
}

impl Bodies {
    pub fn of(&self, kind: Kind) -> &Vec<Vec<Rendered>> {
        match kind {
            Kind::Founder => &self.founders,
            Kind::Company => &self.companies,
            Kind::Sector => &self.sectors,
            Kind::Employer => &self.employers,
            Kind::Page => &self.pages,
        }
    }
}

/// Rendered bodies by source file and language, keyed by a hash of everything a body's
/// HTML depends on, so the dev server renders only the Markdown that changed.
pub type BodyCache = HashMap<(std::path::PathBuf, LangId), (u64, Rendered)>;

type KindBodies = (
    Vec<Vec<Rendered>>,
    Vec<Diagnostic>,
    Vec<((std::path::PathBuf, LangId), (u64, Rendered))>,
);

fn render_kind<T: Sync>(
    cfg: &Config,
    site: &Site,
    entries: &[crate::content::Entry<T>],
    global: u64,
    prev: Option<&BodyCache>,
    keep: bool,
) -> KindBodies {
    use std::hash::{Hash, Hasher};
    let results: Vec<(Vec<Rendered>, Vec<Diagnostic>, Vec<_>)> = entries
        .par_iter()
        .map(|e| {
            let mut diags = Vec::new();
            let mut cached = Vec::new();
            let per_lang = (0..cfg.langs.len())
                .map(|lang| {
                    let doc = e.doc(lang);
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    (global, lang, &doc.src.text).hash(&mut h);
                    let key = h.finish();
                    let id = (doc.src.path.clone(), lang);
                    if let Some((_, r)) = prev.and_then(|p| p.get(&id)).filter(|(k, _)| *k == key) {
                        if keep {
                            cached.push((id, (key, r.clone())));
                        }
                        return r.clone();
                    }
                    let resolve = |t: &str| site.internal_link(cfg, t, lang);
                    // A fallback page renders the original's body again, with this language's links;
                    // its errors were already reported for the original.
                    let mut sink = Vec::new();
                    let d = if doc.lang == lang {
                        &mut diags
                    } else {
                        &mut sink
                    };
                    let r = markdown::render(&doc.src, &resolve, d);
                    if keep {
                        cached.push((id, (key, r.clone())));
                    }
                    r
                })
                .collect();
            (per_lang, diags, cached)
        })
        .collect();
    let mut diags = Vec::new();
    let mut cache = Vec::new();
    let mut out = Vec::with_capacity(results.len());
    for (r, d, c) in results {
        out.push(r);
        diags.extend(d);
        cache.extend(c);
    }
    (out, diags, cache)
}

/// Renders every Markdown body once per language. With `prev` (the dev server), a body
/// whose text and link targets are unchanged is taken from the previous build.
pub fn bodies(cfg: &Config, site: &Site, prev: Option<&Bodies>, keep: bool) -> Result<Bodies> {
    use std::hash::{Hash, Hasher};
    let c = &site.content;
    // What every body's links depend on: the base URL, the languages and every slug.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&cfg.base.path, &cfg.langs).hash(&mut h);
    for e in &c.founders {
        ("f", &e.slug).hash(&mut h);
    }
    for e in &c.companies {
        ("c", &e.slug).hash(&mut h);
    }
    for e in &c.sectors {
        ("s", &e.slug).hash(&mut h);
    }
    for e in &c.employers {
        ("e", &e.slug).hash(&mut h);
    }
    for e in &c.pages {
        ("p", &e.slug).hash(&mut h);
    }
    let global = h.finish();
    let prev = prev.map(|b| &b.cache);
    let (founders, mut d, c1) = render_kind(cfg, site, &c.founders, global, prev, keep);
    let (companies, d2, c2) = render_kind(cfg, site, &c.companies, global, prev, keep);
    let (sectors, d3, c3) = render_kind(cfg, site, &c.sectors, global, prev, keep);
    let (employers, d4, c4) = render_kind(cfg, site, &c.employers, global, prev, keep);
    let (pages, d5, c5) = render_kind(cfg, site, &c.pages, global, prev, keep);
    let intro_entries: Vec<crate::content::Entry<crate::content::Page>> =
        c.intros.iter().map(|(_, e)| e.clone()).collect();
    let (intros, d6, c6) = render_kind(cfg, site, &intro_entries, global, prev, keep);
    d.extend(d2.into_iter().chain(d3).chain(d4).chain(d5).chain(d6));
    if !d.is_empty() {
        return Err(Error::Diagnostics(d));
    }
    let cache = c1
        .into_iter()
        .chain(c2)
        .chain(c3)
        .chain(c4)
        .chain(c5)
        .chain(c6)
        .collect();
    Ok(Bodies {
        founders,
        companies,
        sectors,
        employers,
        pages,
        intros,
        cache,
    })
}

/// Site-wide values every template gets as `site`.
#[derive(Debug, Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    default_lang: &'a str,
    base_path: &'a str,
    home: String,
    static_path: String,
    /// The search page of this language, when the theme has one.
    search: Option<String>,
    nav: Vec<NavItem>,
}

#[derive(Debug, Serialize)]
struct NavItem {
    /// i18n key of a section's label; empty for a free page.
    key: &'static str,
    /// A free page's title in the page's language.
    title: String,
    url: String,
}

#[derive(Debug, Serialize)]
struct Alternate {
    lang: String,
    /// The language's own name (中文, English).
    label: String,
    href: String,
    link: String,
    current: bool,
}

/// Per-page metadata: canonical URL, alternates, Open Graph, JSON-LD.
#[derive(Debug, Serialize)]
struct PageMeta {
    kind: &'static str,
    title: String,
    description: String,
    path: String,
    canonical: String,
    alternates: Vec<Alternate>,
    x_default: String,
    og_type: &'static str,
    og_locale: String,
    /// JSON-LD, serialized and escaped for a `<script>` element.
    jsonld: Option<String>,
    translated: bool,
}

impl PageMeta {
    /// Kind, title, description and translation state of a profile page.
    fn describe(
        &mut self,
        kind: &'static str,
        name: &str,
        site_title: &str,
        translated: bool,
        summary: Option<&String>,
    ) {
        self.kind = kind;
        self.title = format!("{name} · {site_title}");
        self.translated = translated;
        if let Some(s) = summary {
            self.description = sanitize_desc(s);
        }
    }
}

#[derive(Serialize)]
struct Ctx<'a, D: Serialize> {
    site: &'a SiteCtx<'a>,
    page: PageMeta,
    /// A section index's introduction (`content/<section>/_index.<lang>.md`).
    intro: Option<PageView>,
    #[serde(flatten)]
    data: D,
}

/// What a page is, for rendering.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home(LangId),
    Search(LangId),
    Index(Kind, LangId),
    Profile(Kind, usize, LangId),
}

/// Serializes JSON-LD so that nothing in it can close the `<script>` element.
pub fn jsonld_string(v: &serde_json::Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn og_locale(lang: &str) -> String {
    match lang {
        "zh" => "zh_CN".into(),
        "en" => "en_US".into(),
        l => l.replace('-', "_"),
    }
}

/// Renders all pages, feeds, sitemap and 404 in parallel.
pub fn all(cfg: &Config, site: &Site, theme: &Theme, bodies: &Bodies) -> Result<Vec<OutFile>> {
    all_incremental(cfg, site, theme, bodies, None, false).map(|r| r.files)
}

/// Each page's context hash and HTML from the previous render, by output path.
pub type PageCache = HashMap<String, (u64, Vec<u8>)>;

/// What [`all_incremental`] produced.
pub struct RenderOutput {
    pub files: Vec<OutFile>,
    /// The cache for the next render.
    pub cache: PageCache,
    /// Pages rendered through Tera (the others were unchanged and reused).
    pub rendered: usize,
    pub pages: usize,
}

/// Renders every page, reusing the previous HTML of a page whose template context is
/// unchanged: after an edit, only the pages that show the edited profile go through Tera.
/// The cache is only valid for the same theme.
/// `keep` fills the returned cache (the dev server keeps it; a one-off build does not).
pub fn all_incremental(
    cfg: &Config,
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    prev: Option<&PageCache>,
    keep: bool,
) -> Result<RenderOutput> {
    let c = &site.content;
    let nlang = cfg.langs.len();
    let mut jobs = Vec::new();
    for lang in 0..nlang {
        jobs.push(Job::Home(lang));
        if theme.tera[lang]
            .get_template_names()
            .any(|n| n == "search.html")
        {
            jobs.push(Job::Search(lang));
        }
        for kind in [Kind::Founder, Kind::Company, Kind::Sector, Kind::Employer] {
            jobs.push(Job::Index(kind, lang));
        }
        for (kind, n) in [
            (Kind::Founder, c.founders.len()),
            (Kind::Company, c.companies.len()),
            (Kind::Sector, c.sectors.len()),
            (Kind::Employer, c.employers.len()),
            (Kind::Page, c.pages.len()),
        ] {
            jobs.extend((0..n).map(|i| Job::Profile(kind, i, lang)));
        }
    }
    let mut missing_i18n = Vec::new();
    let site_ctx: Vec<SiteCtx> = (0..nlang)
        .map(|lang| SiteCtx {
            title: &cfg.title[lang],
            description: &cfg.description[lang],
            lang: &cfg.langs[lang],
            default_lang: &cfg.langs[0],
            base_path: &cfg.base.path,
            home: cfg.base.link(&cfg.lang_prefix(lang)),
            static_path: cfg.base.link("static/"),
            search: theme.tera[lang]
                .get_template_names()
                .any(|n| n == "search.html")
                .then(|| cfg.base.link(&format!("{}search/", cfg.lang_prefix(lang)))),
            nav: [
                ("nav_founders", Kind::Founder),
                ("nav_companies", Kind::Company),
                ("nav_sectors", Kind::Sector),
                ("nav_employers", Kind::Employer),
            ]
            .into_iter()
            .map(|(key, k)| NavItem {
                key,
                title: String::new(),
                url: cfg.base.link(&permalink(cfg, k, None, lang)),
            })
            .chain(site.page_order.iter().map(|&i| NavItem {
                key: "",
                title: c.pages[i].doc(lang).fm.title.clone().unwrap_or_default(),
                url: cfg.base.link(&permalink(
                    cfg,
                    Kind::Page,
                    Some(c.pages[i].slug.as_str()),
                    lang,
                )),
            }))
            .collect(),
        })
        .collect();
    let labels: Vec<String> = (0..nlang)
        .map(|l| match theme.t(cfg, l, "language_name") {
            Ok(s) => s.to_owned(),
            Err(d) => {
                missing_i18n.push(d);
                cfg.langs[l].clone()
            }
        })
        .collect();
    // Funding stage labels are looked up per round: every one must exist.
    for l in 0..nlang {
        for stage in crate::content::Stage::ALL {
            if let Err(d) = theme.t(cfg, l, stage.key()) {
                missing_i18n.push(d);
            }
        }
    }
    // The charts of a language are the same on every page that shows them: computed once.
    let lang_charts: Vec<charts::Charts> = (0..nlang)
        .filter_map(|lang| {
            charts::build(cfg, site, theme, lang)
                .map_err(|d| missing_i18n.push(d))
                .ok()
        })
        .collect();
    if !missing_i18n.is_empty() {
        return Err(Error::Diagnostics(missing_i18n));
    }
    let shared = Shared {
        cfg,
        site,
        theme,
        bodies,
        site_ctx: &site_ctx,
        labels: &labels,
        lang_charts: &lang_charts,
        prev,
        keep,
    };
    let results: Vec<std::result::Result<(OutFile, u64, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(&shared, *job))
        .collect();
    let mut files = Vec::with_capacity(results.len() + 8);
    let mut diags = Vec::new();
    let mut cache = PageCache::with_capacity(results.len());
    let mut rendered = 0;
    let pages = results.len();
    for r in results {
        match r {
            Ok((f, hash, reused)) => {
                if !reused {
                    rendered += 1;
                }
                if keep {
                    cache.insert(f.path.clone(), (hash, f.bytes.clone()));
                }
                files.push(f)
            }
            Err(d) => {
                if !diags.contains(&d) {
                    diags.push(d)
                }
            }
        }
    }
    match not_found(cfg, theme, &site_ctx, &labels) {
        Ok(f) => files.push(f),
        Err(d) => diags.push(d),
    }
    if !diags.is_empty() {
        return Err(Error::Diagnostics(diags));
    }
    files.push(feeds::sitemap(cfg, site));
    files.push(feeds::robots(cfg));
    if let Some(domain) = &cfg.custom_domain {
        files.push(OutFile {
            path: "CNAME".into(),
            bytes: format!("{domain}\n").into_bytes(),
        });
    }
    for lang in 0..nlang {
        files.push(feeds::atom(cfg, site, lang));
    }
    Ok(RenderOutput {
        files,
        cache,
        rendered,
        pages,
    })
}

fn alternates(
    cfg: &Config,
    labels: &[String],
    rel_of: &dyn Fn(LangId) -> String,
    current: LangId,
) -> (Vec<Alternate>, String) {
    let alts = (0..cfg.langs.len())
        .map(|l| Alternate {
            lang: cfg.langs[l].clone(),
            label: labels[l].clone(),
            href: cfg.base.absolute(&rel_of(l)),
            link: cfg.base.link(&rel_of(l)),
            current: l == current,
        })
        .collect();
    (alts, cfg.base.absolute(&rel_of(0)))
}

fn sanitize_desc(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What every page's render reads.
#[derive(Clone, Copy)]
struct Shared<'a> {
    cfg: &'a Config,
    site: &'a Site,
    theme: &'a Theme,
    bodies: &'a Bodies,
    site_ctx: &'a [SiteCtx<'a>],
    labels: &'a [String],
    /// The charts per language.
    lang_charts: &'a [charts::Charts],
    prev: Option<&'a PageCache>,
    keep: bool,
}

fn render_job(shared: &Shared, job: Job) -> std::result::Result<(OutFile, u64, bool), Diagnostic> {
    let Shared {
        cfg,
        site,
        theme,
        bodies,
        site_ctx,
        labels,
        lang_charts,
        prev,
        keep,
    } = *shared;
    let c = &site.content;
    let (lang, rel_of): (LangId, Box<dyn Fn(LangId) -> String>) = match job {
        Job::Home(l) => (l, Box::new(|x| cfg.lang_prefix(x))),
        Job::Search(l) => (l, Box::new(|x| format!("{}search/", cfg.lang_prefix(x)))),
        Job::Index(k, l) => (l, Box::new(move |x| permalink(cfg, k, None, x))),
        Job::Profile(k, i, l) => {
            let slug = match k {
                Kind::Founder => c.founders[i].slug.0.clone(),
                Kind::Company => c.companies[i].slug.0.clone(),
                Kind::Sector => c.sectors[i].slug.0.clone(),
                Kind::Employer => c.employers[i].slug.0.clone(),
                Kind::Page => c.pages[i].slug.0.clone(),
            };
            (l, Box::new(move |x| permalink(cfg, k, Some(&slug), x)))
        }
    };
    // Every stage label was checked to exist above.
    let stage = |key: &str| -> String {
        theme
            .t(cfg, lang, key)
            .map(str::to_owned)
            .unwrap_or_else(|_| key.to_owned())
    };
    let v = Views {
        cfg,
        site,
        lang,
        stage_labels: &stage,
    };
    let rel = rel_of(lang);
    let (alts, x_default) = alternates(cfg, labels, &*rel_of, lang);
    let t = |key: &str| theme.t(cfg, lang, key).map(str::to_owned);
    let mut meta = PageMeta {
        kind: "",
        title: String::new(),
        description: cfg.description[lang].clone(),
        path: cfg.base.link(&rel),
        canonical: cfg.base.absolute(&rel),
        alternates: alts,
        x_default,
        og_type: "website",
        og_locale: og_locale(&cfg.langs[lang]),
        jsonld: None,
        translated: true,
    };
    let id_of = |k: Kind, slug: &str, frag: &str| {
        format!(
            "{}#{}",
            cfg.base.absolute(&permalink(cfg, k, Some(slug), 0)),
            frag
        )
    };
    let intro: Option<PageView> = match job {
        Job::Index(kind, _) => c.intros.iter().position(|(k, _)| *k == kind).map(|i| {
            let e = &c.intros[i].1;
            let fm = &e.doc(lang).fm;
            PageView {
                slug: e.slug.0.clone(),
                url: cfg.base.link(&rel),
                title: fm.title.clone().unwrap_or_default(),
                summary: fm.summary.clone(),
                content: bodies.intros[i][lang].html.clone(),
                translated: e.translated(lang),
            }
        }),
        _ => None,
    };
    if let Some(s) = intro.as_ref().and_then(|i| i.summary.as_ref()) {
        meta.description = sanitize_desc(s);
    }
    let tera = &theme.tera[lang];
    let path = percent_encoding::percent_decode_str(&rel)
        .decode_utf8_lossy()
        .into_owned()
        + "index.html";
    // Renders `name` with a context, unless the previous render had the very same context.
    let render = |name: &str,
                  ctx: serde_json::Value|
     -> std::result::Result<(Vec<u8>, u64, bool), Diagnostic> {
        use std::hash::{Hash, Hasher};
        // A one-off build has nothing to compare with: skip hashing.
        let hash = if prev.is_some() || keep {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            name.hash(&mut h);
            ctx.to_string().hash(&mut h);
            h.finish()
        } else {
            0
        };
        if let Some((_, bytes)) = prev
            .and_then(|p| p.get(&path))
            .filter(|(ph, _)| *ph == hash)
        {
            return Ok((bytes.clone(), hash, true));
        }
        let ctx = tera::Context::from_value(ctx).map_err(|e| {
            Diagnostic::new("", 0, 0, format!("cannot build template context: {e}"))
        })?;
        let html = tera.render(name, &ctx).map_err(|e| {
            let tdir = theme.dir.join("templates");
            theme::template_diag(&e, &tdir, tdir.strip_prefix(&cfg.root).unwrap_or(&tdir))
        })?;
        Ok((html.into_bytes(), hash, false))
    };
    macro_rules! ctx {
        ($data:expr) => {
            serde_json::to_value(Ctx {
                site: &site_ctx[lang],
                page: meta,
                intro: intro.clone(),
                data: $data,
            })
            .map_err(|e| Diagnostic::new("", 0, 0, format!("cannot build template context: {e}")))?
        };
    }
    let html = match job {
        Job::Home(_) => {
            meta.kind = "home";
            meta.title = cfg.title[lang].clone();
            #[derive(Serialize)]
            struct Home<'c> {
                sectors: Vec<SectorCard>,
                latest: Vec<FounderRow>,
                charts: &'c charts::Charts,
                founder_count: usize,
                company_count: usize,
                employer_count: usize,
            }
            #[derive(Serialize)]
            struct SectorCard {
                #[serde(flatten)]
                r: Ref,
                summary: Option<String>,
                founders: usize,
                companies: usize,
            }
            let sectors = site
                .sector_order
                .iter()
                .map(|&i| SectorCard {
                    r: v.sector_ref(i),
                    summary: c.sectors[i].doc(lang).fm.summary.clone(),
                    founders: site.sector_founders[i].len(),
                    companies: site.sector_companies[i].len(),
                })
                .collect();
            let mut by_date: Vec<usize> = (0..c.founders.len()).collect();
            by_date.sort_by_key(|&i| std::cmp::Reverse(feeds::founder_date(site, i)));
            let latest = by_date
                .into_iter()
                .take(6)
                .map(|i| v.founder_row(i))
                .collect();
            let data = Home {
                sectors,
                latest,
                charts: &lang_charts[lang],
                founder_count: c.founders.len(),
                company_count: c.companies.len(),
                employer_count: c.employers.len(),
            };
            render("home.html", ctx!(data))?
        }
        Job::Search(_) => {
            meta.kind = "search";
            meta.title = format!("{} · {}", t("nav_search")?, cfg.title[lang]);
            #[derive(Serialize)]
            struct D {
                pagefind: String,
                founders_url: String,
            }
            let data = D {
                pagefind: cfg.base.link("pagefind/"),
                founders_url: cfg.base.link(&permalink(cfg, Kind::Founder, None, lang)),
            };
            render("search.html", ctx!(data))?
        }
        Job::Index(kind, _) => {
            meta.kind = kind.section();
            meta.title = format!(
                "{} · {}",
                t(&format!("nav_{}", kind.section()))?,
                cfg.title[lang]
            );
            match kind {
                Kind::Founder => {
                    #[derive(Serialize)]
                    struct D {
                        founders: Vec<FounderRow>,
                        sectors: Vec<Ref>,
                        employers: Vec<Ref>,
                        cities: Vec<(String, String)>,
                    }
                    let mut cities: Vec<(String, String)> = site
                        .founder_city
                        .iter()
                        .flatten()
                        .map(|code| {
                            (
                                code.clone(),
                                cfg.cities
                                    .get(code)
                                    .map(|n| n[lang].clone())
                                    .unwrap_or_default(),
                            )
                        })
                        .collect();
                    cities.sort();
                    cities.dedup();
                    let data = D {
                        founders: (0..c.founders.len()).map(|i| v.founder_row(i)).collect(),
                        sectors: site.sector_order.iter().map(|&i| v.sector_ref(i)).collect(),
                        employers: site
                            .employer_order
                            .iter()
                            .filter(|&&i| !site.employer_founders[i].is_empty())
                            .map(|&i| v.employer_ref(i))
                            .collect(),
                        cities,
                    };
                    render("founders.html", ctx!(data))?
                }
                Kind::Company => {
                    #[derive(Serialize)]
                    struct D {
                        companies: Vec<CompanyRow>,
                    }
                    let data = D {
                        companies: (0..c.companies.len()).map(|i| v.company_row(i)).collect(),
                    };
                    render("companies.html", ctx!(data))?
                }
                Kind::Sector => {
                    #[derive(Serialize)]
                    struct Card {
                        #[serde(flatten)]
                        r: Ref,
                        summary: Option<String>,
                        founders: Vec<Ref>,
                        companies: Vec<Ref>,
                    }
                    #[derive(Serialize)]
                    struct D {
                        sectors: Vec<Card>,
                    }
                    let data = D {
                        sectors: site
                            .sector_order
                            .iter()
                            .map(|&i| Card {
                                r: v.sector_ref(i),
                                summary: c.sectors[i].doc(lang).fm.summary.clone(),
                                founders: site.sector_founders[i]
                                    .iter()
                                    .map(|&f| v.founder_ref(f))
                                    .collect(),
                                companies: site.sector_companies[i]
                                    .iter()
                                    .map(|&x| v.company_ref(x))
                                    .collect(),
                            })
                            .collect(),
                    };
                    render("sectors.html", ctx!(data))?
                }
                _ => {
                    #[derive(Serialize)]
                    struct Card {
                        #[serde(flatten)]
                        r: Ref,
                        summary: Option<String>,
                        founders: Vec<Ref>,
                    }
                    #[derive(Serialize)]
                    struct D<'c> {
                        employers: Vec<Card>,
                        charts: &'c charts::Charts,
                    }
                    let data = D {
                        employers: site
                            .employer_order
                            .iter()
                            .map(|&i| Card {
                                r: v.employer_ref(i),
                                summary: c.employers[i].doc(lang).fm.summary.clone(),
                                founders: site.employer_founders[i]
                                    .iter()
                                    .map(|&f| v.founder_ref(f))
                                    .collect(),
                            })
                            .collect(),
                        charts: &lang_charts[lang],
                    };
                    render("employers.html", ctx!(data))?
                }
            }
        }
        Job::Profile(kind, i, _) => {
            let body = &bodies.of(kind)[i][lang];
            match kind {
                Kind::Founder => {
                    let f = v.founder(i, body);
                    meta.describe(
                        "founder",
                        &f.row.name,
                        &cfg.title[lang],
                        f.translated,
                        f.row.summary.as_ref(),
                    );
                    meta.og_type = "profile";
                    let mut ld = serde_json::json!({
                        "@context": "https://schema.org",
                        "@type": "Person",
                        "@id": id_of(Kind::Founder, &f.row.slug, "person"),
                        "name": f.row.name,
                        "url": meta.canonical,
                        "jobTitle": f.row.former_title,
                    });
                    if let Some(alt) = &f.row.name_alt {
                        ld["alternateName"] = alt.clone().into();
                    }
                    if let Some(s) = &f.row.summary {
                        ld["description"] = s.clone().into();
                    }
                    if let Some(co) = &f.row.company {
                        ld["founder"] = serde_json::json!({"@type": "Organization", "@id": id_of(Kind::Company, &co.slug, "organization"), "name": co.name});
                    }
                    if let Some(em) = &f.row.employer {
                        ld["alumniOf"] =
                            serde_json::json!({"@type": "Organization", "name": em.name});
                    }
                    if !f.links.is_empty() {
                        ld["sameAs"] = f
                            .links
                            .iter()
                            .map(|l| l.url.clone())
                            .collect::<Vec<_>>()
                            .into();
                    }
                    meta.jsonld = Some(jsonld_string(&ld));
                    #[derive(Serialize)]
                    struct D {
                        founder: FounderView,
                    }
                    render("founder.html", ctx!(D { founder: f }))?
                }
                Kind::Company => {
                    let co = v.company(i, body);
                    meta.describe(
                        "company",
                        &co.row.name,
                        &cfg.title[lang],
                        co.translated,
                        co.row.summary.as_ref(),
                    );
                    let mut ld = serde_json::json!({
                        "@context": "https://schema.org",
                        "@type": "Organization",
                        "@id": id_of(Kind::Company, &co.row.slug, "organization"),
                        "name": co.row.name,
                        "founder": co.row.founders.iter().map(|f| serde_json::json!({"@type": "Person", "@id": id_of(Kind::Founder, &f.slug, "person"), "name": f.name})).collect::<Vec<_>>(),
                    });
                    if let Some(alt) = &co.row.name_alt {
                        ld["alternateName"] = alt.clone().into();
                    }
                    if let Some(w) = &co.website {
                        ld["url"] = w.clone().into();
                    }
                    if let Some(d) = &c.companies[i].original().fm.founded {
                        ld["foundingDate"] = d.to_string().into();
                    }
                    if let Some(city) = &co.row.city {
                        ld["location"] = city.clone().into();
                    }
                    if let Some(s) = &co.row.summary {
                        ld["description"] = s.clone().into();
                    }
                    meta.jsonld = Some(jsonld_string(&ld));
                    #[derive(Serialize)]
                    struct D {
                        company: CompanyView,
                    }
                    render("company.html", ctx!(D { company: co }))?
                }
                Kind::Sector => {
                    let s = v.sector(i, body);
                    meta.describe(
                        "sector",
                        &s.name,
                        &cfg.title[lang],
                        s.translated,
                        s.summary.as_ref(),
                    );
                    #[derive(Serialize)]
                    struct D {
                        sector: SectorView,
                    }
                    render("sector.html", ctx!(D { sector: s }))?
                }
                Kind::Employer => {
                    let e = v.employer(i, body);
                    meta.describe(
                        "employer",
                        &e.name,
                        &cfg.title[lang],
                        e.translated,
                        e.summary.as_ref(),
                    );
                    #[derive(Serialize)]
                    struct D {
                        employer: EmployerView,
                    }
                    render("employer.html", ctx!(D { employer: e }))?
                }
                Kind::Page => {
                    let p = v.page(i, body);
                    meta.describe(
                        "page",
                        &p.title,
                        &cfg.title[lang],
                        p.translated,
                        p.summary.as_ref(),
                    );
                    #[derive(Serialize)]
                    struct D {
                        page_content: PageView,
                    }
                    render("page.html", ctx!(D { page_content: p }))?
                }
            }
        }
    };
    let (bytes, hash, reused) = html;
    Ok((OutFile { path, bytes }, hash, reused))
}

/// The bilingual 404 page, at the site root.
fn not_found(
    cfg: &Config,
    theme: &Theme,
    site_ctx: &[SiteCtx],
    labels: &[String],
) -> std::result::Result<OutFile, Diagnostic> {
    #[derive(Serialize)]
    struct Msg {
        lang: String,
        label: String,
        title: String,
        text: String,
        home: String,
        home_label: String,
    }
    #[derive(Serialize)]
    struct D {
        messages: Vec<Msg>,
    }
    let mut messages = Vec::new();
    for (l, label) in labels.iter().enumerate() {
        messages.push(Msg {
            lang: cfg.langs[l].clone(),
            label: label.clone(),
            title: theme.t(cfg, l, "not_found_title")?.to_owned(),
            text: theme.t(cfg, l, "not_found_text")?.to_owned(),
            home: cfg.base.link(&cfg.lang_prefix(l)),
            home_label: theme.t(cfg, l, "not_found_home")?.to_owned(),
        });
    }
    let (alts, x_default) = alternates(cfg, labels, &|l| cfg.lang_prefix(l), 0);
    let meta = PageMeta {
        kind: "404",
        title: messages
            .iter()
            .map(|m| m.title.as_str())
            .collect::<Vec<_>>()
            .join(" / "),
        description: cfg.description[0].clone(),
        path: cfg.base.link("404.html"),
        canonical: cfg.base.absolute("404.html"),
        alternates: alts,
        x_default,
        og_type: "website",
        og_locale: og_locale(&cfg.langs[0]),
        jsonld: None,
        translated: true,
    };
    let ctx = tera::Context::from_serialize(Ctx {
        site: &site_ctx[0],
        page: meta,
        intro: None,
        data: D { messages },
    })
    .map_err(|e| Diagnostic::new("", 0, 0, e.to_string()))?;
    let html = theme.tera[0].render("404.html", &ctx).map_err(|e| {
        let tdir = theme.dir.join("templates");
        theme::template_diag(&e, &tdir, tdir.strip_prefix(&cfg.root).unwrap_or(&tdir))
    })?;
    Ok(OutFile {
        path: "404.html".into(),
        bytes: html.into_bytes(),
    })
}
