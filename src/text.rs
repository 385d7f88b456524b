//! Source text as read from disk: one normalized form (no BOM, `\n` line ends),
//! positions in it, the one rule for characters no output may carry, and which links are
//! web addresses.
//!
//! Feeds, the sitemap and SVG logos are XML 1.0, which cannot hold the C0 control
//! characters other than tab, line feed and carriage return, nor U+FFFE and U+FFFF (lone
//! surrogates cannot occur in Rust text; YAML refuses their escapes); HTML counts those
//! and DEL, the C1 controls and the other noncharacters as parse errors. No output may
//! carry any of them: such a character in content, written raw or as a YAML escape
//! (`"\x01"`), is refused where it is written, at its line and column ([`forbidden`]
//! decides; `content::parse` and `yaml::from_str` refuse), so every output is well-formed
//! whatever the input. The XML writers drop any that could still reach them
//! ([`crate::escape::xml`]), with the same rule.

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

/// Whether no output may carry `c` (see the module's note): C0 controls but tab, line
/// feed and carriage return; DEL and the C1 controls; the noncharacters (U+FDD0 to
/// U+FDEF, and the last two code points of every plane: U+FFFE, U+FFFF, U+1FFFE...).
pub fn forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7F..=0x9F).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
}

/// The first character of `s` that no output may carry, and its byte offset.
pub fn first_forbidden(s: &str) -> Option<(usize, char)> {
    // Fast path: printable ASCII and the three allowed controls.
    if s.bytes()
        .all(|b| (0x20..0x7F).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return None;
    }
    s.char_indices().find(|&(_, c)| forbidden(c))
}

/// `U+0001`: how a message names a character.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// The message and hint for a character XML cannot carry, written raw in a file.
pub fn forbidden_message(c: char) -> (String, String) {
    (
        format!(
            "{} is a character XML cannot carry (a control character or a noncharacter)",
            code_point(c)
        ),
        "feeds, the sitemap and SVG files are XML, which cannot hold it: delete it (an editor may show it as a box or not at all)".into(),
    )
}

/// Links from content become hrefs: only web addresses are accepted.
pub fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > 8
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'))
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
    fn outputs_forbid_controls_and_noncharacters_only() {
        for c in [
            '\u{0}',
            '\u{1}',
            '\u{8}',
            '\u{B}',
            '\u{1F}',
            '\u{7F}',
            '\u{85}',
            '\u{9F}',
            '\u{FDD0}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{1FFFF}',
            '\u{10FFFE}',
        ] {
            assert!(forbidden(c), "{c:?}");
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '~',
            '\u{A0}',
            '\u{200E}',
            '\u{202E}',
            '\u{FEFF}',
            '\u{FFFD}',
            '\u{1F600}',
            '贾',
            '，',
        ] {
            assert!(!forbidden(c), "{c:?}");
        }
        assert_eq!(first_forbidden("ab\u{1}c"), Some((2, '\u{1}')));
        assert_eq!(first_forbidden("贾扬清\u{FFFF}"), Some((9, '\u{FFFF}')));
        assert_eq!(first_forbidden("贾扬清\u{FFFD}\t"), None);
        assert_eq!(first_forbidden("plain text\n"), None);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n贾扬清x", 12), (2, 4));
        // An offset inside a character moves back to its start.
        assert_eq!(line_col("贾扬清", 4), (1, 2));
        assert_eq!(line_start("a\nbc\nd", 3), 5);
    }
}
