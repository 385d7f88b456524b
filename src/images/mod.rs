//! The images stage: every portrait (`photo:`) and logo (`logo:`) the content names,
//! decoded, turned upright (EXIF orientation), cropped around its focus point, resized to
//! the widths the theme asks for and written as WebP with a JPEG (or, with transparency,
//! PNG) fallback; SVG logos re-written without scripts or external references. Nothing
//! of the source's metadata (EXIF, GPS) survives: every output is encoded from pixels.
//!
//! File names carry the hash of what made them (`images/<hash>-<width>.webp`), and the
//! results are kept in the processing cache, so an unchanged image is processed once.
//! The dev server passes the previous run's results and the image files that changed:
//! only those are processed again.

pub mod budget;
mod outcome;
mod raster;
pub mod svg;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::Cache;
use crate::config::Config;
use crate::content::checks::{locate, Located};
use crate::content::{Picture, SourceFile};
use crate::error::{Error, Result};
use crate::output::{OutFile, SitePath};
use crate::render::theme::{ImageSizes, Theme};
use crate::resolve::Site;
pub(crate) use outcome::WARNING;
pub use outcome::{Encoded, Failed};

/// Bumped when processing changes, so that cached results of older code are not used.
const VERSION: &[u8] = b"dossier-images-2";

/// What an image is shown as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Portrait,
    Logo,
}

/// One processed image, ready for a template.
#[derive(Debug, Clone, PartialEq)]
pub struct Processed {
    /// The source as shown to users (`content/founders/x.jpg`): what a page depends on.
    pub shown: PathBuf,
    /// Size of the largest file (the fallback `src`), for `width` and `height`.
    pub width: u32,
    pub height: u32,
    /// URL of the largest fallback file.
    pub src: String,
    /// `url 96w, url 192w, ...` of the fallback files (empty for SVG).
    pub srcset: String,
    /// The same widths as WebP (empty for SVG).
    pub srcset_webp: String,
    /// MIME type of the fallback: image/jpeg, image/png or image/svg+xml.
    pub mime: &'static str,
    /// The files to write.
    pub files: Vec<OutFile>,
    /// What is wrong with the source but does not stop the build (text a logo's fonts
    /// cannot draw).
    pub warnings: Vec<String>,
}

/// What is asked of one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Job {
    file: Located,
    role: Role,
    /// The focus point, in thousandths.
    focus: Option<(u16, u16)>,
}

/// Every image of the site, per profile.
#[derive(Debug, Clone, Default)]
pub struct Images {
    by_job: HashMap<Job, Arc<Processed>>,
    /// Founder `i`'s portrait.
    pub founders: Vec<Option<Arc<Processed>>>,
    /// Company `i`'s logo.
    pub companies: Vec<Option<Arc<Processed>>>,
    /// Each source's warnings, at its `photo:` or `logo:` line.
    pub warnings: Vec<crate::error::Diagnostic>,
}

