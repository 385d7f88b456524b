//! The finish stage: HTML pages minified (a build with `minify: true`) and the theme's
//! static files added.

use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{OutFile, SitePath};

/// The minifier's settings: closing tags and `<html>`/`<head>` kept (some readers and
/// tools expect them), inline CSS and JS minified.
fn settings() -> minify_html::Cfg {
    minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    }
}

/// Minifies the HTML files of `files` in place, in parallel.
pub fn minify(files: &mut [OutFile]) {
    let cfg = settings();
    files
        .par_iter_mut()
        .filter(|f| f.path.is_html())
        .for_each(|f| f.bytes = minify_html::minify(&f.bytes, &cfg));
}

/// The theme's static files, under `static/`.
pub fn static_files(dir: &Path) -> Result<Vec<OutFile>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|source| Error::Walk {
            path: dir.to_path_buf(),
            source,
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let path = format!("static/{}", rel.to_string_lossy().replace('\\', "/"));
        let bytes = std::fs::read(entry.path()).map_err(|source| Error::Read {
            path: entry.path().to_path_buf(),
            source,
        })?;
        files.push(OutFile {
            path: SitePath::new(path).map_err(Error::Internal)?,
            bytes,
        });
    }
    Ok(files)
}

/// Finishes the rendered files for writing: minified when the config says so, with the
/// theme's static files.
pub fn files(cfg: &Config, static_dir: &Path, mut files: Vec<OutFile>) -> Result<Vec<OutFile>> {
    if cfg.minify {
        minify(&mut files);
    }
    files.extend(static_files(static_dir)?);
    Ok(files)
}
