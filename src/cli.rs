//! Command-line interface: one struct per subcommand; the doc comments are the help.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// `dossier --version`: the version, the commit and its date (from build.rs), e.g.
/// `dossier 0.1.0 (abc1234 2026-12-07)`; `unknown` for what the build could not tell.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("DOSSIER_COMMIT"),
    " ",
    env!("DOSSIER_COMMIT_DATE"),
    ")"
);

/// A static site generator for bilingual directory sites.
#[derive(Debug, Parser)]
#[command(name = "dossier", version = VERSION, about)]
pub struct Cli {
    /// Site root, the directory holding site.yaml
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the whole site into output/
    Build {
        /// Where to write the site (default: <root>/output)
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml, e.g. https://owner.github.io/repo/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include profiles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Render every page, ignoring what the last build left in .dossier-cache/build/
        #[arg(long)]
        clean: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on change and reload the browser
    Serve {
        /// Port (default 1111, or the next free one)
        #[arg(long, short)]
        port: Option<u16>,
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Leave out profiles marked `draft: true` (shown by default, with a "draft" banner)
        #[arg(long)]
        no_drafts: bool,
        /// Drafts are shown by default; kept so that older scripts still run
        #[arg(long, hide = true)]
        drafts: bool,
    },
    /// Validate content, templates and every internal link; write nothing
    Check {
        /// Also check links to other sites
        #[arg(long)]
        external: bool,
        /// Report warnings (missing translations, glossary) without failing; CI never
        /// passes this, so a check that passes with it may still fail there
        #[arg(long)]
        lenient: bool,
        /// The default since warnings fail the check; kept so that older scripts still run
        #[arg(long, hide = true)]
        strict: bool,
        /// Check drafts as if they were published (they are always listed)
        #[arg(long)]
        drafts: bool,
    },
    /// Write a profile skeleton in every language
    New {
        /// founder, company, sector, employer or page
        kind: String,
        /// The profile's slug (its file name)
        slug: String,
        /// Only this language: adds a missing translation to an existing profile
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
    /// Rename a profile in every language: leaves an alias at the old address and rewrites
    /// every reference and `@/` link to it
    Mv {
        /// founder, company, sector, employer or page
        kind: String,
        /// The profile's slug now
        old: String,
        /// Its new slug (must not exist)
        new: String,
    },
    /// Every line of the content that states a value, in each form the languages write it
    /// (a date `2023-03` also as 2023年3月 and March 2023): after correcting a fact, find
    /// the prose that still gives the old one
    Mentions {
        /// A date (YYYY, YYYY-MM, YYYY-MM-DD) or any text
        value: String,
    },
    /// Start a new site in DIR: site.yaml, the default theme, one example profile per kind
    /// in each language, .gitignore and the GitHub Pages workflow
    Init {
        /// A new or empty directory (a `.git` alone is allowed)
        dir: PathBuf,
    },
    /// What changed between two builds of a site (two output directories), as Markdown for
    /// a pull request's summary: the pages added, changed and removed, by address, and the
    /// fields of each changed profile (from the open data in data/)
    Diff {
        /// The output directory of the build before (e.g. the base branch's)
        old: PathBuf,
        /// The output directory of the build after
        new: PathBuf,
    },
    /// Print the JSON Schema of a kind's front matter
    Schema {
        /// founder, company, sector, employer or page (default: all)
        kind: Option<String>,
    },
}
