//! Reading one content file: decoding, the slug and language from its name, the front
//! matter split and typed per kind.

use std::path::Path;
use std::sync::Arc;

use super::split::{split, SplitError};
use super::{Company, Employer, Founder, Page, Sector, Slug};
use super::{ContentFile, Doc, Kind, SourceFile};
use crate::config::{Config, LangId};
use crate::error::Diagnostic;
use crate::yaml::{self, Value};

/// The top-level fields of a front matter, as written (for comparing a translation's
/// neutral fields with its original's).
pub type Raw = Vec<(String, Value)>;

/// A parsed file of any kind. `Intro` is a section introduction (`_index.<lang>.md`).
#[derive(Debug, Clone)]
pub enum AnyDoc {
    Founder(Doc<Founder>, Raw),
    Company(Doc<Company>, Raw),
    Sector(Doc<Sector>, Raw),
    Employer(Doc<Employer>, Raw),
    Page(Doc<Page>, Raw),
    Intro(Kind, Doc<Page>, Raw),
}

impl AnyDoc {
    /// The kind of page the document makes (an introduction belongs to its section).
    pub fn kind(&self) -> Kind {
        match self {
            AnyDoc::Founder(..) => Kind::Founder,
            AnyDoc::Company(..) => Kind::Company,
            AnyDoc::Sector(..) => Kind::Sector,
            AnyDoc::Employer(..) => Kind::Employer,
            AnyDoc::Page(..) => Kind::Page,
            AnyDoc::Intro(k, ..) => *k,
        }
    }

    /// [`FrontMatter::same_shared`] of two documents (false for two of different kinds).
    pub fn same_shared(&self, other: &AnyDoc) -> bool {
        use super::schema::FrontMatter;
        match (self, other) {
            (AnyDoc::Founder(a, _), AnyDoc::Founder(b, _)) => a.fm.same_shared(&b.fm),
            (AnyDoc::Company(a, _), AnyDoc::Company(b, _)) => a.fm.same_shared(&b.fm),
            (AnyDoc::Sector(a, _), AnyDoc::Sector(b, _)) => a.fm.same_shared(&b.fm),
            (AnyDoc::Employer(a, _), AnyDoc::Employer(b, _)) => a.fm.same_shared(&b.fm),
            (AnyDoc::Page(a, _), AnyDoc::Page(b, _)) => a.fm.same_shared(&b.fm),
            (AnyDoc::Intro(_, a, _), AnyDoc::Intro(_, b, _)) => a.fm.same_shared(&b.fm),
            _ => false,
        }
    }

    /// The name (a free page's title) the file gives.
    pub fn name(&self) -> Option<&str> {
        use super::schema::FrontMatterName;
        match self {
            AnyDoc::Founder(d, _) => d.fm.name(),
            AnyDoc::Company(d, _) => d.fm.name(),
            AnyDoc::Sector(d, _) => d.fm.name(),
            AnyDoc::Employer(d, _) => d.fm.name(),
            AnyDoc::Page(d, _) | AnyDoc::Intro(_, d, _) => d.fm.name(),
        }
    }

    /// The slug of the file.
    pub fn slug(&self) -> &Slug {
        match self {
            AnyDoc::Founder(d, _) => &d.slug,
            AnyDoc::Company(d, _) => &d.slug,
            AnyDoc::Sector(d, _) => &d.slug,
            AnyDoc::Employer(d, _) => &d.slug,
            AnyDoc::Page(d, _) | AnyDoc::Intro(_, d, _) => &d.slug,
        }
    }

    /// The top-level fields as written.
    pub fn raw(&self) -> &Raw {
        match self {
            AnyDoc::Founder(_, r)
            | AnyDoc::Company(_, r)
            | AnyDoc::Sector(_, r)
            | AnyDoc::Employer(_, r)
            | AnyDoc::Page(_, r)
            | AnyDoc::Intro(_, _, r) => r,
        }
    }

    pub fn src(&self) -> &Arc<SourceFile> {
        match self {
            AnyDoc::Founder(d, _) => &d.src,
            AnyDoc::Company(d, _) => &d.src,
            AnyDoc::Sector(d, _) => &d.src,
            AnyDoc::Employer(d, _) => &d.src,
            AnyDoc::Page(d, _) | AnyDoc::Intro(_, d, _) => &d.src,
        }
    }
}

/// Decodes a file's bytes: UTF-8 (a BOM is dropped later); UTF-16 and invalid bytes are
/// located errors.
fn decode(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::new(shown, 1, 1, "the file is UTF-16, not UTF-8")
                .with_hint("save the file as UTF-8"),
        );
    }
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let valid = std::str::from_utf8(&e.as_bytes()[..bad]).unwrap_or("");
        let (line, col) = crate::text::line_col(valid, valid.len());
        Diagnostic::new(shown, line, col, format!("not valid UTF-8 (byte {bad})"))
            .with_source(&text)
            .with_hint("save the file as UTF-8")
    })
}

