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
pub mod report;
pub mod repository;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod text;
pub mod version;
pub mod write;
mod yaml;

pub use config::{Config, Mode, Options};
pub use error::{Diagnostic, Error, Result};
pub use report::{no_cjk_font, page_counts, Report};

/// Builds the site into the output directory: incrementally, from the state the last
/// build left in `.dossier-cache/build/` (see [`incremental`]).
pub fn build(opts: &Options) -> Result<Report> {
    incremental::build(opts, false)
}

/// Builds the site from scratch, ignoring any state (`dossier build --clean`).
pub fn build_clean(opts: &Options) -> Result<Report> {
    incremental::build(opts, true)
}
