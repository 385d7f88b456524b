//! `content/glossary.yaml`: one English name for each Chinese name the site uses, and the
//! wrong variants seen so far. `dossier check` reads every English text against it: the
//! English files, and the `en:` wording that default-language files carry for neutral
//! lists (investors, products, notes). A listed variant, or a glossary term left in Chinese
//! with its English nowhere near, is a warning (an error with `--strict`).

use std::path::Path;

use serde::Deserialize;

use crate::config::{Config, LangId};
use crate::content::{Content, Entry, SourceFile};
use crate::error::Diagnostic;

/// Where the glossary lives, relative to the site root.
pub const PATH: &str = "content/glossary.yaml";

/// The language whose texts the glossary checks.
const LANG: &str = "en";

/// One term: its Chinese, its one English form, and English forms not to use.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub zh: String,
    pub en: String,
    #[serde(default)]
    pub variants: Vec<String>,
    /// The English form comes from outside the source (an official English name), not
    /// from the source or a plain translation; the about page lists what the site adds.
    #[serde(default)]
    pub added: bool,
    /// Free text for editors.
    #[serde(default)]
    pub note: Option<String>,
}

/// Reads and validates the glossary; `Ok(None)` when the site has none.
pub fn load(root: &Path) -> Result<Option<Vec<Term>>, Vec<Diagnostic>> {
    let path = root.join(PATH);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => crate::text::normalize(&t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(vec![Diagnostic::file(PATH, format!("cannot read: {e}"))]),
    };
    let terms: Vec<Term> = if text.trim().is_empty() {
        Vec::new()
    } else {
        crate::yaml::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::new(
                PATH,
                e.line.max(1),
                e.col.max(1),
                entry_message(&crate::yaml::short_message(&e.message)),
            )
            .with_source(&text);
            d = d.with_hint(match crate::yaml::unknown_field_hint(&e.message) {
                Some(h) => h,
                None => "the glossary is a list of entries: `- zh: 高瓴创投`, `  en: GL Ventures`, `  variants: [Hillhouse Ventures]`".into(),
            });
            vec![d]
        })?
    };
    // Entries are found by their `zh:` line, for problems serde cannot see.
    let at_zh = |zh: &str, msg: String| {
        let needle = format!("zh: {zh}");
        let line = text
            .lines()
            .position(|l| l.trim_start_matches(['-', ' ']).trim_end() == needle)
            .map_or(0, |i| i + 1);
        Diagnostic::new(PATH, line, 1, msg).with_source(&text)
    };
    let mut diags = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        if t.zh.trim().is_empty() || t.en.trim().is_empty() {
            diags.push(
                at_zh(&t.zh, format!("entry {} has an empty `zh` or `en`", i + 1))
                    .with_hint("give both the Chinese and the English form"),
            );
        }
        if terms[..i].iter().any(|o| o.zh == t.zh) {
            diags.push(
                at_zh(&t.zh, format!("`{}` is in the glossary twice", t.zh)).with_hint(
                    "keep one entry per Chinese term; list other English forms under `variants`",
                ),
            );
        }
        for v in &t.variants {
            if v == &t.en || v.trim().is_empty() {
                diags.push(
                    at_zh(
                        &t.zh,
                        format!(
                            "variant `{v}` of `{}` is empty or the canonical form itself",
                            t.zh
                        ),
                    )
                    .with_hint("variants are the English forms not to use"),
                );
            }
        }
    }
    if diags.is_empty() {
        Ok(Some(terms))
    } else {
        Err(diags)
    }
}

/// serde's `.[2]: unknown field` as `entry 3: unknown field`.
fn entry_message(m: &str) -> String {
    let parsed = m.strip_prefix(".[").and_then(|r| {
        let (n, rest) = r.split_once(']')?;
        Some((
            n.parse::<usize>().ok()?,
            rest.trim_start_matches(['.', ':', ' ']),
        ))
    });
    match parsed {
        Some((n, rest)) => format!("entry {}: {rest}", n + 1),
        None => m.to_owned(),
    }
}

/// Checks every English text of the site against the glossary. Problems are warnings,
/// errors when `strict`; a malformed glossary is always an error.
pub fn check(cfg: &Config, content: &Content, strict: bool) -> Vec<Diagnostic> {
    let terms = match load(&cfg.root) {
        Ok(Some(t)) => t,
        Ok(None) => return Vec::new(),
        Err(d) => return d,
    };
    let Some(en) = cfg.lang_id(LANG) else {
        return Vec::new();
    };
    let mut files: Vec<&SourceFile> = Vec::new();
    let mut originals: Vec<&SourceFile> = Vec::new();
    fn collect<'a, T>(
        entries: impl IntoIterator<Item = &'a std::sync::Arc<Entry<T>>>,
        en: LangId,
        files: &mut Vec<&'a SourceFile>,
        originals: &mut Vec<&'a SourceFile>,
    ) where
        T: 'a,
    {
        for e in entries {
            if let Some(d) = e.own(en).filter(|_| !en.is_default()) {
                files.push(&d.src);
            } else if en.is_default() {
                files.push(&e.original().src);
            }
            originals.push(&e.original().src);
        }
    }
    collect(&content.founders, en, &mut files, &mut originals);
    collect(&content.companies, en, &mut files, &mut originals);
    collect(&content.sectors, en, &mut files, &mut originals);
    collect(&content.employers, en, &mut files, &mut originals);
    collect(&content.pages, en, &mut files, &mut originals);
    collect(
        content.intros.iter().map(|(_, e)| e),
        en,
        &mut files,
        &mut originals,
    );
    let mut out = Vec::new();
    for src in files {
        check_text(src, &english_spans(src), &terms, &mut out);
    }
    if !en.is_default() {
        for src in originals {
            for span in en_values(src) {
                check_text(src, &[span], &terms, &mut out);
            }
        }
    }
    out.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    out.dedup();
    if !strict {
        out = out.into_iter().map(Diagnostic::warning).collect();
    }
    out
}

