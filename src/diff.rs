//! `dossier diff OLD NEW`: what changed between two builds of a site, as Markdown (for a
//! pull request's job summary): the pages added, changed and removed, by address, and for
//! a changed profile the fields of its open-data record that changed.
//!
//! A page is an HTML file; its address is its path under the output directory, with
//! `index.html` left off (`/en/founders/zhang-yi/`). Two pages are the same when their
//! bytes are. The fields come from the open data every build writes per language
//! (`data/founders.json`, `en/data/companies.json`...): a record belongs to the page its
//! `url` names, and two records are compared key by key. Two keys are left out of that
//! comparison because every edit moves them: `last_updated` and `first_added` come from
//! the git history, not from the content.
//!
//! Every other file (the search index, the open data itself, feeds, sitemaps, images,
//! share cards, scripts and styles) follows from the pages and their content: they are
//! counted, not listed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::render::tables::Table;

/// Keys of a record that change with every edit (they come from the git history): not
/// reported as changed fields.
const HISTORY_KEYS: [&str; 2] = ["first_added", "last_updated"];

/// Pages listed per section at most; the rest are counted (a job summary holds 1 MiB).
const MAX_LISTED: usize = 250;

/// Characters of a value shown at most.
const VALUE_WIDTH: usize = 80;

/// What changed between two builds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// Pages in the new build.
    pub pages: usize,
    pub added: Vec<Page>,
    pub changed: Vec<Page>,
    pub removed: Vec<Page>,
    /// Files that are not pages: added, changed, removed.
    pub other: (usize, usize, usize),
}

/// A page that was added, changed or removed.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Its address under the site's root: `/`, `/en/founders/zhang-yi/`, `/404.html`.
    pub path: String,
    /// Its `<title>`, without the site's name after ` · `; empty when it has none.
    pub title: String,
    /// For a changed page with an open-data record on either side (a profile), the fields
    /// that changed; None for any other page.
    pub fields: Option<Vec<Field>>,
}

/// A field of a profile's record that changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// The value before; None when the record had no such key.
    pub old: Option<Value>,
    /// The value after; None when the record has no such key any more.
    pub new: Option<Value>,
}

/// A built site: its files by path (with `/`), relative to its root.
struct Built {
    root: PathBuf,
    files: BTreeMap<String, PathBuf>,
}

impl Built {
    /// Lists the output directory `dir`; `which` (OLD or NEW) names it in errors.
    fn open(dir: &Path, which: &str) -> Result<Built> {
        let shown = dir.display();
        let hint = "give the output directory of a build (`dossier build --output DIR`)";
        if !dir.exists() {
            return Err(Error::Usage(format!(
                "{which} `{shown}` does not exist: {hint}"
            )));
        }
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "{which} `{shown}` is not a directory: {hint}"
            )));
        }
        if !dir.join("index.html").is_file() {
            return Err(Error::Usage(format!(
                "{which} `{shown}` is not a built site (it has no index.html): {hint}"
            )));
        }
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).follow_links(false) {
            let entry = entry.map_err(|source| Error::Walk {
                path: dir.to_path_buf(),
                source,
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.insert(rel.join("/"), entry.path().to_path_buf());
        }
        Ok(Built {
            root: dir.to_path_buf(),
            files,
        })
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>> {
        let path = self.root.join(rel);
        std::fs::read(&path).map_err(|source| Error::Read { path, source })
    }

    /// The addresses of its pages.
    fn pages(&self) -> BTreeSet<String> {
        self.files
            .keys()
            .filter(|rel| is_page(rel))
            .map(|rel| address(rel))
            .collect()
    }

    /// The open-data record of each profile page, by the page's address.
    fn records(&self) -> Result<BTreeMap<String, Map<String, Value>>> {
        let pages = self.pages();
        let mut out = BTreeMap::new();
        for rel in self.files.keys() {
            let Some((dir, file)) = rel.rsplit_once('/') else {
                continue;
            };
            let is_table = Table::ALL
                .iter()
                .any(|t| file.strip_suffix(".json") == Some(t.name()));
            if !is_table || !(dir == "data" || dir.ends_with("/data")) {
                continue;
            }
            let bytes = self.read(rel)?;
            let records: Vec<Value> = serde_json::from_slice(&bytes).map_err(|e| {
                Error::Usage(format!(
                    "{}: not the open data of a dossier build: {e}",
                    self.root.join(rel).display()
                ))
            })?;
            for record in records {
                let Value::Object(record) = record else {
                    continue;
                };
                let page = record
                    .get("url")
                    .and_then(Value::as_str)
                    .and_then(|url| page_of(url, &pages));
                if let Some(page) = page {
                    out.insert(page, record);
                }
            }
        }
        Ok(out)
    }

    /// The title of a page (its first `<title>`, as the head has it first).
    fn title(&self, rel: &str) -> Result<String> {
        let html = self.read(rel)?;
        let html = String::from_utf8_lossy(&html);
        let Some(start) = html.find("<title>").map(|i| i + "<title>".len()) else {
            return Ok(String::new());
        };
        let Some(len) = html[start..].find("</title>") else {
            return Ok(String::new());
        };
        let title = html_escape::decode_html_entities(html[start..start + len].trim());
        // "张毅 · 大厂高管 AIGC 创业名录": the page's own part.
        let own = match title.rsplit_once(" · ") {
            Some((own, _)) => own,
            None => &title,
        };
        Ok(own.trim().to_owned())
    }
}

fn is_page(rel: &str) -> bool {
    rel.ends_with(".html")
}

/// `en/founders/x/index.html` -> `/en/founders/x/`; `404.html` -> `/404.html`.
fn address(rel: &str) -> String {
    if rel == "index.html" {
        return "/".to_owned();
    }
    match rel.strip_suffix("/index.html") {
        Some(dir) => format!("/{dir}/"),
        None => format!("/{rel}"),
    }
}

/// The page of `pages` that an absolute URL names, whatever base URL (host and project
/// path) the site was built for: the URL's path with leading segments taken off until
/// what is left is a page (`https://x.github.io/repo/en/founders/a/` -> `/en/founders/a/`).
fn page_of(url: &str, pages: &BTreeSet<String>) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let mut path = &rest[rest.find('/')?..];
    // A record is a profile: never the home page, which every shorter path would reach.
    while path != "/" {
        if pages.contains(path) {
            return Some(path.to_owned());
        }
        let next = path[1..].find('/')?;
        path = &path[1 + next..];
    }
    None
}

