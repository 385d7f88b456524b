//! The dev server's last good build: every output as served, with its search record and
//! what it read (the dependency map), and the front half it was rendered from. A
//! [`Step`](super::changes::Step) of rendering is installed into it.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::bodies::Bodies;
use crate::config::PerLang;
use crate::deps::DepMap;
use crate::images::Images;
use crate::output::SitePath;
use crate::pipeline::Front;
use crate::render::env::Derived;
use crate::render::{self, OutputId};
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
    /// Everything was built again: the files served before are all replaced (the search
    /// index aside, which follows).
    pub reset: bool,
    /// Outputs planned but not rendered yet ([`Session::on_request`]): rendered when they
    /// are asked for.
    pub unrendered: Vec<SitePath>,
}

/// What a step rendered and the derived values it saw.
pub(super) struct Step {
    pub pages: Vec<render::Output>,
    /// Every output, in plan order.
    pub ids: Vec<OutputId>,
    /// The new plan, when the outputs or their paths changed.
    pub replan: Option<BTreeMap<SitePath, OutputId>>,
    /// Outputs an edit touched that are rendered after the browser reloads.
    pub later: Vec<OutputId>,
    pub nav: PerLang<String>,
    /// The charts, filter choices, dates and newest profiles the pages were rendered with.
    pub derived: Derived,
}

/// A page as served: what it is, its bytes, its search record.
pub(super) struct Served {
    pub(super) id: OutputId,
    pub(super) bytes: Arc<Vec<u8>>,
    pub(super) record: Option<Arc<Record>>,
}

/// The last good build.
#[derive(Default)]
pub(super) struct Built {
    pub(super) site: Site,
    pub(super) bodies: Bodies,
    /// Each language's `site` context and language names, serialized, to tell a change.
    pub(super) nav: PerLang<String>,
    /// The charts, filter choices, dates and newest profiles: what outputs rendered later
    /// reuse.
    pub(super) derived: Derived,
    /// Every output, in plan order, and where each is written.
    pub(super) plan_ids: Vec<OutputId>,
    pub(super) plan: BTreeMap<SitePath, OutputId>,
    pub(super) pages: BTreeMap<SitePath, Served>,
    pub(super) deps: DepMap,
    /// Portraits and logos, and their files.
    pub(super) images: Images,
    pub(super) image_files: BTreeMap<SitePath, Arc<Vec<u8>>>,
}

impl Built {
    /// Takes rendered pages: their bytes, what they read, and their paths in `outcome`.
    pub(super) fn install(&mut self, pages: Vec<render::Output>, outcome: &mut Outcome) {
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

    /// Installs a step: its front half, its derived values and its pages (under a new
    /// plan when it made one). Returns what changed, and the outputs left for later.
    pub(super) fn take(&mut self, front: Front, step: Step) -> (Outcome, Vec<OutputId>) {
        let mut outcome = Outcome {
            rendered: step.pages.iter().filter(|p| p.id.is_html()).count(),
            ..Outcome::default()
        };
        if let Some(plan) = step.replan {
            self.replace_plan(plan, step.ids, &mut outcome);
        }
        outcome.pages = self.plan_ids.iter().filter(|id| id.is_html()).count();
        let Front {
            site,
            images,
            bodies,
            ..
        } = front;
        let image_files: BTreeMap<SitePath, Arc<Vec<u8>>> = images
            .files()
            .into_iter()
            .map(|f| (f.path, Arc::new(f.body.into_bytes())))
            .collect();
        for (p, bytes) in &image_files {
            if self.image_files.get(p) != Some(bytes) {
                outcome.changed.push(p.clone());
            }
        }
        for p in self.image_files.keys() {
            if !image_files.contains_key(p) {
                outcome.removed.push(p.clone());
            }
        }
        self.image_files = image_files;
        self.images = images;
        self.install(step.pages, &mut outcome);
        // The old site and bodies share most entries with the new; what they alone hold
        // is freed off the path to the browser.
        let old = (
            std::mem::replace(&mut self.site, site),
            std::mem::replace(&mut self.bodies, bodies),
        );
        rayon::spawn(move || drop(old));
        self.nav = step.nav;
        self.derived = step.derived;
        (outcome, step.later)
    }

    /// Takes a new plan: outputs no longer planned are forgotten, and every page learns its
    /// (possibly shifted) place in the site's order.
    fn replace_plan(
        &mut self,
        plan: BTreeMap<SitePath, OutputId>,
        ids: Vec<OutputId>,
        outcome: &mut Outcome,
    ) {
        let gone: Vec<SitePath> = self
            .pages
            .keys()
            .filter(|p| !plan.contains_key(*p))
            .cloned()
            .collect();
        for path in gone {
            if let Some(p) = self.pages.remove(&path) {
                outcome.reindex |= p.record.is_some();
            }
            self.deps.remove(&path);
            outcome.removed.push(path);
        }
        for (path, served) in self.pages.iter_mut() {
            if let Some(now) = plan.get(path) {
                served.id = *now;
            }
        }
        self.plan = plan;
        self.plan_ids = ids;
    }
}
