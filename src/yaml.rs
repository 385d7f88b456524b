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

/// Deepest nesting of flow collections (`[...]`, `{...}`) accepted. The YAML parser
/// slows down sharply on thousands of levels; no front matter, i18n table or site.yaml
/// needs more than a few.
pub const MAX_FLOW_DEPTH: usize = 32;

/// Refuses flow collections nested deeper than [`MAX_FLOW_DEPTH`], before parsing.
/// Quoted text and comments are skipped. (Block nesting is bounded by the parser's own
/// recursion limit of 128, which it reaches quickly.)
fn nesting(text: &str) -> Result<(), YamlError> {
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let (mut comment, mut escaped) = (false, false);
    let mut prev = ' ';
    for c in text.chars() {
        col += 1;
        if c == '\n' {
            (line, col, comment) = (line + 1, 0, false);
        } else if comment {
        } else if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if q == '"' && c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                '"' | '\'' if prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':') => {
                    quote = Some(c)
                }
                '#' if prev.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(YamlError {
                            line,
                            col,
                            message: format!("brackets nested deeper than {MAX_FLOW_DEPTH} levels"),
                        });
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    Ok(())
}

/// What a message about a character XML cannot carry says; the hint goes with it.
const NOT_XML: &str = "a character XML cannot carry";

/// Refuses characters XML cannot carry ([`crate::text::forbidden`]), written raw or as a
/// double-quoted escape (`"\x01"`, `"\uFFFE"`), at the character or the escape. Escapes
/// are found by a scan of the text; only when it finds one that could make such a
/// character is the text parsed, to see whether a value really holds it (a backslash in
/// single quotes or plain text is only a backslash).
fn xml_safe(text: &str) -> Result<(), YamlError> {
    let at = |offset: usize, message: String| {
        let (line, col) = crate::text::line_col(text, offset);
        YamlError { line, col, message }
    };
    if let Some((i, c)) = crate::text::first_forbidden(text) {
        return Err(at(
            i,
            format!("{} is {NOT_XML}", crate::text::code_point(c)),
        ));
    }
    let escapes = forbidden_escapes(text);
    if escapes.is_empty() {
        return Ok(());
    }
    let Ok(value) = serde_yaml::from_str::<Value>(text) else {
        // The parse below reports what is wrong.
        return Ok(());
    };
    let mut held = std::collections::HashSet::new();
    let mut stack = vec![&value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => held.extend(s.chars().filter(|&c| crate::text::forbidden(c))),
            Value::Sequence(items) => stack.extend(items),
            Value::Mapping(m) => {
                for (k, v) in m {
                    stack.push(k);
                    stack.push(v);
                }
            }
            Value::Tagged(t) => stack.push(&t.value),
            _ => {}
        }
    }
    match escapes.into_iter().find(|e| held.contains(&e.2)) {
        Some((i, len, c)) => Err(at(
            i,
            format!(
                "`{}` is {}, {NOT_XML}",
                &text[i..i + len],
                crate::text::code_point(c)
            ),
        )),
        None => Ok(()),
    }
}

/// Every backslash escape of YAML's double-quoted style that stands for a character no
/// output may carry: its offset, length and the character (`\x01`, `\b`, `\uFFFE`).
fn forbidden_escapes(text: &str) -> Vec<(usize, usize, char)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(j) = text[i..].find('\\') {
        let at = i + j;
        let Some(&e) = b.get(at + 1) else { break };
        let simple = match e {
            b'0' => Some(0),
            b'a' => Some(7),
            b'b' => Some(8),
            b'v' => Some(0x0B),
            b'f' => Some(0x0C),
            b'e' => Some(0x1B),
            b'N' => Some(0x85),
            _ => None,
        };
        let hex = match e {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => 0,
        };
        let (code, len) = if let Some(c) = simple {
            (Some(c), 2)
        } else if hex > 0 {
            let digits = text
                .get(at + 2..at + 2 + hex)
                .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
            (
                digits.and_then(|d| u32::from_str_radix(d, 16).ok()),
                2 + hex,
            )
        } else {
            (None, 2)
        };
        if let Some(c) = code
            .and_then(char::from_u32)
            .filter(|&c| crate::text::forbidden(c))
        {
            out.push((at, len, c));
        }
        // `\\` is one escaped backslash: the next one starts after it.
        i = (at + len).min(b.len());
        if !text.is_char_boundary(i) {
            i = at + 1;
            while !text.is_char_boundary(i) {
                i += 1;
            }
        }
    }
    out
}

