//! dossier: a static site generator for bilingual directory sites.
//!
//! A build flows one way, one stage a module, each handing plain data to the next:
//! `load → resolve → bodies → views → render → finish → index → write`
//! (see `docs/architecture.md`). `check` runs the stages up to `render`, then checks links;
//! `serve` keeps every stage's output in memory and re-runs what a change touches.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod bodies;
pub mod cache;
pub mod cards;
pub mod check;
pub mod config;
pub mod content;
pub(crate) mod counts;
pub mod deps;
pub mod diff;
pub(crate) mod draw;
pub mod error;
pub(crate) mod escape;
pub mod finish;
#[doc(hidden)]
pub mod fuzz;
pub mod history;
pub mod images;
pub mod init;
pub(crate) mod markdown;
pub mod mentions;
pub mod mv;
pub mod new;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod repository;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod text;
pub mod version;
pub mod write;
mod yaml;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use config::{Config, Mode, Options};
pub use error::{Diagnostic, Error, Result};

use config::LangId;
use render::{OutputId, Theme};

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
    /// The processing cache per group (images, cards): entries found, entries made.
    pub cache: Vec<(String, usize, usize)>,
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

/// Builds the site into the output directory.
pub fn build(opts: &Options) -> Result<Report> {
    let start = Instant::now();
    let cfg = Config::load(&Options {
        mode: Mode::Build,
        ..opts.clone()
    })?;
    write::guard(&cfg)?;
    let mut clock = Clock::new();
    let pipeline::Loaded {
        theme,
        content,
        history,
    } = pipeline::load(&cfg, &mut |s| clock.lap(s))?;
    let cache = Arc::new(cache::Cache::at(&cfg.root));
    let cards = cards::Renderer::new(cache.clone());
    let inputs = pipeline::Inputs {
        cfg: &cfg,
        theme: &theme,
        history: &history,
        cache: &cache,
        cards: Some(&cards),
        previous: None,
    };
    let (front, pages) = pipeline::front(inputs, content, &mut |s| clock.lap(s), |f, env| {
        render::outputs(env, &render::plan(&cfg, &f.site, &theme), false)
    })?;
    clock.lap("render");
    let pipeline::Front { site, images, .. } = front;
    let counts = page_counts(&cfg, pages.iter().map(|p| p.id));
    let missing_cjk = cards.missing_cjk();
    drop(cards);
    let (files, records): (Vec<_>, Vec<_>) = pages.into_iter().map(|p| (p.file, p.record)).unzip();
    let mut files = finish::files(&cfg, &theme.static_dir, files)?;
    files.extend(images.files());
    clock.lap("minify");
    // The pages go to disk before the search index is built, so that their bytes are not
    // held through its peak.
    let staging = write::Staging::begin(&cfg)?;
    staging.write(&files)?;
    let mut written = files.len();
    drop(files);
    clock.lap("write");
    if cfg.search {
        let index = search::index(&cfg, records.into_iter().flatten().collect())?;
        staging.write(&index)?;
        written += index.len();
        clock.lap("search index");
    }
    staging.commit()?;
    cache.prune(&["images", "cards"]);
    clock.lap("swap");
    // The `git` process ran beside the load stage; "history" above is the wait after it.
    clock.laps.push(("git log", history.elapsed));
    let mut warnings = site.content.warnings.clone();
    warnings.extend(images.warnings.iter().cloned());
    warnings.extend(history.warning.clone());
    if missing_cjk {
        warnings.push(no_cjk_font(&theme));
    }
    Ok(Report {
        pages: counts,
        files: written,
        elapsed: start.elapsed(),
        output: cfg.shown(&cfg.output_dir),
        warnings,
        timings: clock.laps,
        cache: cache.stats(),
    })
}

/// The warning of a run whose cards had Chinese text that no installed font has.
pub fn no_cjk_font(theme: &Theme) -> Diagnostic {
    Diagnostic::file(
        theme.shown("card.svg"),
        "no installed font has Chinese characters: share cards were drawn without their Chinese text",
    )
    .with_hint("install the fonts-noto-cjk package (apt-get install fonts-noto-cjk) and build again")
    .warning()
}

/// Counts HTML pages per language.
pub fn page_counts(cfg: &Config, ids: impl Iterator<Item = OutputId>) -> Vec<(String, usize)> {
    let mut counts = vec![0usize; cfg.langs.len()];
    for id in ids {
        if let OutputId::Home(l)
        | OutputId::Search(l)
        | OutputId::Changes(l)
        | OutputId::Data(l)
        | OutputId::Index(_, l, _)
        | OutputId::Profile(_, _, l, _) = id
        {
            counts[l.index()] += 1;
        }
    }
    cfg.lang_ids()
        .map(|l: LangId| (cfg.code(l).to_owned(), counts[l.index()]))
        .collect()
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
