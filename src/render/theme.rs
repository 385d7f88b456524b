//! Loading a theme once: Tera templates (compiled once, one clone per language with its
//! `t()` function), the i18n tables, and which templates each template pulls in.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, LangId, PerLang};
use crate::deps::{self, Dep};
use crate::error::{Diagnostic, Error, Result};
use crate::yaml;

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "home.html",
    "founders.html",
    "founder.html",
    "companies.html",
    "company.html",
    "sectors.html",
    "sector.html",
    "employers.html",
    "employer.html",
    "page.html",
    "404.html",
];

/// An interface string table.
pub type Strings = BTreeMap<String, String>;

/// The widths a theme shows one kind of image at (`theme.yaml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSizes {
    /// Widths in pixels, each written as a file; the largest is the smallest image accepted.
    pub widths: Vec<u32>,
    /// Width / height: images are cropped to it around their focus point. Without it an
    /// image keeps its shape and `widths` bound its longest side.
    #[serde(default)]
    pub ratio: Option<f64>,
}

impl ImageSizes {
    /// The largest width asked for.
    pub fn largest(&self) -> u32 {
        self.widths.iter().copied().max().unwrap_or(0)
    }
}

/// What `theme.yaml` declares: the sizes of portraits and logos.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeConfig {
    pub portrait: ImageSizes,
    pub logo: ImageSizes,
}

impl Default for ThemeConfig {
    fn default() -> ThemeConfig {
        ThemeConfig {
            portrait: ImageSizes {
                widths: vec![96, 192, 384],
                ratio: Some(1.0),
            },
            logo: ImageSizes {
                widths: vec![96, 192, 384],
                ratio: None,
            },
        }
    }
}

/// Reads `theme.yaml` (optional): every problem is reported.
fn theme_config(dir: &Path, cfg: &Config, diags: &mut Vec<Diagnostic>) -> ThemeConfig {
    let path = dir.join("theme.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return ThemeConfig::default();
    };
    let text = crate::text::normalize(&text);
    let shown = cfg.shown(&path);
    let tc: ThemeConfig = match yaml::from_str(&text) {
        Ok(tc) => tc,
        Err(e) => {
            diags.push(e.diagnostic(&shown, &text, 1));
            return ThemeConfig::default();
        }
    };
    for (key, sizes) in [("portrait", &tc.portrait), ("logo", &tc.logo)] {
        let bad_width =
            sizes.widths.is_empty() || sizes.widths.iter().any(|w| !(16..=4096).contains(w));
        let bad_ratio = sizes
            .ratio
            .is_some_and(|r| !(r.is_finite() && (0.1..=10.0).contains(&r)));
        if bad_width || bad_ratio {
            let line = yaml::key_line(&text, key).unwrap_or(1);
            diags.push(
                Diagnostic::new(
                    &shown,
                    line,
                    1,
                    format!(
                        "`{key}` needs widths from 16 to 4096 pixels and a ratio from 0.1 to 10"
                    ),
                )
                .with_source(&text)
                .with_hint("write `widths: [96, 192, 384]` and, to crop, `ratio: 1`"),
            );
        }
    }
    tc
}

/// A compiled theme.
pub struct Theme {
    /// One Tera per language, sharing the same compiled templates.
    tera: PerLang<tera::Tera>,
    /// Interface strings per language.
    pub i18n: PerLang<Arc<Strings>>,
    /// Each template's source text, by name (to tell which ones an edit changed).
    pub sources: BTreeMap<String, String>,
    /// Each template and every template it extends, includes or imports, transitively.
    closure: HashMap<String, Vec<String>>,
    pub static_dir: PathBuf,
    pub dir: PathBuf,
    /// The templates directory as shown to users.
    shown_templates: PathBuf,
    /// The i18n file of each language as shown to users.
    shown_i18n: PerLang<PathBuf>,
    /// Image sizes from `theme.yaml`.
    pub config: ThemeConfig,
    /// The skeletons of new profiles (`archetypes/<kind>.<lang>.md`), by file name: the
    /// "Add a founder" links carry them.
    pub archetypes: BTreeMap<String, String>,
}

