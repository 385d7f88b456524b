//! The search index kept from one `dossier build` to the next: each shard's members (its
//! records' URLs and hashes, in order), its entry in `pagefind-entry.json` and its files'
//! names. A build re-indexes only the shards whose members changed; the files of the
//! others stand in the previous output.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{
    build_shards, by_shard, dir_files, search_error, shard_dir, shards_for, Record, ShardKey,
};
use crate::config::{Config, LangId};
use crate::error::{Error, Result};
use crate::output::{OutFile, SitePath};

/// The index as the last build left it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Kept {
    shards: usize,
    built: BTreeMap<ShardKey, KeptShard>,
    /// Every file of the index by its path in the site, with the hash of its bytes.
    files: BTreeMap<String, u128>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeptShard {
    /// Its records' URLs and hashes, by URL.
    members: Vec<(String, u128)>,
    /// Its language's entry in `pagefind-entry.json`, and the rest of that file (JSON).
    language: String,
    entry: String,
    /// Its files' names in its directory.
    files: Vec<String>,
}

impl Kept {
    /// Whether the index has shard `key`.
    pub fn has(&self, key: ShardKey) -> bool {
        self.built.contains_key(&key)
    }
}

/// A page of the index in this build: its record if it was rendered, else the hash of the
/// record it had when it was.
pub struct Page {
    pub lang: LangId,
    pub url: String,
    pub hash: u128,
    pub record: Option<Arc<Record>>,
}

/// What [`update`] did.
pub struct Update {
    pub kept: Kept,
    /// Files to write: those of the shards built again, and the entry files.
    pub files: Vec<OutFile>,
    /// Files of shards that stand as the previous build wrote them, with their hashes.
    pub standing: Vec<(SitePath, u128)>,
    /// The records of every shard built again, to store for the next build.
    pub rebuilt: Rebuilt,
}

/// The hash a record is kept under.
pub fn hash(r: &Record) -> u128 {
    let bytes = postcard::to_stdvec(r).unwrap_or_default();
    let h = blake3::hash(&bytes);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h.as_bytes()[..16]);
    u128::from_le_bytes(b)
}

/// Indexes `pages`, building again only the shards whose members differ from `prev`.
/// A page not rendered in this build whose shard is built again is read from `stored`
/// (the records the last build kept for that shard). None when one cannot be found
/// there: the caller builds from scratch.
pub fn update(
    cfg: &Config,
    prev: Option<&Kept>,
    pages: Vec<Page>,
    stored: &(dyn Fn(ShardKey) -> Option<Vec<Record>> + Sync),
) -> Result<Option<Update>> {
    let shards = shards_for(cfg, pages.iter().map(|p| p.lang));
    let prev = prev.filter(|p| p.shards == shards);
    let wanted = by_shard(cfg, shards, pages.into_iter(), |p| (p.lang, &p.url));
    let mut kept = Kept {
        shards,
        built: BTreeMap::new(),
        files: BTreeMap::new(),
    };
    let mut jobs = Vec::new();
    for (key, members) in wanted {
        let list: Vec<(String, u128)> = members.iter().map(|p| (p.url.clone(), p.hash)).collect();
        match prev.and_then(|p| p.built.get(&key)) {
            Some(old) if old.members == list => {
                kept.built.insert(key, old.clone());
            }
            _ => match records(key, members, stored) {
                Some(recs) => jobs.push((key, recs)),
                None => return Ok(None),
            },
        }
    }
    let rebuilt_keys: BTreeSet<ShardKey> = jobs.iter().map(|(k, _)| *k).collect();
    let (fresh, rebuilt) = build(cfg, &mut kept, jobs)?;
    let (files, standing) = directories(&kept, &fresh, &rebuilt_keys)?;
    let Some(standing) = with_hashes(prev, standing) else {
        // The last build kept no hash for a file it says stands: build it all again.
        return Ok(None);
    };
    for (p, h) in &standing {
        kept.files.insert(p.to_string(), *h);
    }
    for f in &files {
        kept.files.insert(f.path.to_string(), f.hash());
    }
    Ok(Some(Update {
        kept,
        files,
        standing,
        rebuilt,
    }))
}

/// Shards built again.
type Fresh = BTreeMap<ShardKey, super::Shard>;

/// The records of each shard built again.
type Rebuilt = Vec<(ShardKey, Vec<Arc<Record>>)>;

/// Builds the shards of `jobs`, entering each in `kept`.
fn build(
    cfg: &Config,
    kept: &mut Kept,
    jobs: Vec<(ShardKey, Vec<Arc<Record>>)>,
) -> Result<(Fresh, Rebuilt)> {
    let mut rebuilt = Vec::new();
    let mut fresh = Fresh::new();
    for (key, shard) in build_shards(cfg, jobs, 0)? {
        let members = shard
            .records
            .iter()
            .map(|r| (r.url.clone(), hash(r)))
            .collect();
        kept.built.insert(
            key,
            KeptShard {
                members,
                language: shard.language.to_string(),
                entry: shard.entry.to_string(),
                files: shard.files.iter().map(|(n, _)| n.clone()).collect(),
            },
        );
        rebuilt.push((key, shard.records.clone()));
        fresh.insert(key, shard);
    }
    Ok((fresh, rebuilt))
}

