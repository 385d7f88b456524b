//! Loading `content/`: walking, front matter split, typed parse per kind, translations paired.

pub mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

pub use schema::*;

use crate::config::{Config, LangId};
use crate::error::{Diagnostic, Error, Result};
use crate::yaml::{self, Value};

/// The kinds of content, one directory each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Founder,
    Company,
    Sector,
    Employer,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Founder,
        Kind::Company,
        Kind::Sector,
        Kind::Employer,
        Kind::Page,
    ];

    /// Directory under `content/`, also the URL section.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Founder => "founders",
            Kind::Company => "companies",
            Kind::Sector => "sectors",
            Kind::Employer => "employers",
            Kind::Page => "pages",
        }
    }

    /// Singular name, as in `dossier new founder`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Founder => "founder",
            Kind::Company => "company",
            Kind::Sector => "sector",
            Kind::Employer => "employer",
            Kind::Page => "page",
        }
    }

    pub fn from_section(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == s)
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// One Markdown file as read from disk, normalized (no BOM, `\n` line ends).
#[derive(Debug)]
pub struct SourceFile {
    /// Path shown to users, relative to the site root.
    pub path: PathBuf,
    pub text: String,
    /// Byte offset where the front matter text starts (after the opening `---`).
    pub fm_offset: usize,
    /// Byte offset of the Markdown body.
    pub body_offset: usize,
}

impl SourceFile {
    /// 1-based line and column of a byte offset into `text`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// A diagnostic at a byte offset, with the source line attached.
    pub fn diag_at(&self, offset: usize, msg: impl Into<String>) -> Diagnostic {
        let (l, c) = self.line_col(offset);
        Diagnostic::new(&self.path, l, c, msg).with_source(&self.text)
    }

    /// A diagnostic at the front matter line of `key` (or the first line).
    pub fn diag_at_key(&self, key: &str, msg: impl Into<String>) -> Diagnostic {
        let line = key_line(&self.text[..self.body_offset], key).unwrap_or(1);
        Diagnostic::new(&self.path, line, 1, msg).with_source(&self.text)
    }

    /// A diagnostic at the first occurrence of `needle` inside the front matter block of `key`.
    pub fn diag_at_value(&self, key: &str, needle: &str, msg: impl Into<String>) -> Diagnostic {
        let fm = &self.text[..self.body_offset];
        if let Some(line) = key_line(fm, key) {
            let start: usize = fm.split_inclusive('\n').take(line - 1).map(str::len).sum();
            // The key's block: its own line and the indented lines under it.
            let mut end = start;
            for (i, l) in fm[start..].split_inclusive('\n').enumerate() {
                if i > 0 && !(l.starts_with(' ') || l.starts_with('-') || l.trim().is_empty()) {
                    break;
                }
                end += l.len();
            }
            let block = &fm[start..end];
            let from = block.find(':').map(|i| i + 1).unwrap_or(0);
            if let Some(i) = block[from..].find(needle) {
                return self.diag_at(start + from + i, msg);
            }
            return Diagnostic::new(&self.path, line, 1, msg).with_source(&self.text);
        }
        Diagnostic::new(&self.path, 1, 1, msg).with_source(&self.text)
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

/// One file of one kind, parsed.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    pub slug: Slug,
    pub lang: LangId,
    /// Front matter after inheriting the neutral fields of the original.
    pub fm: T,
    pub src: Arc<SourceFile>,
}

/// One profile in every language it exists in.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub slug: Slug,
    /// Indexed by [`LangId`]; the default language (0) is always present.
    pub docs: Vec<Option<Doc<T>>>,
}

impl<T> Entry<T> {
    /// The default-language document.
    pub fn original(&self) -> &Doc<T> {
        self.docs[0]
            .as_ref()
            .expect("entries are only built with an original")
    }

    /// The document for `lang`, or the original when it is not translated.
    pub fn doc(&self, lang: LangId) -> &Doc<T> {
        self.docs
            .get(lang)
            .and_then(Option::as_ref)
            .unwrap_or_else(|| self.original())
    }

