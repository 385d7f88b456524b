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
pub mod incremental;
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
use std::time::Duration;

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
    /// Outputs rendered, of all outputs (the others stood from the last build).
    pub rendered: Option<(usize, usize)>,
}

impl Report {
    /// `built 96 pages (zh 48, en 48) in 84 ms -> output/`
    pub fn summary(&self) -> String {
        let total: usize = self.pages.iter().map(|p| p.1).sum();
        let per: Vec<String> = self.pages.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let rendered = match self.rendered {
            Some((n, all)) if n < all => format!(", {n} of {all} files rendered, the rest unchanged"),
            _ => String::new(),
        };
        format!(
            "built {total} pages ({}{rendered}) in {} ms -> {}",
            per.join(", "),
            self.elapsed.as_millis(),
            self.output.display()
        )
    }
}

/// Builds the site into the output directory: incrementally, from the state the last
/// build left in `.dossier-cache/build/` (see [`incremental`]).
pub fn build(opts: &Options) -> Result<Report> {
    incremental::build(opts, false)
}

/// Builds the site from scratch, ignoring any state (`dossier build --clean`).
pub fn build_clean(opts: &Options) -> Result<Report> {
    incremental::build(opts, true)
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