/// The slug and language of `<slug>.<lang>.md` (no suffix: the default language).
pub fn split_name(cfg: &Config, shown: &Path) -> Result<(String, LangId), Diagnostic> {
    let file_name = shown
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file_name.strip_suffix(".md").unwrap_or(&file_name);
    match stem.rsplit_once('.') {
        Some((s, l)) => match cfg.lang_id(l) {
            Some(id) => Ok((s.to_owned(), id)),
            None => Err(
                Diagnostic::file(shown, format!("`{l}` is not a language of this site")).with_hint(
                    format!(
                        "name the file <slug>.<lang>.md with lang one of: {}",
                        cfg.langs.join(", ")
                    ),
                ),
            ),
        },
        None => Ok((stem.to_owned(), LangId::DEFAULT)),
    }
}

/// Reads and parses one content file; every problem in it is reported.
pub fn parse(cfg: &Config, file: &ContentFile) -> Result<AnyDoc, Vec<Diagnostic>> {
    let shown = &file.shown;
    let bytes = std::fs::read(&file.path)
        .map_err(|e| vec![Diagnostic::file(shown, format!("cannot read: {e}"))])?;
    parse_file_bytes(cfg, file, bytes)
}

/// Parses the bytes of a content file as if read from `file`.
pub fn parse_file_bytes(
    cfg: &Config,
    file: &ContentFile,
    bytes: Vec<u8>,
) -> Result<AnyDoc, Vec<Diagnostic>> {
    let shown = &file.shown;
    let (slug, lang) = split_name(cfg, shown).map_err(|d| vec![d])?;
    parse_bytes(file.kind, &slug, lang, shown, bytes)
}

/// Parses the bytes of a file named `shown` of `kind`, slug and language given.
pub fn parse_bytes(
    kind: Kind,
    slug: &str,
    lang: LangId,
    shown: &Path,
    bytes: Vec<u8>,
) -> Result<AnyDoc, Vec<Diagnostic>> {
    let text = crate::text::normalize(&decode(bytes, shown).map_err(|d| vec![d])?);
    if let Some((i, c)) = crate::text::first_forbidden(&text) {
        let (line, col) = crate::text::line_col(&text, i);
        let (msg, hint) = crate::text::forbidden_message(c);
        return Err(vec![Diagnostic::new(shown, line, col, msg)
            .with_source(&text)
            .with_hint(hint)]);
    }
    let slug = Slug::parse(slug)
        .map_err(|m| vec![Diagnostic::file(shown, m).with_hint("rename the file")])?;
    let parts = split(&text).map_err(|e| {
        let (msg, hint) = match e {
            SplitError::Missing => (
                "missing front matter",
                "start the file with a `---` line, the YAML fields, and another `---` line",
            ),
            SplitError::Unclosed => (
                "front matter is not closed",
                "end the front matter with a line holding only `---`",
            ),
        };
        vec![Diagnostic::new(shown, 1, 1, msg)
            .with_source(&text)
            .with_hint(hint)]
    })?;
    let src = Arc::new(SourceFile {
        path: shown.to_path_buf(),
        text,
        split: parts,
    });
    typed(kind, slug, lang, src).map_err(|d| vec![d])
}

/// Parses the front matter of `src` as `kind`.
fn typed(kind: Kind, slug: Slug, lang: LangId, src: Arc<SourceFile>) -> Result<AnyDoc, Diagnostic> {
    let fm_text = &src.text[src.split.fm_start..src.split.fm_end];
    // serde_yaml counts from the start of the front matter; users count from the top of the file.
    let first = src.line_col(src.split.fm_start).0;
    let err = |e: yaml::YamlError| e.diagnostic(&src.path, &src.text, first);
    let raw = yaml::top_level(fm_text).map_err(err)?;
    let fm_text = if raw.is_empty() { "{}" } else { fm_text };
    macro_rules! doc {
        ($variant:ident $(, $k:expr)?) => {{
            let fm = yaml::from_str(fm_text).map_err(err)?;
            Ok(AnyDoc::$variant($($k,)? Doc { slug, lang, fm, src: src.clone() }, raw))
        }};
    }
    if slug.as_str() == "_index" && kind != Kind::Page {
        return doc!(Intro, kind);
    }
    match kind {
        Kind::Founder => doc!(Founder),
        Kind::Company => doc!(Company),
        Kind::Sector => doc!(Sector),
        Kind::Employer => doc!(Employer),
        Kind::Page => doc!(Page),
    }
}
