//! The geometry charts share: layouts, the types the theme draws, text measured and
//! wrapped to a width, and each language's strings and links for the builders.

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

use crate::config::{Config, LangId};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::theme::Theme;
use crate::resolve::{permalink, Site};

/// Which width a chart is laid out for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// A desktop column: 640 user units, drawn at 30 to 46 rem.
    #[default]
    Wide,
    /// A phone: 340 user units, drawn at about its own size, so 12px text stays 12px.
    /// Bar labels go above their bars; flow boxes are narrower and wrap their labels.
    Narrow,
}

impl Layout {
    /// The chart's width in user units (its `viewBox`).
    pub fn width(self) -> f64 {
        match self {
            Layout::Wide => WIDTH,
            Layout::Narrow => NARROW_WIDTH,
        }
    }

    /// The suffix of the chart's element ids, so both layouts can be on one page.
    pub(crate) fn id(self, id: &str) -> String {
        match self {
            Layout::Wide => id.to_owned(),
            Layout::Narrow => format!("{id}-narrow"),
        }
    }
}

/// A horizontal bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Bar {
    pub label: String,
    /// The label as drawn in the narrow layout, wrapped to fit (empty in the wide one,
    /// whose template wraps it).
    pub lines: Vec<String>,
    pub value: usize,
    pub url: String,
    pub y: f64,
    pub w: f64,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BarChart {
    pub id: String,
    pub layout: Layout,
    pub title: String,
    pub desc: String,
    pub width: f64,
    pub height: f64,
    /// Where bars start (room for labels on the left; 0 when labels are above the bars).
    pub x0: f64,
    pub bar_height: f64,
    pub bars: Vec<Bar>,
    /// The same chart laid out for a phone (in the wide layout only).
    pub narrow: Option<Box<BarChart>>,
}

/// A point on the founding timeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Point {
    pub label: String,
    pub date: String,
    pub url: String,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

/// A month's count of companies, when there are too many to show one by one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Month {
    pub label: String,
    pub count: usize,
    pub x: f64,
    /// The bar's top.
    pub y: f64,
}

/// Companies by founding month: one point per company, or (on a large site) one bar per
/// month with its count.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timeline {
    pub id: String,
    pub layout: Layout,
    pub title: String,
    pub desc: String,
    pub width: f64,
    pub height: f64,
    pub axis_y: f64,
    pub ticks: Vec<Tick>,
    pub points: Vec<Point>,
    /// Filled instead of `points` when there are more companies than fit.
    pub months: Vec<Month>,
    pub month_width: f64,
    /// The same chart laid out for a phone (in the wide layout only).
    pub narrow: Option<Box<Timeline>>,
}

/// A box in the flow diagram.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Node {
    /// `employer`, `company` or `sector`.
    pub kind: &'static str,
    pub label: String,
    /// The label as drawn in the narrow layout, wrapped to fit the box (empty in the wide
    /// one, whose template truncates it).
    pub lines: Vec<String>,
    pub url: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A connection between two boxes, as an SVG path.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Edge {
    pub d: String,
    pub from: String,
    pub to: String,
    /// How many founders the connection stands for (1 between boxes of profiles).
    pub count: usize,
    /// Stroke width.
    pub w: f64,
}

/// Employer -> company -> sector; on a large site, employer -> sector.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Flow {
    pub id: String,
    pub layout: Layout,
    pub title: String,
    pub desc: String,
    pub width: f64,
    pub height: f64,
    /// Column headings: x, text, and (narrow layout) the text on up to two lines.
    pub columns: Vec<(f64, String, Vec<String>)>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Employers joined to sectors directly, each connection counting founders.
    pub aggregated: bool,
    /// The same chart laid out for a phone (in the wide layout only).
    pub narrow: Option<Box<Flow>>,
}

pub(crate) const WIDTH: f64 = 640.0;
pub(crate) const NARROW_WIDTH: f64 = 340.0;
pub(crate) const ROW: f64 = 28.0;
/// The font size of chart text, in user units (the theme's `.chart-svg text`).
pub(crate) const FONT: f64 = 12.0;

/// A bar chart in both layouts: the wide one, holding the narrow one.
pub(crate) fn bar_chart(
    id: &'static str,
    title: String,
    desc: String,
    rows: Vec<(String, usize, String)>,
) -> BarChart {
    let narrow = bar_layout(
        id,
        title.clone(),
        desc.clone(),
        rows.clone(),
        Layout::Narrow,
    );
    BarChart {
        narrow: Some(Box::new(narrow)),
        ..bar_layout(id, title, desc, rows, Layout::Wide)
    }
}