/// Deserializes `text` into `T`. An error the parser places at the start of an
/// enclosing mapping (a bad date, slug or value of a field) is moved to the field it is
/// about, found from the path of the value.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    nesting(text)?;
    xml_safe(text)?;
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let at = locate(text, e.path());
        let mut err = convert(e.into_inner());
        if let Some((line, col)) = at {
            if err.line <= line {
                err.col = if err.line == line { err.col } else { col };
                err.line = line;
            }
        }
        if err.message.starts_with("repetition limit exceeded") {
            if let Some(line) = text.lines().position(|l| l.contains('*')) {
                (err.line, err.col) = (line + 1, 1);
            }
        }
        if let Some(dup) = err
            .message
            .strip_prefix("duplicate entry with key \"")
            .and_then(|m| m.strip_suffix('"'))
        {
            // The second `key:` at the top level.
            let mut hits = text.lines().enumerate().filter(|(_, l)| {
                l.strip_prefix(dup)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            });
            if let Some((i, _)) = hits.nth(1) {
                (err.line, err.col) = (i + 1, 1);
            }
        }
        err
    })
}

/// Parses `text` into a generic mapping of top-level keys (empty text gives an empty mapping).
pub fn top_level(text: &str) -> Result<Vec<(String, Value)>, YamlError> {
    let v: Value = from_str(text)?;
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

/// Indentation and the rest of a line, after any `- ` that opens a list item.
fn indented(line: &str) -> (usize, &str) {
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start_matches(' ');
    }
    (line.len() - rest.len(), rest)
}

/// The end (exclusive) of the block that starts at line `i`: the lines after it that
/// are blank or indented deeper than `indent`.
fn block_end(lines: &[&str], i: usize, indent: usize) -> usize {
    let mut end = i + 1;
    while end < lines.len() {
        let l = lines[end];
        let own = l.len() - l.trim_start_matches(' ').len();
        if !l.trim().is_empty() && own <= indent {
            break;
        }
        end += 1;
    }
    end
}

/// The 1-based line and column of the value at `path` (`sources[1].date`) in block
/// YAML; None when the path leads into flow style or cannot be followed.
fn locate(text: &str, path: &serde_path_to_error::Path) -> Option<(usize, usize)> {
    use serde_path_to_error::Segment;
    let lines: Vec<&str> = text.lines().collect();
    let (mut from, mut to, mut found) = (0, lines.len(), None);
    // Keys of the current block start at this column or deeper.
    let mut min = 0;
    for seg in path.iter() {
        match seg {
            Segment::Map { key } => {
                let i = (from..to).find(|&i| {
                    let (ind, rest) = indented(lines[i]);
                    ind >= min
                        && rest
                            .strip_prefix(key.as_str())
                            .is_some_and(|r| r.trim_start().starts_with(':'))
                })?;
                let (ind, rest) = indented(lines[i]);
                let after = &rest[key.len()..];
                let value =
                    ind + key.len() + (after.len() - after.trim_start_matches([' ', ':']).len());
                found = Some((
                    i + 1,
                    lines[i][..value.min(lines[i].len())].chars().count() + 1,
                ));
                (from, to, min) = (i + 1, block_end(&lines, i, ind), ind + 1);
            }
            Segment::Seq { index } => {
                // The list items of this block: `- ` lines at the block's first item's indentation.
                let first = (from..to).find(|&i| lines[i].trim_start().starts_with('-'))?;
                let dash = lines[first].len() - lines[first].trim_start().len();
                let item = (first..to)
                    .filter(|&i| {
                        let l = lines[i];
                        l.len() - l.trim_start().len() == dash && l.trim_start().starts_with('-')
                    })
                    .nth(*index)?;
                found = Some((item + 1, dash + 1));
                (from, to, min) = (item, block_end(&lines, item, dash), dash + 1);
            }
            _ => return found,
        }
    }
    found
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
        } else if self.message.contains("tab character")
            || (self.message.contains("cannot start any token")
                && d.snippet
                    .as_deref()
                    .is_some_and(|l| l.chars().nth(self.col.saturating_sub(1)) == Some('\t')))
        {
            d = d.with_hint("YAML indents with spaces; replace the tab with spaces");
        } else if self.message.starts_with("recursion limit exceeded") {
            d = d.with_hint("this nests lists or maps more than 128 levels deep; fields here are text, short lists and small maps");
        } else if self.message.starts_with("repetition limit exceeded") {
            d = d.with_hint(
                "aliases (`*name`) here expand to too many values; write the values out",
            );
        } else if self.message.starts_with("brackets nested deeper") {
            d = d.with_hint("fields here are text, short lists and small maps");
        } else if self.message.contains("invalid Unicode character escape") {
            d = d.with_hint("`\\uD800` to `\\uDFFF` are halves of a UTF-16 pair (surrogates), not characters: write the character itself, or its `\\U0001xxxx` escape");
        } else if self.message.contains(NOT_XML) {
            d = d.with_hint("feeds, the sitemap and SVG files are XML, which cannot hold it: remove it (for a line break, write a new line)");
        } else if self.message.starts_with("duplicate entry") {
            d = d.with_hint("a key may appear once; remove one of the two");
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
