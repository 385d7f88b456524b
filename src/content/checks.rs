//! Checks on front matter values that templates turn into links or names: web addresses,
//! city codes and amounts.

use std::path::{Component, Path, PathBuf};

use super::file::SourceFile;
use super::schema::{
    power_of_ten, Check, Company, Employer, Founder, LocalText, Page, Picture, Qualifier, Sector,
    Source,
};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::text::is_web_address;

impl Check for Sector {}
impl Check for Employer {}
impl Check for Page {}

impl Check for Founder {
    fn check(&self, src: &SourceFile, cfg: &Config, diags: &mut Vec<Diagnostic>) {
        for l in self.links.iter().flatten() {
            url(src, "links", &l.url, diags);
        }
        city(cfg, src, self.city.as_deref(), diags);
        sources(src, self.sources.as_deref(), diags);
        if let Some(p) = &self.photo {
            picture(cfg, src, "photo", p, false, diags);
        }
    }
}

impl Check for Company {
    fn check(&self, src: &SourceFile, cfg: &Config, diags: &mut Vec<Diagnostic>) {
        if let Some(w) = &self.website {
            url(src, "website", w, diags);
        }
        city(cfg, src, self.city.as_deref(), diags);
        sources(src, self.sources.as_deref(), diags);
        magnitudes(src, self, diags);
        if let Some(p) = &self.logo {
            picture(cfg, src, "logo", p, true, diags);
        }
    }
}

/// Where a picture's file is: the path to read and the path shown to users.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Located {
    pub path: PathBuf,
    pub shown: PathBuf,
}

/// Image formats a picture may be in, by extension; SVG only for logos.
fn format_ok(ext: &str, svg: bool) -> bool {
    matches!(ext, "jpg" | "jpeg" | "png" | "webp") || (svg && ext == "svg")
}

/// Finds the file of `photo: {src: ...}` in the profile `profile` (shown path): a name
/// next to the profile, or `@/path` under `content/`. The path may not leave `content/`.
pub fn locate(cfg: &Config, profile: &Path, src: &str) -> Result<Located, (String, String)> {
    let (base, rel) = match src.strip_prefix("@/") {
        Some(rest) => (cfg.content_dir.clone(), rest),
        None => {
            let dir = cfg.root.join(profile);
            let dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
            (dir, src)
        }
    };
    let rel_path = Path::new(rel);
    let plain = !rel.is_empty()
        && !rel.contains('\\')
        && rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err((
            format!("`{src}` is not a path to an image under content/"),
            "write a file name next to the profile (`name.jpg`) or a path under content/ starting with `@/`".into(),
        ));
    }
    let path = base.join(rel_path);
    let content = cfg
        .content_dir
        .canonicalize()
        .unwrap_or_else(|_| cfg.content_dir.clone());
    match path.canonicalize() {
        Ok(real) if real.starts_with(&content) && real.is_file() => Ok(Located {
            shown: cfg.shown(&path),
            path: real,
        }),
        Ok(real) if !real.starts_with(&content) => Err((
            format!("`{src}` leads outside content/"),
            "keep images under content/ (a link that points elsewhere is refused)".into(),
        )),
        _ => Err((
            format!("no image file {}", cfg.shown(&path).display()),
            "put the image next to the profile, or give a path under content/ starting with `@/`"
                .into(),
        )),
    }
}

/// A portrait or logo: its file exists under `content/` in a supported format, and it has
/// alternative text (in every language when given per language), a credit and a licence.
fn picture(
    cfg: &Config,
    src: &SourceFile,
    key: &str,
    p: &Picture,
    svg: bool,
    diags: &mut Vec<Diagnostic>,
) {
    picture_file(cfg, src, key, p, svg, diags);
    picture_texts(cfg, src, key, p, diags);
    picture_focus(src, key, p, diags);
}

/// The picture's file: a format dossier reads, found under `content/`.
fn picture_file(
    cfg: &Config,
    src: &SourceFile,
    key: &str,
    p: &Picture,
    svg: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let ext = Path::new(&p.src)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !format_ok(&ext, svg) {
        let formats = if svg {
            "JPEG, PNG, WebP or SVG"
        } else {
            "JPEG, PNG or WebP"
        };
        diags.push(
            src.diag_at_value(
                key,
                &p.src,
                format!("`{}` is not an image format dossier reads", p.src),
            )
            .with_hint(format!("save the {key} as {formats}")),
        );
    } else if let Err((msg, hint)) = locate(cfg, &src.path, &p.src) {
        diags.push(src.diag_at_value(key, &p.src, msg).with_hint(hint));
    }
}

