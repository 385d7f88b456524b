//! The dev server's site in memory, kept up to date change by change.
//!
//! A [`Session`] holds every stage's output of the last good build and the dependency map
//! of its pages. A change re-reads only the files it names; the stages after `load` run
//! again over the in-memory data (they are cheap next to rendering), and what they produce
//! is compared with the last good build to find the sources that changed: the profiles
//! whose front matter or body changed, lists that gained or lost a member, backlinks,
//! navigation and charts. Only the pages that read one of those are rendered again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::bodies::Bodies;
use crate::config::{Config, LangId, Mode, Options, PerLang};
use crate::content::{self, AnyDoc, Kind};
use crate::deps::{DepMap, Source};
use crate::error::{Diagnostic, Error, Result};
use crate::output::SitePath;
use crate::render::charts::Charts;
use crate::render::{self, PageId, Theme, Views};
use crate::resolve::Site;
use crate::search::Record;

/// A content file as last read: its parse, or its problems.
type Parsed = std::result::Result<AnyDoc, Vec<Diagnostic>>;

/// What a change did.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// Files written or rewritten (pages and static files).
    pub changed: Vec<SitePath>,
    /// Files that no longer exist.
    pub removed: Vec<SitePath>,
    /// HTML pages rendered, of all HTML pages (feeds and sitemap are not counted).
    pub rendered: usize,
    pub pages: usize,
    /// Only static files changed: browsers can swap stylesheets without a reload.
    pub static_only: bool,
    /// Only the theme changed (templates, strings, static files).
    pub theme_only: bool,
    /// The search index needs rebuilding (a page it indexes changed).
    pub reindex: bool,
}

/// A page as served: what it is, its bytes, its search record.
struct Served {
    id: PageId,
    bytes: Arc<Vec<u8>>,
    record: Option<Arc<Record>>,
}

/// The last good build.
struct Built {
    site: Site,
    bodies: Bodies,
    /// Each language's `site` context and language names, serialized, to tell a change.
    nav: PerLang<String>,
    charts: PerLang<Charts>,
    pages: BTreeMap<SitePath, Served>,
    deps: DepMap,
}

/// The paths of a change, sorted by what they are.
#[derive(Debug, Default)]
struct Changes {
    config: bool,
    templates: bool,
    statics: bool,
    content: Vec<PathBuf>,
}

/// The site being served.
pub struct Session {
    opts: Options,
    cfg: Config,
    theme: Option<Theme>,
    /// Every content file by path: its parse, or why it failed.
    parsed: BTreeMap<PathBuf, Parsed>,
    /// Markdown files outside the content layout.
    stray: BTreeMap<PathBuf, Diagnostic>,
    statics: BTreeMap<SitePath, Arc<Vec<u8>>>,
    built: Option<Built>,
    /// Sources changed since the last good build.
    pending: BTreeSet<Source>,
}

