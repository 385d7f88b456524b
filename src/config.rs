//! `site.yaml` and the command line, resolved once into a [`Config`]: languages, base URL,
//! theme, and what this run does (minify, index, drafts).

mod base_url;
mod lang;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::repository::Repository;
use crate::yaml;
pub use base_url::BaseUrl;
pub use lang::{LangId, PerLang};

/// What a run is for; decides the work done after rendering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// `dossier build`: minify, index, write.
    #[default]
    Build,
    /// `dossier check`: render and check links; no minification, no index, no writing.
    Check,
    /// `dossier serve`: readable pages in memory; the index is built in the background.
    Serve,
}

/// How a run was asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Site root (holds `site.yaml`).
    pub root: PathBuf,
    /// Output directory; `<root>/output` when absent.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    pub mode: Mode,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: BTreeMap<String, String>,
    #[serde(default)]
    description: BTreeMap<String, String>,
    base_url: String,
    languages: Vec<String>,
    default_language: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_true")]
    minify: bool,
    #[serde(default)]
    cities: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default = "default_true")]
    search: bool,
    /// Share cards (`og:image`) for the home page and every founder, company and sector.
    #[serde(default = "default_true")]
    cards: bool,
    /// A custom domain for GitHub Pages (written to `CNAME`); the site is then built for `/`.
    #[serde(default)]
    custom_domain: Option<String>,
    /// Rows (or cards) per page of an index, sector or employer page.
    #[serde(default = "default_paginate")]
    paginate: usize,
    /// Entries per Atom feed (the newest).
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    /// Records per shard of the search index (advanced: memory and parallelism).
    #[serde(default = "default_shard")]
    search_shard_size: usize,
    /// URLs per sitemap file (the protocol allows 50,000).
    #[serde(default = "default_sitemap_limit")]
    sitemap_limit: usize,
    /// Let raw HTML in Markdown through (it is shown as text otherwise).
    #[serde(default)]
    raw_html: bool,
    /// The licence of the open data (`data/`): an SPDX identifier, or `{name, path, title}`.
    #[serde(default)]
    data_license: Option<RawLicense>,
    /// The GitHub repository of the site (`OWNER/NAME`): pages link to their source file,
    /// to a new profile and to a correction form.
    #[serde(default)]
    repository: Option<String>,
    /// The branch those links edit.
    #[serde(default = "default_branch")]
    branch: String,
    /// The oldest dossier that builds the site; checked from the text first
    /// ([`crate::version::check`]), before the keys that a newer dossier may have added.
    #[serde(default)]
    #[allow(dead_code)]
    min_dossier_version: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawLicense {
    Id(String),
    Full {
        name: String,
        #[serde(default)]
        path: Option<String>,
        #[serde(default)]
        title: Option<String>,
    },
}

/// The licence of the open data, as a Data Package names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataLicense {
    /// An SPDX identifier (`CC-BY-4.0`).
    pub name: String,
    /// The licence's text on the web.
    pub path: Option<String>,
    /// Its title for people.
    pub title: Option<String>,
}

fn default_sitemap_limit() -> usize {
    10_000
}

fn default_paginate() -> usize {
    100
}
fn default_feed_limit() -> usize {
    50
}
fn default_shard() -> usize {
    2000
}

fn default_branch() -> String {
    "main".into()
}

fn default_theme() -> String {
    "default".into()
}
fn default_true() -> bool {
    true
}

