//! The only disk writer: the finished site written beside the output directory and
//! swapped into place, so a failed or killed build leaves the previous output exactly as
//! it was.
//!
//! What it will replace: an absent or empty directory, or one holding the marker file
//! [`MARKER`] that every build writes. Anything else (`--output content`, a home
//! directory, a project's `docs/`) is refused before the build starts, as is any output
//! that holds the site's sources or sits inside them.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{Body, OutFile};

/// The file every build writes at the top of its output, and the proof that `build` may
/// replace that directory.
pub const MARKER: &str = ".dossier-output";

pub(crate) const MARKER_TEXT: &str =
    "This directory was written by dossier. `dossier build` replaces it whole.\n";

/// Staging and old-output directories sit beside the output: `.<name>.dossier-<tag>-<pid>`.
pub(crate) fn sibling(dir: &Path, tag: &str, pid: u32) -> PathBuf {
    dir.with_file_name(format!(".{}.dossier-{tag}-{pid}", name_of(dir)))
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into())
}

/// The path with every existing part resolved (symlinks, `..`), the rest appended.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => resolved(parent).join(name),
        (_, Some(name)) => std::env::current_dir()
            .map(|d| d.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}

fn refuse(out: &Path, why: &str, hint: &str) -> Error {
    Error::Usage(format!(
        "refusing to write the site into {}: {why}\n  hint: {hint}",
        out.display()
    ))
}

/// Refuses an output directory that this build must not replace: one that holds the
/// site's sources or sits inside them, a file, or a directory that dossier did not write.
pub fn guard(cfg: &Config) -> Result<()> {
    let out = &cfg.output_dir;
    let target = resolved(out);
    let root = resolved(&cfg.root);
    let pick = "pick another directory with --output, or leave it out to build into output/";
    if root.starts_with(&target) {
        return Err(refuse(out, "it holds the site's sources", pick));
    }
    if target.starts_with(root.join(crate::cache::DIR)) {
        return Err(refuse(
            out,
            &format!("it is inside the processing cache {}", crate::cache::DIR),
            pick,
        ));
    }
    if let Some(git) = target.ancestors().find(|a| is_git_dir(a)) {
        return Err(refuse(
            out,
            &format!(
                "it is inside the git directory {}, which git alone may write",
                git.display()
            ),
            pick,
        ));
    }
    for source in ["content", "themes", "site.yaml"] {
        if target.starts_with(root.join(source)) {
            return Err(refuse(
                out,
                &format!("it is inside the site's {source}"),
                pick,
            ));
        }
    }
    match std::fs::metadata(out) {
        Err(_) => Ok(()),
        Ok(m) if !m.is_dir() => Err(refuse(out, "it is a file, not a directory", pick)),
        Ok(_) if out.join(MARKER).is_file() => Ok(()),
        Ok(_) => {
            let empty = std::fs::read_dir(out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if empty {
                Ok(())
            } else {
                Err(refuse(
                    out,
                    &format!("it is not empty and has no {MARKER} file, so dossier did not write it and a build would delete what it holds"),
                    &format!("{pick}; if it is an old dossier build, delete it yourself first"),
                ))
            }
        }
    }
}

/// Whether `dir` is a git directory: a `.git`, or a bare repository (`HEAD`, `objects/`
/// and `refs/`).
fn is_git_dir(dir: &Path) -> bool {
    dir.file_name().is_some_and(|n| n == ".git")
        || (dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir())
}

/// Writes `files` beside the output directory and swaps them in only when all are
/// written. Staging directories left by killed builds are removed first.
pub fn atomically(cfg: &Config, files: &[OutFile]) -> Result<()> {
    let staging = Staging::begin(cfg)?;
    staging.write(files)?;
    staging.commit()
}

/// A build's new output while it is being written: a directory beside the output that
/// files go into as each stage finishes (so a stage's bytes need not stay in memory until
/// the end), swapped into place by [`Staging::commit`]. Dropped without a commit (a later
/// stage failed), it is removed and the previous output stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates the staging directory, after removing those left by killed builds.
    pub fn begin(cfg: &Config) -> Result<Staging> {
        guard(cfg)?;
        Staging::at(&cfg.output_dir)
    }

    /// [`Staging::begin`] for an output already guarded.
    fn at(out: &Path) -> Result<Staging> {
        if let Some(parent) = out.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(write_err(parent))?;
            }
        }
        remove_stale(out);
        let dir = sibling(out, "new", std::process::id());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(write_err(&dir))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// Writes files into the staging directory, in parallel.
    pub fn write(&self, files: &[OutFile]) -> Result<()> {
        files.par_iter().try_for_each(|f| {
            let path = inside(&self.dir, f.path.as_str())?;
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(write_err(p))?;
            }
            match &f.body {
                Body::Bytes(b) => {
                    std::fs::write(&path, b).map_err(|source| Error::Write { path, source })
                }
                // A copy, not a link: a tool that rewrites the output in place must not change
                // the cache. Linux copies in the kernel (and clones where the file system can).
                Body::Cached(from) => std::fs::copy(from, &path).map(drop).map_err(|source| {
                    // Only another build pruning the same cache removes an entry this build
                    // used.
                    if from.is_file() {
                        Error::Write { path, source }
                    } else {
                        Error::Read {
                            path: from.clone(),
                            source,
                        }
                    }
                }),
            }
        })
    }

    /// Writes the marker and puts the staging directory at the output.
    pub fn commit(mut self) -> Result<()> {
        let marker = self.dir.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(write_err(&marker))?;
        swap(&self.out, &self.dir)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.dir);
        }
    }
}