    /// Whether `lang` has its own file.
    pub fn translated(&self, lang: LangId) -> bool {
        self.docs.get(lang).is_some_and(Option::is_some)
    }
}

/// All content, grouped by kind and translation.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub founders: Vec<Entry<Founder>>,
    pub companies: Vec<Entry<Company>>,
    pub sectors: Vec<Entry<Sector>>,
    pub employers: Vec<Entry<Employer>>,
    pub pages: Vec<Entry<Page>>,
    /// Section introductions, `content/<section>/_index.<lang>.md` (as in Zola): a title,
    /// summary and body shown on the section's index page.
    pub intros: Vec<(Kind, Entry<Page>)>,
    /// Problems that do not stop a build (reported by `check`).
    pub warnings: Vec<Diagnostic>,
}

/// A parsed document with its raw top-level fields.
type Parsed<T> = (Doc<T>, Vec<(String, Value)>);

enum AnyDoc {
    Founder(Doc<Founder>, Vec<(String, Value)>),
    Company(Doc<Company>, Vec<(String, Value)>),
    Sector(Doc<Sector>, Vec<(String, Value)>),
    Employer(Doc<Employer>, Vec<(String, Value)>),
    Page(Doc<Page>, Vec<(String, Value)>),
    Intro(Kind, Doc<Page>, Vec<(String, Value)>),
}

/// Strips a byte-order mark and turns CRLF and lone CR into LF.
pub fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// 1-based line of a top-level `key:` in YAML text.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// "did you mean" for serde's unknown field / variant messages.
pub fn unknown_field_hint(message: &str) -> Option<String> {
    // serde_yaml puts the path first inside lists: "added[0]: unknown variant `nme`, ...".
    let rest = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| &message[i + p.len()..]))?;
    let (bad, rest) = rest.split_once('`')?;
    let candidates: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(bad, c), *c))
        .filter(|(s, _)| *s > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, c)) => Some(format!("did you mean `{c}`?")),
        None if candidates.is_empty() => None,
        None => Some(format!("expected one of: {}", candidates.join(", "))),
    }
}

