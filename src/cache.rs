//! The processing cache: resized images and share cards kept between builds in
//! `.dossier-cache/` at the site root (a directory CI can keep, as Hugo keeps
//! `resources/`; git ignores it). An entry's key
//! is a hash of everything that decides its bytes (the source's hash and the parameters),
//! so an entry never needs invalidating; a build removes the entries it did not use.
//!
//! The cache is an optimisation: a file that cannot be read or written is treated as a
//! miss, never as an error.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The directory under the site root.
pub const DIR: &str = ".dossier-cache";

/// A key: the hex of a BLAKE3 hash of the inputs, 32 characters.
pub fn key(parts: &[&[u8]]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().to_hex()[..32].to_owned()
}

/// The cache of one site.
#[derive(Debug)]
pub struct Cache {
    /// None: no cache (every lookup misses, nothing is written).
    dir: Option<PathBuf>,
    used: Mutex<HashSet<PathBuf>>,
    /// The group directories this run has made (or found), so that storing an entry costs
    /// no `mkdir` and `stat` after the first.
    made: Mutex<HashSet<PathBuf>>,
    /// Lookups per group: (found, missed). A miss is an entry this run made.
    stats: Mutex<BTreeMap<String, (usize, usize)>>,
}

impl Cache {
    /// The cache at `<root>/.dossier-cache`.
    pub fn at(root: &Path) -> Cache {
        Cache {
            dir: Some(root.join(DIR)),
            used: Mutex::new(HashSet::new()),
            made: Mutex::new(HashSet::new()),
            stats: Mutex::new(BTreeMap::new()),
        }
    }

    /// A cache that keeps nothing.
    pub fn none() -> Cache {
        Cache {
            dir: None,
            used: Mutex::new(HashSet::new()),
            made: Mutex::new(HashSet::new()),
            stats: Mutex::new(BTreeMap::new()),
        }
    }

    fn path(&self, group: &str, key: &str) -> Option<PathBuf> {
        let p = self.dir.as_ref()?.join(group).join(key);
        if let Ok(mut used) = self.used.lock() {
            used.insert(p.clone());
        }
        Some(p)
    }

    /// The bytes stored under `group/key`, if any.
    pub fn get(&self, group: &str, key: &str) -> Option<Vec<u8>> {
        let found = self.path(group, key).and_then(|p| std::fs::read(p).ok());
        self.count(group, found.is_some());
        found
    }

    /// The file stored under `group/key`, if there is one (a lookup, as [`Cache::get`],
    /// that leaves the bytes on disk).
    pub fn file(&self, group: &str, key: &str) -> Option<PathBuf> {
        let found = self.path(group, key).filter(|p| p.is_file());
        self.count(group, found.is_some());
        found
    }

    fn count(&self, group: &str, found: bool) {
        if let Ok(mut stats) = self.stats.lock() {
            let s = stats.entry(group.to_owned()).or_default();
            if found {
                s.0 += 1;
            } else {
                s.1 += 1;
            }
        }
    }

    /// Per group, how many lookups found an entry and how many missed (and so made one):
    /// `[("cards", 0, 12), ("images", 3, 0)]`.
    pub fn stats(&self) -> Vec<(String, usize, usize)> {
        self.stats
            .lock()
            .map(|s| s.iter().map(|(g, (h, m))| (g.clone(), *h, *m)).collect())
            .unwrap_or_default()
    }

    /// Stores bytes under `group/key` (written beside, then renamed into place, so a reader
    /// never sees half an entry, and an entry once written never changes); the entry's
    /// file, unless it could not be written.
    pub fn put(&self, group: &str, key: &str, bytes: &[u8]) -> Option<PathBuf> {
        let p = self.path(group, key)?;
        let dir = p.parent()?;
        // The group's directory is made once a run; if it has gone since (removed while
        // `serve` runs), storing fails and it is made again.
        if self.made.lock().is_ok_and(|m| m.contains(dir)) && store(dir, key, bytes, &p) {
            return Some(p);
        }
        std::fs::create_dir_all(dir).ok()?;
        if let Ok(mut m) = self.made.lock() {
            m.insert(dir.to_owned());
        }
        store(dir, key, bytes, &p).then_some(p)
    }

    /// Removes the entries of `groups` that this run did not use (after a build, so the
    /// cache holds what the site needs and no more).
    pub fn prune(&self, groups: &[&str]) {
        let (Some(dir), Ok(used)) = (&self.dir, self.used.lock()) else {
            return;
        };
        for g in groups {
            let Ok(entries) = std::fs::read_dir(dir.join(g)) else {
                continue;
            };
            for e in entries.flatten() {
                if !used.contains(&e.path()) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
}

/// Writes `bytes` to `p` in `dir` through a temporary file; whether it was stored.
fn store(dir: &Path, key: &str, bytes: &[u8], p: &Path) -> bool {
    // Threads of one build may store the same entry: each writes its own temporary file.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{key}.{}-{seq}.tmp", std::process::id()));
    let stored = std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, p).is_ok();
    if !stored {
        let _ = std::fs::remove_file(&tmp);
    }
    stored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_unused_ones_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::at(dir.path());
        c.put("cards", "a", b"one");
        c.put("cards", "b", b"two");
        let again = Cache::at(dir.path());
        assert_eq!(again.get("cards", "a").as_deref(), Some(&b"one"[..]));
        again.prune(&["cards"]);
        assert!(dir.path().join(".dossier-cache/cards/a").is_file());
        assert!(!dir.path().join(".dossier-cache/cards/b").exists());
        assert_eq!(again.get("cards", "c"), None);
        assert_eq!(again.stats(), [("cards".to_owned(), 1, 1)]);
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
    }

    #[test]
    fn a_group_directory_removed_during_a_run_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::at(dir.path());
        assert!(c.put("cards", "a", b"one").is_some());
        std::fs::remove_dir_all(dir.path().join(DIR)).unwrap();
        assert!(c.put("cards", "b", b"two").is_some());
        assert_eq!(c.get("cards", "b").as_deref(), Some(&b"two"[..]));
    }
}
