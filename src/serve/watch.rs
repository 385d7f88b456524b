//! Watching the site's sources: content, the theme and `site.yaml`, in debounced batches.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::error::{Error, Result};

/// How long events must pause before they are one batch. An editor's save touches one
/// file (and the editor's own temporary files), in events a few milliseconds apart, and
/// should reach the browser well within a tenth of a second: a short pause. A checkout
/// or a generator writing many files is a burst that should make one rebuild, not
/// several: once a batch holds a second file, the pause it waits for is longer.
const QUIET: Duration = Duration::from_millis(20);
const BURST_QUIET: Duration = Duration::from_millis(150);

/// Files editors write beside the one being edited: swap, backup and lock files.
pub fn is_editor_temp(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with(".#")
        || name.starts_with('#')
}

/// A watcher on a site's sources.
pub struct Watch {
    _watcher: RecommendedWatcher,
    rx: Receiver<Vec<PathBuf>>,
}

impl Watch {
    /// Watches `content/`, `themes/` and `site.yaml` under `root` (canonicalized).
    pub fn new(root: &Path) -> Result<Watch> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(ev) = res {
                // Reads (our own rebuilds) must not trigger rebuilds.
                if matches!(
                    ev.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                ) {
                    let _ = tx.send(ev.paths);
                }
            }
        })
        .map_err(|source| Error::Watch {
            path: root.to_path_buf(),
            source,
        })?;
        for t in [
            root.join("content"),
            root.join("themes"),
            root.join("site.yaml"),
        ] {
            if t.exists() {
                let mode = if t.is_dir() {
                    RecursiveMode::Recursive
                } else {
                    RecursiveMode::NonRecursive
                };
                watcher.watch(&t, mode).map_err(|source| Error::Watch {
                    path: t.clone(),
                    source,
                })?;
            }
        }
        Ok(Watch {
            _watcher: watcher,
            rx,
        })
    }

    /// The next batch of changed files (not directories, not editor temp files), waiting
    /// at most `quiet` for one to start (None: as long as it takes). `Ok(None)` when nothing
    /// changed for that long, `Err(())` when the watcher stopped.
    pub fn next(&self, quiet: Option<Duration>) -> std::result::Result<Option<Vec<PathBuf>>, ()> {
        use std::sync::mpsc::RecvTimeoutError;
        let until = quiet.map(|q| std::time::Instant::now() + q);
        loop {
            let first = match until {
                None => self.rx.recv().map_err(|_| ())?,
                Some(t) => match self
                    .rx
                    .recv_timeout(t.saturating_duration_since(std::time::Instant::now()))
                {
                    Ok(first) => first,
                    Err(RecvTimeoutError::Timeout) => return Ok(None),
                    Err(RecvTimeoutError::Disconnected) => return Err(()),
                },
            };
            if let Some(batch) = self.batch(first) {
                return Ok(Some(batch));
            }
        }
    }

    /// The batch that starts with `paths`: everything that follows within the debounce.
    fn batch(&self, mut paths: Vec<PathBuf>) -> Option<Vec<PathBuf>> {
        // Whether the batch holds a second file, noted as events come (a checkout sends
        // thousands: looking at them all again for each would take quadratic time).
        let mut first: Option<PathBuf> = None;
        let mut burst = false;
        let mut seen = 0;
        loop {
            for p in paths[seen..].iter().filter(|p| !is_editor_temp(p)) {
                match &first {
                    None => first = Some(p.clone()),
                    Some(f) => burst |= f != p,
                }
            }
            seen = paths.len();
            match self
                .rx
                .recv_timeout(if burst { BURST_QUIET } else { QUIET })
            {
                Ok(more) => paths.extend(more),
                Err(_) => break,
            }
        }
        paths.sort();
        paths.dedup();
        paths.retain(|p| !p.is_dir() && !is_editor_temp(p));
        (!paths.is_empty()).then_some(paths)
    }
}
