//! The one module that calls serde_yaml (archived upstream): replacing it touches this file only.

use serde::de::DeserializeOwned;

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
