//! Typed errors and the diagnostics printed for bad input (`path:line:col: message`).

use std::fmt;
use std::path::PathBuf;

/// One problem in a user's file, located to the character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    pub message: String,
    /// The offending source line, shown under the message with a caret.
    pub snippet: Option<String>,
    pub hint: Option<String>,
    /// Warnings are reported but do not fail a build.
    pub warning: bool,
}

impl Diagnostic {
    /// A problem at a place in a file.
    pub fn new(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            message: message.into(),
            snippet: None,
            hint: None,
            warning: false,
        }
    }

    /// Attaches the source line `line` of `text` as the snippet.
    pub fn with_source(mut self, text: &str) -> Self {
        if self.line > 0 {
            self.snippet = text.lines().nth(self.line - 1).map(str::to_owned);
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.warning = true;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = if self.warning { "warning" } else { "error" };
        let line = self.line.max(1);
        let col = self.col.max(1);
        write!(
            f,
            "{}:{line}:{col}: {level}: {}",
            self.path.display(),
            self.message
        )?;
        if let Some(src) = &self.snippet {
            let num = line.to_string();
            let pad = " ".repeat(num.len());
            // Width of the text before the caret, counting wide CJK characters as two
            // columns so the caret lines up in a terminal.
            let before: usize = src
                .chars()
                .take(col - 1)
                .map(|c| if is_wide(c) { 2 } else { 1 })
                .sum();
            write!(
                f,
                "\n{pad} |\n{num} | {src}\n{pad} | {}^",
                " ".repeat(before)
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in content, config or templates; all of them, not just the first.
    #[error("{} error{} found", count_errors(.0), if count_errors(.0) == 1 { "" } else { "s" })]
    Diagnostics(Vec<Diagnostic>),
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
    /// A bad command line (exit status 2).
    #[error("{0}")]
    Usage(String),
}

fn count_errors(d: &[Diagnostic]) -> usize {
    d.iter().filter(|d| !d.warning).count()
}

impl Error {
    /// The diagnostics carried by this error, if any.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Diagnostics(d) => d,
            _ => &[],
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_accounts_for_wide_characters() {
        let d = Diagnostic::new("a.md", 1, 7, "unknown sector `x`").with_source("名字: 贾扬清 x");
        let text = d.to_string();
        // Before column 7 stand 名 字 : ␠ 贾 扬: four wide and two narrow characters.
        assert_eq!(
            text.lines().nth(3),
            Some(format!("  | {}^", " ".repeat(10)).as_str())
        );
    }
}
