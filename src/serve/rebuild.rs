//! The dev server's site in memory, kept up to date change by change.
//!
//! A [`Session`] holds every stage's output of the last good build and the dependency map
//! of its pages. A change re-reads only the files it names; the stages after `load` run
//! again over the in-memory data (they are cheap next to rendering), and what they produce
//! is compared with the last good build to find the sources that changed: the profiles
//! whose front matter or body changed, lists that gained or lost a member, backlinks,
//! navigation and charts. Only the pages that read one of those are rendered again.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::sources::Sources;
use crate::bodies::{Bodies, Fresh};
use crate::cache::Cache;
use crate::cards::Renderer;
use crate::config::{Config, LangId, Mode, Options, PerLang};
use crate::content::Kind;
use crate::deps::{DepMap, Source};
use crate::error::{Error, Result};
use crate::history::History;
use crate::images::Images;
use crate::output::SitePath;
use crate::render::charts::Charts;
use crate::render::dates::Dated;
use crate::render::latest::Latest;
use crate::render::{self, PageId, Theme, Views};
use crate::resolve::Site;
use crate::search::Record;

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
    /// Files left for [`Session::render_deferred`]: the open data, which lists every
    /// profile and takes longer to write than the pages an edit touches.
    pub deferred: usize,
}

/// A page as served: what it is, its bytes, its search record.
struct Served {
    id: PageId,
    bytes: Arc<Vec<u8>>,
    record: Option<Arc<Record>>,
}

/// The last good build.
#[derive(Default)]
struct Built {
    site: Site,
    bodies: Bodies,
    /// Each language's `site` context and language names, serialized, to tell a change.
    nav: PerLang<String>,
    charts: PerLang<Charts>,
    latest: Latest,
    dated: Dated,
    /// Every output, in plan order, and where each is written.
    plan_ids: Vec<PageId>,
    plan: BTreeMap<SitePath, PageId>,
    pages: BTreeMap<SitePath, Served>,
    deps: DepMap,
    /// Portraits and logos, and their files.
    images: Images,
    image_files: BTreeMap<SitePath, Arc<Vec<u8>>>,
}

impl Built {
    /// Takes rendered pages: their bytes, what they read, and their paths in `outcome`.
    fn install(&mut self, pages: Vec<render::Page>, outcome: &mut Outcome) {
        for p in pages {
            outcome.reindex |= p.record.is_some();
            outcome.changed.push(p.file.path.clone());
            self.deps.set(p.file.path.clone(), p.deps);
            let served = Served {
                id: p.id,
                bytes: Arc::new(p.file.body.into_bytes()),
                record: p.record.map(Arc::new),
            };
            self.pages.insert(p.file.path, served);
        }
    }
}

/// The paths of a change, sorted by what they are.
#[derive(Debug, Default)]
struct Changes {
    config: bool,
    /// `theme.yaml` (image sizes): everything is built again.
    theme_config: bool,
    templates: bool,
    statics: bool,
    content: Vec<PathBuf>,
    /// Image files under `content/`.
    images: Vec<PathBuf>,
}

/// Whether a file under `content/` is an image a profile may show.
fn is_image(p: &Path) -> bool {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "jpg" | "jpeg" | "png" | "webp" | "svg"))
}

/// The site being served.
pub struct Session {
    opts: Options,
    cfg: Config,
    theme: Option<Theme>,
    /// Every content file read, and the entries they make.
    sources: Sources,
    statics: BTreeMap<SitePath, Arc<Vec<u8>>>,
    /// The git history, read when everything is read (a commit made while serving shows
    /// after the next full rebuild or restart).
    history: History,
    built: Option<Built>,
    /// Sources changed since the last good build.
    pending: BTreeSet<Source>,
    /// Image files changed since the last good build (processed again).
    changed_images: HashSet<PathBuf>,
    cache: Arc<Cache>,
    /// Draws share cards; keeps its fonts and glyphs from one rebuild to the next.
    cards: Renderer,
    /// Outputs an edit touched that are rendered after the browser reloads.
    deferred: HashSet<PageId>,
}