impl Session {
    /// Reads the config; the first build is [`Session::rebuild_all`].
    pub fn new(opts: &Options) -> Result<Session> {
        let opts = Options {
            mode: Mode::Serve,
            ..opts.clone()
        };
        let cfg = Config::load(&opts)?;
        Ok(Session {
            opts,
            cfg,
            theme: None,
            parsed: BTreeMap::new(),
            stray: BTreeMap::new(),
            statics: BTreeMap::new(),
            built: None,
            pending: BTreeSet::new(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// A file of the site as served.
    pub fn file(&self, path: &SitePath) -> Option<Arc<Vec<u8>>> {
        let built = self.built.as_ref()?;
        built
            .pages
            .get(path)
            .map(|p| p.bytes.clone())
            .or_else(|| self.statics.get(path).cloned())
    }

    /// Every file of the site as served (pages and static files; not the search index).
    pub fn files(&self) -> Vec<(SitePath, Arc<Vec<u8>>)> {
        let pages = self.built.iter().flat_map(|b| b.pages.iter());
        pages
            .map(|(p, s)| (p.clone(), s.bytes.clone()))
            .chain(self.statics.iter().map(|(p, b)| (p.clone(), b.clone())))
            .collect()
    }

    /// The search records of the pages served: profiles and free pages.
    pub fn records(&self) -> Vec<Arc<Record>> {
        let pages = self.built.iter().flat_map(|b| b.pages.values());
        pages.filter_map(|p| p.record.clone()).collect()
    }

    /// Reads everything again and renders every page.
    pub fn rebuild_all(&mut self) -> Result<Outcome> {
        self.cfg = Config::load(&self.opts)?;
        self.theme = Some(Theme::load(&self.cfg)?);
        self.statics = read_statics(&self.cfg)?;
        let (files, stray) = content::discover(&self.cfg)?;
        let parsed: Vec<Parsed> = files
            .par_iter()
            .map(|f| content::parse(&self.cfg, f))
            .collect();
        self.parsed = files.into_iter().map(|f| f.path).zip(parsed).collect();
        self.stray = stray.into_iter().map(|d| (d.path.clone(), d)).collect();
        let old = self.built.take();
        let result = self.render();
        if result.is_err() {
            self.built = old;
        }
        let mut outcome = result?;
        outcome.changed.extend(self.statics.keys().cloned());
        Ok(outcome)
    }

    /// Applies a batch of changed paths (created, modified or removed).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Outcome> {
        if self.built.is_none() || self.theme.is_none() {
            return self.rebuild_all();
        }
        let ch = self.classify(paths);
        if ch.config {
            let cfg = Config::load(&self.opts)?;
            if !same_but_cities(&cfg, &self.cfg) {
                return self.rebuild_all();
            }
            for (code, names) in &cfg.cities {
                if self.cfg.cities.get(code) != Some(names) {
                    self.pending.insert(Source::City(code.clone()));
                }
            }
            for code in self
                .cfg
                .cities
                .keys()
                .filter(|c| !cfg.cities.contains_key(*c))
            {
                self.pending.insert(Source::City(code.clone()));
            }
            self.cfg = cfg;
        }
        if ch.templates {
            let theme = Theme::load(&self.cfg)?;
            if let Some(old) = &self.theme {
                self.pending.extend(theme_changes(&self.cfg, old, &theme));
            }
            self.theme = Some(theme);
        }
        let mut statics = Vec::new();
        if ch.statics {
            let fresh = read_statics(&self.cfg)?;
            statics = changed_statics(&self.statics, &fresh);
            self.statics = fresh;
        }
        for path in &ch.content {
            self.reread(path);
        }
        let theme_only = ch.content.is_empty() && !ch.config;
        if theme_only && !ch.templates {
            return Ok(Outcome {
                static_only: true,
                theme_only: true,
                pages: self.built.as_ref().map_or(0, |b| b.pages.len()),
                changed: statics.iter().map(|(p, _)| p.clone()).collect(),
                removed: statics
                    .into_iter()
                    .filter(|(_, gone)| *gone)
                    .map(|(p, _)| p)
                    .collect(),
                ..Outcome::default()
            });
        }
        let mut outcome = self.render()?;
        outcome.theme_only = theme_only;
        outcome.changed.extend(
            statics
                .iter()
                .filter(|(_, gone)| !*gone)
                .map(|(p, _)| p.clone()),
        );
        outcome.removed.extend(
            statics
                .into_iter()
                .filter(|(_, gone)| *gone)
                .map(|(p, _)| p),
        );
        Ok(outcome)
    }

    /// Sorts changed paths: config, theme (templates and strings; static files), content.
    fn classify(&self, paths: &[PathBuf]) -> Changes {
        let cfg = &self.cfg;
        let mut ch = Changes::default();
        for p in paths {
            if p == &cfg.root.join("site.yaml") {
                ch.config = true;
            } else if p.starts_with(cfg.theme_dir.join("templates"))
                || p.starts_with(cfg.theme_dir.join("i18n"))
            {
                ch.templates = true;
            } else if p.starts_with(cfg.theme_dir.join("static")) {
                ch.statics = true;
            } else if p.starts_with(&cfg.content_dir) {
                ch.content.push(p.clone());
            }
        }
        ch
    }

    /// Reads one content file again (or forgets it), noting whether its front matter
    /// changed.
    fn reread(&mut self, path: &Path) {
        let file = match content::classify(&self.cfg, path) {
            Some(Ok(f)) if path.is_file() => f,
            Some(Err(d)) if path.is_file() => {
                self.stray.insert(path.to_path_buf(), d);
                return;
            }
            _ => {
                self.stray.remove(path);
                if let Some(old) = self.parsed.remove(path) {
                    self.pending
                        .extend(touched(&self.cfg, path, old.as_ref().ok(), None));
                }
                return;
            }
        };
        let new = content::parse(&self.cfg, &file);
        let old = self.parsed.insert(path.to_path_buf(), new);
        let new = self.parsed.get(path).and_then(|p| p.as_ref().ok());
        let old = old.as_ref().and_then(|p| p.as_ref().ok());
        self.pending
            .extend(touched(&self.cfg, &file.path, old, new));
    }

    /// Runs the stages after `load` and renders what changed since the last good build
    /// (everything when there is none). On success the new build replaces it; on failure
    /// it stays, and the changed sources are kept for the next attempt.
    fn render(&mut self) -> Result<Outcome> {
        let cfg = &self.cfg;
        let theme = self
            .theme
            .as_ref()
            .ok_or_else(|| Error::Internal("no theme".into()))?;
        let old = self.built.as_ref();
        let site = self.site()?;
        let bodies = crate::bodies::render(cfg, &site, old.map(|b| (&b.bodies, &b.site)))?;
        let views = Views::new(cfg, &site, &bodies, theme)?;
        let nav = PerLang::build(&cfg.langs, |l| nav_key(&views, l));
        let plan: BTreeMap<SitePath, PageId> = render::plan(cfg, &site, theme)
            .into_iter()
            .map(|id| Ok((id.path(cfg, &site)?, id)))
            .collect::<Result<_>>()?;
        let todo: Vec<PageId> = match old {
            None => plan.values().copied().collect(),
            Some(old) => {
                self.pending
                    .extend(derived_changes(cfg, old, &site, &bodies, &views, &nav));
                let affected = old.deps.affected(&self.pending);
                plan.iter()
                    .filter(|(p, _)| affected.contains(*p) || !old.pages.contains_key(*p))
                    .map(|(_, id)| *id)
                    .collect()
            }
        };
        let pages = render::pages(&views, &todo, true)?;
        let charts = views.charts.clone();
        drop(views);
        let mut outcome = Outcome {
            rendered: pages.iter().filter(|p| p.id.is_template()).count(),
            pages: plan.values().filter(|id| id.is_template()).count(),
            ..Outcome::default()
        };
        let built = self.built.get_or_insert_with(|| Built {
            site: Site::default(),
            bodies: Bodies::default(),
            nav: PerLang::default(),
            charts: PerLang::default(),
            pages: BTreeMap::new(),
            deps: DepMap::default(),
        });
        let gone: Vec<SitePath> = built
            .pages
            .keys()
            .filter(|p| !plan.contains_key(*p))
            .cloned()
            .collect();
        for path in gone {
            if let Some(p) = built.pages.remove(&path) {
                outcome.reindex |= p.record.is_some();
            }
            built.deps.remove(&path);
            outcome.removed.push(path);
        }
        // Profiles keep their paths but may move in the site's order.
        for (path, served) in built.pages.iter_mut() {
            if let Some(now) = plan.get(path) {
                served.id = *now;
            }
        }
        for p in pages {
            outcome.reindex |= p.record.is_some();
            outcome.changed.push(p.file.path.clone());
            built.deps.set(p.file.path.clone(), p.deps);
            let served = Served {
                id: p.id,
                bytes: Arc::new(p.file.bytes),
                record: p.record.map(Arc::new),
            };
            built.pages.insert(p.file.path, served);
        }
        built.site = site;
        built.bodies = bodies;
        built.nav = nav;
        built.charts = charts;
        self.pending.clear();
        Ok(outcome)
    }

    /// Groups the parsed files into content and resolves it; every problem of every
    /// file is reported.
    fn site(&self) -> Result<Site> {
        let mut diags: Vec<Diagnostic> = self.stray.values().cloned().collect();
        let mut docs = Vec::with_capacity(self.parsed.len());
        let mut failed = Vec::new();
        for (path, p) in &self.parsed {
            match p {
                Ok(d) => docs.push(d.clone()),
                Err(d) => {
                    diags.extend(d.iter().cloned());
                    if let Some(Ok(f)) = content::classify(&self.cfg, path) {
                        failed.push(f);
                    }
                }
            }
        }
        let (mut content, more) = content::assemble(&self.cfg, docs, &failed);
        diags.extend(more);
        let (warnings, errors): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.warning);
        if !errors.is_empty() {
            return Err(Error::Diagnostics(errors));
        }
        content.warnings = warnings;
        crate::resolve::site(&self.cfg, content)
    }
}

/// Whether two configs differ in their cities at most (anything else renders every page).
fn same_but_cities(a: &Config, b: &Config) -> bool {
    let mut a = a.clone();
    a.cities = b.cities.clone();
    &a == b
}

/// The theme's static files.
fn read_statics(cfg: &Config) -> Result<BTreeMap<SitePath, Arc<Vec<u8>>>> {
    let dir = cfg.theme_dir.join("static");
    Ok(crate::finish::static_files(&dir)?
        .into_iter()
        .map(|f| (f.path, Arc::new(f.bytes)))
        .collect())
}

/// Static files that changed: (path, removed).
fn changed_statics(
    old: &BTreeMap<SitePath, Arc<Vec<u8>>>,
    new: &BTreeMap<SitePath, Arc<Vec<u8>>>,
) -> Vec<(SitePath, bool)> {
    let changed = new
        .iter()
        .filter(|(p, b)| old.get(*p) != Some(*b))
        .map(|(p, _)| (p.clone(), false));
    let removed = old
        .keys()
        .filter(|p| !new.contains_key(*p))
        .map(|p| (p.clone(), true));
    changed.chain(removed).collect()
}

/// The templates and interface strings an edit of the theme changed.
fn theme_changes(cfg: &Config, old: &Theme, new: &Theme) -> Vec<Source> {
    let names: BTreeSet<&String> = old.sources.keys().chain(new.sources.keys()).collect();
    let templates = names
        .into_iter()
        .filter(|n| old.sources.get(*n) != new.sources.get(*n))
        .map(|n| Source::Template(n.clone()));
    let mut out: Vec<Source> = templates.collect();
    for l in cfg.lang_ids() {
        let (a, b) = (&old.i18n[l], &new.i18n[l]);
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for k in keys.into_iter().filter(|k| a.get(*k) != b.get(*k)) {
            out.push(Source::I18n(l, k.clone()));
            if k == "language_name" {
                out.push(Source::Labels);
            }
        }
    }
    out
}

/// What a changed content file touches: its front matter in its language (when it
/// differs), and for a section introduction, the introduction in every language.
fn touched(cfg: &Config, path: &Path, old: Option<&AnyDoc>, new: Option<&AnyDoc>) -> Vec<Source> {
    let Some(doc) = new.or(old) else {
        return Vec::new();
    };
    let Ok((slug, lang)) = content::split_name(cfg, &cfg.shown(path)) else {
        return Vec::new();
    };
    let Ok(slug) = content::Slug::parse(&slug) else {
        return Vec::new();
    };
    if let AnyDoc::Intro(kind, ..) = doc {
        return cfg.lang_ids().map(|l| Source::Intro(*kind, l)).collect();
    }
    let same_fields = match (old, new) {
        (Some(a), Some(b)) => a.raw() == b.raw(),
        _ => false,
    };
    if same_fields {
        Vec::new()
    } else {
        vec![Source::Fields(doc.kind(), slug, lang)]
    }
}

/// A language's `site` context and language names, serialized for comparison.
fn nav_key(views: &Views, lang: LangId) -> String {
    let labels: Vec<&str> = views.labels.values().copied().collect();
    serde_json::to_string(&(&views.site_ctx[lang], labels)).unwrap_or_default()
}

/// The sources whose derived values differ between the last good build and now: the
/// members of each kind, backlinks and other derived fields, bodies, navigation, charts.
fn derived_changes(
    cfg: &Config,
    old: &Built,
    site: &Site,
    bodies: &Bodies,
    views: &Views,
    nav: &PerLang<String>,
) -> Vec<Source> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let slugs = |s: &Site| {
            (0..s.count(kind))
                .map(|i| s.slug(kind, i).clone())
                .collect::<Vec<_>>()
        };
        if slugs(&old.site) != slugs(site) {
            out.push(Source::Members(kind));
        }
        let before: HashMap<_, _> = (0..old.site.count(kind))
            .map(|i| {
                (
                    old.site.slug(kind, i),
                    (
                        relations(&old.site, kind, i),
                        bodies_of(&old.bodies, kind, i),
                    ),
                )
            })
            .collect();
        for i in 0..site.count(kind) {
            let slug = site.slug(kind, i);
            let (rel, body) = (relations(site, kind, i), bodies_of(bodies, kind, i));
            let prev = before.get(slug);
            if prev.map(|p| &p.0) != Some(&rel) {
                out.extend(
                    cfg.lang_ids()
                        .map(|l| Source::Fields(kind, slug.clone(), l)),
                );
            }
            for (l, b) in body.iter() {
                let same = prev
                    .and_then(|p| p.1.get(l))
                    .is_some_and(|o| Arc::ptr_eq(o, b));
                if !same {
                    out.push(Source::Body(kind, slug.clone(), l));
                }
            }
        }
    }
    for l in cfg.lang_ids() {
        if old.nav[l] != nav[l] {
            out.push(Source::Nav(l));
            out.push(Source::Labels);
        }
        if old.charts[l] != views.charts[l] {
            out.push(Source::Charts(l));
        }
    }
    out
}