/// `dir` joined with a site path, refused unless every component is a plain name. A
/// `SitePath` cannot hold anything else; this is the last line of defence.
pub fn inside(dir: &Path, rel: &str) -> Result<PathBuf> {
    use std::path::Component;
    let p = Path::new(rel);
    let plain = !rel.contains(['\\', '\0'])
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(dir.join(p))
    } else {
        Err(Error::Internal(format!(
            "refusing to write {rel:?}: not a plain path inside the output"
        )))
    }
}

pub(crate) fn write_err(out: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: out.to_path_buf(),
        source,
    }
}

/// Puts `staging` at `out`. With a previous output, one atomic exchange where the OS has
/// it (Linux `renameat2(RENAME_EXCHANGE)`): at every instant `out` is the old site or the
/// new one. Elsewhere two renames, with a moment in between when `out` does not exist.
fn swap(out: &Path, staging: &Path) -> Result<()> {
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(staging, out).map_err(write_err(out));
    }
    if exchange(staging, out).map_err(write_err(out))? {
        // `staging` now holds the previous site.
        remove_tree(staging);
        return Ok(());
    }
    let old = sibling(out, "old", std::process::id());
    let _ = std::fs::remove_dir_all(&old);
    std::fs::rename(out, &old).map_err(write_err(out))?;
    if let Err(source) = std::fs::rename(staging, out) {
        // Put the previous site back.
        let _ = std::fs::rename(&old, out);
        return Err(write_err(out)(source));
    }
    remove_tree(&old);
    Ok(())
}

/// Exchanges two paths atomically; `Ok(false)` when the OS or file system cannot.
#[cfg(target_os = "linux")]
pub(crate) fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    // The system call itself, as glibc's renameat2() makes it: the musl that the static
    // release binary links has no renameat2() function.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        // Not supported by this kernel or file system: fall back to two renames.
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Removes staging and old-output directories of this output left by builds that were
/// killed (their process is gone).
pub(crate) fn remove_stale(out: &Path) {
    let Some(parent) = out.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    }) else {
        return;
    };
    let prefix = format!(".{}.dossier-", name_of(out));
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest
            .strip_prefix("new-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid == std::process::id() || !gone(pid, &entry.path()) {
                continue;
            }
            remove_tree(&entry.path());
        }
    }
}

/// Whether the build that owned a staging directory has ended.
fn gone(pid: u32, dir: &Path) -> bool {
    if Path::new("/proc/self").exists() {
        return !Path::new(&format!("/proc/{pid}")).exists();
    }
    // Without /proc: a directory untouched for an hour belongs to no running build.
    dir.metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() > 3600)
}

/// Removes a directory tree, its top-level entries in parallel (a 20,000-page site).
pub(crate) fn remove_tree(dir: &Path) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        let dir = Path::new("/out");
        assert_eq!(
            inside(dir, "en/founders/x/index.html").unwrap(),
            Path::new("/out/en/founders/x/index.html")
        );
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a\\..\\b",
            "a\0b",
        ] {
            assert!(inside(dir, bad).is_err(), "{bad:?}");
        }
    }

    fn file(path: &str, text: &str) -> OutFile {
        OutFile::new(
            crate::output::SitePath::new(path).unwrap(),
            text.as_bytes().to_vec(),
        )
    }

    #[test]
    fn staged_files_appear_together_and_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let first = Staging::at(&out).unwrap();
        first.write(&[file("index.html", "old")]).unwrap();
        first.commit().unwrap();

        // A build that fails after its pages were staged: the output keeps the old site
        // and the staging directory goes.
        let failed = Staging::at(&out).unwrap();
        failed.write(&[file("index.html", "new")]).unwrap();
        drop(failed);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{left:?}");

        // Files written in two steps (pages, then the search index) land together.
        let ok = Staging::at(&out).unwrap();
        ok.write(&[file("index.html", "new")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        ok.write(&[file("pagefind/x.pf_meta", "index")]).unwrap();
        ok.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(out.join("pagefind/x.pf_meta").is_file() && out.join(MARKER).is_file());
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }
}