impl Session {
    /// Reads the config; the first build is [`Session::rebuild_all`].
    pub fn new(opts: &Options) -> Result<Session> {
        let opts = Options {
            mode: Mode::Serve,
            ..opts.clone()
        };
        let cfg = Config::load(&opts)?;
        let cache = Arc::new(Cache::at(&cfg.root));
        Ok(Session {
            opts,
            cfg,
            theme: None,
            sources: Sources::default(),
            statics: BTreeMap::new(),
            history: History::default(),
            built: None,
            pending: BTreeSet::new(),
            changed_images: HashSet::new(),
            deferred: HashSet::new(),
            cards: Renderer::new(cache.clone()),
            cache,
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
            .or_else(|| built.image_files.get(path).cloned())
            .or_else(|| self.statics.get(path).cloned())
    }

    /// What output `path` read when it was last rendered, as the dependency map holds it:
    /// each profile, or past [`crate::deps::MANY`] of a kind the whole kind.
    pub fn reads(&self, path: &SitePath) -> &[Source] {
        self.built.as_ref().map_or(&[], |b| b.deps.sources(path))
    }

    /// The processing cache's counts since the session started: per group (images, cards),
    /// entries found and entries made.
    pub fn cache_stats(&self) -> Vec<(String, usize, usize)> {
        self.cache.stats()
    }

    /// The warning to give when a card had CJK text that no installed font has.
    pub fn cjk_warning(&self) -> Option<crate::Diagnostic> {
        self.theme
            .as_ref()
            .filter(|_| self.cards.missing_cjk())
            .map(crate::no_cjk_font)
    }

    /// The warnings of the portraits and logos served (text a logo's fonts cannot draw).
    pub fn image_warnings(&self) -> Vec<crate::Diagnostic> {
        self.built
            .as_ref()
            .map(|b| b.images.warnings.clone())
            .unwrap_or_default()
    }

    /// Every file of the site as served (pages and static files; not the search index).
    pub fn files(&self) -> Vec<(SitePath, Arc<Vec<u8>>)> {
        let pages = self.built.iter().flat_map(|b| b.pages.iter());
        let images = self.built.iter().flat_map(|b| b.image_files.iter());
        pages
            .map(|(p, s)| (p.clone(), s.bytes.clone()))
            .chain(images.map(|(p, b)| (p.clone(), b.clone())))
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
        let history = crate::history::start(&self.cfg);
        self.theme = Some(Theme::load(&self.cfg)?);
        self.statics = read_statics(&self.cfg)?;
        self.sources = Sources::load(&self.cfg)?;
        self.history = history.finish();
        let old = self.built.take();
        let result = self.render();
        if result.is_err() {
            self.built = old;
        }
        let mut outcome = result?;
        // Everything was rendered: nothing waits.
        self.deferred.clear();
        outcome.deferred = 0;
        outcome.changed.extend(self.statics.keys().cloned());
        Ok(outcome)
    }

    /// Applies a batch of changed paths (created, modified or removed).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Outcome> {
        if self.built.is_none() || self.theme.is_none() {
            return self.rebuild_all();
        }
        let ch = self.classify(paths);
        if ch.theme_config {
            return self.rebuild_all();
        }
        for p in &ch.images {
            self.pending.insert(Source::Image(self.cfg.shown(p)));
            self.changed_images
                .insert(p.canonicalize().unwrap_or_else(|_| p.clone()));
        }
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
            // A profile's city is checked against the config when its files are grouped.
            self.sources.regroup_all(&self.cfg);
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
            let touched = self.sources.reread(&self.cfg, path);
            self.pending.extend(touched);
        }
        let theme_only = ch.content.is_empty() && ch.images.is_empty() && !ch.config;
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
            } else if p == &cfg.theme_dir.join("theme.yaml") {
                ch.theme_config = true;
            } else if p.starts_with(&cfg.content_dir) && is_image(p) {
                ch.images.push(p.clone());
            } else if p.starts_with(cfg.theme_dir.join("templates"))
                || p.starts_with(cfg.theme_dir.join("i18n"))
                || p.starts_with(cfg.theme_dir.join("archetypes"))
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
        let images = crate::images::process(
            cfg,
            &site,
            theme,
            &self.cache,
            old.map(|b| &b.images),
            &self.changed_images,
        )?;
        let (bodies, fresh) = crate::bodies::render(cfg, &site, old.map(|b| (&b.bodies, &b.site)))?;
        let views = Views::new(
            cfg,
            &site,
            &bodies,
            theme,
            &self.history,
            &images,
            Some(&self.cards),
        )?;
        let nav = PerLang::build(&cfg.langs, |l| nav_key(&views, l));
        let ids = render::plan(cfg, &site, theme);
        // The same outputs as before (nothing added, removed, renamed or paginated anew,
        // the same aliases): the old plan stands. Outputs are numbered by position, so a
        // renamed profile or alias keeps its id but not its path.
        let same = |o: &&Built| {
            o.plan_ids == ids
                && crate::bodies::same_members(&o.site, &site)
                && o.site.aliases == site.aliases
        };
        let replan = match old.filter(same) {
            Some(_) => None,
            None => Some(
                ids.iter()
                    .map(|id| Ok((id.path(cfg, &site)?, *id)))
                    .collect::<Result<BTreeMap<SitePath, PageId>>>()?,
            ),
        };
        let todo: Vec<PageId> = match old {
            None => ids.clone(),
            Some(old) => {
                let derived = derived_changes(cfg, old, &site, &fresh, &views, &nav);
                self.pending.extend(derived);
                let affected = old.deps.affected(&self.pending);
                match &replan {
                    None => affected
                        .iter()
                        .filter_map(|p| old.plan.get(p).copied())
                        .collect(),
                    Some(plan) => plan
                        .iter()
                        .filter(|(p, _)| affected.contains(*p) || !old.pages.contains_key(*p))
                        .map(|(_, id)| *id)
                        .collect(),
                }
            }
        };
        // After an edit, the open data waits until the browser has the edited pages.
        let (todo, later): (Vec<PageId>, Vec<PageId>) = match old {
            Some(_) => todo.into_iter().partition(|id| !id.is_bulk()),
            None => (todo, Vec::new()),
        };
        let pages = render::pages(&views, &todo, true)?;
        let (charts, latest, dated) = (
            views.charts.clone(),
            views.latest.clone(),
            views.dated.clone(),
        );
        drop(views);
        let built = self.built.get_or_insert_with(Built::default);
        let mut outcome = Outcome {
            rendered: pages.iter().filter(|p| p.id.is_html()).count(),
            ..Outcome::default()
        };
        if let Some(plan) = replan {
            replace_plan(built, plan, ids, &mut outcome);
        }
        outcome.pages = built.plan_ids.iter().filter(|id| id.is_html()).count();
        let image_files: BTreeMap<SitePath, Arc<Vec<u8>>> = images
            .files()
            .into_iter()
            .map(|f| (f.path, Arc::new(f.body.into_bytes())))
            .collect();
        for (p, bytes) in &image_files {
            if built.image_files.get(p) != Some(bytes) {
                outcome.changed.push(p.clone());
            }
        }
        for p in built.image_files.keys() {
            if !image_files.contains_key(p) {
                outcome.removed.push(p.clone());
            }
        }
        built.image_files = image_files;
        built.images = images;
        built.install(pages, &mut outcome);
        // The old site and bodies share most entries with the new; what they alone hold
        // is freed off the path to the browser.
        let old = (
            std::mem::replace(&mut built.site, site),
            std::mem::replace(&mut built.bodies, bodies),
        );
        rayon::spawn(move || drop(old));
        built.nav = nav;
        built.charts = charts;
        built.latest = latest;
        built.dated = dated;
        self.pending.clear();
        self.changed_images.clear();
        self.deferred.extend(later);
        outcome.deferred = self.deferred.len();
        Ok(outcome)
    }

    /// Whether outputs wait for [`Session::render_deferred`].
    pub fn has_deferred(&self) -> bool {
        !self.deferred.is_empty()
    }

    /// Renders the outputs [`Session::apply`] left for later (see [`Outcome::deferred`]).
    pub fn render_deferred(&mut self) -> Result<Outcome> {
        self.render_deferred_upto(usize::MAX)
    }

    /// Renders at most `limit` of the outputs left for later (the dev server renders
    /// them a few at a time while nothing else changes).
    pub fn render_deferred_upto(&mut self, limit: usize) -> Result<Outcome> {
        let (Some(built), Some(theme)) = (self.built.as_ref(), self.theme.as_ref()) else {
            return Ok(Outcome::default());
        };
        if self.deferred.is_empty() {
            return Ok(Outcome::default());
        }
        let todo: Vec<PageId> = self.deferred.iter().take(limit).copied().collect();
        let pages = Views::new(
            &self.cfg,
            &built.site,
            &built.bodies,
            theme,
            &self.history,
            &built.images,
            Some(&self.cards),
        )
        .and_then(|views| render::pages(&views, &todo, true))?;
        for id in &todo {
            self.deferred.remove(id);
        }
        let built = self.built.get_or_insert_with(Built::default);
        let mut outcome = Outcome {
            pages: built.plan_ids.iter().filter(|id| id.is_html()).count(),
            ..Outcome::default()
        };
        built.install(pages, &mut outcome);
        Ok(outcome)
    }

    /// Resolves the content; every problem of every file is reported.
    fn site(&self) -> Result<Site> {
        let prev = self.built.as_ref().map(|b| &b.site);
        crate::resolve::site_after(self.sources.content()?, prev)
    }
}

