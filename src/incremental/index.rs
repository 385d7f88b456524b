//! The search index of an incremental build: the shards whose records changed built
//! again, the others standing in the output; each shard's records stored for the next.

use std::collections::BTreeMap;

use super::outputs::Slot;
use super::prev::Prev;
use super::state::{self, Tree};
use super::tree::{self, From, Target};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::search::kept::{self, Kept};
use crate::search::{Record, ShardKey};

/// The new index: its state, where each shard's records are stored, and its files. None
/// when a record the index needs is not stored (the build starts again, clean).
pub(super) struct Index {
    pub kept: Kept,
    pub stores: BTreeMap<ShardKey, String>,
    pub targets: Vec<Target>,
}

pub(super) fn index(cfg: &Config, prev: Option<&Prev>, slots: &[Slot]) -> Result<Option<Index>> {
    let pages = || -> Vec<kept::Page> {
        slots
            .iter()
            .map(|s| kept::Page {
                lang: s.lang,
                url: s.url.clone(),
                hash: s.hash,
                record: s.record.clone(),
            })
            .collect()
    };
    let stores = prev.map(|p| &p.state.stores);
    let load = |key: ShardKey| -> Option<Vec<Record>> { state::stored(cfg, stores?, key) };
    let out = prev.and_then(|p| p.out.as_ref());
    let last = prev
        .and_then(|p| p.state.search.as_ref())
        .filter(|_| out.is_some());
    let mut update = kept::update(cfg, last, pages(), &load)?;
    let standing_ok = |u: &kept::Update| match out {
        Some(t) => standing(cfg, t, u),
        None => u.standing.is_empty(),
    };
    if !update.as_ref().is_some_and(standing_ok) {
        update = kept::update(cfg, None, pages(), &load)?;
    }
    let Some(update) = update else {
        return Ok(None);
    };
    let mut stores: BTreeMap<ShardKey, String> = stores.cloned().unwrap_or_default();
    for (key, records) in &update.rebuilt {
        let list: Vec<&Record> = records.iter().map(|r| r.as_ref()).collect();
        let bytes = postcard::to_stdvec(&list).map_err(|e| Error::Internal(e.to_string()))?;
        let name = format!(
            "search-{}-{}-{}",
            cfg.code(key.0),
            key.1,
            crate::cache::key(&[&bytes])
        );
        // A store that cannot be written is left out: the next build that needs it
        // builds clean.
        if std::fs::write(state::dir(cfg).join(&name), &bytes).is_ok() {
            stores.insert(*key, name);
        } else {
            stores.remove(key);
        }
    }
    stores.retain(|k, _| update.kept.has(*k));
    let mut targets: Vec<Target> = update
        .standing
        .into_iter()
        .map(|(path, hash)| Target {
            path,
            hash,
            from: From::Output,
        })
        .collect();
    targets.extend(update.files.into_iter().map(|f| Target {
        hash: f.hash(),
        path: f.path,
        from: From::New(f.body),
    }));
    Ok(Some(Index {
        kept: update.kept,
        stores,
        targets,
    }))
}

/// Whether every file the update leaves standing is in the output as the last build
/// wrote it.
fn standing(cfg: &Config, out: &Tree, u: &kept::Update) -> bool {
    let names: Vec<&str> = u.standing.iter().map(|(p, _)| p.as_str()).collect();
    let same = u
        .standing
        .iter()
        .all(|(p, h)| out.files.get(p.as_str()).is_some_and(|s| s.hash == *h));
    same && tree::verified(&cfg.output_dir, out, &names).len() == names.len()
}

/// Removes stored records no shard names any more.
pub(super) fn forget_unused(cfg: &Config, stores: &BTreeMap<ShardKey, String>) {
    let Ok(entries) = std::fs::read_dir(state::dir(cfg)) else {
        return;
    };
    let used: std::collections::BTreeSet<&str> = stores.values().map(String::as_str).collect();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("search-") && !used.contains(name.as_str()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
