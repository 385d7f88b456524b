//! The only disk writer: minify, copy static files, and swap the finished site into place.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::render::OutFile;

/// Minifies HTML pages (unless `minify: false`) and adds the theme's static files.
pub fn finish(cfg: &Config, static_dir: &Path, mut files: Vec<OutFile>) -> Result<Vec<OutFile>> {
    if cfg.minify {
        let mcfg = minify_html::Cfg {
            minify_css: true,
            minify_js: true,
            keep_closing_tags: true,
            keep_html_and_head_opening_tags: true,
            ..minify_html::Cfg::default()
        };
        files
            .par_iter_mut()
            .filter(|f| f.path.ends_with(".html"))
            .for_each(|f| f.bytes = minify_html::minify(&f.bytes, &mcfg));
    }
    if static_dir.is_dir() {
        for entry in walkdir::WalkDir::new(static_dir).sort_by_file_name() {
            let entry = entry
                .map_err(|e| Error::Other(format!("cannot read {}: {e}", static_dir.display())))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(static_dir)
                .unwrap_or(entry.path());
            let bytes = std::fs::read(entry.path()).map_err(|source| Error::Read {
                path: entry.path().to_path_buf(),
                source,
            })?;
            files.push(OutFile {
                path: format!("static/{}", rel.to_string_lossy().replace('\\', "/")),
                bytes,
            });
        }
    }
    Ok(files)
}

fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    dir.with_file_name(format!(".{name}.dossier-{tag}-{}", std::process::id()))
}

/// Writes `files` beside `out` and swaps them in only when all are written, so a failed
/// build leaves the previous output exactly as it was.
/// `before_swap` runs on the complete staging directory (the search index is built there).
pub fn atomically(
    cfg: &Config,
    out: &Path,
    files: &[OutFile],
    before_swap: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let root = cfg.root.canonicalize().unwrap_or_else(|_| cfg.root.clone());
    let target = out
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(out.file_name().unwrap_or_default()))
        .unwrap_or_else(|| out.to_path_buf());
    if root.starts_with(&target)
        || target.starts_with(root.join("content"))
        || target.starts_with(root.join("themes"))
    {
        return Err(Error::Other(format!(
            "refusing to write the site into {}: it holds the site's sources",
            out.display()
        )));
    }
    if let Some(parent) = out.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
    }
    let staging = sibling(out, "new");
    let _ = std::fs::remove_dir_all(&staging);
    let result = write_tree(&staging, files)
        .and_then(|()| before_swap(&staging))
        .and_then(|()| swap(out, &staging));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Writes more files into a directory being built.
pub fn add_files(dir: &Path, files: &[OutFile]) -> Result<()> {
    write_tree(dir, files)
}

fn write_tree(dir: &Path, files: &[OutFile]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    files.par_iter().try_for_each(|f| {
        if f.path
            .split('/')
            .any(|seg| seg == ".." || seg.is_empty() && !f.path.is_empty() && f.path.ends_with('/'))
        {
            return Err(Error::Other(format!(
                "refusing to write outside the site: {}",
                f.path
            )));
        }
        let path = dir.join(&f.path);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|source| Error::Write {
                path: p.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, &f.bytes).map_err(|source| Error::Write { path, source })
    })
}

fn swap(out: &Path, staging: &Path) -> Result<()> {
    if out.exists() {
        let old = sibling(out, "old");
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old).map_err(|source| Error::Write {
            path: out.to_path_buf(),
            source,
        })?;
        if let Err(source) = std::fs::rename(staging, out) {
            // Put the previous site back.
            let _ = std::fs::rename(&old, out);
            return Err(Error::Write {
                path: out.to_path_buf(),
                source,
            });
        }
        remove_tree(&old);
    } else {
        std::fs::rename(staging, out).map_err(|source| Error::Write {
            path: out.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

/// Removes a directory tree, its top-level entries in parallel (a 20,000-page site).
fn remove_tree(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.par_iter().for_each(|p| {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}