impl Images {
    /// Every file to write, once each.
    pub fn files(&self) -> Vec<OutFile> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for p in self.by_job.values() {
            for f in &p.files {
                if seen.insert(f.path.clone()) {
                    out.push(f.clone());
                }
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// How many source images the site shows.
    pub fn count(&self) -> usize {
        self.by_job.len()
    }
}

/// A profile's picture, where it is written.
struct Wanted<'a> {
    src: &'a SourceFile,
    key: &'static str,
    picture: &'a Picture,
    job: Option<Job>,
}

/// Processes every picture of the site. `prev` and `changed` (the dev server): results of
/// the previous run are kept for sources not in `changed`.
pub fn process(
    cfg: &Config,
    site: &Site,
    theme: &Theme,
    cache: &Cache,
    prev: Option<&Images>,
    changed: &HashSet<PathBuf>,
) -> Result<Images> {
    let c = &site.content;
    let wanted = wanted(cfg, site);
    let mut jobs: Vec<Job> = wanted
        .iter()
        .filter_map(|(_, _, w)| w.job.clone())
        .collect();
    jobs.sort_by(|a, b| a.file.cmp(&b.file));
    jobs.dedup();
    let (by_job, failed) = process_jobs(cfg, theme, cache, jobs, prev, changed);
    let mut diags = Vec::new();
    let mut images = Images {
        founders: vec![None; c.founders.len()],
        companies: vec![None; c.companies.len()],
        by_job: HashMap::new(),
        warnings: Vec::new(),
    };
    for (role, i, w) in &wanted {
        let Some(job) = &w.job else {
            // A missing or misplaced file: reported when the content was loaded.
            continue;
        };
        if let Some(Failed { message: msg, hint }) = failed.get(job) {
            diags.push(
                w.src
                    .diag_at_value(w.key, &w.picture.src, msg.clone())
                    .with_hint(hint.clone()),
            );
            continue;
        }
        let slot = match role {
            Role::Portrait => &mut images.founders[*i],
            Role::Logo => &mut images.companies[*i],
        };
        *slot = by_job.get(job).cloned();
        for msg in slot.iter().flat_map(|p| &p.warnings) {
            images.warnings.push(
                w.src
                    .diag_at_value(w.key, &w.picture.src, msg.clone())
                    .with_hint("install a font that has these characters (fonts-noto-cjk for Chinese), or turn the text into paths in the editor")
                    .warning(),
            );
        }
    }
    if !diags.is_empty() {
        return Err(Error::Diagnostics(diags));
    }
    images.by_job = by_job;
    Ok(images)
}

/// Every picture the content names: founders' portraits, then companies' logos, with
/// the index of the profile that shows it.
fn wanted<'a>(cfg: &Config, site: &'a Site) -> Vec<(Role, usize, Wanted<'a>)> {
    let c = &site.content;
    let mut wanted = Vec::new();
    for (i, e) in c.founders.iter().enumerate() {
        let o = e.original();
        if let Some(p) = &o.fm.photo {
            wanted.push((
                Role::Portrait,
                i,
                wanted_of(cfg, &o.src, "photo", p, Role::Portrait),
            ));
        }
    }
    for (i, e) in c.companies.iter().enumerate() {
        let o = e.original();
        if let Some(p) = &o.fm.logo {
            wanted.push((Role::Logo, i, wanted_of(cfg, &o.src, "logo", p, Role::Logo)));
        }
    }
    wanted
}

/// Processes each job once, in parallel, keeping the previous run's result of a source
/// that did not change: what was made, and why the others failed.
fn process_jobs(
    cfg: &Config,
    theme: &Theme,
    cache: &Cache,
    jobs: Vec<Job>,
    prev: Option<&Images>,
    changed: &HashSet<PathBuf>,
) -> (HashMap<Job, Arc<Processed>>, HashMap<Job, Failed>) {
    let results: Vec<(Job, std::result::Result<Arc<Processed>, Failed>)> = jobs
        .into_par_iter()
        .map(|job| {
            let kept = prev
                .filter(|_| !changed.contains(&job.file.path))
                .and_then(|p| p.by_job.get(&job).cloned());
            let r = match kept {
                Some(p) => Ok(p),
                None => one(cfg, theme, cache, &job).map(Arc::new),
            };
            (job, r)
        })
        .collect();
    let mut by_job = HashMap::new();
    let mut failed = HashMap::new();
    for (job, r) in results {
        match r {
            Ok(p) => {
                by_job.insert(job, p);
            }
            Err(e) => {
                failed.insert(job, e);
            }
        }
    }
    (by_job, failed)
}

fn wanted_of<'a>(
    cfg: &Config,
    src: &'a SourceFile,
    key: &'static str,
    picture: &'a Picture,
    role: Role,
) -> Wanted<'a> {
    let job = locate(cfg, &src.path, &picture.src).ok().map(|file| Job {
        file,
        role,
        focus: picture.focus.map(|[x, y]| {
            (
                (x.clamp(0.0, 1.0) * 1000.0) as u16,
                (y.clamp(0.0, 1.0) * 1000.0) as u16,
            )
        }),
    });
    Wanted {
        src,
        key,
        picture,
        job,
    }
}

