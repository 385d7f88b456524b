//! `dossier init DIR`: a new site from the copies compiled into the binary: `site.yaml`,
//! the default theme, one example profile per kind in every language, `.gitignore`, the
//! GitHub Pages workflow and the correction form.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::error::{Error, Result};

/// The default theme, as this binary was built with it.
static THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The rest of a new site (`skeleton/` in dossier's repository): `gitignore` is written as
/// `.gitignore` and `github/` as `.github/`.
static SKELETON: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/skeleton");

/// The issue form behind "Report a correction", the same as dossier's own.
const CORRECTION_FORM: &str = include_str!("../.github/ISSUE_TEMPLATE/correction.yml");

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Init {
    /// The new site's root.
    pub dir: PathBuf,
    /// Every file written, relative to the root, sorted.
    pub files: Vec<PathBuf>,
}

/// Writes a new site into `dir`, which must be absent or empty (a `.git` alone is
/// allowed: a repository just made with `git init` or cloned empty).
pub fn run(dir: &Path) -> Result<Init> {
    refuse_unless_empty(dir)?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    collect(&THEME, Path::new("themes/default"), &mut files);
    let mut skeleton = Vec::new();
    collect(&SKELETON, Path::new(""), &mut skeleton);
    for (path, bytes) in skeleton {
        let path = rename(&path);
        // The workflow installs, and site.yaml requires, the version that wrote the site.
        let versioned = [".github/workflows/pages.yml", "site.yaml"];
        let bytes = if versioned.iter().any(|v| path == Path::new(v)) {
            String::from_utf8_lossy(&bytes)
                .replace("__DOSSIER_VERSION__", env!("CARGO_PKG_VERSION"))
                .into_bytes()
        } else {
            bytes
        };
        files.push((path, bytes));
    }
    files.push((
        PathBuf::from(".github/ISSUE_TEMPLATE/correction.yml"),
        CORRECTION_FORM.as_bytes().to_vec(),
    ));
    files.sort();
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, bytes).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(Init {
        dir: dir.to_path_buf(),
        files: files.into_iter().map(|(p, _)| p).collect(),
    })
}

/// A usage error (exit 2) unless `dir` is absent, or a directory with nothing in it but
/// `.git`.
fn refuse_unless_empty(dir: &Path) -> Result<()> {
    let shown = dir.display();
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() && !dir.is_dir() => Err(Error::Usage(format!(
            "{shown} is a file: `dossier init` writes a new site into a new or empty directory"
        ))),
        Err(source) => Err(Error::Read {
            path: dir.to_path_buf(),
            source,
        }),
        Ok(entries) => {
            let mut found: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".git")
                .collect();
            if found.is_empty() {
                return Ok(());
            }
            found.sort();
            let more = if found.len() > 3 {
                format!(" and {} more", found.len() - 3)
            } else {
                String::new()
            };
            found.truncate(3);
            Err(Error::Usage(format!(
                "{shown} is not empty (it holds {}{more}): `dossier init` writes a new site only into a new or empty directory, so that it overwrites nothing; choose another directory",
                found.join(", ")
            )))
        }
    }
}

/// Every file under `d`, as (path under `prefix`, bytes).
fn collect(d: &Dir<'_>, prefix: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for f in d.files() {
        out.push((prefix.join(f.path()), f.contents().to_vec()));
    }
    for sub in d.dirs() {
        collect(sub, prefix, out);
    }
}

/// A skeleton path as the new site names it.
fn rename(p: &Path) -> PathBuf {
    if p == Path::new("gitignore") {
        return PathBuf::from(".gitignore");
    }
    match p.strip_prefix("github") {
        Ok(rest) => Path::new(".github").join(rest),
        Err(_) => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skeleton_names_its_dot_files_as_a_site_does() {
        assert_eq!(rename(Path::new("gitignore")), Path::new(".gitignore"));
        assert_eq!(
            rename(Path::new("github/workflows/pages.yml")),
            Path::new(".github/workflows/pages.yml")
        );
        assert_eq!(
            rename(Path::new("content/founders/a.zh.md")),
            Path::new("content/founders/a.zh.md")
        );
    }

    #[test]
    fn the_embedded_theme_has_its_templates_strings_and_archetypes() {
        for f in [
            "templates/base.html",
            "i18n/zh.yaml",
            "i18n/en.yaml",
            "archetypes/founder.zh.md",
            "static/style.css",
            "theme.yaml",
        ] {
            assert!(THEME.get_file(f).is_some(), "{f}");
        }
    }
}
