//! Loading a theme once: Tera templates (compiled once, one clone per language with its
//! `t()` function) and the i18n tables.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, LangId};
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

/// A compiled theme.
pub struct Theme {
    /// One Tera per language, sharing the same compiled templates.
    pub tera: Vec<tera::Tera>,
    /// Interface strings per language.
    pub i18n: Vec<Arc<BTreeMap<String, String>>>,
    pub static_dir: PathBuf,
    pub dir: PathBuf,
}

impl Theme {
    /// Compiles `themes/<name>/templates/*.html` and reads `i18n/<lang>.yaml` for every language.
    pub fn load(cfg: &Config) -> Result<Theme> {
        let dir = cfg.theme_dir.clone();
        let shown = |p: &Path| p.strip_prefix(&cfg.root).unwrap_or(p).to_path_buf();
        if !dir.is_dir() {
            return Err(Error::Diagnostics(vec![Diagnostic::new(
                "site.yaml",
                crate::content::key_line(
                    &std::fs::read_to_string(cfg.root.join("site.yaml")).unwrap_or_default(),
                    "theme",
                )
                .unwrap_or(1),
                1,
                format!(
                    "theme `{}` not found at {}",
                    cfg.theme,
                    shown(&dir).display()
                ),
            )]));
        }
        let tdir = dir.join("templates");
        let mut tera = tera::Tera::default();
        // Tera's default also escapes `/`, which makes every URL unreadable; quotes, `<`, `>`
        // and `&` are what matter in element content and quoted attributes.
        tera.set_escape_fn(escape);
        let mut files = Vec::new();
        let mut diags = Vec::new();
        for entry in walkdir::WalkDir::new(&tdir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let p = entry.path();
            if entry.file_type().is_file()
                && p.extension().is_some_and(|e| e == "html" || e == "xml")
            {
                let name = p
                    .strip_prefix(&tdir)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((p.to_path_buf(), Some(name)));
            }
        }
        if let Err(e) = tera.add_template_files(files) {
            diags.push(template_diag(&e, &tdir, &shown(&tdir)));
        }
        for req in REQUIRED_TEMPLATES {
            if diags.is_empty() && !tera.get_template_names().any(|n| n == *req) {
                diags.push(Diagnostic::new(
                    shown(&tdir.join(req)),
                    0,
                    0,
                    format!("theme `{}` has no template {req}", cfg.theme),
                ));
            }
        }
        let mut i18n = Vec::new();
        for lang in &cfg.langs {
            let p = dir.join("i18n").join(format!("{lang}.yaml"));
            let text = match std::fs::read_to_string(&p) {
                Ok(t) => crate::content::normalize_text(&t),
                Err(_) => {
                    diags.push(
                        Diagnostic::new(
                            shown(&p),
                            0,
                            0,
                            format!("no interface strings for language `{lang}`"),
                        )
                        .with_hint("copy the default language's file and translate it"),
                    );
                    i18n.push(Arc::new(BTreeMap::new()));
                    continue;
                }
            };
            match yaml::from_str::<BTreeMap<String, String>>(&text) {
                Ok(m) => i18n.push(Arc::new(m)),
                Err(e) => {
                    diags.push(
                        Diagnostic::new(shown(&p), e.line, e.col, e.message).with_source(&text),
                    );
                    i18n.push(Arc::new(BTreeMap::new()));
                }
            }
        }
        // Every key of the default language must exist in the others.
        if let Some((first, rest)) = i18n.split_first() {
            for (i, table) in rest.iter().enumerate() {
                for key in first.keys().filter(|k| !table.contains_key(*k)) {
                    let p = dir.join("i18n").join(format!("{}.yaml", cfg.langs[i + 1]));
                    diags.push(
                        Diagnostic::new(
                            shown(&p),
                            0,
                            0,
                            format!("missing interface string `{key}`"),
                        )
                        .with_hint(format!(
                            "add `{key}: ...` (it exists in {}.yaml)",
                            cfg.langs[0]
                        )),
                    );
                }
            }
        }
        if !diags.is_empty() {
            return Err(Error::Diagnostics(diags));
        }
        let teras = i18n
            .iter()
            .enumerate()
            .map(|(lang, table)| {
                let mut t = tera.clone();
                t.register_function("t", translate_fn(table.clone(), cfg.langs[lang].clone()));
                t
            })
            .collect();
        Ok(Theme {
            tera: teras,
            i18n,
            static_dir: dir.join("static"),
            dir,
        })
    }

    /// An interface string, or a diagnostic naming the missing key.
    pub fn t(
        &self,
        cfg: &Config,
        lang: LangId,
        key: &str,
    ) -> std::result::Result<&str, Diagnostic> {
        self.i18n[lang].get(key).map(String::as_str).ok_or_else(|| {
            Diagnostic::new(
                self.dir
                    .join("i18n")
                    .join(format!("{}.yaml", cfg.langs[lang]))
                    .strip_prefix(&cfg.root)
                    .unwrap_or(Path::new(""))
                    .to_path_buf(),
                0,
                0,
                format!("missing interface string `{key}`"),
            )
        })
    }
}

fn escape(s: &str) -> String {
    crate::markdown::escape_html(s)
}

/// `t(key="founders", n=3)`: the string for the page's language, `{n}` replaced by the argument.
fn translate_fn(table: Arc<BTreeMap<String, String>>, lang: String) -> impl tera::Function {
    move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("t() needs key=\"...\""))?;
        let s = table.get(key).ok_or_else(|| {
            tera::Error::msg(format!(
                "missing interface string `{key}` in i18n/{lang}.yaml"
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
    // Tera names the template in quotes: "Failed to parse 'x.html'" / "Failed to render 'x.html'".
    // Render errors quote the name with ', parse errors with ".
    let name = ["'", "\""]
        .iter()
        .filter_map(|q| full.split(q).nth(1))
        .find(|n| n.ends_with(".html") || n.ends_with(".xml"))
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
