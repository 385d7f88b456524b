//! The search index of the real site, read back as Pagefind's client reads it: the entry
//! (JSON) names each language's meta file; the meta, the word index chunks and the page
//! fragments are gzip files whose stream starts with the signature `pagefind_dcd`, then CBOR
//! (meta, words) or JSON (fragments). Formats: pagefind 1.6's src/index/index_metadata.rs,
//! src/index/index_words.rs, src/fragments/mod.rs and src/output/mod.rs.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use ciborium::Value;

use crate::{profiles, real_sites, repo, searchable_pages};

/// One language's index: its pages (by page number) and its words.
struct Index {
    /// The `page_count` of pagefind-entry.json.
    page_count: u64,
    pages: Vec<Fragment>,
    /// Each word (and each variant form) with the numbers of the pages holding it.
    words: BTreeMap<String, BTreeSet<usize>>,
}

struct Fragment {
    url: String,
    title: String,
    /// The page's text, without the zero-width spaces Pagefind puts between the words it
    /// segmented.
    content: String,
}

impl Index {
    fn urls(&self) -> BTreeSet<&str> {
        self.pages.iter().map(|p| p.url.as_str()).collect()
    }

    fn page(&self, url: &str) -> &Fragment {
        self.pages
            .iter()
            .find(|p| p.url == url)
            .unwrap_or_else(|| panic!("no fragment for {url}"))
    }

    /// The URLs of the pages a word is found on.
    fn word(&self, word: &str) -> BTreeSet<&str> {
        let pages = self.words.get(word).unwrap_or_else(|| {
            let near: Vec<_> = self
                .words
                .keys()
                .filter(|w| w.contains(word) || word.contains(w.as_str()))
                .take(20)
                .collect();
            panic!("the index lacks the word {word:?}; near it: {near:?}")
        });
        pages.iter().map(|&n| self.pages[n].url.as_str()).collect()
    }
}

/// A Pagefind data file: gunzipped, its signature checked and removed.
fn unpack(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(bytes[..2], [0x1f, 0x8b], "{} is not gzip", path.display());
    let mut data = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut data)
        .unwrap();
    data.strip_prefix(b"pagefind_dcd")
        .unwrap_or_else(|| panic!("{} lacks the pagefind_dcd signature", path.display()))
        .to_vec()
}

fn cbor(path: &Path) -> Value {
    ciborium::from_reader(&unpack(path)[..]).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn array(v: &Value) -> &[Value] {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v:?}"))
}

fn text(v: &Value) -> &str {
    v.as_text().unwrap_or_else(|| panic!("not a string: {v:?}"))
}

fn number(v: &Value) -> usize {
    let n: i128 = v
        .as_integer()
        .unwrap_or_else(|| panic!("not an integer: {v:?}"))
        .into();
    n.try_into().unwrap()
}