/// Every shard directory's files: written anew where one of its shards was built again
/// (with `shards.json`), standing elsewhere.
fn directories(
    kept: &Kept,
    fresh: &Fresh,
    rebuilt: &BTreeSet<ShardKey>,
) -> Result<(Vec<OutFile>, Vec<SitePath>)> {
    let mut files = Vec::new();
    let mut standing = Vec::new();
    let path = |k: usize, name: &str| {
        SitePath::new(format!("pagefind/{}{name}", shard_dir(k))).map_err(Error::Internal)
    };
    for k in 0..kept.shards {
        let in_dir: Vec<(&ShardKey, &KeptShard)> =
            kept.built.iter().filter(|((_, sk), _)| *sk == k).collect();
        if !in_dir.iter().any(|(key, _)| rebuilt.contains(key)) {
            for (_, s) in &in_dir {
                for name in &s.files {
                    standing.push(path(k, name)?);
                }
            }
            standing.push(path(k, "pagefind-entry.json")?);
            continue;
        }
        let mut parsed = Vec::new();
        for (key, s) in &in_dir {
            let language: serde_json::Value =
                serde_json::from_str(&s.language).map_err(search_error)?;
            let entry: serde_json::Value = serde_json::from_str(&s.entry).map_err(search_error)?;
            parsed.push((language, entry, fresh.get(key)));
        }
        let shards = parsed
            .iter()
            .map(|(l, e, s)| (l, e, s.map(|s| s.files.as_slice())));
        let new = dir_files(k, shards)?;
        let written: BTreeSet<&str> = new.iter().map(|f| f.path.as_str()).collect();
        for (_, s) in in_dir.iter().filter(|(key, _)| !rebuilt.contains(key)) {
            for name in &s.files {
                let p = path(k, name)?;
                if !written.contains(p.as_str()) {
                    standing.push(p);
                }
            }
        }
        files.extend(new);
    }
    let merged: Vec<String> = (1..kept.shards).map(shard_dir).collect();
    files.push(OutFile::new(
        SitePath::new("pagefind/shards.json").map_err(Error::Internal)?,
        serde_json::to_vec(&merged).map_err(search_error)?,
    ));
    standing.sort();
    standing.dedup();
    Ok((files, standing))
}

/// The standing files with the hashes the last build kept; None if it kept none for one.
fn with_hashes(prev: Option<&Kept>, standing: Vec<SitePath>) -> Option<Vec<(SitePath, u128)>> {
    let old = prev.map(|p| &p.files);
    standing
        .into_iter()
        .map(|p| {
            let h = old.and_then(|f| f.get(p.as_str()).copied())?;
            Some((p, h))
        })
        .collect()
}

/// The records of a shard's members: those rendered now, the others from the store,
/// each with the hash it was kept under.
fn records(
    key: ShardKey,
    members: Vec<Page>,
    stored: &(dyn Fn(ShardKey) -> Option<Vec<Record>> + Sync),
) -> Option<Vec<Arc<Record>>> {
    let mut store: Option<BTreeMap<String, Record>> = None;
    let mut out = Vec::with_capacity(members.len());
    for p in members {
        match p.record {
            Some(r) => out.push(r),
            None => {
                let store = store.get_or_insert_with(|| {
                    stored(key)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|r| (r.url.clone(), r))
                        .collect()
                });
                let r = store.remove(&p.url).filter(|r| hash(r) == p.hash)?;
                out.push(Arc::new(r));
            }
        }
    }
    Some(out)
}

/// The index the last build left, to go on from (the dev server): each shard with its
/// records (`stored`) and its files (`read`, by their path in the site), every one checked
/// against the hash the build kept for it. None when one is missing or does not match.
pub fn restore(
    cfg: &Config,
    kept: &Kept,
    stored: &dyn Fn(ShardKey) -> Option<Vec<Record>>,
    read: &dyn Fn(&SitePath) -> Option<Vec<u8>>,
) -> Option<super::Index> {
    let mut built = BTreeMap::new();
    for (&key, s) in &kept.built {
        let code = cfg.langs.get(key.0.index())?.as_str();
        let language: serde_json::Value = serde_json::from_str(&s.language).ok()?;
        // Pagefind indexed the shard as this language: its entry is under that code.
        let codes: Vec<&String> = language.as_object()?.keys().collect();
        if codes != [code] || key.1 >= kept.shards {
            return None;
        }
        let records = stored(key)?;
        let same = records.len() == s.members.len()
            && records
                .iter()
                .zip(&s.members)
                .all(|(r, (url, h))| r.lang == key.0 && &r.url == url && hash(r) == *h);
        if !same {
            return None;
        }
        let mut files = Vec::with_capacity(s.files.len());
        for name in &s.files {
            let path = SitePath::new(format!("pagefind/{}{name}", shard_dir(key.1))).ok()?;
            let bytes = read(&path)?;
            let hash = crate::output::Body::hash_of_bytes(&bytes);
            if kept.files.get(path.as_str()) != Some(&hash) {
                return None;
            }
            files.push((name.clone(), bytes));
        }
        let shard = super::Shard {
            records: records.into_iter().map(Arc::new).collect(),
            language,
            entry: serde_json::from_str(&s.entry).ok()?,
            files,
        };
        built.insert(key, shard);
    }
    Some(super::Index {
        shards: kept.shards,
        built,
        unsent: true,
        ..super::Index::two_at_a_time()
    })
}
