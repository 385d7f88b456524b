//! `dossier new KIND SLUG` (skeletons from the theme's archetypes) and `dossier schema`.

use std::path::{Path, PathBuf};

use crate::config::{Config, Options};
use crate::content::{self, Kind, Slug};
use crate::error::{Error, Result};

/// Writes one skeleton per language; refuses to overwrite anything.
pub fn run(root: &Path, kind: &str, slug: &str) -> Result<Vec<PathBuf>> {
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
    let mut planned = Vec::new();
    for lang in &cfg.langs {
        let target = dir.join(format!("{slug}.{lang}.md"));
        let bare = dir.join(format!("{slug}.md"));
        if target.exists() || (lang == &cfg.langs[0] && bare.exists()) {
            let existing = if target.exists() { target } else { bare };
            return Err(Error::Usage(format!(
                "{} already exists; not overwriting it",
                existing.strip_prefix(root).unwrap_or(&existing).display()
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
        planned.push((target, text.replace("__SLUG__", slug.as_str())));
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    let mut written = Vec::new();
    for (path, text) in planned {
        std::fs::write(&path, text).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        written.push(
            path.strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or(path),
        );
    }
    Ok(written)
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