/// Processes one source, through the cache.
fn one(
    cfg: &Config,
    theme: &Theme,
    cache: &Cache,
    job: &Job,
) -> std::result::Result<Processed, Failed> {
    let budget = budget::Budget::DEFAULT;
    let cannot = |e: std::io::Error| {
        Failed::new(
            format!("cannot read {}: {e}", job.file.shown.display()),
            "check the file's permissions".to_owned(),
        )
    };
    // A file over the budget is not read at all.
    budget.input(std::fs::metadata(&job.file.path).map_err(cannot)?.len() as usize)?;
    let bytes = std::fs::read(&job.file.path).map_err(cannot)?;
    let sizes = match job.role {
        Role::Portrait => &theme.config.portrait,
        Role::Logo => &theme.config.logo,
    };
    let is_svg = job
        .file
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let params = format!("{:?} {:?} {:?} {is_svg}", job.role, sizes, job.focus);
    let key = crate::cache::key(&[VERSION, params.as_bytes(), &bytes]);
    let outputs = match cache.get("images", &key).and_then(|b| raster::unpack(&b)) {
        Some(o) => o,
        None => {
            // On a thread of its own, so that the time budget holds.
            let (sizes, focus) = (sizes.clone(), job.focus);
            let o = budget.timed(move || {
                if is_svg {
                    svg::logo(&bytes, &sizes, &budget)
                } else {
                    raster::variants(&bytes, &sizes, focus, &budget)
                }
            })?;
            cache.put("images", &key, &raster::pack(&o));
            o
        }
    };
    Ok(finish(cfg, &job.file.shown, &key, outputs))
}

/// The fuzz target's way in (`crate::fuzz::image`): one source's bytes through the
/// raster pipeline (a square crop at two small widths) and through the SVG one, within
/// the default budget, its time cut to 8 s (under the fuzzer's timeout). Returns every
/// file made.
pub(crate) fn fuzz_source(bytes: &[u8]) -> Vec<Encoded> {
    let budget = budget::Budget {
        time: std::time::Duration::from_secs(8),
        ..budget::Budget::DEFAULT
    };
    let sizes = ImageSizes {
        widths: vec![24, 48],
        ratio: Some(1.0),
    };
    let mut out = Vec::new();
    let (raster_bytes, raster_sizes) = (bytes.to_vec(), sizes.clone());
    if let Ok(o) = budget
        .timed(move || raster::variants(&raster_bytes, &raster_sizes, Some((300, 700)), &budget))
    {
        out.extend(o);
    }
    let svg_bytes = bytes.to_vec();
    if let Ok(o) = budget.timed(move || svg::logo(&svg_bytes, &sizes, &budget)) {
        out.extend(o);
    }
    out
}

/// Names the files and writes the `srcset` lists.
fn finish(cfg: &Config, shown: &std::path::Path, key: &str, outputs: Vec<Encoded>) -> Processed {
    let stem = &key[..16];
    let mut files = Vec::new();
    let mut fallback: Vec<(u32, String)> = Vec::new();
    let mut webp: Vec<(u32, String)> = Vec::new();
    let (mut width, mut height, mut mime) = (0, 0, "image/jpeg");
    let mut warnings = Vec::new();
    for o in outputs {
        if o.ext == WARNING {
            warnings.push(String::from_utf8_lossy(&o.bytes).into_owned());
            continue;
        }
        let name = if o.ext == "svg" {
            format!("images/{stem}.svg")
        } else {
            format!("images/{stem}-{}.{}", o.width, o.ext)
        };
        let url = cfg.base.link(&name);
        if o.ext == "webp" {
            webp.push((o.width, url));
        } else {
            if o.width >= width {
                width = o.width;
                height = o.height;
            }
            mime = match o.ext.as_str() {
                "png" => "image/png",
                "svg" => "image/svg+xml",
                _ => "image/jpeg",
            };
            fallback.push((o.width, url));
        }
        if let Ok(path) = SitePath::new(name) {
            files.push(OutFile::new(path, o.bytes));
        }
    }
    fallback.sort();
    webp.sort();
    let list = |v: &[(u32, String)]| {
        v.iter()
            .map(|(w, u)| format!("{u} {w}w"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let svg = mime == "image/svg+xml";
    Processed {
        shown: shown.to_path_buf(),
        width,
        height,
        src: fallback.last().map(|(_, u)| u.clone()).unwrap_or_default(),
        srcset: if svg { String::new() } else { list(&fallback) },
        srcset_webp: list(&webp),
        mime,
        files,
        warnings,
    }
}
