//! What a build produces: files of the site, each at a path that is proven to stay
//! inside the output directory.

use std::fmt;
use std::path::PathBuf;

/// A path inside the built site: relative, `/`-separated, percent-decoded
/// (`en/founders/贾扬清/index.html`), with no empty, `.` or `..` segment, no backslash and
/// no NUL. Only [`SitePath::new`] makes one, so a writer can join it to the output
/// directory without leaving it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SitePath(String);

impl SitePath {
    /// Validates a site path.
    pub fn new(path: impl Into<String>) -> Result<SitePath, String> {
        let path = path.into();
        let ok = !path.is_empty()
            && !path.contains(['\\', '\0', ':'])
            && path
                .split('/')
                .all(|seg| !seg.is_empty() && seg != "." && seg != "..");
        if ok {
            Ok(SitePath(path))
        } else {
            Err(format!("`{path}` is not a path inside the site"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the file is an HTML page.
    pub fn is_html(&self) -> bool {
        self.0.ends_with(".html")
    }
}

impl fmt::Display for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for SitePath {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: SitePath,
    pub body: Body,
}

/// What a file of the built site holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Its bytes, in memory.
    Bytes(Vec<u8>),
    /// The same bytes as this file of the processing cache (a share card): a build copies
    /// the file into the output rather than holding 40,000 cards in memory.
    Cached(PathBuf),
}

impl OutFile {
    /// A file whose bytes are in memory.
    pub fn new(path: SitePath, bytes: Vec<u8>) -> OutFile {
        OutFile {
            path,
            body: Body::Bytes(bytes),
        }
    }

    /// The bytes held in memory: none for a file in the cache.
    /// A hash of the file's bytes (for a cache file, of its entry's name, which is a hash of
    /// everything that decides its bytes): what an incremental build compares files by.
    pub fn hash(&self) -> u128 {
        self.body.hash()
    }

    pub fn in_memory(&self) -> &[u8] {
        match &self.body {
            Body::Bytes(b) => b,
            Body::Cached(_) => &[],
        }
    }
}

/// The first 128 bits of the BLAKE3 hash of `tag` and `bytes`.
fn tagged_hash(tag: &[u8], bytes: &[u8]) -> u128 {
    let mut h = blake3::Hasher::new();
    h.update(tag);
    h.update(bytes);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h.finalize().as_bytes()[..16]);
    u128::from_le_bytes(b)
}

impl Body {
    /// See [`OutFile::hash`].
    pub fn hash(&self) -> u128 {
        match self {
            Body::Bytes(b) => Body::hash_of_bytes(b),
            Body::Cached(p) => tagged_hash(
                b"cached",
                p.file_name().unwrap_or_default().as_encoded_bytes(),
            ),
        }
    }

    /// The hash of a file of these bytes, as [`Body::hash`] gives it, without the file.
    pub fn hash_of_bytes(bytes: &[u8]) -> u128 {
        tagged_hash(b"bytes", bytes)
    }

    /// The bytes, owned: read from the cache for a file there (empty if it has gone, which
    /// only another build pruning the same cache can cause).
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Body::Bytes(b) => b,
            Body::Cached(p) => std::fs::read(p).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "a/",
            "./a",
            "a\\b",
            "c:x",
            "a\0",
        ] {
            assert!(SitePath::new(bad).is_err(), "{bad:?}");
        }
        for good in [
            "index.html",
            "en/founders/贾扬清/index.html",
            "pagefind/x.pf_meta",
        ] {
            assert!(SitePath::new(good).is_ok(), "{good:?}");
        }
    }
}
