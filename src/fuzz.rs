//! Entry points for fuzzing (`fuzz/`) and property tests: each runs stages of the
//! pipeline on arbitrary input and returns what a user would see. None may panic, hang
//! or overflow the stack, whatever the bytes.

use std::path::Path;

use crate::config::LangId;
use crate::content::parse::parse_bytes;
use crate::content::split::split;
use crate::content::{Kind, SourceFile};
use crate::error::Diagnostic;
use crate::markdown::{self, HighlightCache};

/// The front matter splitter, the YAML parser and the schema of every kind, on the bytes
/// of one file. Returns the diagnostics; an accepted file gives none.
pub fn front_matter(bytes: &[u8]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for kind in [
        Kind::Founder,
        Kind::Company,
        Kind::Sector,
        Kind::Employer,
        Kind::Page,
    ] {
        let shown = Path::new("content/x/fuzz.md");
        match parse_bytes(kind, "fuzz", LangId::DEFAULT, shown, bytes.to_vec()) {
            Ok(_) => {}
            Err(d) => diags.extend(d),
        }
    }
    diags
}

/// Markdown rendering of a body (with internal links resolved to a fixed URL), then the
/// compaction of the page and the HTML scan of `check`. Returns the HTML.
pub fn markdown(bytes: &[u8]) -> String {
    let body = String::from_utf8_lossy(bytes);
    let text = crate::text::normalize(&format!("---\ntitle: x\n---\n{body}"));
    let Ok(parts) = split(&text) else {
        return String::new();
    };
    let src = SourceFile {
        path: "content/pages/fuzz.md".into(),
        text,
        split: parts,
    };
    let mut diags = Vec::new();
    let resolve = |t: &str| Some(format!("/{t}/"));
    let body = markdown::render(
        &src,
        &resolve,
        &HighlightCache::default(),
        false,
        &mut diags,
    );
    let page = format!(
        "<!doctype html><html><body><main>{}</main></body></html>",
        body.html
    );
    let compact = crate::finish::compact(page.as_bytes());
    let _ = crate::check::scan::scan(&compact);
    body.html
}