/// Compares the builds in `old` and `new` (output directories).
pub fn diff(old: &Path, new: &Path) -> Result<Diff> {
    let old = Built::open(old, "OLD")?;
    let new = Built::open(new, "NEW")?;
    let (old_records, new_records) = (old.records()?, new.records()?);
    let mut d = Diff {
        pages: new.files.keys().filter(|r| is_page(r)).count(),
        ..Diff::default()
    };
    let all: BTreeSet<&String> = old.files.keys().chain(new.files.keys()).collect();
    for rel in all {
        let (before, after) = (old.files.get(rel), new.files.get(rel));
        let page = is_page(rel);
        match (before, after) {
            (None, Some(_)) if page => d.added.push(Page {
                path: address(rel),
                title: new.title(rel)?,
                fields: None,
            }),
            (Some(_), None) if page => d.removed.push(Page {
                path: address(rel),
                title: old.title(rel)?,
                fields: None,
            }),
            (None, Some(_)) => d.other.0 += 1,
            (Some(_), None) => d.other.2 += 1,
            (Some(_), Some(_)) => {
                if old.read(rel)? == new.read(rel)? {
                    continue;
                }
                if !page {
                    d.other.1 += 1;
                    continue;
                }
                let path = address(rel);
                let (a, b) = (old_records.get(&path), new_records.get(&path));
                let fields = (a.is_some() || b.is_some()).then(|| fields(a, b));
                d.changed.push(Page {
                    title: new.title(rel)?,
                    path,
                    fields,
                });
            }
            (None, None) => {}
        }
    }
    for pages in [&mut d.added, &mut d.changed, &mut d.removed] {
        pages.sort_by(|a, b| a.path.cmp(&b.path));
    }
    Ok(d)
}

/// The keys whose values differ between two records (in the records' key order).
fn fields(old: Option<&Map<String, Value>>, new: Option<&Map<String, Value>>) -> Vec<Field> {
    let empty = Map::new();
    let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let mut keys: Vec<&String> = new.keys().collect();
    keys.extend(old.keys().filter(|k| !new.contains_key(*k)));
    keys.into_iter()
        .filter(|k| !HISTORY_KEYS.contains(&k.as_str()))
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| Field {
            name: k.clone(),
            old: old.get(k).cloned(),
            new: new.get(k).cloned(),
        })
        .collect()
}

