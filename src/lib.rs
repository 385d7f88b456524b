//! dossier: a static site generator for bilingual directory sites.
//!
//! The build flows one way: `load -> resolve -> render -> write`.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod glossary;
pub mod markdown;
pub mod new;
pub mod render;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod write;
mod yaml;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use config::{Config, Options};
pub use error::{Diagnostic, Error, Result};

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Report {
    /// HTML pages per language code, default language first.
    pub pages: Vec<(String, usize)>,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    /// `built 96 pages (zh 48, en 48) in 84 ms -> output/`
    pub fn summary(&self) -> String {
        let total: usize = self.pages.iter().map(|p| p.1).sum();
        let per: Vec<String> = self.pages.iter().map(|(l, n)| format!("{l} {n}")).collect();
        format!(
            "built {total} pages ({}) in {} ms -> {}",
            per.join(", "),
            self.elapsed.as_millis(),
            self.output.display()
        )
    }
}

/// A site compiled in memory.
pub struct Compiled {
    pub config: Config,
    pub site: resolve::Site,
    pub files: Vec<render::OutFile>,
    pub bodies: render::Bodies,
    /// Rendered pages by path, for the next incremental render (dev server only).
    pub cache: render::PageCache,
    /// Pages that went through Tera, of all pages.
    pub rendered: (usize, usize),
    /// How long each stage took.
    pub timings: Vec<(&'static str, Duration)>,
    /// The search index is left to the caller (the dev server builds it in the background).
    pub search_pending: bool,
}

/// Runs every stage but the write: load, resolve, render, minify.
pub fn compile(opts: &Options) -> Result<Compiled> {
    compile_with(opts, None, false)
}

/// Like [`compile`], but a page whose template context is the same as in `prev` reuses
/// its previous HTML: after an edit only the pages that show the edited profile are
/// rendered again. With `prev`, the result keeps a cache for the next call.
pub fn compile_incremental(opts: &Options, prev: Option<&Compiled>) -> Result<Compiled> {
    compile_with(opts, prev, opts.preview)
}

/// The pipeline; `defer_search` leaves the search index to the caller (`search_pending`).
pub(crate) fn compile_with(
    opts: &Options,
    prev: Option<&Compiled>,
    defer_search: bool,
) -> Result<Compiled> {
    let mut clock = Clock::new();
    let mut cfg = Config::load(opts)?;
    let search_pending = defer_search && cfg.search;
    if defer_search {
        cfg.search = false;
    }
    if opts.preview {
        cfg.minify = false;
    }
    let theme = render::Theme::load(&cfg);
    let content = content::load(&cfg);
    // Report theme and content problems together.
    let (theme, content) = match (theme, content) {
        (Ok(t), Ok(c)) => (t, c),
        (Err(a), Err(b)) => {
            let mut d = a.diagnostics().to_vec();
            d.extend_from_slice(b.diagnostics());
            return Err(if d.is_empty() {
                a
            } else {
                Error::Diagnostics(d)
            });
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    clock.lap("load");
    let site = resolve::Site::resolve(&cfg, content)?;
    clock.lap("resolve");
    let bodies = render::bodies(&cfg, &site, prev.map(|p| &p.bodies), opts.preview)?;
    clock.lap("markdown");
    let keep = opts.preview;
    let (files, cache, rendered) = render_with(
        &cfg,
        &site,
        &theme,
        &bodies,
        prev.map(|p| &p.cache),
        keep,
        &mut clock,
    )?;
    Ok(Compiled {
        config: cfg,
        site,
        files,
        bodies,
        cache,
        rendered,
        timings: clock.laps,
        search_pending,
    })
}

/// Stage timings.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// Renders an already resolved site with a freshly loaded theme: what a template or
/// stylesheet change needs, without re-reading content. Every page is rendered again.
pub fn rerender(compiled: &Compiled) -> Result<Compiled> {
    let mut clock = Clock::new();
    let theme = render::Theme::load(&compiled.config)?;
    let (files, cache, rendered) = render_with(
        &compiled.config,
        &compiled.site,
        &theme,
        &compiled.bodies,
        None,
        true,
        &mut clock,
    )?;
    Ok(Compiled {
        config: compiled.config.clone(),
        site: compiled.site.clone(),
        files,
        bodies: compiled.bodies.clone(),
        cache,
        rendered,
        timings: clock.laps,
        search_pending: compiled.search_pending,
    })
}

type Rendered = (Vec<render::OutFile>, render::PageCache, (usize, usize));

fn render_with(
    cfg: &Config,
    site: &resolve::Site,
    theme: &render::Theme,
    bodies: &render::Bodies,
    prev: Option<&render::PageCache>,
    keep: bool,
    clock: &mut Clock,
) -> Result<Rendered> {
    let out = render::all_incremental(cfg, site, theme, bodies, prev, keep)?;
    clock.lap("render");
    let mut files = out.files;
    if cfg.search {
        let index = search::index(cfg, &files)?;
        files.extend(index);
        clock.lap("search index");
    }
    let files = write::finish(cfg, &theme.static_dir, files)?;
    clock.lap("minify");
    Ok((files, out.cache, (out.rendered, out.pages)))
}

/// Counts HTML pages per language.
pub fn page_counts(cfg: &Config, files: &[render::OutFile]) -> Vec<(String, usize)> {
    let mut counts = vec![0usize; cfg.langs.len()];
    for f in files.iter().filter(|f| f.path.ends_with("index.html")) {
        let lang = cfg
            .langs
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, l)| f.path.starts_with(&format!("{l}/")))
            .map(|(i, _)| i)
            .unwrap_or(0);
        counts[lang] += 1;
    }
    cfg.langs.iter().cloned().zip(counts).collect()
}

/// Builds the site into the output directory.
pub fn build(opts: &Options) -> Result<Report> {
    let start = Instant::now();
    // The search index is built from the pages already written to the staging directory,
    // before it is swapped in: no second copy of 20,000 pages on disk.
    let compiled = compile_with(opts, None, true)?;
    let cfg = &compiled.config;
    let mut timings = compiled.timings.clone();
    let mut index_time = Duration::ZERO;
    write::atomically(cfg, &cfg.output_dir, &compiled.files, |staging| {
        if compiled.search_pending {
            let t = Instant::now();
            let index = search::index_dir(staging)?;
            write::add_files(staging, &index)?;
            index_time = t.elapsed();
        }
        Ok(())
    })?;
    timings.push(("search index", index_time));
    timings.push((
        "write",
        start
            .elapsed()
            .saturating_sub(timings.iter().map(|t| t.1).sum()),
    ));
    Ok(Report {
        pages: page_counts(cfg, &compiled.files),
        files: compiled.files.len(),
        elapsed: start.elapsed(),
        output: cfg
            .output_dir
            .strip_prefix(&cfg.root)
            .map(PathBuf::from)
            .unwrap_or_else(|_| cfg.output_dir.clone()),
        warnings: compiled.site.content.warnings.clone(),
        timings,
    })
}