/// The picture's alternative text, credit and licence: present and not blank, in every
/// language when given per language.
fn picture_texts(
    cfg: &Config,
    src: &SourceFile,
    key: &str,
    p: &Picture,
    diags: &mut Vec<Diagnostic>,
) {
    let required: [(&str, &Option<LocalText>, &str); 3] = [
        (
            "alt",
            &p.alt,
            "say what the image shows, for readers who cannot see it: `alt: {zh: ..., en: ...}`",
        ),
        (
            "credit",
            &p.credit,
            "name the photographer or the source: `credit: ...`",
        ),
        (
            "license",
            &p.license,
            "give the licence the image is used under: `license: CC BY 4.0`",
        ),
    ];
    for (field, value, hint) in required {
        match value {
            None => diags.push(
                src.diag_at_key(key, format!("`{key}` has no `{field}`"))
                    .with_hint(hint),
            ),
            Some(LocalText::Plain(s)) if s.trim().is_empty() => diags.push(
                src.diag_at_value(
                    key,
                    &format!("{field}:"),
                    format!("`{key}.{field}` is empty"),
                )
                .with_hint(hint),
            ),
            Some(LocalText::ByLang(m)) => {
                for lang in &cfg.langs {
                    if m.get(lang).is_none_or(|s| s.trim().is_empty()) {
                        diags.push(
                            src.diag_at_value(
                                key,
                                &format!("{field}:"),
                                format!("`{key}.{field}` has no text for `{lang}`"),
                            )
                            .with_hint(format!("add `{lang}: ...` to `{field}`")),
                        );
                    }
                }
            }
            Some(_) => {}
        }
    }
}

/// The focus point, when given, is inside the picture.
fn picture_focus(src: &SourceFile, key: &str, p: &Picture, diags: &mut Vec<Diagnostic>) {
    if let Some([x, y]) = p.focus {
        if !(0.0..=1.0).contains(&x) || !(0.0..=1.0).contains(&y) {
            diags.push(
                src.diag_at_value(key, "focus:", format!("`focus: [{x}, {y}]` is outside the image"))
                    .with_hint("give the point as fractions of the width and height, each from 0 to 1: `focus: [0.5, 0.3]`"),
            );
        }
    }
}

/// `order` and `several` name a magnitude: the amount must be its power of ten.
fn magnitudes(src: &SourceFile, fm: &Company, diags: &mut Vec<Diagnostic>) {
    let rounds = fm.funding.iter().flatten();
    let amounts = rounds.map(|r| ("funding", r.amount, r.qualifier)).chain(
        fm.funding_total
            .iter()
            .map(|t| ("funding_total", Some(t.amount), t.qualifier)),
    );
    for (key, amount, q) in amounts {
        let name = match q {
            Some(Qualifier::Order) => "order",
            Some(Qualifier::Several) => "several",
            _ => continue,
        };
        if let Some(a) = amount.filter(|a| power_of_ten(*a).is_none()) {
            diags.push(
                src.diag_at_value(key, &format!("qualifier: {name}"), format!("`qualifier: {name}` needs a power of ten as its amount, not {a}"))
                    .with_hint("write the magnitude the source gives: 10000000 for 数千万 or 千万级, 100000000 for 数亿 or 亿级"),
            );
        }
    }
}

fn sources(src: &SourceFile, sources: Option<&[Source]>, diags: &mut Vec<Diagnostic>) {
    for u in sources
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.url.as_deref())
    {
        url(src, "sources", u, diags);
    }
}

fn url(src: &SourceFile, key: &str, url: &str, diags: &mut Vec<Diagnostic>) {
    if !is_web_address(url) {
        diags.push(
            src.diag_at_value(key, url, format!("`{url}` is not a web address"))
                .with_hint("write a full URL starting with https://"),
        );
    }
}

fn city(cfg: &Config, src: &SourceFile, code: Option<&str>, diags: &mut Vec<Diagnostic>) {
    let Some(code) = code else { return };
    if !cfg.cities.contains_key(code) {
        let known: Vec<&str> = cfg.cities.keys().map(String::as_str).collect();
        diags.push(
            src.diag_at_value("city", code, format!("unknown city `{code}`"))
                .with_hint(format!(
                    "add it under `cities:` in site.yaml, or use one of: {}",
                    known.join(", ")
                )),
        );
    }
}
