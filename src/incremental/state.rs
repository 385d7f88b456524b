//! The state a build leaves in `.dossier-cache/build/` for the next: what every output
//! read and the value each of those sources had, each output tree's files by hash, and
//! the search index's shards. Read back only when it is whole (a checksum), written by
//! this very binary for the same settings (the salt); anything else is discarded with a
//! note, never trusted and never an error.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{Config, LangId, Options};
use crate::deps::Dep;
use crate::search::kept::Kept;
use crate::search::ShardKey;

/// The first bytes of a state file, and its format's version.
const MAGIC: &[u8; 16] = b"dossier-state-01";

/// Where the state lives, under the processing cache.
pub fn dir(cfg: &Config) -> PathBuf {
    cfg.root.join(crate::cache::DIR).join("build")
}

/// Everything the last build knew.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// What the state is only valid for: this binary and these settings.
    pub salt: [u8; 32],
    /// Every source some output read, with its value then.
    pub deps: Vec<(Dep, u128)>,
    /// Every rendered output by its path in the site.
    pub outputs: HashMap<String, Output>,
    /// The output tree and the spare (the tree before it), by the directory's identity.
    pub trees: Vec<Tree>,
    pub search: Option<Kept>,
    /// The records of each search shard: the file under [`dir`] that holds them.
    pub stores: BTreeMap<ShardKey, String>,
    /// The last build drew cards with Chinese text and no font had it.
    pub missing_cjk: bool,
}

/// An output as last rendered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Output {
    /// The sources it read: indices into [`State::deps`].
    pub deps: Vec<u32>,
    /// Its search record: language, URL and hash.
    pub record: Option<(LangId, String, u128)>,
    /// The hash of its file as written.
    pub hash: u128,
}

/// A directory the build wrote, and every file in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tree {
    pub dev: u64,
    pub ino: u64,
    pub files: HashMap<String, Stamp>,
}

/// A file as written: the hash of its bytes, and its length and modification time then
/// (a file changed by hand since no longer matches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub hash: u128,
    pub len: u64,
    pub mtime: i128,
}

/// A directory's identity: device and inode.
pub fn identity(dir: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::symlink_metadata(dir).ok()?;
        m.is_dir().then(|| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// A file's length and modification time (nanoseconds).
pub fn stamp_of(m: &std::fs::Metadata) -> (u64, i128) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (
            m.len(),
            i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        )
    }
    #[cfg(not(unix))]
    {
        let t = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        (m.len(), t)
    }
}

/// What the state is valid for: this binary's bytes, the settings, the options that change
/// the output, and the theme's settings.
pub fn salt(cfg: &Config, opts: &Options, extra: &[&[u8]]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    match std::env::current_exe().and_then(std::fs::File::open) {
        Ok(mut f) => {
            let mut buf = vec![0u8; 1 << 20];
            loop {
                match f.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        h.update(&buf[..n]);
                    }
                    // An unreadable binary: a salt no other run shares.
                    Err(_) => {
                        h.update(&std::process::id().to_le_bytes());
                        break;
                    }
                }
            }
        }
        Err(_) => {
            h.update(&std::process::id().to_le_bytes());
        }
    }
    let read = |p: &Path| std::fs::read(p).unwrap_or_default();
    for part in [
        read(&cfg.root.join("site.yaml")),
        read(&cfg.theme_dir.join("theme.yaml")),
        format!("{:?}", (&opts.base_url, opts.drafts, &opts.mode)).into_bytes(),
        cfg.output_dir.to_string_lossy().as_bytes().to_vec(),
        cfg.theme_dir.to_string_lossy().as_bytes().to_vec(),
    ] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(&part);
    }
    for part in extra {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    *h.finalize().as_bytes()
}

/// Reads the state. Err is the note to show when there was one and it cannot be used.
pub fn load(cfg: &Config, salt: &[u8; 32]) -> Result<State, Option<String>> {
    let path = dir(cfg).join("state");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(format!("cannot read it ({e})"))),
    };
    let whole = bytes.len() >= 48 && &bytes[..16] == MAGIC;
    if !whole || blake3::hash(&bytes[48..]).as_bytes() != &bytes[16..48] {
        return Err(Some("it is truncated or corrupt".into()));
    }
    let state: State =
        postcard::from_bytes(&bytes[48..]).map_err(|e| Some(format!("it cannot be read ({e})")))?;
    if &state.salt != salt {
        return Err(Some(
            "it was written by another dossier or for other settings".into(),
        ));
    }
    let langs = cfg.langs.len();
    let bad_lang = |l: &LangId| l.index() >= langs;
    let bad = state.deps.iter().any(|(d, _)| match d {
        Dep::Fields(_, _, l) | Dep::Name(_, _, l) | Dep::Body(_, _, l) | Dep::Intro(_, l) => {
            bad_lang(l)
        }
        Dep::I18n(l, _) | Dep::Nav(l) | Dep::Charts(l) => bad_lang(l),
        _ => false,
    }) || state.outputs.values().any(|o| {
        o.deps.iter().any(|&i| i as usize >= state.deps.len())
            || o.record.as_ref().is_some_and(|(l, _, _)| bad_lang(l))
    });
    if bad {
        return Err(Some(
            "it names languages or sources it does not hold".into(),
        ));
    }
    Ok(state)
}

/// Writes the state whole or not at all (a temporary file renamed into place).
pub fn save(cfg: &Config, state: &State) -> std::io::Result<()> {
    let dir = dir(cfg);
    std::fs::create_dir_all(&dir)?;
    let payload = postcard::to_stdvec(state).map_err(std::io::Error::other)?;
    let mut bytes = Vec::with_capacity(48 + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
    bytes.extend_from_slice(&payload);
    let tmp = dir.join(format!("state.{}", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, dir.join("state"))
}

/// Forgets the state (a build that cannot keep it consistent).
pub fn forget(cfg: &Config) {
    let _ = std::fs::remove_file(dir(cfg).join("state"));
}
