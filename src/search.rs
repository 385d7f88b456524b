//! The search index: Pagefind, used as a library, indexes the rendered profile pages (one
//! index per `<html lang>`, Chinese segmented) and its bundle is served from `pagefind/`.

use crate::config::{Config, LangId};
use crate::error::{Error, Result};
use crate::output::{OutFile, SitePath};

/// One page of the search index: what the search finds it by and what a result shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub lang: LangId,
    /// Site-relative URL with a leading slash: `/en/founders/jia-yangqing/`.
    pub url: String,
    /// Shown as the result's title; matches in it rank first.
    pub title: String,
    /// Other fields a result shows (`alt`, the name in the other script; `role`).
    pub meta: Vec<(&'static str, String)>,
    /// The text searched and excerpted.
    pub content: String,
}

impl Record {
    /// A record whose content is `parts` joined by spaces (empty parts left out).
    pub fn new<'a>(
        lang: LangId,
        url: String,
        title: &str,
        parts: impl IntoIterator<Item = &'a str>,
    ) -> Record {
        let mut content = String::new();
        for p in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
            if !content.is_empty() {
                content.push(' ');
            }
            content.push_str(p);
        }
        Record {
            lang,
            url,
            title: title.to_owned(),
            meta: Vec::new(),
            content,
        }
    }

    /// Adds a meta field when it has a value.
    pub fn with(mut self, key: &'static str, value: Option<&str>) -> Record {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            self.meta.push((key, v.to_owned()));
        }
        self
    }
}

fn search_error(e: impl Into<crate::error::Cause>) -> Error {
    Error::Search(e.into())
}

/// Pagefind's own search UIs: the theme has its own search script.
const UNUSED: [&str; 4] = [
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
];

/// A stable hash of a URL (FNV-1a), to give each record the same shard build after build.
fn shard_of(url: &str, shards: usize) -> usize {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in url.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    (h % shards as u64) as usize
}

/// How many shards the index of `records` has: every language the same number, each
/// shard at most `search_shard_size` records (2,000 by default). A shard is indexed in
/// one go, so this bounds the indexer's memory (Pagefind holds about 300 KB per record
/// while it works) and lets shards be built side by side on every core.
pub fn shard_count(cfg: &Config, records: &[&Record]) -> usize {
    let most = cfg
        .lang_ids()
        .map(|l| records.iter().filter(|r| r.lang == l).count())
        .max()
        .unwrap_or(0);
    most.div_ceil(cfg.search_shard_size).max(1)
}

/// The directory of shard `k` under `pagefind/`: the primary bundle for 0, `k/` else.
fn shard_dir(k: usize) -> String {
    if k == 0 {
        String::new()
    } else {
        format!("{k}/")
    }
}

/// One shard of one language's index, built from its records.
pub struct Shard {
    pub lang: LangId,
    pub k: usize,
    files: Vec<pagefind::api::SyntheticFile>,
}

/// Indexes `records` and returns the Pagefind bundle as files under `pagefind/`.
///
/// Each language's records are split into shards of at most `search_shard_size` (by a
/// stable hash of the URL). Each shard is a Pagefind index of its own, built from records
/// already in memory (no page is parsed again), two at a time. Shard 0 of every language
/// is the primary bundle at `pagefind/`, with Pagefind's client; shard `k` is at
/// `pagefind/k/`, and `pagefind/shards.json` lists those for the search script, which
/// merges them with Pagefind's `mergeIndex`. Result URLs are relative to the site root;
/// the search script passes the base path to Pagefind as `baseUrl`.
pub fn index<'a>(
    cfg: &Config,
    records: impl IntoIterator<Item = &'a Record>,
) -> Result<Vec<OutFile>> {
    let records: Vec<&Record> = records.into_iter().collect();
    let shards = shard_count(cfg, &records);
    let jobs: Vec<(LangId, usize)> = (0..shards)
        .flat_map(|k| cfg.lang_ids().map(move |l| (l, k)))
        .collect();
    let built = build_shards(cfg, &records, shards, &jobs)?;
    assemble(built, shards)
}

