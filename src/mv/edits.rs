//! Where a slug stands in a file's text as its author wrote it, and the edits that
//! replace it: whole items of a front matter key's value (outside comments), the
//! `aliases:` list however it is written, and `@/<section>/<slug>` links in the body.
//! Positions are byte ranges of the text; nothing here reads or writes a file.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::content::Slug;

/// `text` with the edits (sorted, not overlapping) made.
pub(super) fn apply(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (r, with) in edits {
        out.push_str(&text[at..r.start]);
        out.push_str(with);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The line ending the file uses.
fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The lines of the front matter block of top-level `key` (its line and the indented
/// lines under it), as byte ranges of `text` without their line ends.
fn key_block(text: &str, fm: Range<usize>, key: &str) -> Option<Vec<Range<usize>>> {
    let mut lines = Vec::new();
    let mut pos = fm.start;
    let mut inside = false;
    for line in text[fm.clone()].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let range = pos..pos + content.len();
        pos += line.len();
        if !inside {
            let is_key = content
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'));
            if is_key {
                inside = true;
                lines.push(range);
            }
        } else if content.starts_with(' ') || content.starts_with('-') || content.trim().is_empty()
        {
            lines.push(range);
        } else {
            break;
        }
    }
    // Trailing blank lines belong to no block.
    while lines.len() > 1 && text[lines[lines.len() - 1].clone()].trim().is_empty() {
        lines.pop();
    }
    inside.then_some(lines)
}

/// The part of a line before a comment (`#` at the start or after a space).
fn uncommented(line: &str) -> &str {
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        if c == '#' && prev.is_whitespace() {
            return &line[..i];
        }
        prev = c;
    }
    line
}

/// Where `slug` stands as a whole item in the line `line` of `text`, from byte `from` of
/// the line on, outside a comment.
fn line_tokens(text: &str, line: Range<usize>, from: usize, slug: &str) -> Vec<Range<usize>> {
    let before = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "[,:\"'".contains(c));
    let after = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "],\"'".contains(c));
    let part = uncommented(&text[line.clone()]);
    part.match_indices(slug)
        .filter(|(i, m)| {
            *i >= from
                && before(part[..*i].chars().next_back())
                && after(part[i + m.len()..].chars().next())
        })
        .map(|(i, m)| line.start + i..line.start + i + m.len())
        .collect()
}

/// Where the value of `key` names `slug`: whole items of its block, outside comments.
pub(super) fn value_tokens(
    text: &str,
    fm: Range<usize>,
    key: &str,
    slug: &str,
) -> Vec<Range<usize>> {
    let Some(lines) = key_block(text, fm, key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (n, line) in lines.into_iter().enumerate() {
        // On the key's own line, the value starts after the colon.
        let from = if n == 0 {
            text[line.clone()].find(':').map_or(0, |i| i + 1)
        } else {
            0
        };
        out.extend(line_tokens(text, line, from, slug));
    }
    out
}

/// The edits that add `old` to the original's `aliases:` (and drop `new` from it, when
/// the profile takes back an old name).
pub(super) fn alias_edit(
    text: &str,
    fm: Range<usize>,
    old: &Slug,
    new: &Slug,
) -> std::result::Result<Vec<(Range<usize>, String)>, String> {
    let nl = eol(text);
    let Some(lines) = key_block(text, fm.clone(), "aliases") else {
        // No `aliases:` yet: a line at the end of the front matter.
        return Ok(vec![(fm.end..fm.end, format!("aliases: [{old}]{nl}"))]);
    };
    let unquote = |s: &str| s.trim().trim_matches(['"', '\'']).to_owned();
    let head = &text[lines[0].clone()];
    let colon = head.find(':').map_or(head.len(), |i| i + 1);
    let value = uncommented(&head[colon..]);
    let value_start = lines[0].start + colon;
    if value.trim_start().starts_with('[') {
        // A flow list on the key's line: written again with the old slug added.
        let open = value_start + value.find('[').unwrap_or(0);
        let Some(close) = value.rfind(']').map(|i| value_start + i) else {
            return Err(
                "`aliases:` is a list over several lines: cannot add the old slug to it safely"
                    .into(),
            );
        };
        let mut items: Vec<&str> = text[open + 1..close]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty() && unquote(s) != new.as_str())
            .collect();
        if !items.iter().any(|s| unquote(s) == old.as_str()) {
            items.push(old.as_str());
        }
        return Ok(vec![(open..close + 1, format!("[{}]", items.join(", ")))]);
    }
    // A block list (`- a` lines under the key), or no value yet.
    let items: Vec<&Range<usize>> = lines[1..]
        .iter()
        .filter(|r| text[(*r).clone()].trim_start().starts_with('-'))
        .collect();
    if items.is_empty() {
        if !value.trim().is_empty() && !matches!(value.trim(), "~" | "null" | "[]") {
            return Err(format!("`aliases:{}` is not a list", value.trim_end()));
        }
        let end = value_start + value.trim_end().len();
        return Ok(vec![(value_start..end, format!(" [{old}]"))]);
    }
    let item = |r: &Range<usize>| {
        let line = &text[r.clone()];
        unquote(uncommented(line).trim_start().trim_start_matches('-'))
    };
    let has_old = items.iter().any(|r| item(r) == old.as_str());
    match items.iter().find(|r| item(r) == new.as_str()) {
        // The profile takes back an old name: that item becomes the name it leaves.
        Some(r) if !has_old => {
            let tokens = line_tokens(text, (*r).clone(), 0, new.as_str());
            Ok(tokens.into_iter().map(|t| (t, old.to_string())).collect())
        }
        // Both listed: the line of the new name goes, with its line end.
        Some(r) => {
            let end = r.end + text[r.end..].find('\n').map_or(0, |i| i + 1);
            Ok(vec![(r.start..end, String::new())])
        }
        None if has_old => Ok(Vec::new()),
        // A line after the last item, written like it.
        None => {
            let last = items[items.len() - 1];
            let line = &text[last.clone()];
            let rest = line.trim_start().trim_start_matches('-').trim_start();
            let prefix = &line[..line.len() - rest.len()];
            Ok(vec![(last.end..last.end, format!("{nl}{prefix}{old}"))])
        }
    }
}