/// Reads every language's index from a built site's `pagefind/`.
fn read(dir: &Path) -> BTreeMap<String, Index> {
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("pagefind-entry.json")).unwrap()).unwrap();
    let mut indexes = BTreeMap::new();
    for (lang, info) in entry["languages"].as_object().unwrap() {
        let hash = info["hash"].as_str().unwrap();
        // [version, pages [[hash, word count, group hash]], index chunks [[from, to, hash]], ...]
        let meta = cbor(&dir.join(format!("pagefind.{hash}.pf_meta")));
        let meta = array(&meta);
        assert_eq!(text(&meta[0]), entry["version"].as_str().unwrap());
        let pages = array(&meta[1])
            .iter()
            .map(|p| {
                let hash = text(&array(p)[0]);
                let json: serde_json::Value = serde_json::from_slice(&unpack(
                    &dir.join(format!("fragment/{hash}.pf_fragment")),
                ))
                .unwrap();
                Fragment {
                    url: json["url"].as_str().unwrap().to_owned(),
                    title: json["meta"]["title"].as_str().unwrap_or("").to_owned(),
                    content: json["content"].as_str().unwrap().replace('\u{200b}', ""),
                }
            })
            .collect::<Vec<_>>();
        let page_total = pages.len();
        let mut words: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let chunks = array(&meta[2]);
        assert!(!chunks.is_empty(), "{lang}: no word index");
        for chunk in chunks {
            let hash = text(&array(chunk)[2]);
            // A chunk: [words], each word [word, pages, variants]; a page [number, locs, meta
            // locs]; a variant [form, pages]. Within a list of pages each number is the
            // difference from the one before (delta encoding).
            let index = cbor(&dir.join(format!("index/{hash}.pf_index")));
            for word in array(&array(&index)[0]) {
                let word = array(word);
                let mut add = |form: &Value, pages: &Value| {
                    let set = words.entry(text(form).to_owned()).or_default();
                    let mut n = 0;
                    for (i, page) in array(pages).iter().enumerate() {
                        let delta = number(&array(page)[0]);
                        assert!(i == 0 || delta > 0, "{lang}: a page listed twice");
                        n += delta;
                        assert!(n < page_total, "{lang}: page {n} out of range");
                        set.insert(n);
                    }
                };
                add(&word[0], &word[1]);
                for variant in array(&word[2]) {
                    let variant = array(variant);
                    add(&variant[0], &variant[1]);
                }
            }
        }
        indexes.insert(
            lang.clone(),
            Index {
                page_count: info["page_count"].as_u64().unwrap(),
                pages,
                words,
            },
        );
    }
    indexes
}

/// The URL of every page a built site's index holds, in any language.
pub fn indexed_urls(dir: &Path) -> BTreeSet<String> {
    read(dir)
        .values()
        .flat_map(|i| i.pages.iter().map(|p| p.url.clone()))
        .collect()
}

/// The indexes of the real site (0) and of its grown copy (1), read once.
fn indexes_of(i: usize) -> &'static BTreeMap<String, Index> {
    static INDEXES: [OnceLock<BTreeMap<String, Index>>; 2] = [OnceLock::new(), OnceLock::new()];
    INDEXES[i].get_or_init(|| read(&real_sites()[i].path("output/pagefind")))
}

/// The real site's indexes.
fn indexes() -> &'static BTreeMap<String, Index> {
    indexes_of(0)
}

fn lang(l: &str) -> &'static Index {
    indexes()
        .get(l)
        .unwrap_or_else(|| panic!("no {l} index: {:?}", indexes().keys()))
}

/// `name:` from a content file's front matter.
fn name(root: &Path, rel: &str) -> String {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("name:"))
        .unwrap_or_else(|| panic!("{rel} has no name"))
        .trim()
        .trim_matches('"')
        .to_owned()
}

/// The founders whose former employer is Alibaba, from the content.
fn alibaba_alumni() -> Vec<String> {
    profiles(&repo(), "founders")
        .into_iter()
        .filter(|f| f.field("former_employer") == Some("alibaba"))
        .map(|f| f.slug)
        .collect()
}

#[test]
fn each_language_indexes_every_profile_and_page_and_nothing_else() {
    for (i, site) in real_sites().into_iter().enumerate() {
        let indexes = indexes_of(i);
        let lang = |l: &str| &indexes[l];
        assert_eq!(indexes.keys().collect::<Vec<_>>(), ["en", "zh"]);
        let pages = searchable_pages(site.root());
        let founders = profiles(site.root(), "founders").len();
        assert!(pages.len() > founders, "{pages:?}");
        for (l, prefix) in [("zh", "/"), ("en", "/en/")] {
            let index = lang(l);
            let expected: BTreeSet<String> = pages.iter().map(|p| format!("{prefix}{p}")).collect();
            let got: BTreeSet<String> = index.urls().into_iter().map(str::to_owned).collect();
            assert_eq!(got, expected, "{l}: indexed pages");
            assert_eq!(
                index.pages.len(),
                index.urls().len(),
                "{l}: a page indexed twice"
            );
            assert_eq!(index.page_count, pages.len() as u64, "{l}: page_count");
            for listing in [
                "",
                "founders/",
                "companies/",
                "sectors/",
                "employers/",
                "search/",
            ] {
                assert!(
                    !index.urls().contains(format!("{prefix}{listing}").as_str()),
                    "{l}: {prefix}{listing} is indexed"
                );
            }
            for page in &index.pages {
                assert!(!page.title.is_empty(), "{l}: {} has no title", page.url);
                assert!(
                    !page.content.trim().is_empty(),
                    "{l}: {} has no text",
                    page.url
                );
            }
        }
    }
}

