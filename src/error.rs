//! Typed errors and the diagnostics printed for bad input (`path:line:col: message`).

use std::fmt;
use std::path::PathBuf;

use unicode_width::UnicodeWidthChar;

/// One problem in a user's file, located to the character.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file (printed without a
    /// line and column).
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

    /// A problem with a whole file (a name, a missing counterpart): no line to point at.
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(path, 0, 0, message)
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

    /// Whether the diagnostic points at a line (rather than at a whole file).
    pub fn located(&self) -> bool {
        self.line > 0
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = if self.warning { "warning" } else { "error" };
        if !self.located() {
            // A whole-file problem: `path: error: message`, no invented line number.
            write!(f, "{}: {level}: {}", self.path.display(), self.message)?;
        } else {
            let col = self.col.max(1);
            write!(
                f,
                "{}:{}:{col}: {level}: {}",
                self.path.display(),
                self.line,
                self.message
            )?;
            if let Some(src) = &self.snippet {
                let num = self.line.to_string();
                let pad = " ".repeat(num.len());
                let (shown, before) = window(src, col);
                write!(
                    f,
                    "\n{pad} |\n{num} | {shown}\n{pad} | {}^",
                    " ".repeat(before)
                )?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Display columns of a snippet at most; a longer line is cut around the caret.
const SNIPPET_WIDTH: usize = 100;

/// The part of `line` to show and the display width before the caret (column `col`, in
/// characters). Wide CJK characters count as two columns so the caret lines up in a
/// terminal; a line wider than [`SNIPPET_WIDTH`] is cut around the caret, with `…` where
/// text is left out.
fn window(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<(char, usize)> = line.chars().map(|c| (c, c.width().unwrap_or(0))).collect();
    let width = |r: &[(char, usize)]| r.iter().map(|(_, w)| w).sum::<usize>();
    let at = (col - 1).min(chars.len());
    if width(&chars) <= SNIPPET_WIDTH {
        return (line.to_owned(), width(&chars[..at]));
    }
    // Up to a third of the width before the caret, the rest after it.
    let mut start = at;
    while start > 0 && width(&chars[start - 1..at]) <= SNIPPET_WIDTH / 3 {
        start -= 1;
    }
    let mut end = at;
    while end < chars.len() && width(&chars[start..=end]) <= SNIPPET_WIDTH {
        end += 1;
    }
    let mut shown = String::new();
    let mut before = width(&chars[start..at]);
    if start > 0 {
        shown.push('…');
        before += 1;
    }
    shown.extend(chars[start..end].iter().map(|(c, _)| c));
    if end < chars.len() {
        shown.push('…');
    }
    (shown, before)
}

/// A boxed cause from a library that has no error type of its own (Pagefind's `anyhow`).
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

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
    #[error("cannot walk {}", path.display())]
    Walk {
        path: PathBuf,
        #[source]
        source: walkdir::Error,
    },
    #[error("no content directory at {}", .0.display())]
    NoContent(PathBuf),
    /// The search index could not be built.
    #[error("search index")]
    Search(#[source] Cause),
    #[error("cannot watch {}", path.display())]
    Watch {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },
    /// Something only a bug in dossier causes (an invariant broken), never bad input.
    #[error("internal error: {0}")]
    Internal(String),
    /// A bad command line or a refused request (exit status 2).
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

    /// Merges the diagnostics of two failed stages into one error (all problems at
    /// once); a failure that is not about the user's files (I/O) wins.
    pub fn merge(a: Error, b: Error) -> Error {
        match (a, b) {
            (Error::Diagnostics(mut x), Error::Diagnostics(y)) => {
                x.extend(y);
                Error::Diagnostics(x)
            }
            (Error::Diagnostics(_), other) => other,
            (other, _) => other,
        }
    }
}

/// Turns collected diagnostics into a result: errors fail, warnings alone pass.
pub fn check(diags: Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
    if diags.iter().any(|d| !d.warning) {
        Err(Error::Diagnostics(diags))
    } else {
        Ok(diags)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and its causes on one line: `cannot read x: No such file or directory`.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

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

    #[test]
    fn whole_file_problems_print_no_invented_position() {
        let d = Diagnostic::file("content/founders/x.en.md", "missing translation");
        assert_eq!(
            d.to_string(),
            "content/founders/x.en.md: error: missing translation"
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_caret() {
        let line = format!("name: {}x{}", "[".repeat(5000), "]".repeat(5000));
        let d = Diagnostic::new("a.md", 2, 5007, "nesting").with_source(&format!("---\n{line}"));
        let text = d.to_string();
        let shown = text.lines().nth(2).unwrap();
        let caret = text.lines().nth(3).unwrap();
        assert!(shown.chars().count() < 120, "{shown}");
        assert!(
            shown.starts_with("2 | …[[[") && shown.ends_with("]]]…"),
            "{shown}"
        );
        // The caret stands under the `x`.
        let at = caret.chars().count() - 1;
        assert_eq!(shown.chars().nth(at), Some('x'));
    }
}
