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
const MAGIC: &[u8; 16] = b"dossier-state-03";

/// The magic, the salt and the payload's checksum.
const HEADER: usize = 16 + 32 + 32;

/// Where the state lives, under the processing cache.
pub fn dir(cfg: &Config) -> PathBuf {
    cfg.root.join(crate::cache::DIR).join("build")
}

/// Everything the last build knew.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// What the state is only valid for: this binary and these settings.
    pub salt: [u8; 32],
    /// The binary alone ([`binary`]): what `serve` checks before it takes the search
    /// index from the last build (its settings differ from a build's).
    pub binary: [u8; 32],
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
    /// What the last build read (`unchanged::digest`), the name of the tree it wrote, and
    /// its pages per language.
    pub inputs: [u8; 32],
    pub current: u128,
    pub pages: Vec<(String, usize)>,
    /// Its warnings, to say again when nothing changed.
    pub warnings: Vec<crate::error::Diagnostic>,
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
    /// What its marker file names it by: a hash of its files (see [`tree_id`]).
    pub id: u128,
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

/// The line of the marker file that names the site a directory holds.
const SITE_LINE: &str = "site: ";

/// What a directory's marker file names it by (see [`tree_id`]): a copy of the
/// directory (a CI cache restoring the output) keeps it, as it keeps the files' times.
pub fn identity(dir: &Path) -> Option<u128> {
    let text = std::fs::read_to_string(dir.join(crate::write::MARKER)).ok()?;
    let hex = text.lines().find_map(|l| l.strip_prefix(SITE_LINE))?;
    u128::from_str_radix(hex.trim(), 16).ok()
}

/// A tree's name: a hash of every file's path and hash. The same site has the same name,
/// whichever build wrote it.
pub fn tree_id<'a>(files: impl Iterator<Item = (&'a str, u128)>) -> u128 {
    let mut list: Vec<(&str, u128)> = files.collect();
    list.sort_unstable();
    let mut h = blake3::Hasher::new();
    for (p, x) in list {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
        h.update(&x.to_le_bytes());
    }
    let mut b = [0u8; 16];
    b.copy_from_slice(&h.finalize().as_bytes()[..16]);
    u128::from_le_bytes(b)
}

/// The marker file of a tree named `id`.
pub fn marker_text(id: u128) -> String {
    format!("{}{SITE_LINE}{id:032x}\n", crate::write::MARKER_TEXT)
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

/// A hash of this binary's bytes (read once per process): a state written by another
/// dossier is never trusted. An unreadable binary gets a hash no other run shares.
pub fn binary() -> [u8; 32] {
    static HASH: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    *HASH.get_or_init(|| {
        let mut h = blake3::Hasher::new();
        let read = std::env::current_exe()
            .and_then(std::fs::File::open)
            .and_then(|mut f| {
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    match f.read(&mut buf)? {
                        0 => return Ok(()),
                        n => {
                            h.update(&buf[..n]);
                        }
                    }
                }
            });
        if read.is_err() {
            h.update(b"unreadable");
            h.update(&std::process::id().to_le_bytes());
        }
        *h.finalize().as_bytes()
    })
}

/// What the state is valid for: this binary's bytes, the settings, the options that change
/// the output, and the theme's settings.
pub fn salt(cfg: &Config, opts: &Options, extra: &[&[u8]]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(&binary());
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

/// The payload of a state file of this format whose checksum holds; else the note to show.
fn payload(bytes: &[u8]) -> Result<&[u8], String> {
    if bytes.len() >= HEADER && bytes[..14] == MAGIC[..14] && bytes[..16] != MAGIC[..] {
        return Err("it was written by another version of dossier".into());
    }
    if bytes.len() < HEADER
        || &bytes[..16] != MAGIC
        || blake3::hash(&bytes[HEADER..]).as_bytes() != &bytes[48..HEADER]
    {
        return Err("it is truncated or corrupt".into());
    }
    Ok(&bytes[HEADER..])
}

/// Reads the state. Err is the note to show when there was one and it cannot be used.
pub fn load(cfg: &Config, salt: &[u8; 32]) -> Result<State, Option<String>> {
    let path = dir(cfg).join("state");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(format!("cannot read it ({e})"))),
    };
    let payload = payload(&bytes).map_err(Some)?;
    if &bytes[16..48] != salt {
        return Err(Some(
            "it was written by another dossier or for other settings".into(),
        ));
    }
    let state: State =
        postcard::from_bytes(payload).map_err(|e| Some(format!("it cannot be read ({e})")))?;
    if &state.salt != salt {
        return Err(Some("it is truncated or corrupt".into()));
    }
    let langs = cfg.langs.len();
    let bad_lang = |l: &LangId| l.index() >= langs;
    let bad = state.deps.iter().any(|(d, _)| match d {
        Dep::Fields(_, _, l) | Dep::Name(_, _, l) | Dep::Body(_, _, l) | Dep::Intro(_, l) => {
            bad_lang(l)
        }
        Dep::I18n(l, _) | Dep::Nav(l) | Dep::Charts(l) | Dep::Filters(l) => bad_lang(l),
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

/// The search index the last build left, when this binary wrote it: its shards and where
/// their records are stored. For `serve`, whose settings are not a build's: it checks
/// every record and file it takes against what this returns.
pub fn load_search(cfg: &Config) -> Option<(Kept, BTreeMap<ShardKey, String>)> {
    let bytes = std::fs::read(dir(cfg).join("state")).ok()?;
    let state: State = postcard::from_bytes(payload(&bytes).ok()?).ok()?;
    (state.binary == binary()).then_some(())?;
    Some((state.search?, state.stores))
}

/// The records the last build stored for search shard `key` (`State::stores`).
pub fn stored(
    cfg: &Config,
    stores: &BTreeMap<ShardKey, String>,
    key: ShardKey,
) -> Option<Vec<crate::search::Record>> {
    let bytes = std::fs::read(dir(cfg).join(stores.get(&key)?)).ok()?;
    postcard::from_bytes(&bytes).ok()
}

/// Writes the state whole or not at all (a temporary file renamed into place).
pub fn save(cfg: &Config, state: &State) -> std::io::Result<()> {
    let dir = dir(cfg);
    std::fs::create_dir_all(&dir)?;
    let payload = postcard::to_stdvec(state).map_err(std::io::Error::other)?;
    let mut bytes = Vec::with_capacity(HEADER + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&state.salt);
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
