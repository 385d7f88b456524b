//! `site.yaml`: the raw file, validated into a [`Config`] (languages, base URL, theme).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::yaml;

/// How a build was asked for on the command line.
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
    /// A dev-server preview: no minification, and render caches are kept.
    pub preview: bool,
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
    /// A custom domain for GitHub Pages (written to `CNAME`); the site is then built for `/`.
    #[serde(default)]
    custom_domain: Option<String>,
}

fn default_theme() -> String {
    "default".into()
}
fn default_true() -> bool {
    true
}

/// A language code checked against the config; index 0 is the default language.
pub type LangId = usize;

/// The published address, split so links can be root-relative under a project path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host, no trailing slash: `https://owner.github.io`.
    pub origin: String,
    /// Path with leading and trailing slash: `/repo/` or `/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host/path/`; a missing trailing slash is added.
    pub fn parse(s: &str) -> std::result::Result<BaseUrl, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url `{s}` must start with https:// or http://"))?;
        let scheme_len = s.len() - rest.len();
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ', '"', '<', '>', '\\']) {
            return Err(format!("base_url `{s}` has no valid host"));
        }
        if path.contains(['?', '#', ' ', '"', '<', '>', '\\'])
            || path.contains("/../")
            || path.ends_with("/..")
        {
            return Err(format!("base_url `{s}` has an invalid path"));
        }
        // One trailing slash, however the URL was written (`.../repo`, `.../repo//`).
        let mut path = path.trim_end_matches('/').to_owned();
        path.push('/');
        Ok(BaseUrl {
            origin: format!("{}{}", &s[..scheme_len], host),
            path,
        })
    }

    /// Root-relative link to a site path such as `en/founders/` (no leading slash).
    pub fn link(&self, rel: &str) -> String {
        format!("{}{}", self.path, rel)
    }

    /// Absolute URL of a site path.
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{}{}", self.origin, self.path, rel)
    }
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub theme_dir: PathBuf,
    pub theme: String,
    pub output_dir: PathBuf,
    pub base: BaseUrl,
    /// Language codes, the default first.
    pub langs: Vec<String>,
    /// Site title per language (indexed by [`LangId`]).
    pub title: Vec<String>,
    pub description: Vec<String>,
    pub minify: bool,
    /// City code -> name per language.
    pub cities: BTreeMap<String, Vec<String>>,
    pub drafts: bool,
    /// Build the Pagefind search index.
    pub search: bool,
    /// Custom domain for GitHub Pages, written to `CNAME`.
    pub custom_domain: Option<String>,
}

impl Config {
    /// Reads and validates `<root>/site.yaml`.
    pub fn load(opts: &Options) -> Result<Config> {
        let path = opts.root.join("site.yaml");
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let text = crate::content::normalize_text(&text);
        Config::parse(&text, Path::new("site.yaml"), opts)
    }

    fn parse(text: &str, shown: &Path, opts: &Options) -> Result<Config> {
        let raw: RawConfig = yaml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::new(
                shown,
                e.line,
                e.col,
                crate::content::short_message(&e.message),
            )
            .with_source(text);
            if let Some(h) = crate::content::unknown_field_hint(&e.message) {
                d = d.with_hint(h);
            }
            Error::Diagnostics(vec![d])
        })?;
        let at = |key: &str, msg: String| {
            let line = crate::content::key_line(text, key).unwrap_or(1);
            Error::Diagnostics(vec![Diagnostic::new(shown, line, 1, msg).with_source(text)])
        };
        for l in &raw.languages {
            if !valid_lang(l) {
                return Err(at("languages", format!("`{l}` is not a language code")));
            }
        }
        if !raw.languages.contains(&raw.default_language) {
            return Err(at(
                "default_language",
                format!(
                    "default_language `{}` is not one of `languages`",
                    raw.default_language
                ),
            ));
        }
        let mut langs = vec![raw.default_language.clone()];
        langs.extend(
            raw.languages
                .iter()
                .filter(|l| **l != raw.default_language)
                .cloned(),
        );
        let per_lang = |m: &BTreeMap<String, String>| -> Vec<String> {
            langs
                .iter()
                .map(|l| {
                    m.get(l)
                        .or_else(|| m.get(&langs[0]))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect()
        };
        let base_src = opts.base_url.clone().unwrap_or(raw.base_url.clone());
        let base = BaseUrl::parse(&base_src).map_err(|m| match &opts.base_url {
            Some(_) => Error::Other(format!("--base-url: {m}")),
            None => at("base_url", m),
        })?;
        if raw.theme.is_empty() || raw.theme.contains(['/', '\\']) || raw.theme.starts_with('.') {
            return Err(at(
                "theme",
                format!(
                    "theme `{}` must be a directory name under themes/",
                    raw.theme
                ),
            ));
        }
        if let Some(d) = &raw.custom_domain {
            if d.is_empty()
                || !d
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            {
                return Err(at(
                    "custom_domain",
                    format!(
                        "custom_domain `{d}` must be a bare host name such as dossier.example.org"
                    ),
                ));
            }
        }
        let cities = raw
            .cities
            .iter()
            .map(|(code, names)| (code.clone(), per_lang(names)))
            .collect();
        Ok(Config {
            root: opts.root.clone(),
            content_dir: opts.root.join("content"),
            theme_dir: opts.root.join("themes").join(&raw.theme),
            theme: raw.theme.clone(),
            output_dir: opts
                .output
                .clone()
                .unwrap_or_else(|| opts.root.join("output")),
            base,
            title: per_lang(&raw.title),
            description: per_lang(&raw.description),
            langs,
            minify: raw.minify,
            cities,
            drafts: opts.drafts,
            search: raw.search,
            custom_domain: raw.custom_domain.clone(),
        })
    }

    /// The language id of a code, if configured.
    pub fn lang_id(&self, code: &str) -> Option<LangId> {
        self.langs.iter().position(|l| l == code)
    }

    /// `""` for the default language, `"en/"` for the others.
    pub fn lang_prefix(&self, lang: LangId) -> String {
        if lang == 0 {
            String::new()
        } else {
            format!("{}/", self.langs[lang])
        }
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

    #[test]
    fn base_url_with_project_path() {
        let b = BaseUrl::parse("https://owner.github.io/repo").unwrap();
        assert_eq!(b.path, "/repo/");
        assert_eq!(b.link("en/founders/"), "/repo/en/founders/");
        assert_eq!(
            b.absolute("sitemap.xml"),
            "https://owner.github.io/repo/sitemap.xml"
        );
        assert!(BaseUrl::parse("owner.github.io").is_err());
        assert_eq!(
            BaseUrl::parse("https://owner.github.io/repo//")
                .unwrap()
                .path,
            "/repo/"
        );
        assert_eq!(BaseUrl::parse("https://owner.github.io").unwrap().path, "/");
        assert_eq!(
            BaseUrl::parse("https://owner.github.io/").unwrap().link(""),
            "/"
        );
        assert!(BaseUrl::parse("https://x/a\"b/").is_err());
    }

    #[test]
    fn default_language_comes_first() {
        let text = "title: {zh: 标题, en: Title}\nbase_url: https://x.org/\nlanguages: [en, zh]\ndefault_language: zh\n";
        let c = Config::parse(text, Path::new("site.yaml"), &Options::default()).unwrap();
        assert_eq!(c.langs, ["zh", "en"]);
        assert_eq!(c.title, ["标题", "Title"]);
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
}
