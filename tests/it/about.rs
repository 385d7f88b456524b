//! The about page's promises, checked against the content: every English name the site
//! adds is in the glossary and marked where it names a profile or sits in a former title,
//! and every inferred value is marked and listed. If the content drifts from the page (or
//! the page from the content), one of these fails.

use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml::Value;

use crate::repo;

/// The front matter of a content file, or `Null` when it has none.
fn front_matter(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let Some(rest) = text.strip_prefix("---\n") else {
        return Value::Null;
    };
    let end = rest.find("\n---").unwrap_or(rest.len());
    serde_yaml::from_str(&rest[..end]).unwrap_or(Value::Null)
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

fn list(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_sequence)
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `(zh, en, added)` for every glossary entry.
fn glossary() -> Vec<(String, String, bool)> {
    let text = std::fs::read_to_string(repo().join("content/glossary.yaml")).unwrap();
    let terms: Vec<Value> = serde_yaml::from_str(&text).unwrap();
    terms
        .iter()
        .map(|t| {
            (
                t["zh"].as_str().unwrap_or("").to_owned(),
                t["en"].as_str().unwrap_or("").to_owned(),
                t.get("added").and_then(Value::as_bool).unwrap_or(false),
            )
        })
        .collect()
}

/// Whether `word` occurs in `hay` as a whole word (ASCII letters and digits on neither side).
fn has_word(hay: &str, word: &str) -> bool {
    let edge = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric());
    hay.match_indices(word)
        .any(|(i, w)| edge(hay[..i].chars().next_back()) && edge(hay[i + w.len()..].chars().next()))
}

/// The slugs of `kind` (`founders`, ...) with an English file.
fn english_profiles(kind: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(repo().join("content").join(kind))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let slug = name.strip_suffix(".en.md")?;
            (!slug.starts_with('_')).then(|| slug.to_owned())
        })
        .collect();
    out.sort();
    out
}

/// The about page: "Where such a name is the name of a company or a former employer, or
/// part of a founder's former title, the page marks that value '(added by the site)'".
#[test]
fn every_added_english_name_in_a_profile_name_or_former_title_is_marked() {
    let added: Vec<(String, String)> = glossary()
        .into_iter()
        .filter(|t| t.2)
        .map(|(zh, en, _)| (zh, en))
        .collect();
    let mut unmarked = Vec::new();
    let mut checked = 0;
    for kind in ["founders", "companies", "employers"] {
        for slug in english_profiles(kind) {
            let dir = repo().join("content").join(kind);
            let en = front_matter(&dir.join(format!("{slug}.en.md")));
            let zh = front_matter(&dir.join(format!("{slug}.zh.md")));
            let marks: BTreeSet<String> = list(&en, "added")
                .into_iter()
                .chain(list(&zh, "added"))
                .collect();
            for field in ["name", "former_title"] {
                let value = text(&en, field);
                let source = text(&zh, field);
                // An added English name the Chinese value does not already carry.
                let names: Vec<&str> = added
                    .iter()
                    .filter(|(_, e)| has_word(&value, e) && !has_word(&source, e))
                    .map(|(_, e)| e.as_str())
                    .collect();
                checked += 1;
                if !names.is_empty() && !marks.contains(field) {
                    unmarked.push(format!("{kind}/{slug}.en.md `{field}`: {names:?}"));
                }
                if names.is_empty() && marks.contains(field) && field != "name" {
                    unmarked.push(format!(
                        "{kind}/{slug}.en.md marks `{field}` added, but it holds no added name"
                    ));
                }
            }
        }
    }
    assert!(checked > 0);
    assert!(unmarked.is_empty(), "{unmarked:#?}");
}

/// The about page: every example of an official English name, "StepFun (阶跃星辰)", is a
/// glossary entry marked `added: true`.
#[test]
fn the_about_pages_examples_of_added_names_are_in_the_glossary_as_added() {
    let terms = glossary();
    for (page, start, end) in [
        ("about.en.md", "for example ", " and the English name"),
        ("about.zh.md", "例如 ", "，以及"),
    ] {
        let body = std::fs::read_to_string(repo().join("content/pages").join(page)).unwrap();
        let from = body
            .find(start)
            .unwrap_or_else(|| panic!("{page}: no `{start}`"))
            + start.len();
        let to = from
            + body[from..]
                .find(end)
                .unwrap_or_else(|| panic!("{page}: no `{end}`"));
        let mut seen = 0;
        let items = body[from..to]
            .split([',', '、'])
            .flat_map(|i| i.split(" and "));
        for item in items.map(str::trim).filter(|i| !i.is_empty()) {
            let Some(open) = item.find(['(', '（']) else {
                panic!("{page}: `{item}` is not `English (中文)`");
            };
            let en = item[..open].trim();
            let zh = item[open..]
                .trim_start_matches(['(', '（'])
                .trim_end_matches([')', '）']);
            seen += 1;
            assert!(
                terms.iter().any(|t| t.0 == zh && t.1 == en && t.2),
                "{page}: `{en} ({zh})` is not a glossary entry with `added: true`"
            );
        }
        assert!(seen >= 5, "{page}: found only {seen} examples");
    }
}

/// The about page: "At present one value is inferred: the funding of Lepton AI". The
/// profiles it lists there are exactly those whose front matter has `inferred:`.
#[test]
fn the_about_page_lists_exactly_the_inferred_values() {
    let mut inferred = BTreeSet::new();
    for kind in ["founders", "companies"] {
        let dir = repo().join("content").join(kind);
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(slug) = name.strip_suffix(".zh.md") else {
                continue;
            };
            if !list(&front_matter(&path), "inferred").is_empty() {
                inferred.insert(format!("@/{kind}/{slug}"));
            }
        }
    }
    for (page, marker, at_present) in [
        ("about.en.md", "**No speculation", "At present"),
        ("about.zh.md", "**不做推测", "目前"),
    ] {
        let body = std::fs::read_to_string(repo().join("content/pages").join(page)).unwrap();
        let line = body
            .lines()
            .find(|l| l.contains(marker))
            .unwrap_or_else(|| panic!("{page} has no line with {marker}"));
        let listed = &line[line
            .find(at_present)
            .unwrap_or_else(|| panic!("{page}: no `{at_present}`"))..];
        let linked: BTreeSet<String> = listed
            .match_indices("](@/")
            .map(|(i, _)| {
                let l = &listed[i + 2..];
                l[..l.find(')').unwrap_or(l.len())].to_owned()
            })
            .collect();
        assert_eq!(
            linked, inferred,
            "{page} lists other inferred values than the content has"
        );
    }
}

/// The about page: a statement that is the site's own inference says so, in both languages.
#[test]
fn an_inference_in_the_text_is_marked_in_both_languages() {
    for kind in ["founders", "companies", "sectors", "employers", "pages"] {
        let dir = repo().join("content").join(kind);
        for slug in english_profiles(kind) {
            let en = std::fs::read_to_string(dir.join(format!("{slug}.en.md"))).unwrap();
            let zh = std::fs::read_to_string(dir.join(format!("{slug}.zh.md"))).unwrap();
            let en_marks = en.matches("the site's inference").count();
            let zh_marks = zh.matches("本站推断").count();
            assert_eq!(
                en_marks > 0,
                zh_marks > 0,
                "{kind}/{slug}: an inference is marked in one language only"
            );
        }
    }
}
