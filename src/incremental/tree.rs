//! Writing an incremental build's site. The new site is made in the spare tree beside the
//! output (`.output.dossier-spare`: the site before the current one, kept by the last
//! build), changing only the files that differ from what the state says it holds, and is
//! then exchanged with the output in one step, as a clean build's staging directory is.
//! The output it replaces becomes the next spare. Files that stand are hard links to the
//! output's (a copy where links fail); nothing is ever written into a file the output
//! holds: a file is replaced by removing it first.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::state::{stamp_of, Stamp, Tree};
use crate::error::{Error, Result};
use crate::output::{Body, SitePath};
use crate::write::{inside, write_err};

/// Where a file of the new site comes from.
pub enum From {
    /// Made by this build: bytes in memory, or a processing-cache file.
    New(Body),
    /// The output's file, which stands.
    Output,
}

/// A file of the new site.
pub struct Target {
    pub path: SitePath,
    pub hash: u128,
    pub from: From,
}

/// The spare tree of an output directory.
pub fn spare_of(out: &Path) -> PathBuf {
    out.with_file_name(format!(".{}.dossier-spare", name(out)))
}

fn name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into())
}

/// Empties the spare (nothing is known of what it holds).
pub fn reset(spare: &Path) -> Result<()> {
    if std::fs::symlink_metadata(spare).is_ok() {
        crate::write::remove_tree(spare);
        let _ = std::fs::remove_file(spare);
    }
    std::fs::create_dir_all(spare).map_err(write_err(spare))
}

/// Puts `targets` in the spare, changing only the files that differ from what `known`
/// says it holds. Returns each file's stamp.
pub fn place_all(
    out: &Path,
    spare: &Path,
    known: Option<&Tree>,
    targets: &[Target],
) -> Result<Vec<(String, Stamp)>> {
    let empty = HashMap::new();
    let had = known.map_or(&empty, |t| &t.files);
    targets
        .par_iter()
        .map(|t| place(out, spare, had.get(t.path.as_str()), t).map(|s| (t.path.to_string(), s)))
        .collect()
}

/// Removes the files of the spare that the new site does not have (`wanted`), then the
/// directories they leave empty.
pub fn prune(spare: &Path, known: Option<&Tree>, wanted: &BTreeSet<&str>) -> Result<()> {
    let Some(known) = known else {
        return Ok(());
    };
    let gone: Vec<&String> = known
        .files
        .keys()
        .filter(|p| !wanted.contains(p.as_str()))
        .collect();
    gone.par_iter().try_for_each(|p| -> Result<()> {
        let path = inside(spare, p)?;
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(write_err(&path)(e)),
            _ => Ok(()),
        }
    })?;
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for p in gone {
        let mut d = Path::new(p.as_str()).parent();
        while let Some(dir) = d.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(dir.to_path_buf());
            d = dir.parent();
        }
    }
    // Deepest first; a directory still holding files stays.
    for d in dirs.iter().rev() {
        let _ = std::fs::remove_dir(spare.join(d));
    }
    Ok(())
}

/// Puts one file in place in the spare (unless it holds it already) and returns its stamp.
fn place(out: &Path, spare: &Path, had: Option<&Stamp>, t: &Target) -> Result<Stamp> {
    let path = inside(spare, t.path.as_str())?;
    if let Some(had) = had.filter(|h| h.hash == t.hash) {
        if let Ok(m) = std::fs::symlink_metadata(&path) {
            if m.is_file() && stamp_of(&m) == (had.len, had.mtime) {
                return Ok(*had);
            }
        }
    }
    // Never into the file: it may be a link to the output's.
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(write_err(p))?;
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory || path.is_dir() => {
            let _ = std::fs::remove_dir_all(&path);
        }
        Err(e) => return Err(write_err(&path)(e)),
        Ok(()) => {}
    }
    match &t.from {
        From::New(Body::Bytes(b)) => {
            std::fs::write(&path, b).map_err(write_err(&path))?;
        }
        From::New(Body::Cached(from)) => {
            std::fs::copy(from, &path).map_err(|source| Error::Read {
                path: from.clone(),
                source,
            })?;
        }
        From::Output => {
            let from = inside(out, t.path.as_str())?;
            if std::fs::hard_link(&from, &path).is_err() {
                std::fs::copy(&from, &path).map_err(|source| Error::Read { path: from, source })?;
            }
        }
    }
    let m = std::fs::symlink_metadata(&path).map_err(write_err(&path))?;
    let (len, mtime) = stamp_of(&m);
    Ok(Stamp {
        hash: t.hash,
        len,
        mtime,
    })
}

/// The output's files that are still those the state holds: the same length and
/// modification time, or (a copy that lost the times, as a CI cache may) the same bytes.
/// The ones a build may take as they are.
pub fn verified(out: &Path, tree: &Tree, paths: &[&str]) -> BTreeSet<String> {
    paths
        .par_iter()
        .filter(|p| {
            let (Some(s), Ok(path)) = (tree.files.get(**p), inside(out, p)) else {
                return false;
            };
            let Ok(m) = std::fs::symlink_metadata(&path) else {
                return false;
            };
            let (len, mtime) = stamp_of(&m);
            m.is_file()
                && len == s.len
                && (mtime == s.mtime
                    || std::fs::read(&path).is_ok_and(|b| Body::hash_of_bytes(&b) == s.hash))
        })
        .map(|p| (*p).to_owned())
        .collect()
}