/// Takes a new plan: outputs no longer planned are forgotten, and every page learns its
/// (possibly shifted) place in the site's order.
fn replace_plan(
    built: &mut Built,
    plan: BTreeMap<SitePath, PageId>,
    ids: Vec<PageId>,
    outcome: &mut Outcome,
) {
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
    for (path, served) in built.pages.iter_mut() {
        if let Some(now) = plan.get(path) {
            served.id = *now;
        }
    }
    built.plan = plan;
    built.plan_ids = ids;
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
        .map(|f| (f.path, Arc::new(f.body.into_bytes())))
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
    let archetypes: BTreeSet<&String> =
        old.archetypes.keys().chain(new.archetypes.keys()).collect();
    out.extend(
        archetypes
            .into_iter()
            .filter(|n| old.archetypes.get(*n) != new.archetypes.get(*n))
            .map(|n| Source::Template(format!("archetypes/{n}"))),
    );
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

/// A language's `site` context and language names, serialized for comparison.
fn nav_key(views: &Views, lang: LangId) -> String {
    let labels: Vec<&str> = views.labels.values().copied().collect();
    serde_json::to_string(&(&views.site_ctx[lang], labels)).unwrap_or_default()
}

/// The profiles whose lists show profile `i` of `kind` through a reference: a founder's
/// company, sector and employer; a company's sector and founders (whose city may be the
/// company's).
fn related(site: &Site, kind: Kind, i: usize) -> Vec<(Kind, usize)> {
    match kind {
        Kind::Founder => [
            site.founder_company[i].map(|x| (Kind::Company, x)),
            site.founder_sector[i].map(|x| (Kind::Sector, x)),
            site.founder_employer[i].map(|x| (Kind::Employer, x)),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Kind::Company => {
            let founders = site.company_founders[i].iter().map(|&f| (Kind::Founder, f));
            site.company_sector[i]
                .map(|s| (Kind::Sector, s))
                .into_iter()
                .chain(founders)
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The profiles of `kind` that differ between the old site and the new: entries not
/// shared with the old site (changed or added) with their index in `site`, and entries
/// of the old site gone from the new.
fn changed_entries(old: &Site, site: &Site, kind: Kind) -> (Vec<usize>, Vec<usize>) {
    let same = |a: &Site, i: usize, b: &Site, j: usize| match kind {
        Kind::Founder => Arc::ptr_eq(&a.content.founders[i], &b.content.founders[j]),
        Kind::Company => Arc::ptr_eq(&a.content.companies[i], &b.content.companies[j]),
        Kind::Sector => Arc::ptr_eq(&a.content.sectors[i], &b.content.sectors[j]),
        Kind::Employer => Arc::ptr_eq(&a.content.employers[i], &b.content.employers[j]),
        Kind::Page => Arc::ptr_eq(&a.content.pages[i], &b.content.pages[j]),
    };
    let find = |s: &Site, slug: &crate::content::Slug| s.lookup(kind, slug.as_str());
    let changed = (0..site.count(kind))
        .filter(|&i| {
            let j = if i < old.count(kind) && old.slug(kind, i) == site.slug(kind, i) {
                Some(i)
            } else {
                find(old, site.slug(kind, i))
            };
            !j.is_some_and(|j| same(old, j, site, i))
        })
        .collect();
    let gone = (0..old.count(kind))
        .filter(|&j| find(site, old.slug(kind, j)).is_none())
        .collect();
    (changed, gone)
}

/// The sources whose derived values differ between the last good build and now: the
/// members of each kind; the backlinks of profiles related to a changed one; bodies
/// rendered anew; navigation, language names and charts.
fn derived_changes(
    cfg: &Config,
    old: &Built,
    site: &Site,
    fresh: &Fresh,
    views: &Views,
    nav: &PerLang<String>,
) -> Vec<Source> {
    let mut out = Vec::new();
    let mark = |s: &Site, kind: Kind, i: usize, out: &mut Vec<Source>| {
        for (k, x) in related(s, kind, i) {
            let slug = s.slug(k, x);
            out.extend(cfg.lang_ids().map(|l| Source::Fields(k, slug.clone(), l)));
        }
    };
    for kind in Kind::ALL {
        let members_changed = old.site.count(kind) != site.count(kind)
            || (0..site.count(kind)).any(|i| old.site.slug(kind, i) != site.slug(kind, i));
        if members_changed {
            out.push(Source::Members(kind));
        }
        let (changed, gone) = changed_entries(&old.site, site, kind);
        let slugs = |s: &Site, i: usize| -> Vec<(Kind, String)> {
            related(s, kind, i)
                .into_iter()
                .map(|(k, x)| (k, s.slug(k, x).to_string()))
                .collect()
        };
        for i in changed {
            let before = old.site.lookup(kind, site.slug(kind, i).as_str());
            // The pages that show this profile read it already; only a changed reference
            // changes someone else's lists.
            if before.is_some_and(|j| slugs(&old.site, j) == slugs(site, i)) {
                continue;
            }
            mark(site, kind, i, &mut out);
            if let Some(j) = before {
                mark(&old.site, kind, j, &mut out);
            }
        }
        for j in gone {
            mark(&old.site, kind, j, &mut out);
        }
    }
    for &(kind, i, lang) in fresh {
        out.push(Source::Body(kind, site.slug(kind, i).clone(), lang));
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
    if old.latest != views.latest {
        out.push(Source::Latest);
    }
    if old.dated != views.dated {
        out.push(Source::Dates);
    }
    out
}