#[test]
fn every_founder_is_found_under_their_name_in_each_language() {
    for (i, site) in real_sites().into_iter().enumerate() {
        let zh = &indexes_of(i)["zh"];
        let en = &indexes_of(i)["en"];
        let root = site.root();
        let mut founders = 0;
        for entry in std::fs::read_dir(root.join("content/founders")).unwrap() {
            let file = entry.unwrap().file_name().to_string_lossy().into_owned();
            let Some(slug) = file.strip_suffix(".zh.md") else {
                continue;
            };
            founders += 1;
            let zh_name = name(root, &format!("content/founders/{slug}.zh.md"));
            let en_name = name(root, &format!("content/founders/{slug}.en.md"));
            let page = zh.page(&format!("/founders/{slug}/"));
            assert_eq!(page.title, zh_name);
            assert!(
                page.content.contains(&zh_name),
                "{slug}: zh text lacks {zh_name}"
            );
            let page = en.page(&format!("/en/founders/{slug}/"));
            assert_eq!(page.title, en_name);
            assert!(
                page.content.contains(&en_name),
                "{slug}: en text lacks {en_name}"
            );
        }
        assert_eq!(founders, profiles(root, "founders").len());
    }
}

fn founder_urls(prefix: &str, slugs: &[&str]) -> BTreeSet<String> {
    slugs
        .iter()
        .map(|s| format!("{prefix}founders/{s}/"))
        .collect()
}

fn founders_found(index: &Index, word: &str, prefix: &str) -> BTreeSet<String> {
    index
        .word(word)
        .into_iter()
        .filter(|u| u.starts_with(&format!("{prefix}founders/")))
        .map(str::to_owned)
        .collect()
}

#[test]
fn chinese_is_segmented_into_words() {
    // 阿里 is a word of its own (not only inside 阿里巴巴 or a longer run of text), and it
    // leads to the three founders from Alibaba.
    let found = founders_found(lang("zh"), "阿里", "/");
    let alumni = alibaba_alumni();
    let alumni = founder_urls("/", &alumni.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(found.is_superset(&alumni), "阿里 finds {found:?}");
    // Their pages hold 阿里 only inside longer runs of Han characters (阿里巴巴,
    // 原阿里云首席安全科学家吴翰清): without segmentation there would be no such word.
    for url in &alumni {
        let runs = han_runs(&lang("zh").page(url).content);
        assert!(runs.iter().any(|r| r.contains("阿里")), "{url}: {runs:?}");
        assert!(
            !runs.iter().any(|r| r == "阿里"),
            "{url}: 阿里 stands alone"
        );
    }
}

#[test]
fn english_words_are_stored_lower_case_and_find_the_alibaba_alumni() {
    let en = lang("en");
    assert!(!en.words.contains_key("Alibaba"));
    let found = founders_found(en, "alibaba", "/en/");
    assert!(
        found.is_superset(&founder_urls(
            "/en/",
            &alibaba_alumni()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        )),
        "alibaba finds {found:?}"
    );
    // The facts in the other language, hidden from readers, are indexed too: "Alibaba"
    // finds them on the Chinese site.
    let found = founders_found(lang("zh"), "alibaba", "/");
    assert!(
        found.is_superset(&founder_urls(
            "/",
            &alibaba_alumni()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        )),
        "alibaba on the zh site finds {found:?}"
    );
}

/// The runs of Han characters in a text, as an indexer that does not segment takes them.
fn han_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !('\u{4e00}'..='\u{9fff}').contains(&c))
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}
