//! `dossier new KIND SLUG` (skeletons from the theme's archetypes) and `dossier schema`.

use std::path::{Path, PathBuf};

use crate::config::{Config, Options};
use crate::content::{self, Kind, Slug};
use crate::error::{Error, Result};

/// Writes one skeleton per language, or with `lang` the one missing translation of an
/// existing profile; refuses to overwrite anything.
pub fn run(root: &Path, kind: &str, slug: &str, lang: Option<&str>) -> Result<Vec<PathBuf>> {
    let kind = Kind::from_name(kind).ok_or_else(|| {
        Error::Usage(format!(
            "unknown kind `{kind}`: use founder, company, sector, employer or page"
        ))
    })?;
    let slug = Slug::parse(slug).map_err(Error::Usage)?;
    let cfg = Config::load(&Options {
        root: root.to_path_buf(),
        ..Options::default()
    })?;
    let dir = cfg.content_dir.join(kind.section());
    let default = &cfg.langs[0];
    let original = [
        dir.join(format!("{slug}.{default}.md")),
        dir.join(format!("{slug}.md")),
    ]
    .into_iter()
    .find(|p| p.exists());
    let new = New {
        root,
        cfg: &cfg,
        kind,
        slug: &slug,
        dir,
        original,
    };
    let mut planned = Vec::new();
    for lang in new.langs(lang)? {
        planned.push(new.skeleton(lang)?);
    }
    new.write(planned)
}

/// One `dossier new`: the profile asked for and where its files go.
struct New<'a> {
    root: &'a Path,
    cfg: &'a Config,
    kind: Kind,
    slug: &'a Slug,
    /// `content/<section>/`.
    dir: PathBuf,
    /// The default-language file, when the profile exists.
    original: Option<PathBuf>,
}

impl New<'_> {
    /// A path as shown to users: relative to the site root.
    fn shown(&self, p: &Path) -> String {
        p.strip_prefix(self.root).unwrap_or(p).display().to_string()
    }

    /// The languages to write: every one, or `lang` alone (a translation of an existing
    /// profile, or the original).
    fn langs(&self, lang: Option<&str>) -> Result<Vec<&String>> {
        let (cfg, slug, kind) = (self.cfg, self.slug, self.kind);
        let default = &cfg.langs[0];
        let Some(l) = lang else {
            return Ok(cfg.langs.iter().collect());
        };
        let Some(l) = cfg.langs.iter().find(|x| x.as_str() == l) else {
            return Err(Error::Usage(format!(
                "unknown language `{l}`: site.yaml has {}",
                cfg.langs.join(", ")
            )));
        };
        if l != default && self.original.is_none() {
            return Err(Error::Usage(format!(
                "no {} `{slug}` to translate: {} does not exist; create the profile with `dossier new {} {slug}`",
                kind.name(),
                self.shown(&self.dir.join(format!("{slug}.{default}.md"))),
                kind.name()
            )));
        }
        Ok(vec![l])
    }

    /// The file of `lang` and its text from the theme's archetype; an error when the
    /// file (or, for the default language, the original under any name) exists.
    fn skeleton(&self, lang: &str) -> Result<(PathBuf, String)> {
        let (cfg, slug, kind) = (self.cfg, self.slug, self.kind);
        let default = &cfg.langs[0];
        let target = self.dir.join(format!("{slug}.{lang}.md"));
        let existing = if target.exists() {
            Some(target.clone())
        } else if lang == default {
            self.original.clone()
        } else {
            None
        };
        if let Some(existing) = existing {
            let missing: Vec<&String> = cfg
                .langs
                .iter()
                .filter(|l| *l != default && !self.dir.join(format!("{slug}.{l}.md")).exists())
                .collect();
            let hint = match missing.first() {
                Some(l) => format!(
                    "; to add its missing {l} translation: `dossier new {} {slug} --lang {l}`",
                    kind.name()
                ),
                None => String::new(),
            };
            return Err(Error::Usage(format!(
                "{} already exists; not overwriting it{hint}",
                self.shown(&existing)
            )));
        }
        let archetype = cfg
            .theme_dir
            .join("archetypes")
            .join(format!("{}.{lang}.md", kind.name()));
        let text = std::fs::read_to_string(&archetype).map_err(|source| Error::Read {
            path: archetype.clone(),
            source,
        })?;
        Ok((target, text.replace("__SLUG__", slug.as_str())))
    }

    /// Writes the files, once every one is known not to exist; returns their shown paths.
    fn write(&self, planned: Vec<(PathBuf, String)>) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(&self.dir).map_err(|source| Error::Write {
            path: self.dir.clone(),
            source,
        })?;
        let mut written = Vec::new();
        for (path, text) in planned {
            std::fs::write(&path, text).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
            written.push(
                path.strip_prefix(self.root)
                    .map(Path::to_path_buf)
                    .unwrap_or(path),
            );
        }
        Ok(written)
    }
}

/// The JSON Schema of one kind's front matter, or of all kinds keyed by name.
pub fn schema(kind: Option<&str>) -> Result<String> {
    let one = |k: Kind| -> serde_json::Value {
        let s = match k {
            Kind::Founder => schemars::schema_for!(content::Founder),
            Kind::Company => schemars::schema_for!(content::Company),
            Kind::Sector => schemars::schema_for!(content::Sector),
            Kind::Employer => schemars::schema_for!(content::Employer),
            Kind::Page => schemars::schema_for!(content::Page),
        };
        s.to_value()
    };
    let value = match kind {
        Some(k) => one(Kind::from_name(k).ok_or_else(|| {
            Error::Usage(format!(
                "unknown kind `{k}`: use founder, company, sector, employer or page"
            ))
        })?),
        None => serde_json::Value::Object(
            Kind::ALL
                .iter()
                .map(|k| (k.name().to_owned(), one(*k)))
                .collect(),
        ),
    };
    serde_json::to_string_pretty(&value).map_err(|e| Error::Internal(e.to_string()))
}