/// Builds the shards `jobs` names, on as many threads as there are cores.
pub fn build_shards(
    cfg: &Config,
    records: &[&Record],
    shards: usize,
    jobs: &[(LangId, usize)],
) -> Result<Vec<Shard>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(jobs.len().max(1));
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(lang, k)) = jobs.get(j) else { break };
                let mine: Vec<&Record> = records
                    .iter()
                    .filter(|r| r.lang == lang && shard_of(&r.url, shards) == k)
                    .copied()
                    .collect();
                let built = language(cfg.code(lang), &mine).map(|files| Shard { lang, k, files });
                if let Ok(mut r) = results.lock() {
                    r.push(built);
                }
            });
        }
    });
    let results = results
        .into_inner()
        .map_err(|_| Error::Internal("search index worker panicked".into()))?;
    results.into_iter().collect()
}

/// The Pagefind files of one shard of one language.
fn language(code: &str, records: &[&Record]) -> Result<Vec<pagefind::api::SyntheticFile>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(search_error)?;
    rt.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(false)
            .force_language(code.to_owned())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(search_error)?;
        for r in records {
            let mut meta: std::collections::BTreeMap<String, String> = r
                .meta
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect();
            meta.insert("title".into(), r.title.clone());
            index
                .add_custom_record(
                    r.url.clone(),
                    r.content.clone(),
                    code.to_owned(),
                    Some(meta),
                    None,
                    None,
                )
                .await
                .map_err(search_error)?;
        }
        index.get_files().await.map_err(search_error)
    })
}

/// Joins the shards into the bundle: each shard's own files in its directory, one
/// `pagefind-entry.json` per directory listing its languages, Pagefind's client once at
/// `pagefind/`, and `pagefind/shards.json`.
pub fn assemble(built: Vec<Shard>, shards: usize) -> Result<Vec<OutFile>> {
    let mut out: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
    let mut entries: std::collections::BTreeMap<
        usize,
        (
            serde_json::Value,
            serde_json::Map<String, serde_json::Value>,
        ),
    > = Default::default();
    for shard in built {
        let dir = shard_dir(shard.k);
        for f in shard.files {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            if UNUSED.iter().any(|u| name.starts_with(u)) {
                continue;
            }
            if name == "pagefind-entry.json" {
                let v: serde_json::Value =
                    serde_json::from_slice(&f.contents).map_err(search_error)?;
                let slot = entries
                    .entry(shard.k)
                    .or_insert_with(|| (v.clone(), serde_json::Map::new()));
                if let Some(l) = v.get("languages").and_then(|l| l.as_object()) {
                    slot.1.extend(l.clone());
                }
                continue;
            }
            // The client (scripts and WebAssembly) is shared: only the primary has it.
            let client = !(name.ends_with(".pf_meta") || name.contains('/'));
            if client && shard.k != 0 {
                continue;
            }
            out.entry(format!("{dir}{name}")).or_insert(f.contents);
        }
    }
    for (k, (mut entry, languages)) in entries {
        entry["languages"] = serde_json::Value::Object(languages);
        let bytes = serde_json::to_vec(&entry).map_err(search_error)?;
        out.insert(format!("{}pagefind-entry.json", shard_dir(k)), bytes);
    }
    let merged: Vec<String> = (1..shards).map(shard_dir).collect();
    out.insert(
        "shards.json".into(),
        serde_json::to_vec(&merged).map_err(search_error)?,
    );
    out.into_iter()
        .map(|(name, bytes)| {
            Ok(OutFile {
                path: SitePath::new(format!("pagefind/{name}")).map_err(Error::Internal)?,
                bytes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_keeps_its_shard() {
        let a = shard_of("/founders/founder-17/", 7);
        assert_eq!(a, shard_of("/founders/founder-17/", 7));
        assert!(a < 7);
        // Shards fill evenly.
        let mut counts = [0usize; 4];
        for i in 0..4000 {
            counts[shard_of(&format!("/founders/founder-{i}/"), 4)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
    }
}
