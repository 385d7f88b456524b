//! The one module that calls serde_yaml (archived upstream): replacing it touches this
//! file only. Also the YAML diagnostics every YAML file shares (site.yaml, front matter,
//! i18n tables): located messages with "did you mean" hints.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;

/// A parsed YAML value, for comparing a translation's fields with its original.
pub type Value = serde_yaml::Value;

/// A YAML or schema error, located relative to the start of the parsed text.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// 1-based line in the parsed text (0 if unknown).
    pub line: usize,
    /// 1-based column (0 if unknown).
    pub col: usize,
    /// The message without serde_yaml's " at line X column Y" suffix.
    pub message: String,
}

fn convert(e: serde_yaml::Error) -> YamlError {
    let (line, col) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    YamlError { line, col, message }
}

/// Deserializes `text` into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(convert)
}

/// Parses `text` into a generic mapping of top-level keys (empty text gives an empty mapping).
pub fn top_level(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    let v: Value = serde_yaml::from_str(text).map_err(convert)?;
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Mapping(m) => Ok(m
            .into_iter()
            .filter_map(|(k, v)| k.as_str().map(|k| (k.to_owned(), v)))
            .collect()),
        _ => Err(YamlError {
            line: 1,
            col: 1,
            message: "front matter must be a mapping of `key: value` lines".into(),
        }),
    }
}

/// `value` with the string `old` replaced by `new`, where it is the value itself or an
/// item of a list (a reference, or a list of references).
pub fn replace_string(value: &Value, old: &str, new: &str) -> Value {
    match value {
        Value::String(s) if s == old => Value::String(new.to_owned()),
        Value::Sequence(items) => {
            Value::Sequence(items.iter().map(|v| replace_string(v, old, new)).collect())
        }
        other => other.clone(),
    }
}

/// A list of strings.
pub fn string_list<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    Value::Sequence(
        items
            .into_iter()
            .map(|s| Value::String(s.to_owned()))
            .collect(),
    )
}

/// The items of a list of strings (None for anything else; an empty value is no item).
pub fn as_strings(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Null => Some(Vec::new()),
        Value::Sequence(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => None,
    }
}

impl YamlError {
    /// A diagnostic for this error in `path`, whose parsed text starts at 1-based line
    /// `first_line` of the file `text`.
    pub fn diagnostic(&self, path: &Path, text: &str, first_line: usize) -> Diagnostic {
        let line = if self.line == 0 {
            first_line
        } else {
            self.line + first_line - 1
        };
        let mut d = Diagnostic::new(path, line, self.col.max(1), short_message(&self.message))
            .with_source(text);
        if let Some(h) = unknown_field_hint(&self.message) {
            d = d.with_hint(h);
        } else if self.message.contains("mapping values are not allowed") {
            d = d.with_hint("quote a value that contains `: `");
        } else if self.message.starts_with("did not find expected") {
            d = d.with_hint("a bracket or quote opened on this line or one above is not closed");
        }
        d
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
        assert_eq!(short_message(m), "unknown field `nmae`");
    }

    #[test]
    fn errors_count_lines_from_the_top_of_the_file() {
        let text = "---\nname: a\nsector: [x\n---\n";
        let e = from_str::<Value>("name: a\nsector: [x\n").unwrap_err();
        let d = e.diagnostic(Path::new("f.md"), text, 2);
        assert!(d.line >= 3, "{d}");
        assert!(d.snippet.is_some());
    }
}
