//! Chart geometry, computed here and drawn as inline SVG by the theme's templates:
//! founders per sector, founders per former employer, companies by founding month, and
//! the employer -> company -> sector flow.

use serde::Serialize;

use crate::config::{Config, LangId};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::resolve::{permalink, Site};

use super::Theme;

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

/// Companies by founding month.
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
}

/// A box in the flow diagram.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Node {
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
}

/// Employer -> company -> sector.
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
}

/// All charts of a language.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Charts {
    pub by_sector: BarChart,
    pub by_employer: BarChart,
    pub timeline: Timeline,
    pub flow: Flow,
}

const WIDTH: f64 = 640.0;
const ROW: f64 = 28.0;

fn bar_chart(
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

/// A box of the flow diagram before placement: index of the profile, label, slug.
type FlowBox<'a> = (usize, &'a str, &'a str);

/// Interface strings and links of one language, for the chart builders.
struct Lang<'a> {
    cfg: &'a Config,
    site: &'a Site,
    theme: &'a Theme,
    lang: LangId,
}

impl Lang<'_> {
    fn t(&self, key: &str) -> Result<String, Diagnostic> {
        self.theme.t(self.lang, key).map(str::to_owned)
    }

    fn link(&self, kind: Kind, slug: &str) -> String {
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
        by_sector: by_sector(&l)?,
        by_employer: by_employer(&l)?,
        timeline: timeline(&l)?,
        flow: flow(&l)?,
    })
}

/// Founders per sector, in sector order.
fn by_sector(l: &Lang) -> Result<BarChart, Diagnostic> {
    let (site, c) = (l.site, &l.site.content);
    let rows = site
        .sector_order
        .iter()
        .map(|&i| {
            let e = &c.sectors[i];
            (
                e.doc(l.lang).fm.name.clone().unwrap_or_default(),
                site.sector_founders[i].len(),
                l.link(Kind::Sector, e.slug.as_str()),
            )
        })
        .collect();
    Ok(bar_chart(
        "chart-sectors",
        l.t("chart_sectors_title")?,
        l.t("chart_sectors_desc")?,
        rows,
    ))
}

