//! The dev server's site in memory, kept up to date change by change.
//!
//! A [`Session`] holds every stage's output of the last good build and the dependency map
//! of its pages. A change re-reads only the files it names; the stages after `load` run
//! again over the in-memory data (they are cheap next to rendering), and what they produce
//! is compared with the last good build to find the sources that changed: the profiles
//! whose front matter or body changed, lists that gained or lost a member, backlinks,
//! navigation and charts. Only the pages that read one of those are rendered again.
//!
//! A session made with [`Session::on_request`] renders nothing when it builds everything:
//! each output is rendered when it is asked for ([`Session::render_path`]) or by the
//! background ([`Session::render_next`]), from the build current then. See
//! `docs/architecture.md`, "Serving before everything is rendered".

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::built::Built;
pub use super::built::Outcome;
use super::changes::step;
use super::compare::{changed_statics, read_statics, same_but_cities, theme_changes};
use super::sources::Sources;
use super::unrendered::Unrendered;
use crate::cache::Cache;
use crate::cards::Renderer;
use crate::config::{Config, Mode, Options};
use crate::deps::Dep;
use crate::error::{Error, Result};
use crate::history::History;
use crate::output::SitePath;
use crate::pipeline::{self, Inputs, Previous};
use crate::render::{self, Env, OutputId, Theme};
use crate::search::Record;

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
    pending: BTreeSet<Dep>,
    /// Image files changed since the last good build (processed again).
    changed_images: HashSet<PathBuf>,
    cache: Arc<Cache>,
    /// Draws share cards; keeps its fonts and glyphs from one rebuild to the next.
    cards: Renderer,
    /// Outputs an edit touched that are rendered after the browser reloads.
    deferred: HashSet<OutputId>,
    /// A build of everything renders nothing: outputs are rendered when asked for.
    lazy: bool,
    /// The outputs of the last good build not rendered yet (only when `lazy`).
    unrendered: Unrendered,
    /// A build of everything failed: the next change builds everything again, since the
    /// config or theme it read may be newer than the last good build.
    stale: bool,
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
            lazy: false,
            unrendered: Unrendered::default(),
            stale: false,
            cards: Renderer::new(cache.clone()),
            cache,
        })
    }

    /// The same session, rendering each output only when it is asked for: a build of
    /// everything renders nothing, and [`Session::render_path`] and
    /// [`Session::render_next`] render the outputs it left.
    pub fn on_request(self) -> Session {
        Session { lazy: true, ..self }
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
    pub fn reads(&self, path: &SitePath) -> &[Dep] {
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
            .map(crate::report::no_cjk_font)
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

    /// Reads everything again and renders every page (none, [`Session::on_request`]).
    /// The outcome replaces every file served before (`reset`).
    pub fn rebuild_all(&mut self) -> Result<Outcome> {
        self.stale = true;
        self.cfg = Config::load(&self.opts)?;
        let history = crate::history::start(&self.cfg);
        let cfg = &self.cfg;
        let (theme, sources) = rayon::join(
            || Ok::<_, Error>((Theme::load(cfg)?, read_statics(cfg)?)),
            || Sources::load(cfg),
        );
        let (theme, statics) = theme?;
        (self.theme, self.statics, self.sources) = (Some(theme), statics, sources?);
        self.history = history.finish();
        let old = self.built.take();
        let result = self.render();
        if result.is_err() {
            self.built = old;
        }
        let mut outcome = result?;
        self.stale = false;
        // Everything was rendered, or waits to be: nothing was left stale.
        self.deferred.clear();
        outcome.deferred = 0;
        outcome.reset = true;
        outcome.changed.extend(self.statics.keys().cloned());
        Ok(outcome)
    }

    /// Applies a batch of changed paths (created, modified or removed).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Outcome> {
        if self.built.is_none() || self.theme.is_none() || self.stale {
            return self.rebuild_all();
        }
        let ch = self.classify(paths);
        if ch.theme_config {
            return self.rebuild_all();
        }
        for p in &ch.images {
            self.pending.insert(Dep::Image(self.cfg.shown(p)));
            self.changed_images
                .insert(p.canonicalize().unwrap_or_else(|_| p.clone()));
        }
        if ch.config && !self.reload_cities()? {
            return self.rebuild_all();
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

    /// Reads `site.yaml` again after an edit and marks the cities whose names changed.
    /// False when more than cities changed: then every page is rendered again.
    fn reload_cities(&mut self) -> Result<bool> {
        let cfg = Config::load(&self.opts)?;
        if !same_but_cities(&cfg, &self.cfg) {
            return Ok(false);
        }
        for (code, names) in &cfg.cities {
            if self.cfg.cities.get(code) != Some(names) {
                self.pending.insert(Dep::City(code.clone()));
            }
        }
        for code in self
            .cfg
            .cities
            .keys()
            .filter(|c| !cfg.cities.contains_key(*c))
        {
            self.pending.insert(Dep::City(code.clone()));
        }
        self.cfg = cfg;
        // A profile's city is checked against the config when its files are grouped.
        self.sources.regroup_all(&self.cfg);
        Ok(true)
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
        let inputs = Inputs {
            cfg,
            theme,
            history: &self.history,
            cache: &self.cache,
            cards: Some(&self.cards),
            previous: old.map(|b| Previous {
                site: &b.site,
                bodies: &b.bodies,
                images: &b.images,
                changed_images: &self.changed_images,
            }),
        };
        let pending = &mut self.pending;
        let lazy = self.lazy && old.is_none();
        let (front, step) =
            pipeline::front(inputs, self.sources.content()?, &mut |_| {}, |f, env| {
                step(cfg, old, f, env, pending, lazy)
            })?;
        let (fresh, replanned) = (old.is_none(), step.replan.is_some());
        let built = self.built.get_or_insert_with(Built::default);
        let (mut outcome, later) = built.take(front, step);
        if fresh {
            self.unrendered = match lazy {
                true => Unrendered::all(&built.plan, &built.plan_ids),
                false => Unrendered::default(),
            };
            outcome.unrendered = self.unrendered.paths().cloned().collect();
        } else if replanned {
            let gone = self.unrendered.forget_unplanned(&built.plan);
            outcome.removed.extend(gone);
        }
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
        let todo: Vec<OutputId> = self.deferred.iter().take(limit).copied().collect();
        let outcome = self.render_later(&todo)?;
        for id in &todo {
            self.deferred.remove(id);
        }
        Ok(outcome)
    }

    /// How many outputs are not rendered yet ([`Session::on_request`]).
    pub fn unrendered(&self) -> usize {
        self.unrendered.len()
    }

    /// Where the outputs not rendered yet are written, sorted.
    pub fn unrendered_paths(&self) -> Vec<SitePath> {
        let mut paths: Vec<SitePath> = self.unrendered.paths().cloned().collect();
        paths.sort();
        paths
    }

    /// Renders the output written at `path` if it is not rendered yet. None when it is
    /// not waiting to be rendered (rendered already, or not an output).
    pub fn render_path(&mut self, path: &str) -> Option<Result<Outcome>> {
        let path = SitePath::new(path.to_owned()).ok()?;
        if !self.unrendered.take(&path) {
            return None;
        }
        let result = self.render_paths(std::slice::from_ref(&path));
        if result.is_err() {
            self.unrendered.restore(path);
        }
        Some(result)
    }

    /// Renders the next `n` outputs not rendered yet: HTML pages first, then feeds,
    /// redirects and sitemaps, share cards, the open data (one file at a time).
    pub fn render_next(&mut self, n: usize) -> Result<Outcome> {
        let paths = self.unrendered.next(n);
        let result = self.render_paths(&paths);
        if result.is_ok() {
            self.unrendered.done(&paths);
        }
        result
    }

    /// Renders the planned outputs at `paths`.
    fn render_paths(&mut self, paths: &[SitePath]) -> Result<Outcome> {
        let plan = self.built.as_ref().map(|b| &b.plan);
        let ids: Vec<OutputId> = paths
            .iter()
            .filter_map(|p| plan.and_then(|plan| plan.get(p)).copied())
            .collect();
        self.render_later(&ids)
    }

    /// Renders `ids` from the last good build and installs them, with what they read.
    /// Whatever changed since that build is in `pending`, so that the next change renders
    /// again what these read of it.
    fn render_later(&mut self, ids: &[OutputId]) -> Result<Outcome> {
        let (Some(built), Some(theme)) = (self.built.as_ref(), self.theme.as_ref()) else {
            return Ok(Outcome::default());
        };
        if ids.is_empty() {
            return Ok(Outcome::default());
        }
        let env = Env::again(
            &self.cfg,
            &built.site,
            &built.bodies,
            theme,
            &built.images,
            Some(&self.cards),
            built.derived.clone(),
        );
        let pages = render::outputs(&env, ids, true)?;
        drop(env);
        let built = self.built.get_or_insert_with(Built::default);
        let mut outcome = Outcome {
            rendered: pages.iter().filter(|p| p.id.is_html()).count(),
            pages: built.plan_ids.iter().filter(|id| id.is_html()).count(),
            ..Outcome::default()
        };
        built.install(pages, &mut outcome);
        Ok(outcome)
    }
}