/// serde's "unknown field `x`, expected one of ..." without the list (the hint carries it).
pub fn short_message(message: &str) -> String {
    if message.contains("unknown field `") || message.contains("unknown variant `") {
        if let Some((head, _)) = message.split_once(", expected") {
            return head.to_owned();
        }
    }
    message.to_owned()
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

/// Walks `content/` and parses every profile, reporting all problems together.
pub fn load(cfg: &Config) -> Result<Content> {
    let mut diags = Vec::new();
    let mut files = Vec::new();
    if !cfg.content_dir.is_dir() {
        return Err(Error::Other(format!(
            "no content directory at {}",
            cfg.content_dir.display()
        )));
    }
    let walker = walkdir::WalkDir::new(&cfg.content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| Error::Other(format!("cannot walk content/: {e}")))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let shown = path.strip_prefix(&cfg.root).unwrap_or(&path).to_path_buf();
        let rel = path.strip_prefix(&cfg.content_dir).unwrap_or(&path);
        let parts: Vec<_> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if !parts.last().is_some_and(|n| n.ends_with(".md")) {
            continue;
        }
        match (parts.len(), Kind::from_section(&parts[0])) {
            (2, Some(kind)) => files.push((kind, path, shown)),
            _ => diags.push(
                Diagnostic::new(&shown, 0, 0, "a profile must sit directly in content/founders/, companies/, sectors/, employers/ or pages/")
                    .with_hint("move the file into one of those directories"),
            ),
        }
    }
    let parsed: Vec<std::result::Result<AnyDoc, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|(kind, path, shown)| parse_file(cfg, *kind, path, shown))
        .collect();
    let mut by_kind: (Vec<_>, Vec<_>, Vec<_>, Vec<_>, Vec<_>) = Default::default();
    let mut intros: std::collections::BTreeMap<Kind, Vec<Parsed<Page>>> = Default::default();
    // Originals that failed to parse: their translations are not reported as orphans too.
    let mut failed = std::collections::HashSet::new();
    for (p, (kind, _, shown)) in parsed.iter().zip(&files) {
        if p.is_err() {
            let Ok((slug, 0)) = split_name(cfg, shown) else {
                continue;
            };
            failed.insert((*kind, slug_key(&slug)));
        }
    }
    for p in parsed {
        match p {
            Ok(AnyDoc::Founder(d, r)) => by_kind.0.push((d, r)),
            Ok(AnyDoc::Company(d, r)) => by_kind.1.push((d, r)),
            Ok(AnyDoc::Sector(d, r)) => by_kind.2.push((d, r)),
            Ok(AnyDoc::Employer(d, r)) => by_kind.3.push((d, r)),
            Ok(AnyDoc::Page(d, r)) => by_kind.4.push((d, r)),
            Ok(AnyDoc::Intro(k, d, r)) => intros.entry(k).or_default().push((d, r)),
            Err(d) => diags.extend(d),
        }
    }
    let mut content = Content {
        founders: group(cfg, by_kind.0, &failed, Kind::Founder, &mut diags),
        companies: group(cfg, by_kind.1, &failed, Kind::Company, &mut diags),
        sectors: group(cfg, by_kind.2, &failed, Kind::Sector, &mut diags),
        employers: group(cfg, by_kind.3, &failed, Kind::Employer, &mut diags),
        pages: group(cfg, by_kind.4, &failed, Kind::Page, &mut diags),
        intros: intros
            .into_iter()
            .flat_map(|(k, docs)| {
                group(cfg, docs, &failed, k, &mut diags)
                    .into_iter()
                    .map(move |e| (k, e))
            })
            .collect(),
        warnings: Vec::new(),
    };
    let (warnings, errors): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.warning);
    if !errors.is_empty() {
        return Err(Error::Diagnostics(errors));
    }
    content.warnings = warnings;
    Ok(content)
}

