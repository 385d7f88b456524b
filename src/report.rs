//! What a build reports: pages per language, files, timings, warnings.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::{Config, LangId};
use crate::error::Diagnostic;
use crate::render::{OutputId, Theme};

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
            Some((n, all)) if n < all => {
                format!(", {n} of {all} files rendered, the rest unchanged")
            }
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
