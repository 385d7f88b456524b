//! Splitting a Markdown file into its YAML front matter and its body.
//!
//! The front matter opens with a line holding only `---` (trailing spaces allowed) as the
//! first line of the file, and closes at the next such line. A `---` inside a line, or
//! followed by other text, neither opens nor closes it.

/// Where the parts of a file start, as byte offsets into its (normalized) text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Start of the YAML text (after the opening line).
    pub fm_start: usize,
    /// End of the YAML text (the start of the closing line).
    pub fm_end: usize,
    /// Start of the Markdown body (after the closing line).
    pub body_start: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    Missing,
    /// No closing `---` line.
    Unclosed,
}

fn is_delimiter(line: &str) -> bool {
    // `\r` only in text not yet normalized (`dossier mv` edits files as they are).
    line.trim_end_matches([' ', '\t', '\r', '\n']) == "---"
}

/// Splits normalized text (LF line ends, no BOM); text with CRLF line ends splits too.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if !is_delimiter(first) {
        return Err(SplitError::Missing);
    }
    let fm_start = first.len();
    let mut pos = fm_start;
    for line in lines {
        if is_delimiter(line) {
            return Ok(Split {
                fm_start,
                fm_end: pos,
                body_start: pos + line.len(),
            });
        }
        pos += line.len();
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Result<(&str, &str), SplitError> {
        split(text).map(|s| (&text[s.fm_start..s.fm_end], &text[s.body_start..]))
    }

    #[test]
    fn front_matter_and_body() {
        assert_eq!(parts("---\na: 1\n---\nbody\n"), Ok(("a: 1\n", "body\n")));
        assert_eq!(parts("---\n---\n"), Ok(("", "")));
        assert_eq!(parts("---\na: 1\n---"), Ok(("a: 1\n", "")));
        assert_eq!(parts("---  \na: 1\n--- \nb"), Ok(("a: 1\n", "b")));
    }

    #[test]
    fn dashes_count_only_as_a_line_of_their_own() {
        assert_eq!(parts("---\na: x---y\n---\n"), Ok(("a: x---y\n", "")));
        assert_eq!(parts("---\na: 1\n----\n"), Err(SplitError::Unclosed));
        assert_eq!(parts("---x\na: 1\n---\n"), Err(SplitError::Missing));
        assert_eq!(parts("# title\n"), Err(SplitError::Missing));
        assert_eq!(parts(""), Err(SplitError::Missing));
        assert_eq!(parts("---\na: 1\n"), Err(SplitError::Unclosed));
    }
}
