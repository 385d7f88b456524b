//! Companies by founding month.

use super::layout::{Lang, Layout, Month, Point, Tick, Timeline};
use crate::content::Kind;
use crate::error::Diagnostic;

/// Companies the timeline shows one by one; beyond this it counts them per month.
pub const MAX_POINTS: usize = 60;

/// A month as a number: months since year 0.
fn month(d: crate::content::PartialDate) -> u32 {
    d.year as u32 * 12 + d.month.map(|m| m as u32 - 1).unwrap_or(0)
}

/// Companies by founding month: one column per month between the first and the last; a
/// point per company, or a bar per month when there are more than [`MAX_POINTS`]. Laid
/// out wide, holding the narrow layout.
pub fn timeline(l: &Lang) -> Result<Timeline, Diagnostic> {
    let narrow = layout(l, Layout::Narrow)?;
    Ok(Timeline {
        narrow: Some(Box::new(narrow)),
        ..layout(l, Layout::Wide)?
    })
}

/// The dot's radius in the theme (`r` of `.chart-dot`), and the space kept between dots.
const DOT: f64 = 9.5;
const DOT_GAP: f64 = 2.0;
/// The least room between two year labels on the axis; closer years are labelled every
/// second (or more) year.
const TICK_ROOM: f64 = 40.0;

fn layout(l: &Lang, layout: Layout) -> Result<Timeline, Diagnostic> {
    let c = &l.site.content;
    let width = layout.width();
    let mut dated: Vec<(usize, u32)> = c
        .companies
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.original().fm.founded.map(|d| (i, month(d))))
        .collect();
    dated.sort_by_key(|&(i, m)| (m, i));
    let lo = dated.iter().map(|d| d.1).min().unwrap_or(0);
    let hi = dated.iter().map(|d| d.1).max().unwrap_or(0);
    let span = (hi - lo).max(1) as f64;
    let margin = match layout {
        Layout::Wide => 40.0,
        Layout::Narrow => 24.0,
    };
    let (left, right) = (margin, width - margin);
    let xpos = |m: u32| left + (m - lo) as f64 / span * (right - left);
    let year_room = 12.0 / span * (right - left);
    let every = (TICK_ROOM / year_room).ceil().max(1.0) as u32;
    let ticks = (lo / 12..=hi / 12)
        .filter(|y| (y - lo / 12) % every == 0)
        .map(|y| Tick {
            x: xpos((y * 12).max(lo)),
            label: y.to_string(),
        })
        .collect();
    let mut chart = Timeline {
        id: layout.id("chart-timeline"),
        layout,
        title: l.t("chart_timeline_title")?,
        desc: l.t("chart_timeline_desc")?,
        width,
        ticks,
        ..Timeline::default()
    };
    if dated.len() > MAX_POINTS {
        months(l, &mut chart, &dated, &xpos, span, right - left);
    } else {
        // Wide, a month is wider than a dot, so only companies of the same month stack;
        // narrow, neighbouring months may overlap too.
        let apart = match layout {
            Layout::Wide => 0.5,
            Layout::Narrow => 2.0 * DOT + DOT_GAP,
        };
        points(l, &mut chart, &dated, &xpos, apart);
    }
    Ok(chart)
}

/// One numbered point per company, in date order; a point closer than `apart` to one
/// already placed on a level goes on the next level up.
fn points(
    l: &Lang,
    chart: &mut Timeline,
    dated: &[(usize, u32)],
    xpos: &dyn Fn(u32) -> f64,
    apart: f64,
) {
    let c = &l.site.content;
    // The x of every point on each level, bottom up.
    let mut levels: Vec<Vec<f64>> = Vec::new();
    let mut points: Vec<Point> = dated
        .iter()
        .map(|&(i, m)| {
            let x = xpos(m);
            let level = levels
                .iter()
                .position(|xs| xs.iter().all(|&o| (o - x).abs() >= apart))
                .unwrap_or(levels.len());
            if level == levels.len() {
                levels.push(Vec::new());
            }
            levels[level].push(x);
            let e = &c.companies[i];
            Point {
                label: e.doc(l.lang).fm.name.clone().unwrap_or_default(),
                date: e
                    .original()
                    .fm
                    .founded
                    .map(|d| d.human(l.cfg.code(l.lang)))
                    .unwrap_or_default(),
                url: l.link(Kind::Company, e.slug.as_str()),
                x,
                // The level, turned into a position below.
                y: (level + 1) as f64,
            }
        })
        .collect();
    let max_stack = levels.len().max(1) as f64;
    chart.axis_y = 30.0 + max_stack * 22.0;
    for p in &mut points {
        p.y = chart.axis_y - p.y * 22.0;
    }
    chart.height = chart.axis_y + 30.0;
    chart.points = points;
}

/// A bar per month, its height the month's count of companies.
fn months(
    l: &Lang,
    chart: &mut Timeline,
    dated: &[(usize, u32)],
    xpos: &dyn Fn(u32) -> f64,
    span: f64,
    plot_width: f64,
) {
    let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
    for &(_, m) in dated {
        *counts.entry(m).or_insert(0) += 1;
    }
    let most = counts.values().copied().max().unwrap_or(1) as f64;
    let height = 160.0;
    chart.axis_y = 20.0 + height;
    chart.height = chart.axis_y + 30.0;
    chart.month_width = (plot_width / (span + 1.0) - 1.0).clamp(1.0, 24.0);
    chart.months = counts
        .into_iter()
        .map(|(m, count)| {
            let date = crate::content::PartialDate {
                year: (m / 12) as u16,
                month: Some((m % 12 + 1) as u8),
                day: None,
            };
            Month {
                label: date.human(l.cfg.code(l.lang)),
                count,
                x: xpos(m) - chart.month_width / 2.0,
                y: chart.axis_y - (count as f64 / most * height).max(1.0),
            }
        })
        .collect();
}