/// The validated site configuration and what this run does.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub theme_dir: PathBuf,
    pub theme: String,
    /// 1-based line of `theme:` in site.yaml (for "theme not found").
    pub theme_line: usize,
    pub output_dir: PathBuf,
    pub base: BaseUrl,
    /// Language codes, the default first.
    pub langs: Vec<String>,
    pub title: PerLang<String>,
    pub description: PerLang<String>,
    /// Minify HTML pages (a build with `minify: true`; never in check or serve).
    pub minify: bool,
    /// The site has a search index (`search: true`, except in check).
    pub search: bool,
    /// Pages have share cards (`cards: true`); `check` plans them without drawing.
    pub cards: bool,
    /// City code -> name per language.
    pub cities: BTreeMap<String, PerLang<String>>,
    pub drafts: bool,
    pub mode: Mode,
    /// Custom domain for GitHub Pages, written to `CNAME`.
    pub custom_domain: Option<String>,
    /// Rows per page of a list (index pages, a sector's or an employer's founders).
    pub paginate: usize,
    /// Entries per Atom feed.
    pub feed_limit: usize,
    /// Records per shard of the search index.
    pub search_shard_size: usize,
    /// URLs per sitemap file.
    pub sitemap_limit: usize,
    /// The licence of the open data, when `site.yaml` names one.
    pub data_license: Option<DataLicense>,
    /// Raw HTML in Markdown is passed through (`raw_html: true`); escaped otherwise.
    pub raw_html: bool,
    /// The GitHub repository and branch pages link to (`repository:`, `branch:`).
    pub repository: Option<Repository>,
}

impl Config {
    /// Reads and validates `<root>/site.yaml` for the run `opts` asks for.
    pub fn load(opts: &Options) -> Result<Config> {
        let path = opts.root.join("site.yaml");
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        Config::parse(&crate::text::normalize(&text), Path::new("site.yaml"), opts)
    }

    pub(crate) fn parse(text: &str, shown: &Path, opts: &Options) -> Result<Config> {
        crate::version::check(text, shown).map_err(|d| Error::Diagnostics(vec![d]))?;
        let raw: RawConfig = yaml::from_str(text)
            .map_err(|e| Error::Diagnostics(vec![e.diagnostic(shown, text, 1)]))?;
        let at = At { text, shown };
        raw.check_codes(&at)?;
        raw.check_description(&at)?;
        let langs = raw.languages(&at)?;
        let base = match &opts.base_url {
            Some(b) => BaseUrl::parse(b).map_err(|m| Error::Usage(format!("--base-url: {m}")))?,
            None => BaseUrl::parse(&raw.base_url).map_err(|m| at.error("base_url", m))?,
        };
        raw.check_theme(&at)?;
        raw.check_custom_domain(&at)?;
        raw.check_limits(&at)?;
        let data_license = raw.data_license(&at)?;
        let repository = raw.repository(&at)?;
        let per_lang = |m: &BTreeMap<String, String>| -> PerLang<String> {
            PerLang::build(&langs, |l| {
                m.get(&langs[l.index()])
                    .or_else(|| m.get(&langs[0]))
                    .cloned()
                    .unwrap_or_default()
            })
        };
        let cities = raw
            .cities
            .iter()
            .map(|(code, names)| (code.clone(), per_lang(names)))
            .collect();
        Ok(Config {
            root: opts.root.clone(),
            content_dir: opts.root.join("content"),
            theme_dir: opts.root.join("themes").join(&raw.theme),
            theme_line: yaml::key_line(text, "theme").unwrap_or(1),
            theme: raw.theme,
            output_dir: opts
                .output
                .clone()
                .unwrap_or_else(|| opts.root.join("output")),
            base,
            title: per_lang(&raw.title),
            description: per_lang(&raw.description),
            minify: raw.minify && opts.mode == Mode::Build,
            search: raw.search && opts.mode != Mode::Check,
            cards: raw.cards,
            cities,
            drafts: opts.drafts,
            mode: opts.mode,
            custom_domain: raw.custom_domain,
            paginate: raw.paginate,
            feed_limit: raw.feed_limit,
            search_shard_size: raw.search_shard_size,
            sitemap_limit: raw.sitemap_limit,
            data_license,
            raw_html: raw.raw_html,
            repository,
            langs,
        })
    }

    /// Every language, the default first.
    pub fn lang_ids(&self) -> impl Iterator<Item = LangId> + Clone {
        (0..self.langs.len()).map(|i| LangId(i as u8))
    }

    /// The language id of a code, if configured.
    pub fn lang_id(&self, code: &str) -> Option<LangId> {
        self.langs
            .iter()
            .position(|l| l == code)
            .map(|i| LangId(i as u8))
    }