/// Bars with their labels on the left (wide), or each label on a line above its bar
/// (narrow).
fn bar_layout(
    id: &str,
    title: String,
    desc: String,
    rows: Vec<(String, usize, String)>,
    layout: Layout,
) -> BarChart {
    let width = layout.width();
    // Where bars start, the room a value needs after the longest bar, the row pitch, the
    // bar's height and the top of the first bar.
    let (x0, room, pitch, bar_height, top) = match layout {
        Layout::Wide => (170.0, 40.0, ROW, ROW - 8.0, 8.0),
        Layout::Narrow => (1.0, 30.0, 40.0, 14.0, 26.0),
    };
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let span = width - x0 - room;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, url))| Bar {
            lines: match layout {
                Layout::Wide => Vec::new(),
                Layout::Narrow => wrap(&label, width, FONT, 1),
            },
            label,
            value,
            url,
            y: top + i as f64 * pitch,
            w: (value as f64 / max * span).max(2.0),
        })
        .collect::<Vec<_>>();
    BarChart {
        id: layout.id(id),
        layout,
        title,
        desc,
        width,
        // Below the last bar: 16 (wide), 8 (narrow).
        height: match layout {
            Layout::Wide => 16.0 + bars.len() as f64 * pitch,
            Layout::Narrow => top + bars.len() as f64 * pitch - (pitch - bar_height) + 8.0,
        },
        x0,
        bar_height,
        bars,
        narrow: None,
    }
}

/// How wide `c` is at font size 1: a full em for wide (CJK) characters; for the rest, a
/// sans-serif font's widths rounded up, by the shape of the letter.
pub(crate) fn char_width(c: char) -> f64 {
    match c.width() {
        Some(2) => 1.0,
        Some(0) | None => 0.0,
        _ if "iljtfr.,:;'!|- ()/".contains(c) => 0.34,
        _ if "mwMW@".contains(c) => 0.9,
        _ if c.is_uppercase() || c.is_ascii_digit() => 0.68,
        _ => 0.56,
    }
}

pub(crate) fn text_width(s: &str, font: f64) -> f64 {
    s.chars().map(char_width).sum::<f64>() * font
}

/// Breaks `text` into at most `max_lines` lines no wider than `width` at `font`: at spaces,
/// and between any two wide (CJK) characters; a word longer than a line is cut. Text that
/// does not fit ends its last line with "…" (the full text is in the chart's tooltip and
/// data table).
pub(crate) fn wrap(text: &str, width: f64, font: f64, max_lines: usize) -> Vec<String> {
    // Pieces that may not be split, each with whether a space precedes it.
    let mut pieces: Vec<(bool, String)> = Vec::new();
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        // A line may break before or after a wide character, and after a hyphen.
        let wide = c.width() == Some(2);
        match pieces.last_mut() {
            Some((_, piece))
                if !space
                    && !wide
                    && !piece.ends_with(|p: char| p == '-' || p.width() == Some(2)) =>
            {
                piece.push(c)
            }
            _ => pieces.push((space, c.to_string())),
        }
        space = false;
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (spaced, piece) in pieces {
        let joined = if line.is_empty() {
            piece.clone()
        } else if spaced {
            format!("{line} {piece}")
        } else {
            format!("{line}{piece}")
        };
        if text_width(&joined, font) <= width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A piece wider than a line is cut where it stops fitting.
        for c in piece.chars() {
            if !line.is_empty() && text_width(&line, font) + char_width(c) * font > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let max_lines = max_lines.max(1);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(last, font) + font > width {
                last.pop();
            }
            let kept = last.trim_end().len();
            last.truncate(kept);
            last.push('…');
        }
    }
    lines
}

/// Interface strings and links of one language, for the chart builders.
pub(crate) struct Lang<'a> {
    pub cfg: &'a Config,
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub lang: LangId,
}

impl Lang<'_> {
    pub fn t(&self, key: &str) -> Result<String, Diagnostic> {
        self.theme.t(self.lang, key).map(str::to_owned)
    }

    pub fn link(&self, kind: Kind, slug: &str) -> String {
        self.cfg
            .base
            .link(&permalink(self.cfg, kind, Some(slug), self.lang))
    }
}
