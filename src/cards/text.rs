//! Laying out a card's text: lines broken at spaces and between CJK characters (never
//! before a closing mark such as `，` or `）`, never after an opening one), at most so many
//! lines, the last one ended with `…` when the text is longer. A character no font has is
//! left out (no tofu boxes).

use crate::draw::fonts::{Fonts, Glyph};

/// Whether a character is Chinese, Japanese or Korean script or punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FFF | 0x3000..=0x9FFF | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// Marks that may not start a line.
fn closing(c: char) -> bool {
    "，。、：；！？）」』〉》】〕’”,.;:!?)]}…%·・ー".contains(c)
}

/// Marks that may not end a line.
fn opening(c: char) -> bool {
    "（「『〈《【〔‘“([{".contains(c)
}

/// A text box of the card template.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub text: String,
    pub x: f32,
    /// Baseline of the first line.
    pub y: f32,
    pub size: f32,
    pub weight: u16,
    pub family: String,
    pub width: f32,
    pub lines: usize,
    pub line_height: f32,
    /// `start`, `middle` or `end`.
    pub anchor: Anchor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A glyph at its pen position (x) on its baseline (y), in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub glyph: Glyph,
    pub x: f32,
    pub y: f32,
}

/// What laying out a block found besides the glyphs.
#[derive(Debug, Default, Clone, Copy)]
pub struct Found {
    /// A CJK character that no font has (left out).
    pub missing_cjk: bool,
}

struct Item {
    c: char,
    glyph: Glyph,
    width: f32,
}

/// Lays out a block; `found` records characters left out.
pub fn layout(fonts: &Fonts, b: &Block, found: &mut Found) -> Vec<Placed> {
    let chain = fonts.chain(&b.family, b.weight);
    let mut items: Vec<Item> = Vec::new();
    for c in b.text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && items.last().is_none_or(|l| l.c == ' ') {
            continue;
        }
        match fonts.glyph(&chain, b.weight, c) {
            Some(glyph) => items.push(Item {
                c,
                glyph,
                width: glyph.advance * b.size,
            }),
            None if is_cjk(c) => found.missing_cjk = true,
            None => {}
        }
    }
    while items.last().is_some_and(|l| l.c == ' ') {
        items.pop();
    }
    let lines = break_lines(&items, b.width);
    let cut = lines.len() > b.lines;
    let kept = &lines[..lines.len().min(b.lines)];
    let ellipsis = fonts.glyph(&chain, b.weight, '…');
    let mut out = Vec::new();
    for (n, &(s, e)) in kept.iter().enumerate() {
        let mut e = e;
        let trim = |e: &mut usize| {
            while *e > s && items[*e - 1].c == ' ' {
                *e -= 1;
            }
        };
        trim(&mut e);
        let mut tail = None;
        if cut && n + 1 == kept.len() {
            if let Some(g) = ellipsis {
                let ew = g.advance * b.size;
                let mut w: f32 = items[s..e].iter().map(|i| i.width).sum();
                while e > s && w + ew > b.width {
                    e -= 1;
                    w -= items[e].width;
                }
                trim(&mut e);
                tail = Some(g);
            }
        }
        let width: f32 = items[s..e].iter().map(|i| i.width).sum::<f32>()
            + tail.map_or(0.0, |g| g.advance * b.size);
        let mut x = match b.anchor {
            Anchor::Start => b.x,
            Anchor::Middle => b.x - width / 2.0,
            Anchor::End => b.x - width,
        };
        let y = b.y + n as f32 * b.line_height;
        for it in &items[s..e] {
            out.push(Placed {
                glyph: it.glyph,
                x,
                y,
            });
            x += it.width;
        }
        if let Some(g) = tail {
            out.push(Placed { glyph: g, x, y });
        }
    }
    out
}

/// Greedy line breaking: each line as a range of `items`.
fn break_lines(items: &[Item], width: f32) -> Vec<(usize, usize)> {
    let can_break = |i: usize| {
        if i == 0 || i >= items.len() {
            return false;
        }
        let (p, c) = (items[i - 1].c, items[i].c);
        if closing(c) || opening(p) {
            return false;
        }
        p == ' ' || c == ' ' || is_cjk(p) || is_cjk(c)
    };
    let mut lines = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let mut w = 0.0;
        let mut end = start;
        let mut last = None;
        while end < items.len() {
            if end > start && can_break(end) {
                last = Some(end);
            }
            if w + items[end].width > width && end > start {
                break;
            }
            w += items[end].width;
            end += 1;
        }
        if end < items.len() {
            if let Some(b) = last {
                end = b;
            }
        }
        lines.push((start, end));
        start = end;
        while start < items.len() && items[start].c == ' ' {
            start += 1;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(s: &str) -> Vec<Item> {
        s.chars()
            .map(|c| Item {
                c,
                glyph: Glyph {
                    face: 0,
                    gid: 0,
                    advance: 1.0,
                },
                width: 1.0,
            })
            .collect()
    }

    fn lines(s: &str, width: f32) -> Vec<String> {
        let it = items(s);
        break_lines(&it, width)
            .into_iter()
            .map(|(a, b)| {
                it[a..b]
                    .iter()
                    .map(|i| i.c)
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn latin_breaks_at_spaces_and_cjk_between_characters() {
        assert_eq!(
            lines("Vice President at Alibaba", 12.0),
            ["Vice", "President at", "Alibaba"]
        );
        assert_eq!(lines("阿里巴巴副总裁", 3.0), ["阿里巴", "巴副总", "裁"]);
    }

    #[test]
    fn closing_marks_never_start_a_line() {
        // "，" would start the second line: the break moves one character back.
        assert_eq!(lines("负责研发，曾主导", 4.0), ["负责研", "发，曾主", "导"]);
        assert_eq!(lines("他说（很好）。", 3.0), ["他说", "（很", "好）。"]);
    }
}