    /// The code of a language: `zh`, `en`.
    pub fn code(&self, lang: LangId) -> &str {
        &self.langs[lang.index()]
    }

    /// `""` for the default language, `"en/"` for the others.
    pub fn lang_prefix(&self, lang: LangId) -> String {
        if lang.is_default() {
            String::new()
        } else {
            format!("{}/", self.code(lang))
        }
    }

    /// A city's name in a language (the code itself when the config lacks it).
    pub fn city_name(&self, code: &str, lang: LangId) -> String {
        self.cities
            .get(code)
            .and_then(|n| n.get(lang).cloned())
            .unwrap_or_else(|| code.to_owned())
    }

    /// A path as shown to users: relative to the site root where possible.
    pub fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }
}

/// Where a problem in site.yaml is reported: at the line of its key.
struct At<'a> {
    text: &'a str,
    shown: &'a Path,
}

impl At<'_> {
    /// An error at the line of `key` (the first line when the key is absent).
    fn error(&self, key: &str, msg: impl Into<String>) -> Error {
        Error::Diagnostics(vec![self.diagnostic(key, msg)])
    }

    fn diagnostic(&self, key: &str, msg: impl Into<String>) -> Diagnostic {
        let line = yaml::key_line(self.text, key).unwrap_or(1);
        Diagnostic::new(self.shown, line, 1, msg).with_source(self.text)
    }
}

/// The checks of site.yaml's values, each reported at its key's line, in the order
/// [`Config::parse`] makes them (the first problem found is the one reported).
impl RawConfig {
    /// Every language code is one, and is listed once.
    fn check_codes(&self, at: &At) -> Result<()> {
        for (i, l) in self.languages.iter().enumerate() {
            if !valid_lang(l) {
                return Err(at.error("languages", format!("`{l}` is not a language code")));
            }
            // Regression: `[zh, en, fr, en]` gave two `en` (dedup only drops neighbours).
            if self.languages[..i].contains(l) {
                return Err(at.error("languages", format!("`{l}` is listed twice")));
            }
        }
        Ok(())
    }

