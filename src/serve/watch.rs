//! Watching the site's sources: content, the theme and `site.yaml`, in debounced batches.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::error::{Error, Result};

/// How long a burst of events must be quiet before it is one batch (an atomic save, a
/// 500-file checkout).
const QUIET: Duration = Duration::from_millis(120);

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

    /// The next batch of changed files (not directories, not editor temp files); None
    /// when the watcher stopped.
    pub fn next(&self) -> Option<Vec<PathBuf>> {
        loop {
            let mut paths = self.rx.recv().ok()?;
            while let Ok(more) = self.rx.recv_timeout(QUIET) {
                paths.extend(more);
            }
            paths.sort();
            paths.dedup();
            paths.retain(|p| !p.is_dir() && !is_editor_temp(p));
            if !paths.is_empty() {
                return Some(paths);
            }
        }
    }
}
