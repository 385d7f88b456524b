//! Companies by founding month.

use super::{Lang, Month, Point, Tick, Timeline, WIDTH};
use crate::content::Kind;
use crate::error::Diagnostic;

/// Companies the timeline shows one by one; beyond this it counts them per month.
pub const MAX_POINTS: usize = 60;

/// A month as a number: months since year 0.
fn month(d: crate::content::PartialDate) -> u32 {
    d.year as u32 * 12 + d.month.map(|m| m as u32 - 1).unwrap_or(0)
}

/// Companies by founding month: one column per month between the first and the last; a
/// point per company, or a bar per month when there are more than [`MAX_POINTS`].
pub fn timeline(l: &Lang) -> Result<Timeline, Diagnostic> {
    let c = &l.site.content;
    let dated: Vec<(usize, u32)> = c
        .companies
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.original().fm.founded.map(|d| (i, month(d))))
        .collect();
    let lo = dated.iter().map(|d| d.1).min().unwrap_or(0);
    let hi = dated.iter().map(|d| d.1).max().unwrap_or(0);
    let span = (hi - lo).max(1) as f64;
    let (left, right) = (40.0, WIDTH - 40.0);
    let xpos = |m: u32| left + (m - lo) as f64 / span * (right - left);
    let ticks = (lo / 12..=hi / 12)
        .map(|y| Tick {
            x: xpos((y * 12).max(lo)),
            label: y.to_string(),
        })
        .collect();
    let mut chart = Timeline {
        id: "chart-timeline",
        title: l.t("chart_timeline_title")?,
        desc: l.t("chart_timeline_desc")?,
        width: WIDTH,
        ticks,
        ..Timeline::default()
    };
    if dated.len() > MAX_POINTS {
        months(l, &mut chart, &dated, &xpos, span);
    } else {
        points(l, &mut chart, &dated, &xpos);
    }
    Ok(chart)
}

/// One numbered point per company, stacked where months coincide.
fn points(l: &Lang, chart: &mut Timeline, dated: &[(usize, u32)], xpos: &dyn Fn(u32) -> f64) {
    let c = &l.site.content;
    let mut stacked: std::collections::HashMap<u32, usize> = Default::default();
    let mut points: Vec<Point> = dated
        .iter()
        .map(|&(i, m)| {
            let n = stacked.entry(m).or_insert(0);
            *n += 1;
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
                x: xpos(m),
                // The stack height, turned into a position below.
                y: *n as f64,
            }
        })
        .collect();
    let max_stack = stacked.values().copied().max().unwrap_or(1) as f64;
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
) {
    let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
    for &(_, m) in dated {
        *counts.entry(m).or_insert(0) += 1;
    }
    let most = counts.values().copied().max().unwrap_or(1) as f64;
    let height = 160.0;
    chart.axis_y = 20.0 + height;
    chart.height = chart.axis_y + 30.0;
    chart.month_width = ((WIDTH - 80.0) / (span + 1.0) - 1.0).clamp(1.0, 24.0);
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