/// Each language's body of a profile.
fn bodies_of(bodies: &Bodies, kind: Kind, i: usize) -> PerLang<Arc<crate::markdown::Body>> {
    let per = &bodies.of(kind)[i];
    PerLang::from_values(per.values().map(|r| r.body.clone()).collect())
}

/// What a profile shows of other profiles, by slug: its backlinks and derived fields.
fn relations(site: &Site, kind: Kind, i: usize) -> Vec<String> {
    let slugs = |k: Kind, list: &[usize]| -> Vec<String> {
        list.iter().map(|&j| site.slug(k, j).to_string()).collect()
    };
    let one =
        |k: Kind, x: Option<usize>| x.map(|j| site.slug(k, j).to_string()).unwrap_or_default();
    match kind {
        Kind::Founder => vec![
            one(Kind::Company, site.founder_company[i]),
            one(Kind::Sector, site.founder_sector[i]),
            one(Kind::Employer, site.founder_employer[i]),
            site.founder_city[i].clone().unwrap_or_default(),
        ],
        Kind::Company => {
            let mut v = slugs(Kind::Founder, &site.company_founders[i]);
            v.push(one(Kind::Sector, site.company_sector[i]));
            v
        }
        Kind::Sector => {
            let mut v = slugs(Kind::Founder, &site.sector_founders[i]);
            v.push(String::new());
            v.extend(slugs(Kind::Company, &site.sector_companies[i]));
            v
        }
        Kind::Employer => slugs(Kind::Founder, &site.employer_founders[i]),
        Kind::Page => Vec::new(),
    }
}
