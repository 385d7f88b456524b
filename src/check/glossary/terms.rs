//! The glossary's terms: `content/glossary.yaml` read and validated, each problem at its
//! entry's line.

use std::path::Path;

use serde::Deserialize;

use crate::error::Diagnostic;

/// Where the glossary lives, relative to the site root.
pub const PATH: &str = "content/glossary.yaml";

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
