//! Content files: one found on disk before reading, and one read and normalized, with the
//! located diagnostics the loader and the checks give about it.

use std::path::PathBuf;

use super::kind::Kind;
use super::split;
use crate::error::Diagnostic;

/// A content file found on disk, before reading it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentFile {
    pub kind: Kind,
    /// Absolute (or root-joined) path to read.
    pub path: PathBuf,
    /// Path shown to users, relative to the site root.
    pub shown: PathBuf,
}

/// One Markdown file as read from disk, normalized (no BOM, `\n` line ends).
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path shown to users, relative to the site root.
    pub path: PathBuf,
    pub text: String,
    /// Where the front matter and the body start (see [`split::Split`]).
    pub split: split::Split,
}

impl SourceFile {
    /// 1-based line and column of a byte offset into `text`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        crate::text::line_col(&self.text, offset)
    }

    /// A diagnostic at a byte offset, with the source line attached.
    pub fn diag_at(&self, offset: usize, msg: impl Into<String>) -> Diagnostic {
        let (l, c) = self.line_col(offset);
        Diagnostic::new(&self.path, l, c, msg).with_source(&self.text)
    }

    /// The front matter text, including its opening line.
    fn head(&self) -> &str {
        &self.text[..self.split.body_start]
    }

    /// A diagnostic at the front matter line of `key` (or the first line).
    pub fn diag_at_key(&self, key: &str, msg: impl Into<String>) -> Diagnostic {
        let line = crate::yaml::key_line(self.head(), key).unwrap_or(1);
        Diagnostic::new(&self.path, line, 1, msg).with_source(&self.text)
    }

    /// The byte range of the front matter block of `key`: its own line and the indented
    /// lines under it; and where its value starts (after the colon).
    fn value_block(&self, key: &str) -> Option<(std::ops::Range<usize>, usize)> {
        let fm = self.head();
        let line = crate::yaml::key_line(fm, key)?;
        let start = crate::text::line_start(fm, line);
        let mut end = start;
        for (i, l) in fm[start..].split_inclusive('\n').enumerate() {
            if i > 0 && !(l.starts_with(' ') || l.starts_with('-') || l.trim().is_empty()) {
                break;
            }
            end += l.len();
        }
        let from = fm[start..end].find(':').map(|i| i + 1).unwrap_or(0);
        Some((start..end, start + from))
    }

    /// A diagnostic at the first occurrence of `needle` inside the front matter block of `key`.
    pub fn diag_at_value(&self, key: &str, needle: &str, msg: impl Into<String>) -> Diagnostic {
        let Some((block, from)) = self.value_block(key) else {
            return Diagnostic::new(&self.path, 1, 1, msg).with_source(&self.text);
        };
        match self.text[from..block.end].find(needle) {
            Some(i) => self.diag_at(from + i, msg),
            None => self.diag_at(block.start, msg),
        }
    }

    /// A diagnostic at the `nth` (from 0) item `item` of the list under `key`: a whole
    /// item (`a` in `[ab, a]` is the second), bare or quoted.
    pub fn diag_at_item(
        &self,
        key: &str,
        item: &str,
        nth: usize,
        msg: impl Into<String>,
    ) -> Diagnostic {
        let Some((block, from)) = self.value_block(key) else {
            return Diagnostic::new(&self.path, 1, 1, msg).with_source(&self.text);
        };
        let text = &self.text[from..block.end];
        let edge = |c: Option<char>| {
            c.is_none_or(|c| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"' | '\''))
        };
        let found = text
            .match_indices(item)
            .filter(|(i, m)| {
                edge(text[..*i].chars().next_back()) && edge(text[i + m.len()..].chars().next())
            })
            .nth(nth);
        match found {
            Some((i, _)) => self.diag_at(from + i, msg),
            None => self.diag_at(block.start, msg),
        }
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.split.body_start..]
    }
}
