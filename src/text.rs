//! Source text as read from disk: one normalized form (no BOM, `\n` line ends) and
//! positions in it.

/// Strips a byte-order mark and turns CRLF and lone CR into LF.
pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset where 1-based `line` starts (the end of the text past the last line).
pub fn line_start(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalized() {
        assert_eq!(
            normalize("\u{feff}---\r\na: 1\r\n---\r\n"),
            "---\na: 1\n---\n"
        );
        assert_eq!(normalize("a\rb"), "a\nb");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n贾扬清x", 12), (2, 4));
        // An offset inside a character moves back to its start.
        assert_eq!(line_col("贾扬清", 4), (1, 2));
        assert_eq!(line_start("a\nbc\nd", 3), 5);
    }
}
