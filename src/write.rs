//! The only disk writer: the finished site written beside the output directory and
//! swapped into place, so a failed build leaves the previous output exactly as it was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::OutFile;

fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    dir.with_file_name(format!(".{name}.dossier-{tag}-{}", std::process::id()))
}

/// Refuses an output directory that holds or sits inside the site's sources.
pub fn guard(cfg: &Config) -> Result<()> {
    let out = &cfg.output_dir;
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
        return Err(Error::Usage(format!(
            "refusing to write the site into {}: it holds the site's sources",
            out.display()
        )));
    }
    Ok(())
}

/// Writes `files` beside the output directory and swaps them in only when all are
/// written.
pub fn atomically(cfg: &Config, files: &[OutFile]) -> Result<()> {
    guard(cfg)?;
    let out = &cfg.output_dir;
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
    let result = write_tree(&staging, files).and_then(|()| swap(out, &staging));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_tree(dir: &Path, files: &[OutFile]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    files.par_iter().try_for_each(|f| {
        // A `SitePath` has no empty, `.` or `..` segment and is relative: joined to the
        // staging directory it stays inside it.
        let path = dir.join(f.path.as_str());
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