/// Where the `@/<section>/<slug>` links of a Markdown body name `slug`: inline links and
/// link reference definitions, not code or plain text.
pub(super) fn link_slugs(body: &str, section: &str, slug: &str) -> Vec<Range<usize>> {
    let needle = format!("@/{section}/{slug}");
    let names = |dest: &str| {
        dest.strip_prefix(needle.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '#', '?']))
    };
    let parser = Parser::new_ext(body, crate::markdown::options()).into_offset_iter();
    let mut spans: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, def)| names(&def.dest))
        .map(|(_, def)| def.span.clone())
        .collect();
    for (event, range) in parser {
        if let Event::Start(Tag::Link { dest_url, .. }) = &event {
            if names(dest_url) {
                spans.push(range);
            }
        }
    }
    let opens = |c: Option<char>| c.is_some_and(|c| c == '(' || c == '<' || c.is_whitespace());
    let ends = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || ")>#/?\"'".contains(c));
    let mut out: Vec<Range<usize>> = Vec::new();
    for span in spans {
        let s = &body[span.clone()];
        for (i, _) in s.match_indices(&needle) {
            let (start, end) = (span.start + i, span.start + i + needle.len());
            if opens(body[..start].chars().next_back()) && ends(body[end..].chars().next()) {
                let slug_start = end - slug.len();
                if !out.iter().any(|r| r.start == slug_start) {
                    out.push(slug_start..end);
                }
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    /// The front matter's byte range in `text`.
    fn fm(text: &str) -> Range<usize> {
        let s = content::split::split(text).unwrap();
        s.fm_start..s.fm_end
    }

    #[test]
    fn links_are_found_in_links_only() {
        let body = "[a](@/founders/x) [b](@/founders/x#y \"t\") [c](@/founders/xy) `@/founders/x`\n\n\
                    [d][r] <https://e.org/@/founders/x>\n\n[r]: @/founders/x/\n\n    [e](@/founders/x)\n";
        let found: Vec<&str> = link_slugs(body, "founders", "x")
            .into_iter()
            .map(|r| &body[r.end - 12..r.end])
            .collect();
        assert_eq!(found, ["@/founders/x", "@/founders/x", "@/founders/x"]);
        let edits: Vec<_> = link_slugs(body, "founders", "x")
            .into_iter()
            .map(|r| (r, "z".to_owned()))
            .collect();
        let out = apply(body, &edits);
        assert!(out.contains(
            "[a](@/founders/z) [b](@/founders/z#y \"t\") [c](@/founders/xy) `@/founders/x`"
        ));
        assert!(out.contains("[r]: @/founders/z/") && out.contains("    [e](@/founders/x)"));
    }

    #[test]
    fn references_are_whole_items_outside_comments() {
        let text = "---\nfounders: [x, xy, old-x, \"x\"] # x here\nsector: x\nother:\n  - x\n---\n";
        let hits = value_tokens(text, fm(text), "founders", "x");
        assert_eq!(hits.len(), 2);
        assert_eq!(value_tokens(text, fm(text), "sector", "x").len(), 1);
        let block = "---\nfounders:\n  - a\n  - x # old\n\nname: x\n---\n";
        let hits = value_tokens(block, fm(block), "founders", "x");
        assert_eq!(hits.len(), 1);
    }

    #[test]
    fn the_alias_is_added_however_the_list_is_written() {
        let run = |text: &str| {
            let edits = alias_edit(text, fm(text), &slug("old"), &slug("new")).unwrap();
            apply(text, &edits)
        };
        assert_eq!(
            run("---\nname: a\n---\n"),
            "---\nname: a\naliases: [old]\n---\n"
        );
        assert_eq!(
            run("---\naliases: [a, new] # kept\nname: a\n---\n"),
            "---\naliases: [a, old] # kept\nname: a\n---\n"
        );
        assert_eq!(
            run("---\naliases:\n  - a\n  - new\nname: a\n---\n"),
            "---\naliases:\n  - a\n  - old\nname: a\n---\n"
        );
        assert_eq!(
            run("---\naliases:\n  - 'old'\n  - new # back\n  - b\nname: a\n---\n"),
            "---\naliases:\n  - 'old'\n  - b\nname: a\n---\n"
        );
        assert_eq!(
            run("---\naliases:\n- a # first\nname: a\n---\n"),
            "---\naliases:\n- a # first\n- old\nname: a\n---\n"
        );
        assert_eq!(
            run("---\r\naliases: []\r\nname: a\r\n---\r\n"),
            "---\r\naliases: [old]\r\nname: a\r\n---\r\n"
        );
        assert_eq!(
            run("---\naliases:\nname: a\n---\n"),
            "---\naliases: [old]\nname: a\n---\n"
        );
    }
}
