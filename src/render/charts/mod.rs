//! Chart geometry, computed here and drawn as inline SVG by the theme's templates:
//! founders per sector, founders per former employer, companies by founding month, and
//! the employer -> company -> sector flow.

use serde::Serialize;

use crate::config::{Config, LangId};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::resolve::{permalink, Site};

use super::Theme;

mod bars;
mod flow;
mod timeline;

/// A horizontal bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub url: String,
    pub y: f64,
    pub w: f64,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub width: f64,
    pub height: f64,
    /// Where bars start (room for labels on the left).
    pub x0: f64,
    pub bar_height: f64,
    pub bars: Vec<Bar>,
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
    pub id: &'static str,
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
}

/// A box in the flow diagram.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Node {
    /// `employer`, `company` or `sector`.
    pub kind: &'static str,
    pub label: String,
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
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub width: f64,
    pub height: f64,
    pub columns: Vec<(f64, String)>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Employers joined to sectors directly, each connection counting founders.
    pub aggregated: bool,
}

/// All charts of a language.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Charts {
    pub by_sector: BarChart,
    pub by_employer: BarChart,
    pub timeline: Timeline,
    pub flow: Flow,
}

pub(crate) const WIDTH: f64 = 640.0;
pub(crate) const ROW: f64 = 28.0;

pub(crate) fn bar_chart(
    id: &'static str,
    title: String,
    desc: String,
    rows: Vec<(String, usize, String)>,
) -> BarChart {
    let x0 = 170.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let span = WIDTH - x0 - 40.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, url))| Bar {
            label,
            value,
            url,
            y: 8.0 + i as f64 * ROW,
            w: (value as f64 / max * span).max(2.0),
        })
        .collect::<Vec<_>>();
    BarChart {
        id,
        title,
        desc,
        width: WIDTH,
        height: 16.0 + bars.len() as f64 * ROW,
        x0,
        bar_height: ROW - 8.0,
        bars,
    }
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

/// Computes every chart for `lang`.
pub fn build(cfg: &Config, site: &Site, theme: &Theme, lang: LangId) -> Result<Charts, Diagnostic> {
    let l = Lang {
        cfg,
        site,
        theme,
        lang,
    };
    Ok(Charts {
        by_sector: bars::by_sector(&l)?,
        by_employer: bars::by_employer(&l)?,
        timeline: timeline::timeline(&l)?,
        flow: flow::flow(&l)?,
    })
}