/// Byte ranges of an English file to read: all of it but the `aka:` block of the front
/// matter, where other names of a person are listed on purpose.
fn english_spans(src: &SourceFile) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    let mut in_aka = false;
    for line in src.text[..src.split.body_start].split_inclusive('\n') {
        let indented = line.starts_with([' ', '-']);
        if in_aka && !indented {
            in_aka = false;
            start = pos;
        }
        if line.starts_with("aka:") {
            spans.push((start, pos));
            in_aka = true;
        }
        pos += line.len();
    }
    if !in_aka {
        spans.push((start, src.split.body_start));
    }
    spans.push((src.split.body_start, src.text.len()));
    spans
}

/// Byte ranges of the `en:` values in a default-language file's front matter:
/// `{zh: 靖亚资本, en: Jingya Capital}` and `en: "..."` lines.
fn en_values(src: &SourceFile) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut pos = 0;
    for line in src.text[..src.split.body_start].split_inclusive('\n') {
        let mut from = 0;
        while let Some(i) = line[from..].find("en: ") {
            let at = from + i;
            let before = line[..at].trim_end_matches(' ');
            if before.is_empty() || before.ends_with(['{', ',']) {
                let value = at + 4;
                let end = line[value..]
                    .find(", zh:")
                    .map_or(line.trim_end().len(), |j| value + j);
                spans.push((pos + value, pos + end.max(value)));
            }
            from = at + 4;
        }
        pos += line.len();
    }
    spans
}

/// Occurrences of `needle` in `hay`: ASCII letters compared without case unless
/// `exact`, and a needle that starts or ends with a letter or digit only as a whole word.
fn find_all(hay: &str, needle: &str, exact: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let edge_start = word(needle.chars().next());
    let edge_end = word(needle.chars().next_back());
    for (i, _) in hay.char_indices() {
        let j = i + needle.len();
        if j > hay.len() || !hay.is_char_boundary(j) {
            continue;
        }
        let cand = &hay[i..j];
        let same = if exact {
            cand == needle
        } else {
            cand.eq_ignore_ascii_case(needle)
        };
        if !same
            || (edge_start && word(hay[..i].chars().next_back()))
            || (edge_end && word(hay[j..].chars().next()))
        {
            continue;
        }
        out.push((i, j));
    }
    out
}

fn check_text(
    src: &SourceFile,
    spans: &[(usize, usize)],
    terms: &[Term],
    out: &mut Vec<Diagnostic>,
) {
    for t in terms {
        let mut zh_at = None;
        let mut en_seen = false;
        for &(a, b) in spans {
            let text = &src.text[a..b];
            let canon = find_all(text, &t.en, false);
            let zh = find_all(text, &t.zh, true);
            en_seen |= !canon.is_empty();
            if zh_at.is_none() {
                zh_at = zh.first().map(|&(i, _)| a + i);
            }
            for v in &t.variants {
                // A variant differing from the canonical form only in case is compared exactly.
                let exact = v.eq_ignore_ascii_case(&t.en);
                let canon = if exact {
                    find_all(text, &t.en, true)
                } else {
                    canon.clone()
                };
                for (i, j) in find_all(text, v, exact) {
                    let inside = canon.iter().chain(&zh).any(|&(p, q)| p <= i && j <= q);
                    if !inside {
                        out.push(
                            src.diag_at(
                                a + i,
                                format!("`{v}` is not this site's name for {}", t.zh),
                            )
                            .with_hint(format!("write `{}` (see {PATH})", t.en)),
                        );
                    }
                }
            }
        }
        if let (Some(at), false) = (zh_at, en_seen) {
            out.push(
                src.diag_at(at, format!("leaves {} untranslated", t.zh))
                    .with_hint(format!("write {} ({})", t.en, t.zh)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_case() {
        assert_eq!(find_all("CPE Yuanfeng, CPE源峰", "CPE", false).len(), 2);
        assert!(find_all("iQIYI", "iQiyi", true).is_empty());
        assert_eq!(find_all("iqiyi", "iQIYI", false), vec![(0, 5)]);
        assert!(find_all("RECPE", "CPE", false).is_empty());
        assert!(find_all("Kuixing Assistant", "Kuixing assistant", true).is_empty());
        assert_eq!(find_all("实在智能 x", "实在智能", true), vec![(0, 12)]);
    }
}