/// Founders per former employer, most first.
fn by_employer(l: &Lang) -> Result<BarChart, Diagnostic> {
    let (site, c) = (l.site, &l.site.content);
    let mut rows: Vec<(String, usize, String)> = site
        .employer_order
        .iter()
        .filter(|&&i| !site.employer_founders[i].is_empty())
        .map(|&i| {
            let e = &c.employers[i];
            (
                e.doc(l.lang).fm.name.clone().unwrap_or_default(),
                site.employer_founders[i].len(),
                l.link(Kind::Employer, e.slug.as_str()),
            )
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    Ok(bar_chart(
        "chart-employers",
        l.t("chart_employers_title")?,
        l.t("chart_employers_desc")?,
        rows,
    ))
}

/// Companies by founding month: one column per month between the first and the last.
fn timeline(l: &Lang) -> Result<Timeline, Diagnostic> {
    let c = &l.site.content;
    let month = |d: crate::content::PartialDate| {
        d.year as u32 * 12 + d.month.map(|m| m as u32 - 1).unwrap_or(0)
    };
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
    let axis_y = 30.0 + max_stack * 22.0;
    for p in &mut points {
        p.y = axis_y - p.y * 22.0;
    }
    let ticks = (lo / 12..=hi / 12)
        .map(|y| Tick {
            x: xpos((y * 12).max(lo)),
            label: y.to_string(),
        })
        .collect();
    Ok(Timeline {
        id: "chart-timeline",
        title: l.t("chart_timeline_title")?,
        desc: l.t("chart_timeline_desc")?,
        width: WIDTH,
        height: axis_y + 30.0,
        axis_y,
        ticks,
        points,
    })
}

const COL_X: [f64; 3] = [10.0, 240.0, 470.0];
const NODE_W: f64 = 160.0;
const NODE_H: f64 = 22.0;

/// The boxes of the flow diagram per column: employers someone left, companies, sectors.
fn flow_columns<'a>(l: &Lang<'a>) -> [(Kind, f64, Vec<FlowBox<'a>>); 3] {
    let (site, c, lang) = (l.site, &l.site.content, l.lang);
    let employers = site
        .employer_order
        .iter()
        .copied()
        .filter(|&i| !site.employer_founders[i].is_empty())
        .map(|i| {
            let e = &c.employers[i];
            (
                i,
                e.doc(lang).fm.name.as_deref().unwrap_or(""),
                e.slug.as_str(),
            )
        });
    let companies = c.companies.iter().enumerate().map(|(i, e)| {
        (
            i,
            e.doc(lang).fm.name.as_deref().unwrap_or(""),
            e.slug.as_str(),
        )
    });
    let sectors = site.sector_order.iter().map(|&i| {
        let e = &c.sectors[i];
        (
            i,
            e.doc(lang).fm.name.as_deref().unwrap_or(""),
            e.slug.as_str(),
        )
    });
    [
        (Kind::Employer, COL_X[0], employers.collect()),
        (Kind::Company, COL_X[1], companies.collect()),
        (Kind::Sector, COL_X[2], sectors.collect()),
    ]
}

/// A curve from the right edge of one box to the left edge of the next column's box.
fn curve(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    let mx = (x1 + x2) / 2.0;
    format!("M{x1:.1},{y1:.1} C{mx:.1},{y1:.1} {mx:.1},{y2:.1} {x2:.1},{y2:.1}")
}

/// Employer -> company -> sector.
fn flow(l: &Lang) -> Result<Flow, Diagnostic> {
    let (site, c, lang) = (l.site, &l.site.content, l.lang);
    let columns = flow_columns(l);
    let rows = columns.iter().map(|c| c.2.len()).max().unwrap_or(0).max(1) as f64;
    let height = rows * (NODE_H + 8.0) + 40.0;
    let place = |n: usize, k: usize| {
        30.0 + (k as f64 + 0.5) * ((height - 40.0) / n.max(1) as f64) - NODE_H / 2.0
    };
    let mut nodes = Vec::new();
    let mut pos = std::collections::HashMap::new();
    for (kind, x, boxes) in columns {
        let n = boxes.len();
        for (k, (i, label, slug)) in boxes.into_iter().enumerate() {
            let y = place(n, k);
            pos.insert((kind, i), y);
            nodes.push(Node {
                label: label.to_owned(),
                url: l.link(kind, slug),
                x,
                y,
                w: NODE_W,
                h: NODE_H,
            });
        }
    }
    let name = |kind: Kind, i: usize| -> String {
        let n = match kind {
            Kind::Employer => c.employers[i].doc(lang).fm.name.as_deref(),
            Kind::Company => c.companies[i].doc(lang).fm.name.as_deref(),
            _ => c.sectors[i].doc(lang).fm.name.as_deref(),
        };
        n.unwrap_or("").to_owned()
    };
    let mut edges = Vec::new();
    let mut link = |from: (Kind, usize), to: (Kind, usize), col: usize| {
        if let (Some(&y1), Some(&y2)) = (pos.get(&from), pos.get(&to)) {
            edges.push(Edge {
                d: curve(
                    COL_X[col] + NODE_W,
                    y1 + NODE_H / 2.0,
                    COL_X[col + 1],
                    y2 + NODE_H / 2.0,
                ),
                from: name(from.0, from.1),
                to: name(to.0, to.1),
            });
        }
    };
    for (fi, co) in site.founder_company.iter().enumerate() {
        if let (Some(ci), Some(ei)) = (co, site.founder_employer[fi]) {
            link((Kind::Employer, ei), (Kind::Company, *ci), 0);
        }
    }
    for (ci, s) in site.company_sector.iter().enumerate() {
        if let Some(si) = s {
            link((Kind::Company, ci), (Kind::Sector, *si), 1);
        }
    }
    Ok(Flow {
        id: "chart-flow",
        title: l.t("chart_flow_title")?,
        desc: l.t("chart_flow_desc")?,
        width: WIDTH,
        height,
        columns: vec![
            (COL_X[0], l.t("nav_employers")?),
            (COL_X[1], l.t("nav_companies")?),
            (COL_X[2], l.t("nav_sectors")?),
        ],
        nodes,
        edges,
    })
}
