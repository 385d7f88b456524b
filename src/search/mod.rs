//! The search index: Pagefind, used as a library, indexes the rendered profile pages (one
//! index per `<html lang>`, Chinese segmented) and its bundle is served from `pagefind/`.

pub mod kept;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::{Config, LangId};
use crate::error::{Error, Result};
use crate::output::{OutFile, SitePath};

/// One page of the search index: what the search finds it by and what a result shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub lang: LangId,
    /// Site-relative URL with a leading slash: `/en/founders/jia-yangqing/`.
    pub url: String,
    /// Shown as the result's title; matches in it rank first.
    pub title: String,
    /// Other fields a result shows (`alt`, the name in the other script; `role`).
    #[serde(with = "meta_keys")]
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
        // The title leads the text, as a page's heading does: a profile is found under its
        // name even when its text never repeats it.
        let mut content = title.trim().to_owned();
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

/// The meta fields a record can have: stored by name, read back as these.
const META_KEYS: [&str; 2] = ["alt", "role"];

/// Reads a record's meta keys back as the static names views give them.
mod meta_keys {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(m: &[(&'static str, String)], s: S) -> Result<S::Ok, S::Error> {
        m.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(&'static str, String)>, D::Error> {
        let raw: Vec<(String, String)> = Vec::deserialize(d)?;
        raw.into_iter()
            .map(
                |(k, v)| match crate::search::META_KEYS.iter().find(|m| **m == k) {
                    Some(m) => Ok((*m, v)),
                    None => Err(serde::de::Error::custom(format!("unknown meta field {k}"))),
                },
            )
            .collect()
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
    shards_for(cfg, records.iter().map(|r| r.lang))
}

/// Records per language for which one shard is enough; `k` shards serve up to
/// `k² × SHARD_BASE` (see [`shards_for`]).
const SHARD_BASE: usize = 128;

/// How many shards an index of records in these languages has.
///
/// An edit re-indexes the whole shard of each record it changes (Pagefind cannot update
/// an index in place), so smaller shards make an edit cheaper; but the reader's search
/// loads every shard's metadata and asks each of them, so fewer shards make search
/// lighter. Both costs are kept to the square root of the records: a language of `n`
/// records has the fewest `k` shards with `k² × 128 ≥ n` (1 up to 128 records, 5 of about
/// 410 at 2,056, 13 of about 1,570 at 20,000), and never shards larger than
/// `search_shard_size`.
fn shards_for(cfg: &Config, langs: impl Iterator<Item = LangId>) -> usize {
    let mut per = vec![0usize; cfg.langs.len()];
    for l in langs {
        if let Some(n) = per.get_mut(l.index()) {
            *n += 1;
        }
    }
    let most = per.into_iter().max().unwrap_or(0);
    let mut root = 1;
    while root * root * SHARD_BASE < most {
        root += 1;
    }
    most.div_ceil(cfg.search_shard_size).max(root)
}

/// `items` by the shard they belong in (every shard of every language present, empty or
/// not), each shard's by URL: the same records make the same shard whatever order a
/// build or the dev server renders them in.
fn by_shard<T>(
    cfg: &Config,
    shards: usize,
    items: impl Iterator<Item = T>,
    place: impl Fn(&T) -> (LangId, &str),
) -> BTreeMap<ShardKey, Vec<T>> {
    let mut wanted: BTreeMap<ShardKey, Vec<T>> = BTreeMap::new();
    for l in cfg.lang_ids() {
        for k in 0..shards {
            wanted.insert((l, k), Vec::new());
        }
    }
    for x in items {
        let (lang, url) = place(&x);
        let key = (lang, shard_of(url, shards));
        wanted.entry(key).or_default().push(x);
    }
    for v in wanted.values_mut() {
        v.sort_by(|a, b| place(a).1.cmp(place(b).1));
    }
    wanted
}

/// The directory of shard `k` under `pagefind/`: the primary bundle for 0, `k/` else.
fn shard_dir(k: usize) -> String {
    if k == 0 {
        String::new()
    } else {
        format!("{k}/")
    }
}

/// One shard of one language's index: the records it was built from and its files.
struct Shard {
    records: Vec<Arc<Record>>,
    /// The language's entry in `pagefind-entry.json` (hash, wasm, page count).
    language: serde_json::Value,
    /// The rest of `pagefind-entry.json` (version, characters).
    entry: serde_json::Value,
    /// Its files by name in its directory (the client's among them for shard 0).
    files: Vec<(String, Vec<u8>)>,
}

/// A search index kept from one run to the next (the dev server): each shard with its
/// records, so a change rebuilds only the shards whose records changed.
#[derive(Default)]
pub struct Index {
    shards: usize,
    built: BTreeMap<(LangId, usize), Shard>,
    /// Shards built at once: one per core when 0.
    workers: usize,
    /// Its files were taken from the last build and not yet handed out: the next update
    /// returns every directory's.
    unsent: bool,
}

/// What [`Index::update`] wrote: the files of the shard directories it rebuilt, those
/// directories (`pagefind/`, `pagefind/3/`), and `pagefind/shards.json`.
pub struct Update {
    pub files: Vec<OutFile>,
    pub dirs: Vec<String>,
    /// Every shard was rebuilt (their number changed): no earlier file stands.
    pub full: bool,
    /// How many shards were indexed anew.
    pub indexed: usize,
}

/// A shard's place: its language and number.
pub type ShardKey = (LangId, usize);

impl Index {
    /// An index built two shards at a time (Pagefind's work on the rayon pool it runs
    /// in): the dev server's, which keeps its own pool for rebuilds.
    pub fn two_at_a_time() -> Index {
        Index {
            workers: 2,
            ..Index::default()
        }
    }

    /// Indexes `records`, rebuilding the shards whose records differ from the last run.
    pub fn update(&mut self, cfg: &Config, records: &[Arc<Record>]) -> Result<Update> {
        let refs: Vec<&Record> = records.iter().map(|r| r.as_ref()).collect();
        let shards = shard_count(cfg, &refs);
        let full = shards != self.shards;
        if full {
            self.built.clear();
            self.shards = shards;
        }
        let wanted = by_shard(cfg, shards, records.iter().cloned(), |r| (r.lang, &r.url));
        let same = |a: &[Arc<Record>], b: &[Arc<Record>]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y) || x == y)
        };
        let jobs: Vec<(ShardKey, Vec<Arc<Record>>)> = wanted
            .into_iter()
            .filter(|(key, recs)| !self.built.get(key).is_some_and(|s| same(&s.records, recs)))
            .collect();
        let indexed = jobs.len();
        let mut dirs: std::collections::BTreeSet<usize> =
            jobs.iter().map(|((_, k), _)| *k).collect();
        if std::mem::take(&mut self.unsent) {
            dirs.extend(0..shards);
        }
        for (key, shard) in build_shards(cfg, jobs, self.workers)? {
            self.built.insert(key, shard);
        }
        let mut files = Vec::new();
        for &k in &dirs {
            files.extend(self.dir(k)?);
        }
        let merged: Vec<String> = (1..shards).map(shard_dir).collect();
        files.push(OutFile::new(
            SitePath::new("pagefind/shards.json").map_err(Error::Internal)?,
            serde_json::to_vec(&merged).map_err(search_error)?,
        ));
        Ok(Update {
            full,
            indexed,
            files,
            dirs: dirs
                .into_iter()
                .map(|k| format!("pagefind/{}", shard_dir(k)))
                .collect(),
        })
    }

    /// Every file of shard directory `k`: each language's shard, and one
    /// `pagefind-entry.json` listing them.
    fn dir(&self, k: usize) -> Result<Vec<OutFile>> {
        let shards = self
            .built
            .iter()
            .filter(|((_, sk), _)| *sk == k)
            .map(|(_, s)| (&s.language, &s.entry, Some(s.files.as_slice())));
        dir_files(k, shards)
    }
}

/// The files of shard directory `k` from its languages' shards (their entries in
/// `pagefind-entry.json`, and their files where they are to be written), in language
/// order: the files, and one `pagefind-entry.json` listing the languages.
fn dir_files<'s>(
    k: usize,
    shards: impl Iterator<
        Item = (
            &'s serde_json::Value,
            &'s serde_json::Value,
            Option<&'s [(String, Vec<u8>)]>,
        ),
    >,
) -> Result<Vec<OutFile>> {
    let dir = shard_dir(k);
    let mut out = Vec::new();
    let mut languages = serde_json::Map::new();
    let mut entry = serde_json::Value::Null;
    for (language, shard_entry, files) in shards {
        for (name, bytes) in files.unwrap_or_default() {
            out.push(OutFile::new(
                SitePath::new(format!("pagefind/{dir}{name}")).map_err(Error::Internal)?,
                bytes.clone(),
            ));
        }
        if let Some(l) = language.as_object() {
            languages.extend(l.clone());
        }
        entry = shard_entry.clone();
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    entry["languages"] = serde_json::Value::Object(languages);
    out.push(OutFile::new(
        SitePath::new(format!("pagefind/{dir}pagefind-entry.json")).map_err(Error::Internal)?,
        serde_json::to_vec(&entry).map_err(search_error)?,
    ));
    Ok(out)
}

/// Indexes `records` and returns the Pagefind bundle as files under `pagefind/`.
///
/// Each language's records are split into shards of at most `search_shard_size` (by a
/// stable hash of the URL). Each shard is a Pagefind index of its own, built from records
/// already in memory (no page is parsed again), as many at a time as there are cores.
/// Shard 0 of every language is the primary bundle at `pagefind/`, with Pagefind's
/// client; shard `k` is at `pagefind/k/`, and `pagefind/shards.json` lists those for the
/// search script, which merges them with Pagefind's `mergeIndex`. Result URLs are
/// relative to the site root; the search script passes the base path to Pagefind as
/// `baseUrl`.
pub fn index(cfg: &Config, records: Vec<Record>) -> Result<Vec<OutFile>> {
    let records: Vec<Arc<Record>> = records.into_iter().map(Arc::new).collect();
    Ok(Index::default().update(cfg, &records)?.files)
}

/// Builds the shards `jobs` names, on as many threads as there are cores.
fn build_shards(
    cfg: &Config,
    jobs: Vec<(ShardKey, Vec<Arc<Record>>)>,
    workers: usize,
) -> Result<Vec<(ShardKey, Shard)>> {
    if workers == 1 {
        return jobs
            .iter()
            .map(|((lang, k), recs)| shard(cfg.code(*lang), *k, recs).map(|s| ((*lang, *k), s)))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = match workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
    .min(jobs.len().max(1));
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(((lang, k), recs)) = jobs.get(j) else {
                    break;
                };
                let built = shard(cfg.code(*lang), *k, recs).map(|s| ((*lang, *k), s));
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

/// One shard: Pagefind's files for `records`, split into the entry and the rest.
fn shard(code: &str, k: usize, records: &[Arc<Record>]) -> Result<Shard> {
    let refs: Vec<&Record> = records.iter().map(|r| r.as_ref()).collect();
    let mut out = Shard {
        records: records.to_vec(),
        language: serde_json::Value::Null,
        entry: serde_json::Value::Null,
        files: Vec::new(),
    };
    for f in language(code, &refs)? {
        let name = f.filename.to_string_lossy().replace('\\', "/");
        if UNUSED.iter().any(|u| name.starts_with(u)) {
            continue;
        }
        if name == "pagefind-entry.json" {
            let mut v: serde_json::Value =
                serde_json::from_slice(&f.contents).map_err(search_error)?;
            out.language = v["languages"].take();
            out.entry = v;
            continue;
        }
        // The client (scripts and WebAssembly) is shared: only the primary has it.
        let client = !(name.ends_with(".pf_meta") || name.contains('/'));
        if !client || k == 0 {
            out.files.push((name, f.contents));
        }
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> Config {
        let text = format!("title: {{zh: 标题, en: Title}}\nbase_url: https://x.org/\nlanguages: [zh, en]\ndefault_language: zh\n{extra}");
        let opts = crate::config::Options::default();
        Config::parse(&text, std::path::Path::new("site.yaml"), &opts).unwrap()
    }

    /// Shards for `n` records in the default language and `n / 2` in the other.
    fn shards(cfg: &Config, n: usize) -> usize {
        let en = cfg.lang_id("en").unwrap();
        shards_for(
            cfg,
            std::iter::repeat_n(LangId::DEFAULT, n).chain(std::iter::repeat_n(en, n / 2)),
        )
    }

    #[test]
    fn shards_grow_with_the_square_root_of_the_records_up_to_their_size() {
        let cfg = config("");
        // The real site's index is one shard; 1,000 profiles' (2,056 records a language)
        // five, so that an edit re-indexes a fifth of it; 10,000 profiles' thirteen.
        let got: Vec<usize> = [0, 60, 128, 129, 2_056, 20_414]
            .iter()
            .map(|&n| shards(&cfg, n))
            .collect();
        assert_eq!(got, [1, 1, 1, 2, 5, 13]);
        // Past that, no shard holds more than `search_shard_size` records.
        assert_eq!(shards(&cfg, 60_000), 30);
        assert_eq!(shards(&config("search_shard_size: 100\n"), 2_056), 21);
    }

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