impl Diff {
    /// Whether any file differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && self.other == (0, 0, 0)
    }

    /// The report, in GitHub-flavoured Markdown.
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "## Pages: {} added, {} changed, {} removed\n\n",
            self.added.len(),
            self.changed.len(),
            self.removed.len()
        );
        let changed_pages = self.added.len() + self.changed.len() + self.removed.len();
        if changed_pages == 0 {
            s.push_str(&format!(
                "No page changed ({} {}).\n",
                self.pages,
                plural(self.pages, "page", "pages")
            ));
        } else {
            s.push_str(&format!(
                "The new build has {} {}. Addresses are under the site's base URL.\n",
                self.pages,
                plural(self.pages, "page", "pages")
            ));
        }
        for (heading, pages) in [
            ("Added", &self.added),
            ("Changed", &self.changed),
            ("Removed", &self.removed),
        ] {
            if pages.is_empty() {
                continue;
            }
            s.push_str(&format!("\n### {heading} ({})\n\n", pages.len()));
            for page in pages.iter().take(MAX_LISTED) {
                s.push_str(&format!("- {}", code(&page.path)));
                if !page.title.is_empty() {
                    s.push_str(&format!(" {}", text(&page.title)));
                }
                match &page.fields {
                    Some(fields) if fields.is_empty() => s.push_str(
                        ": no field of its record changed (its text, or what it shows of other pages)\n",
                    ),
                    Some(fields) => {
                        s.push('\n');
                        for f in fields {
                            s.push_str(&format!("  - {}: {}\n", code(&f.name), change(f)));
                        }
                    }
                    None => s.push('\n'),
                }
            }
            if pages.len() > MAX_LISTED {
                s.push_str(&format!("- … and {} more\n", pages.len() - MAX_LISTED));
            }
        }
        let (a, c, r) = self.other;
        if a + c + r > 0 {
            s.push_str(&format!(
                "\nOther files (search index, open data, feeds, sitemaps, images, share cards, scripts and styles) follow from the pages and are not listed: {a} added, {c} changed, {r} removed.\n"
            ));
        }
        s
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `` `old` → `new` `` for a field, the values cut to what a reader needs: a long text
/// from a little before the first difference.
fn change(f: &Field) -> String {
    let shown = |v: &Option<Value>| -> Option<String> {
        v.as_ref().map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    let (old, new) = (shown(&f.old), shown(&f.new));
    let from = match (&old, &new) {
        (Some(a), Some(b)) => a
            .chars()
            .zip(b.chars())
            .take_while(|(x, y)| x == y)
            .count()
            .saturating_sub(20),
        _ => 0,
    };
    let cut = |v: Option<String>| match v {
        None => "(none)".to_owned(),
        Some(v) => code(&window(&v, from)),
    };
    format!("{} → {}", cut(old), cut(new))
}

/// At most [`VALUE_WIDTH`] characters of `v` from character `from`, with `…` where text
/// is left out; line breaks as spaces.
fn window(v: &str, from: usize) -> String {
    let chars: Vec<char> = v
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    // The same start in the old and the new value, so that they line up.
    let from = if chars.len() <= VALUE_WIDTH {
        0
    } else {
        from.min(chars.len() - 1)
    };
    let end = (from + VALUE_WIDTH).min(chars.len());
    let mut s = String::new();
    if from > 0 {
        s.push('…');
    }
    s.extend(&chars[from..end]);
    if end < chars.len() {
        s.push('…');
    }
    s
}

/// A Markdown code span holding `s` exactly, whatever backticks it has.
fn code(s: &str) -> String {
    if s.is_empty() {
        return "`\"\"`".to_owned();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || longest > 0 {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Text with the characters Markdown or HTML would read as markup escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_files() {
        assert_eq!(address("index.html"), "/");
        assert_eq!(
            address("en/founders/zhang-yi/index.html"),
            "/en/founders/zhang-yi/"
        );
        assert_eq!(address("404.html"), "/404.html");
    }

    #[test]
    fn a_record_belongs_to_the_page_its_url_names_under_any_base_url() {
        let pages: BTreeSet<String> = ["/", "/founders/a/", "/en/founders/a/"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let at = |u: &str| page_of(u, &pages);
        assert_eq!(
            at("https://o.github.io/repo/en/founders/a/").as_deref(),
            Some("/en/founders/a/")
        );
        assert_eq!(
            at("https://o.github.io/repo/founders/a/").as_deref(),
            Some("/founders/a/")
        );
        assert_eq!(
            at("http://127.0.0.1:1111/founders/a/").as_deref(),
            Some("/founders/a/")
        );
        assert_eq!(at("https://o.github.io/repo/founders/b/"), None);
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("/founders/a/"), "`/founders/a/`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code(""), "`\"\"`");
    }

    #[test]
    fn a_long_text_is_shown_from_a_little_before_its_first_difference() {
        let old = Some(Value::String(format!("{}old ending", "x".repeat(200))));
        let new = Some(Value::String(format!("{}new ending", "x".repeat(200))));
        let shown = change(&Field {
            name: "summary".into(),
            old,
            new,
        });
        assert!(shown.contains("old ending` → `…"), "{shown}");
        assert!(shown.ends_with("new ending`"), "{shown}");
    }

    #[test]
    fn titles_escape_markdown() {
        assert_eq!(text("a *b* <i>"), "a \\*b\\* \\<i\\>");
    }
}