    /// Every `{{ count.… }}` in the description counts something.
    fn check_description(&self, at: &At) -> Result<()> {
        for text in self.description.values() {
            if let Some((_, name)) = crate::counts::placeholders::unknown(text) {
                return Err(at.error(
                    "description",
                    format!(
                        "`{{{{ count.{name} }}}}` counts nothing: use count.founders, count.companies, count.sectors or count.employers"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The language codes, the default first.
    fn languages(&self, at: &At) -> Result<Vec<String>> {
        if self.languages.len() > 32 {
            return Err(at.error("languages", "at most 32 languages"));
        }
        if !self.languages.contains(&self.default_language) {
            return Err(at.error(
                "default_language",
                format!(
                    "default_language `{}` is not one of `languages`",
                    self.default_language
                ),
            ));
        }
        let mut langs = vec![self.default_language.clone()];
        langs.extend(
            self.languages
                .iter()
                .filter(|l| **l != self.default_language)
                .cloned(),
        );
        Ok(langs)
    }

    fn check_theme(&self, at: &At) -> Result<()> {
        let theme = &self.theme;
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            return Err(at.error(
                "theme",
                format!("theme `{theme}` must be a directory name under themes/"),
            ));
        }
        Ok(())
    }

    fn check_custom_domain(&self, at: &At) -> Result<()> {
        if let Some(d) = &self.custom_domain {
            if d.is_empty()
                || !d
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            {
                return Err(at.error(
                    "custom_domain",
                    format!(
                        "custom_domain `{d}` must be a bare host name such as dossier.example.org"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Page, feed, shard and sitemap sizes: at least 1; a sitemap within the protocol's.
    fn check_limits(&self, at: &At) -> Result<()> {
        for (key, value) in [
            ("paginate", self.paginate),
            ("feed_limit", self.feed_limit),
            ("search_shard_size", self.search_shard_size),
            ("sitemap_limit", self.sitemap_limit),
        ] {
            if value == 0 {
                return Err(at.error(key, format!("`{key}` must be at least 1")));
            }
        }
        if self.sitemap_limit > 50_000 {
            return Err(at.error(
                "sitemap_limit",
                "`sitemap_limit` can be at most 50000 (the sitemap protocol's limit)",
            ));
        }
        Ok(())
    }

    /// The open data's licence: an identifier, and a web address for its text.
    fn data_license(&self, at: &At) -> Result<Option<DataLicense>> {
        let license = match &self.data_license {
            None => return Ok(None),
            Some(RawLicense::Id(name)) => DataLicense {
                name: name.clone(),
                path: None,
                title: None,
            },
            Some(RawLicense::Full { name, path, title }) => DataLicense {
                name: name.clone(),
                path: path.clone(),
                title: title.clone(),
            },
        };
        let bad_name = license.name.is_empty()
            || !license
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
        if bad_name {
            return Err(at.error(
                "data_license",
                format!(
                    "`{}` is not a licence identifier such as CC-BY-4.0",
                    license.name
                ),
            ));
        }
        if let Some(p) = license
            .path
            .as_deref()
            .filter(|p| !crate::text::is_web_address(p))
        {
            return Err(at.error(
                "data_license",
                format!("the licence's `path` `{p}` is not a web address"),
            ));
        }
        Ok(Some(license))
    }

    /// The GitHub repository and branch, reported at whichever of the two is wrong.
    fn repository(&self, at: &At) -> Result<Option<Repository>> {
        let Some(r) = &self.repository else {
            return Ok(None);
        };
        Repository::parse(r, &self.branch).map(Some).map_err(|m| {
            let (key, hint) = if m.starts_with("branch") {
                (
                    "branch",
                    "write the branch the site is built from, e.g. `branch: main`",
                )
            } else {
                (
                    "repository",
                    "write `repository: OWNER/NAME`, e.g. `repository: octocat/dossier`",
                )
            };
            Error::Diagnostics(vec![at.diagnostic(key, m).with_hint(hint)])
        })
    }
}

fn valid_lang(l: &str) -> bool {
    let mut parts = l.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `languages: [zh, en, fr, en]` built two `en` sites over each other.
    #[test]
    fn a_language_listed_twice_is_an_error_at_its_line() {
        let text = "title: {zh: 标题, en: Title}\nbase_url: https://x.org/\nlanguages: [zh, en, fr, en]\ndefault_language: zh\n";
        let e = Config::parse(text, Path::new("site.yaml"), &Options::default()).unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!((d.line, d.message.as_str()), (3, "`en` is listed twice"));
    }

    #[test]
    fn default_language_comes_first() {
        let text = "title: {zh: 标题, en: Title}\nbase_url: https://x.org/\nlanguages: [en, zh]\ndefault_language: zh\n";
        let c = Config::parse(text, Path::new("site.yaml"), &Options::default()).unwrap();
        assert_eq!(c.langs, ["zh", "en"]);
        let en = c.lang_id("en").unwrap();
        assert_eq!(
            (&c.title[LangId::DEFAULT][..], &c.title[en][..]),
            ("标题", "Title")
        );
        assert_eq!(c.lang_prefix(en), "en/");
    }

    #[test]
    fn unknown_key_in_site_yaml_is_located() {
        let text = "title: {zh: a}\nbase_url: https://x.org/\nlanguages: [zh]\ndefault_language: zh\nthme: x\n";
        let e = Config::parse(text, Path::new("site.yaml"), &Options::default()).unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(
            (d.line, d.message.starts_with("unknown field `thme`")),
            (5, true)
        );
        assert_eq!(d.hint.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn the_run_decides_minification_and_indexing() {
        let text =
            "title: {zh: a}\nbase_url: https://x.org/\nlanguages: [zh]\ndefault_language: zh\n";
        let run = |mode| {
            let c = Config::parse(
                text,
                Path::new("site.yaml"),
                &Options {
                    mode,
                    ..Options::default()
                },
            )
            .unwrap();
            (c.minify, c.search)
        };
        assert_eq!(run(Mode::Build), (true, true));
        assert_eq!(run(Mode::Check), (false, false));
        assert_eq!(run(Mode::Serve), (false, true));
    }
}