fn parse_file(
    cfg: &Config,
    kind: Kind,
    path: &Path,
    shown: &Path,
) -> std::result::Result<AnyDoc, Vec<Diagnostic>> {
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::new(shown, 0, 0, format!("cannot read: {e}"))])?;
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![Diagnostic::new(
            shown,
            0,
            0,
            format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
        .with_hint("save the file as UTF-8")]
    })?;
    let text = normalize_text(&text);
    let (slug_str, lang) = split_name(cfg, shown).map_err(|d| vec![d])?;
    let slug = Slug::parse(&slug_str)
        .map_err(|m| vec![Diagnostic::new(shown, 0, 0, m).with_hint("rename the file")])?;
    let Some(after_open) = text.strip_prefix("---\n") else {
        return Err(vec![Diagnostic::new(shown, 1, 1, "missing front matter")
            .with_source(&text)
            .with_hint(
                "start the file with a `---` line, the YAML fields, and another `---` line",
            )]);
    };
    let fm_offset = 4;
    let (fm_len, body_offset) = if let Some(stripped) = after_open.strip_prefix("---") {
        (0, 4 + 3 + usize::from(stripped.starts_with('\n')))
    } else {
        match after_open.find("\n---\n") {
            Some(i) => (i + 1, 4 + i + 5),
            None if after_open.ends_with("\n---") => (after_open.len() - 3, text.len()),
            None => {
                return Err(vec![Diagnostic::new(
                    shown,
                    1,
                    1,
                    "front matter is not closed",
                )
                .with_source(&text)
                .with_hint("end the front matter with a line holding only `---`")])
            }
        }
    };
    let src = Arc::new(SourceFile {
        path: shown.to_path_buf(),
        text,
        fm_offset,
        body_offset,
    });
    let fm_text = &src.text[fm_offset..fm_offset + fm_len];
    let yaml_err = |e: yaml::YamlError| {
        // serde_yaml counts from the start of the front matter; users count from the top of the file.
        let first = src.line_col(fm_offset).0;
        let line = if e.line == 0 {
            first
        } else {
            e.line + first - 1
        };
        let mut d = Diagnostic::new(&src.path, line, e.col.max(1), short_message(&e.message))
            .with_source(&src.text);
        if let Some(h) = unknown_field_hint(&e.message) {
            d = d.with_hint(h);
        } else if e.message.contains("mapping values are not allowed") {
            d = d.with_hint("quote a value that contains `: `");
        } else if e.message.starts_with("did not find expected") {
            d = d.with_hint("a bracket or quote opened on this line or one above is not closed");
        }
        vec![d]
    };
    let raw = yaml::top_level(fm_text).map_err(yaml_err)?;
    let fm_for_serde = if raw.is_empty() { "{}" } else { fm_text };
    macro_rules! doc {
        ($variant:ident) => {{
            let fm = yaml::from_str(fm_for_serde).map_err(yaml_err)?;
            Ok(AnyDoc::$variant(
                Doc {
                    slug,
                    lang,
                    fm,
                    src: src.clone(),
                },
                raw,
            ))
        }};
    }
    if slug.as_str() == "_index" && kind != Kind::Page {
        let fm = yaml::from_str(fm_for_serde).map_err(yaml_err)?;
        return Ok(AnyDoc::Intro(
            kind,
            Doc {
                slug,
                lang,
                fm,
                src: src.clone(),
            },
            raw,
        ));
    }
    match kind {
        Kind::Founder => doc!(Founder),
        Kind::Company => doc!(Company),
        Kind::Sector => doc!(Sector),
        Kind::Employer => doc!(Employer),
        Kind::Page => doc!(Page),
    }
}

/// The slug and language of `<slug>.<lang>.md` (no suffix: the default language).
fn split_name(cfg: &Config, shown: &Path) -> std::result::Result<(String, LangId), Diagnostic> {
    let file_name = shown
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file_name.strip_suffix(".md").unwrap_or(&file_name);
    match stem.rsplit_once('.') {
        Some((s, l)) => match cfg.lang_id(l) {
            Some(id) => Ok((s.to_owned(), id)),
            None => {
                Err(
                    Diagnostic::new(shown, 0, 0, format!("`{l}` is not a language of this site"))
                        .with_hint(format!(
                            "name the file <slug>.<lang>.md with lang one of: {}",
                            cfg.langs.join(", ")
                        )),
                )
            }
        },
        None => Ok((stem.to_owned(), 0)),
    }
}

fn slug_key(s: &str) -> String {
    s.nfc().collect::<String>().to_lowercase()
}

