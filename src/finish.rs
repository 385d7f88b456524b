//! The finish stage: HTML pages compacted (a build with `minify: true`) and the theme's
//! static files added.
//!
//! Compacting removes what the templates' layout adds: the indentation at the start of
//! each line and blank lines, outside `<pre>`, `<textarea>`, `<script>` and `<style>`,
//! whose text is kept byte for byte. It never changes what a browser renders (a line
//! break between words still renders as a space) and runs in one pass over the bytes. A
//! full minifier (minify-html: quotes, optional tags) saves about 3 % more after gzip on
//! this theme's pages, at 16 to 36 times the cost (README, "Dependencies";
//! `scripts/minify-compare`).

use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{Body, OutFile, SitePath};

/// Elements whose text is kept as written.
const RAW: [&[u8]; 4] = [b"pre", b"textarea", b"script", b"style"];

/// Whether `html[at..]` starts the tag `<name` or `</name` (any case), ended by `>`,
/// whitespace or `/`.
fn tag_at(html: &[u8], at: usize, name: &[u8], closing: bool) -> bool {
    let open = if closing { 2 } else { 1 };
    let end = at + open + name.len();
    end < html.len()
        && html[at] == b'<'
        && (!closing || html[at + 1] == b'/')
        && html[at + open..end].eq_ignore_ascii_case(name)
        && matches!(html[end], b'>' | b' ' | b'\t' | b'\n' | b'/')
}

/// The line `line` (from `start` in `html`) updates which raw element is open.
fn track(html: &[u8], start: usize, line: &[u8], raw: &mut Option<&'static [u8]>) {
    for (i, &b) in line.iter().enumerate() {
        if b != b'<' {
            continue;
        }
        let at = start + i;
        match raw {
            Some(name) => {
                if tag_at(html, at, name, true) {
                    *raw = None;
                }
            }
            None => *raw = RAW.into_iter().find(|n| tag_at(html, at, n, false)),
        }
    }
}

/// Removes leading indentation and blank lines outside raw-text elements.
pub fn compact(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    let mut raw: Option<&'static [u8]> = None;
    let mut start = 0;
    while start < html.len() {
        let end = html[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(html.len(), |i| start + i + 1);
        let line = &html[start..end];
        if raw.is_some() {
            out.extend_from_slice(line);
        } else {
            let trimmed = &line[line
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count()..];
            if trimmed != b"\n" && !trimmed.is_empty() {
                out.extend_from_slice(trimmed);
            }
        }
        track(html, start, line, &mut raw);
        start = end;
    }
    out
}

/// Compacts the HTML files of `files` in place, in parallel.
pub fn minify(files: &mut [OutFile]) {
    files
        .par_iter_mut()
        .filter(|f| f.path.is_html())
        .for_each(|f| {
            if let Body::Bytes(b) = &mut f.body {
                *b = page(b);
            }
        });
}

#[cfg(not(feature = "minify-html"))]
use compact as page;

/// With `--features minify-html`, for `scripts/minify-compare` only: the full minifier the
/// design named, in its spec-compliant mode (optional tags omitted, CSS minified, JSON-LD
/// kept as written).
#[cfg(feature = "minify-html")]
fn page(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
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
        files.push(OutFile::new(
            SitePath::new(path).map_err(Error::Internal)?,
            bytes,
        ));
    }
    Ok(files)
}

/// Finishes the rendered files for writing: compacted when the config says so, with the
/// theme's static files.
pub fn files(cfg: &Config, static_dir: &Path, mut files: Vec<OutFile>) -> Result<Vec<OutFile>> {
    if cfg.minify {
        minify(&mut files);
    }
    files.extend(static_files(static_dir)?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        String::from_utf8(compact(s.as_bytes())).unwrap()
    }

    #[test]
    fn indentation_and_blank_lines_go() {
        assert_eq!(
            run("<ul>\n    <li>a</li>\n\n\t<li>b</li>\n</ul>\n"),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
    }

    #[test]
    fn raw_text_is_kept_byte_for_byte() {
        let code = "<pre class=\"hl\"><code>fn main() {\n    let x = 1;\n\n    x\n}\n</code></pre>\n  <p>after</p>\n";
        assert_eq!(run(code), "<pre class=\"hl\"><code>fn main() {\n    let x = 1;\n\n    x\n}\n</code></pre>\n<p>after</p>\n");
        let script = "<SCRIPT type=\"application/ld+json\">\n  {\"a\": 1}\n</script>\n  <x>";
        assert_eq!(
            run(script),
            "<SCRIPT type=\"application/ld+json\">\n  {\"a\": 1}\n</script>\n<x>"
        );
        // A tag name that only starts like a raw element's does not open one.
        assert_eq!(run("<prefix>\n  a\n"), "<prefix>\na\n");
        assert_eq!(
            run("<textarea>\n  a\n</textarea>"),
            "<textarea>\n  a\n</textarea>"
        );
    }
}