impl Theme {
    /// Compiles `themes/<name>/templates/*.html` and reads `i18n/<lang>.yaml` for every
    /// language; every problem is reported.
    pub fn load(cfg: &Config) -> Result<Theme> {
        let dir = cfg.theme_dir.clone();
        if !dir.is_dir() {
            return Err(Error::Diagnostics(vec![Diagnostic::new(
                "site.yaml",
                cfg.theme_line,
                1,
                format!(
                    "theme `{}` not found at {}",
                    cfg.theme,
                    cfg.shown(&dir).display()
                ),
            )]));
        }
        let tdir = dir.join("templates");
        let shown_templates = cfg.shown(&tdir);
        let mut diags = Vec::new();
        let (tera, sources) = compile(&tdir, &shown_templates, &mut diags)?;
        for req in REQUIRED_TEMPLATES {
            if diags.is_empty() && !sources.contains_key(*req) {
                diags.push(Diagnostic::file(
                    shown_templates.join(req),
                    format!("theme `{}` has no template {req}", cfg.theme),
                ));
            }
        }
        let shown_i18n = PerLang::build(&cfg.langs, |l| {
            cfg.shown(&dir.join("i18n").join(format!("{}.yaml", cfg.code(l))))
        });
        let i18n = PerLang::build(&cfg.langs, |l| {
            Arc::new(strings(&dir, cfg, l, &shown_i18n[l], &mut diags))
        });
        complete(cfg, &i18n, &shown_i18n, &mut diags);
        let config = theme_config(&dir, cfg, &mut diags);
        let archetypes = archetypes(&dir.join("archetypes"))?;
        if !diags.is_empty() {
            return Err(Error::Diagnostics(diags));
        }
        let tera = PerLang::build(&cfg.langs, |l| {
            let mut t = tera.clone();
            t.register_function(
                "t",
                translate_fn(i18n[l].clone(), l, cfg.code(l).to_owned()),
            );
            t
        });
        Ok(Theme {
            closure: closures(&sources),
            tera,
            i18n,
            sources,
            static_dir: dir.join("static"),
            dir,
            shown_templates,
            shown_i18n,
            config,
            archetypes,
        })
    }

    /// The archetype of a kind in a language (`founder.zh.md`), with `__SLUG__` standing
    /// for the new profile's slug; recorded as read, like a template.
    pub fn archetype(&self, kind: crate::content::Kind, lang: &str) -> Option<&str> {
        let name = format!("{}.{lang}.md", kind.name());
        deps::read(|| Dep::Template(format!("archetypes/{name}")));
        self.archetypes.get(&name).map(String::as_str)
    }

    /// A template's path as shown to users.
    pub fn shown(&self, name: &str) -> PathBuf {
        self.shown_templates.join(name)
    }

    /// Whether the theme has a template of this name.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// An interface string, or a diagnostic naming the missing key.
    pub fn t(&self, lang: LangId, key: &str) -> std::result::Result<&str, Diagnostic> {
        deps::read(|| Dep::I18n(lang, key.to_owned()));
        self.i18n[lang]
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| missing_string(&self.shown_i18n[lang], key, None))
    }

    /// Renders template `name` in language `lang`, recording the templates it uses.
    pub fn render(
        &self,
        lang: LangId,
        name: &str,
        ctx: &tera::Context,
    ) -> std::result::Result<String, Diagnostic> {
        if deps::recording() {
            for t in self.closure.get(name).into_iter().flatten() {
                deps::read(|| Dep::Template(t.clone()));
            }
        }
        self.tera[lang]
            .render(name, ctx)
            .map_err(|e| template_diag(&e, &self.dir.join("templates"), &self.shown_templates))
    }
}

/// Compiles every `.html` and `.xml` file under `tdir`.
/// Every `archetypes/*.md` of the theme, by file name; none when the theme has no such
/// directory.
fn archetypes(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(source) => {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    for entry in entries {
        let entry = entry.map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = entry.path();
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".md") || !p.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&p).map_err(|source| Error::Read {
            path: p.clone(),
            source,
        })?;
        out.insert(name.to_owned(), crate::text::normalize(&text));
    }
    Ok(out)
}

fn compile(
    tdir: &Path,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<(tera::Tera, BTreeMap<String, String>)> {
    let mut tera = tera::Tera::default();
    // Tera's default also escapes `/`, which makes every URL unreadable; quotes, `<`, `>`
    // and `&` are what matter in element content and quoted attributes.
    tera.set_escape_fn(crate::escape::html_string);
    // The share card (`card.svg`) is XML: its values are escaped like HTML attributes.
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    let mut templates = Vec::new();
    let mut sources = BTreeMap::new();
    for entry in walkdir::WalkDir::new(tdir).sort_by_file_name() {
        let entry = entry.map_err(|source| Error::Walk {
            path: tdir.to_path_buf(),
            source,
        })?;
        let p = entry.path();
        if !(entry.file_type().is_file()
            && p.extension()
                .is_some_and(|e| e == "html" || e == "xml" || e == "svg"))
        {
            continue;
        }
        let name = p
            .strip_prefix(tdir)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(p).map_err(|source| Error::Read {
            path: p.to_path_buf(),
            source,
        })?;
        templates.push((name.clone(), text.clone()));
        sources.insert(name, text);
    }
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.push(template_diag(&e, tdir, shown));
    }
    Ok((tera, sources))
}

/// Reads one language's interface strings (an empty table after reporting a problem).
fn strings(
    dir: &Path,
    cfg: &Config,
    lang: LangId,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Strings {
    let p = dir.join("i18n").join(format!("{}.yaml", cfg.code(lang)));
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => crate::text::normalize(&t),
        Err(_) => {
            diags.push(
                Diagnostic::file(
                    shown,
                    format!("no interface strings for language `{}`", cfg.code(lang)),
                )
                .with_hint("copy the default language's file and translate it"),
            );
            return Strings::new();
        }
    };
    yaml::from_str::<Strings>(&text).unwrap_or_else(|e| {
        diags.push(e.diagnostic(shown, &text, 1));
        Strings::new()
    })
}

