//! The front half of every run, written once: load → resolve → images → bodies → the
//! render environment. `build`, `check`, `serve` and the benchmarks call [`load`] (the dev
//! server keeps its own incremental copy of the content instead) and [`front`], and
//! differ only in the tail they hand it: what they do with the environment.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::bodies::{self, Bodies, Fresh};
use crate::cache::Cache;
use crate::cards::Renderer;
use crate::config::Config;
use crate::content::{self, Content};
use crate::error::{Error, Result};
use crate::history::{self, History};
use crate::images::{self, Images};
use crate::render::{Env, Theme};
use crate::resolve::{self, Site};

/// What the load stage read: the theme, the content and the git history.
pub struct Loaded {
    pub theme: Theme,
    pub content: Content,
    pub history: History,
}

/// Reads the theme and the content in parallel (their problems are reported together)
/// while a `git` process reads the history. `lap` is called as each part ends.
pub fn load(cfg: &Config, lap: &mut dyn FnMut(&'static str)) -> Result<Loaded> {
    let history = history::start(cfg);
    let (theme, content) = rayon::join(|| Theme::load(cfg), || content::load(cfg));
    let (theme, content) = match (theme, content) {
        (Ok(t), Ok(c)) => (t, c),
        (Err(a), Err(b)) => return Err(Error::merge(a, b)),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    lap("load");
    let history = history.finish();
    lap("history");
    Ok(Loaded {
        theme,
        content,
        history,
    })
}

/// The resolved site, its images and bodies: what the render environment borrows.
#[derive(Default)]
pub struct Front {
    pub site: Site,
    pub images: Images,
    pub bodies: Bodies,
    /// The bodies rendered anew (all of them without a previous run).
    pub fresh: Fresh,
}

/// The previous run's front half, in the dev server: what did not change is reused.
#[derive(Clone, Copy)]
pub struct Previous<'p> {
    pub site: &'p Site,
    pub bodies: &'p Bodies,
    pub images: &'p Images,
    /// Image files changed since (processed again).
    pub changed_images: &'p HashSet<PathBuf>,
}

/// What [`front`] works with besides the content.
pub struct Inputs<'i> {
    pub cfg: &'i Config,
    pub theme: &'i Theme,
    pub history: &'i History,
    pub cache: &'i Cache,
    /// Draws share cards (None: `check`, which only fills in their template).
    pub cards: Option<&'i Renderer>,
    pub previous: Option<Previous<'i>>,
}

/// Resolves `content`, processes its images, renders its bodies and builds the render
/// environment, then runs `tail` with it. Returns the front half (for the dev server to
/// keep) and what the tail returned.
pub fn front<R>(
    inputs: Inputs,
    content: Content,
    lap: &mut dyn FnMut(&'static str),
    tail: impl FnOnce(&Front, &Env) -> Result<R>,
) -> Result<(Front, R)> {
    let Inputs {
        cfg,
        theme,
        history,
        cache,
        cards,
        previous,
    } = inputs;
    let site = resolve::site_after(content, previous.map(|p| p.site))?;
    lap("resolve");
    let none = HashSet::new();
    let images = images::process(
        cfg,
        &site,
        theme,
        cache,
        previous.map(|p| p.images),
        previous.map_or(&none, |p| p.changed_images),
    )?;
    lap("images");
    let (bodies, fresh) = bodies::render(cfg, &site, previous.map(|p| (p.bodies, p.site)))?;
    lap("markdown");
    let front = Front {
        site,
        images,
        bodies,
        fresh,
    };
    let out = {
        let env = Env::new(
            cfg,
            &front.site,
            &front.bodies,
            theme,
            history,
            &front.images,
            cards,
        )?;
        lap("views");
        tail(&front, &env)?
    };
    Ok((front, out))
}
