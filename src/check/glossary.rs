//! `content/glossary.yaml`: one English name for each Chinese name the site uses, and the
//! wrong variants seen so far. `dossier check` reads every English text against it: the
//! English files, and the `en:` wording that default-language files carry for neutral
//! lists (investors, products, notes). A listed variant, or a glossary term left in Chinese
//! with its English nowhere near, is a warning (an error with `--strict`). So is an English
//! proper name that the Chinese version of its page does not contain and no glossary entry
//! covers: a name the site translated or added, which the glossary must then list.

mod terms;

use crate::config::{Config, LangId};
use crate::content::{Content, Entry, SourceFile, MONTHS};
use crate::error::Diagnostic;
pub use terms::{load, Term, PATH};

/// The language whose texts the glossary checks.
const LANG: &str = "en";

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
    // English files with the original (Chinese) file of the same page.
    let mut pairs: Vec<(&SourceFile, &SourceFile)> = Vec::new();
    fn collect<'a, T>(
        entries: impl IntoIterator<Item = &'a std::sync::Arc<Entry<T>>>,
        en: LangId,
        files: &mut Vec<&'a SourceFile>,
        originals: &mut Vec<&'a SourceFile>,
        pairs: &mut Vec<(&'a SourceFile, &'a SourceFile)>,
    ) where
        T: 'a,
    {
        for e in entries {
            if let Some(d) = e.own(en).filter(|_| !en.is_default()) {
                files.push(&d.src);
                pairs.push((&d.src, &e.original().src));
            } else if en.is_default() {
                files.push(&e.original().src);
            }
            originals.push(&e.original().src);
        }
    }
    let (f, o, p) = (&mut files, &mut originals, &mut pairs);
    collect(&content.founders, en, f, o, p);
    collect(&content.companies, en, f, o, p);
    collect(&content.sectors, en, f, o, p);
    collect(&content.employers, en, f, o, p);
    collect(&content.pages, en, f, o, p);
    collect(content.intros.iter().map(|(_, e)| e), en, f, o, p);
    let mut out = Vec::new();
    for src in files {
        check_text(src, &english_spans(src), &terms, &mut out);
    }
    if !en.is_default() {
        for src in originals {
            for span in en_values(src) {
                check_text(src, &[span], &terms, &mut out);
            }
            // The English wording of a Chinese file, against the rest of that file.
            let spans = en_values(src);
            let chinese = blank(&src.text, &spans);
            check_names(src, &spans, &chinese, &terms, &mut out);
        }
        for (en_src, zh_src) in pairs {
            let spans = names_spans(en_src);
            let chinese = blank(&zh_src.text, &en_values(zh_src));
            check_names(en_src, &spans, &chinese, &terms, &mut out);
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

/// `text` with the byte ranges `spans` blanked out (replaced by spaces).
fn blank(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for &(a, b) in spans {
        if a < pos || b > text.len() {
            continue;
        }
        out.push_str(&text[pos..a]);
        out.push_str(&" ".repeat(text[a..b].chars().count()));
        pos = b;
    }
    out.push_str(&text[pos..]);
    out
}

/// The spans of an English file read for proper names: those of [`english_spans`] but
/// the `former_title:` line, whose words are capitalised as a title, not as names (the
/// names in it are still held to the glossary's forms).
fn names_spans(src: &SourceFile) -> Vec<(usize, usize)> {
    let head = &src.text[..src.split.body_start];
    let title = crate::yaml::key_line(head, "former_title").map(|l| {
        let a = crate::text::line_start(head, l);
        let b = head[a..].find('\n').map_or(head.len(), |i| a + i);
        (a, b)
    });
    let mut out = Vec::new();
    for (a, b) in english_spans(src) {
        match title {
            Some((ta, tb)) if a <= ta && tb <= b => {
                out.push((a, ta));
                out.push((tb, b));
            }
            _ => out.push((a, b)),
        }
    }
    out
}

/// Capitalised words that are English, not names: read without a glossary entry. A word
/// that starts a sentence, a heading or a list item is never read as a name either.
/// (The months are read from [`MONTHS`] as well.)
const NOT_NAMES: &[&str] = &[
    "I",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Series",
    "Chinese",
    "English",
    // Page titles in link text, and abbreviations of common terms and currencies.
    "The",
    "This",
    "About",
    "Also",
    "Recent",
    "HR",
    "RPA",
    "RMB",
    "US",
];

/// Capitalised words of `text` (byte ranges): a letter A-Z followed by letters, digits
/// and `.` or `&` inside the word (`JD.com`), or a digit-led word with an upper-case
/// letter (`4Paradigm`, `5Y`). A hyphen or an apostrophe ends a word, so that `AI-agent`
/// is read as `AI` and `Baidu's` as `Baidu`.
fn capitalised_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric();
    let mut i = 0;
    while i < bytes.len() {
        if !is_word(bytes[i]) || (i > 0 && (is_word(bytes[i - 1]) || bytes[i - 1] == b'_')) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len()
            && (is_word(bytes[j])
                || (matches!(bytes[j], b'.' | b'&')
                    && bytes.get(j + 1).is_some_and(|&b| is_word(b))))
        {
            j += 1;
        }
        let w = &text[i..j];
        let upper_led = w.as_bytes()[0].is_ascii_uppercase();
        let digit_led =
            w.as_bytes()[0].is_ascii_digit() && w.bytes().any(|b| b.is_ascii_uppercase());
        if upper_led || digit_led {
            out.push((i, j));
        }
        i = j.max(i + 1);
    }
    out
}

/// Whether the word at `i` of `text` opens a sentence, heading, list item or quotation.
fn opens_sentence(text: &str, i: usize) -> bool {
    for c in text[..i].chars().rev() {
        match c {
            ' ' | '*' | '_' | '"' | '\'' | '“' | '‘' | '(' | '[' | '#' | '>' | '`' => continue,
            '\n' | '.' | '!' | '?' | ':' | ';' | '-' | '—' | '–' => return true,
            _ => return false,
        }
    }
    true
}

/// Whether `word` occurs as a whole word in `text`, case and all.
fn has_word(text: &str, word: &str) -> bool {
    !find_all(text, word, true).is_empty()
}

/// Reports each capitalised word of the English `spans` of `src` that names something
/// without a glossary entry: it is not in `chinese` (the Chinese version of the page,
/// where a name the article writes in Latin letters appears as is), no glossary form
/// covers it, and it does not open a sentence.
fn check_names(
    src: &SourceFile,
    spans: &[(usize, usize)],
    chinese: &str,
    terms: &[Term],
    out: &mut Vec<Diagnostic>,
) {
    // Every word of the glossary's English forms is a known name part: `Jia` alone (as in
    // `Jia's`) is part of `Jia Yangqing`.
    let vocabulary: std::collections::HashSet<&str> = terms
        .iter()
        .flat_map(|t| std::iter::once(&t.en).chain(&t.variants))
        .flat_map(|form| form.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '&')))
        .filter(|w| !w.is_empty())
        .collect();
    for &(a, b) in spans {
        let text = &src.text[a..b];
        let mut covered: Vec<(usize, usize)> = Vec::new();
        for t in terms {
            for form in std::iter::once(&t.en).chain(&t.variants) {
                covered.extend(find_all(text, form, false));
            }
            covered.extend(find_all(text, &t.zh, true));
        }
        // Link targets, addresses and code are not prose.
        for (i, _) in text.match_indices("](") {
            let end = text[i..].find(')').map_or(text.len(), |j| i + j);
            covered.push((i, end));
        }
        for (i, _) in text.match_indices("://") {
            let end = text[i..]
                .find(|c: char| c.is_whitespace() || c == ')' || c == '"')
                .map_or(text.len(), |j| i + j);
            covered.push((i, end));
        }
        for (i, j) in capitalised_words(text) {
            let w = &text[i..j];
            if NOT_NAMES.contains(&w)
                || MONTHS.contains(&w)
                || vocabulary.contains(w)
                || covered.iter().any(|&(p, q)| p <= i && j <= q)
                || has_word(chinese, w)
                || opens_sentence(text, i)
            {
                continue;
            }
            out.push(
                src.diag_at(a + i, format!("`{w}` is a name the glossary does not list"))
                    .with_hint(format!(
                        "the Chinese page does not write `{w}`, so it is the site's English for a Chinese name: add it to {PATH} (`added: true` if it is an official name from outside the article)"
                    )),
            );
        }
    }
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