fn missing_string(shown: &Path, key: &str, default_file: Option<&Path>) -> Diagnostic {
    let d = Diagnostic::file(shown, format!("missing interface string `{key}`"));
    match default_file {
        Some(f) => d.with_hint(format!("add `{key}: ...` (it exists in {})", f.display())),
        None => d.with_hint(format!("add `{key}: ...` to this file")),
    }
}

/// Every key of the default language must exist in the others.
fn complete(
    cfg: &Config,
    i18n: &PerLang<Arc<Strings>>,
    shown: &PerLang<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) {
    let first = &i18n[LangId::DEFAULT];
    for l in cfg.lang_ids().skip(1) {
        for key in first.keys().filter(|k| !i18n[l].contains_key(*k)) {
            diags.push(missing_string(
                &shown[l],
                key,
                Some(&shown[LangId::DEFAULT]),
            ));
        }
    }
}

/// The names a template refers to with `extends`, `include` or `import`.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or("");
        let mut words = tag.trim_start_matches('-').split_whitespace();
        if matches!(words.next(), Some("extends" | "include" | "import")) {
            let rest = words.collect::<Vec<_>>().join(" ");
            for quote in ['"', '\''] {
                if let Some(name) = rest.split(quote).nth(1) {
                    out.push(name.to_owned());
                    break;
                }
            }
        }
    }
    out
}

/// Each template with everything it pulls in, transitively.
fn closures(sources: &BTreeMap<String, String>) -> HashMap<String, Vec<String>> {
    let direct: HashMap<&str, Vec<String>> = sources
        .iter()
        .map(|(n, t)| (n.as_str(), references(t)))
        .collect();
    let mut out = HashMap::new();
    for name in sources.keys() {
        let mut seen = BTreeSet::from([name.clone()]);
        let mut todo = vec![name.clone()];
        while let Some(t) = todo.pop() {
            for d in direct.get(t.as_str()).into_iter().flatten() {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        out.insert(name.clone(), seen.into_iter().collect());
    }
    out
}

/// `t(key="founders", n=3)`: the string for the page's language, `{n}` replaced by the
/// argument. Each key looked up is recorded as a dependency of the page.
fn translate_fn(table: Arc<Strings>, lang: LangId, code: String) -> impl tera::Function {
    move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("t() needs key=\"...\""))?;
        deps::read(|| Dep::I18n(lang, key.to_owned()));
        let s = table.get(key).ok_or_else(|| {
            tera::Error::msg(format!(
                "missing interface string `{key}` in i18n/{code}.yaml"
            ))
        })?;
        let mut s = s.clone();
        for (k, v) in args {
            if k != "key" {
                let text = match v {
                    tera::Value::String(x) => x.clone(),
                    other => other.to_string(),
                };
                s = s.replace(&format!("{{{k}}}"), &text);
            }
        }
        Ok(tera::Value::String(s))
    }
}

/// Turns a Tera error into a diagnostic, keeping the chain of causes.
pub fn template_diag(e: &tera::Error, tdir: &Path, shown_dir: &Path) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    let full = chain.join(": ");
    // Tera names the template in quotes: render errors with ', parse errors with ".
    let name = ["'", "\""]
        .iter()
        .filter_map(|q| full.split(q).nth(1))
        .find(|n| n.ends_with(".html") || n.ends_with(".xml") || n.ends_with(".svg"))
        .unwrap_or("")
        .to_owned();
    let path = shown_dir.join(&name);
    let text = std::fs::read_to_string(tdir.join(&name)).unwrap_or_default();
    // Parse errors carry "--> line:col".
    let (line, col) = full
        .split("--> ")
        .nth(1)
        .and_then(|r| {
            let (l, rest) = r.split_once(':')?;
            let c: String = rest.chars().take_while(char::is_ascii_digit).collect();
            Some((l.trim().parse().ok()?, c.parse().ok()?))
        })
        .unwrap_or((0, 0));
    let message = chain
        .into_iter()
        .map(|m| m.lines().next().unwrap_or("").trim().to_owned())
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    Diagnostic::new(path, line, col, message).with_source(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_pulls_in_what_it_extends_includes_and_imports() {
        let sources = BTreeMap::from([
            (
                "base.html".to_owned(),
                "{% block x %}{% endblock %}{% include \"partials/nav.html\" %}".to_owned(),
            ),
            ("partials/nav.html".to_owned(), "nav".to_owned()),
            (
                "partials/m.html".to_owned(),
                "{%- import 'partials/nav.html' as n -%}".to_owned(),
            ),
            (
                "founder.html".to_owned(),
                "{% extends \"base.html\" %}\n{% import \"partials/m.html\" as m %}".to_owned(),
            ),
        ]);
        let c = closures(&sources);
        assert_eq!(
            c["founder.html"],
            [
                "base.html",
                "founder.html",
                "partials/m.html",
                "partials/nav.html"
            ]
        );
        assert_eq!(c["partials/nav.html"], ["partials/nav.html"]);
    }
}