/// Pairs translations, checks neutral fields, inherits them, drops drafts.
fn group<T: FrontMatter>(
    cfg: &Config,
    docs: Vec<Parsed<T>>,
    failed: &std::collections::HashSet<(Kind, String)>,
    kind: Kind,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Entry<T>> {
    type Slot<T> = Vec<Option<(Doc<T>, Vec<(String, Value)>)>>;
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(Slug, Slot<T>)> = Vec::new();
    for (doc, raw) in docs {
        let key = slug_key(doc.slug.as_str());
        let gi = *index.entry(key).or_insert_with(|| {
            groups.push((
                doc.slug.clone(),
                (0..cfg.langs.len()).map(|_| None).collect(),
            ));
            groups.len() - 1
        });
        let (slug, slots) = &mut groups[gi];
        let lang = doc.lang;
        if let Some((other, _)) = &slots[lang] {
            diags.push(
                Diagnostic::new(&doc.src.path, 0, 0, format!("duplicate slug: {} is also defined by {}", doc.slug, other.src.path.display()))
                    .with_hint("two files with the same slug and language (or differing only by case or Unicode normalization) would write the same page; rename one"),
            );
            continue;
        }
        if *slug != doc.slug {
            let other = slots
                .iter()
                .flatten()
                .next()
                .map(|(d, _)| d.src.path.display().to_string())
                .unwrap_or_default();
            diags.push(
                Diagnostic::new(&doc.src.path, 0, 0, format!("duplicate slug: `{}` differs from `{}` in {} only by case or Unicode normalization", doc.slug, slug, other))
                    .with_hint("spell the slug identically in every language's file name"),
            );
            continue;
        }
        slots[lang] = Some((doc, raw));
    }
    let mut out = Vec::with_capacity(groups.len());
    for (slug, mut slots) in groups {
        let Some((original, orig_raw)) = slots[0].take() else {
            if failed.contains(&(kind, slug_key(slug.as_str()))) {
                continue;
            }
            for (d, _) in slots.iter().flatten() {
                let name = format!("{}.{}.md", d.slug, cfg.langs[0]);
                diags.push(
                    Diagnostic::new(
                        &d.src.path,
                        0,
                        0,
                        format!("translation without an original: no {name} next to it"),
                    )
                    .with_hint(format!(
                        "create {name}; language-neutral fields live in the {} file",
                        cfg.langs[0]
                    )),
                );
            }
            continue;
        };
        let mut ok = true;
        for m in original.fm.missing() {
            ok = false;
            diags.push(
                Diagnostic::new(&original.src.path, 1, 1, format!("missing field `{m}`"))
                    .with_source(&original.src.text)
                    .with_hint(format!("add `{m}:` to the front matter")),
            );
        }
        let mut docs: Vec<Option<Doc<T>>> = vec![None; cfg.langs.len()];
        for (lang, slot) in slots.into_iter().enumerate().skip(1) {
            let Some((mut doc, raw)) = slot else { continue };
            let orig_name = original
                .src
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for (key, value) in &raw {
                if !T::NEUTRAL.contains(&key.as_str()) {
                    continue;
                }
                match orig_raw.iter().find(|(k, _)| k == key) {
                    Some((_, ov)) if ov == value => {}
                    Some(_) => {
                        ok = false;
                        diags.push(doc.src.diag_at_key(key, format!("`{key}` conflicts with the value in {orig_name}")).with_hint(format!(
                            "`{key}` is language-neutral: it is written once, in {orig_name}; remove it here"
                        )));
                    }
                    None => {
                        ok = false;
                        diags.push(
                            doc.src
                                .diag_at_key(
                                    key,
                                    format!(
                                        "`{key}` is language-neutral and belongs in {orig_name}"
                                    ),
                                )
                                .with_hint(format!(
                                    "move `{key}` to {orig_name}; translations inherit it"
                                )),
                        );
                    }
                }
            }
            doc.fm.inherit(&original.fm);
            for m in doc.fm.missing() {
                if !T::NEUTRAL.contains(&m) {
                    ok = false;
                    diags.push(
                        Diagnostic::new(&doc.src.path, 1, 1, format!("missing field `{m}`"))
                            .with_source(&doc.src.text),
                    );
                }
            }
            docs[lang] = Some(doc);
        }
        if original.fm.is_draft() && !cfg.drafts {
            continue;
        }
        docs[0] = Some(original);
        if ok {
            out.push(Entry { slug, docs });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean() {
        let m = "unknown field `nmae`, expected one of `name`, `aka`, `summary`";
        assert_eq!(
            unknown_field_hint(m).as_deref(),
            Some("did you mean `name`?")
        );
        assert_eq!(
            unknown_field_hint("unknown field `zzzzzz`, expected `name`").as_deref(),
            Some("expected one of: name")
        );
    }

    #[test]
    fn bom_and_crlf_are_normalized() {
        assert_eq!(
            normalize_text("\u{feff}---\r\na: 1\r\n---\r\n"),
            "---\na: 1\n---\n"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n贾扬清x", 12), (2, 4));
    }
}
