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
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub url: String,
    pub y: f64,
    pub w: f64,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub label: String,
    pub date: String,
    pub url: String,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

/// Companies by founding month.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub label: String,
    pub url: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A connection between two boxes, as an SVG path.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub d: String,
    pub from: String,
    pub to: String,
}

/// Employer -> company -> sector.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
type FlowBox<'a> = (usize, String, &'a str);

/// Computes every chart for `lang`.
pub fn build(cfg: &Config, site: &Site, theme: &Theme, lang: LangId) -> Result<Charts, Diagnostic> {
    let c = &site.content;
    let t = |k: &str| theme.t(cfg, lang, k).map(str::to_owned);
    let link = |k: Kind, slug: &str| cfg.base.link(&permalink(cfg, k, Some(slug), lang));
    let sector_rows: Vec<(String, usize, String)> = site
        .sector_order
        .iter()
        .map(|&i| {
            (
                c.sectors[i].doc(lang).fm.name.clone().unwrap_or_default(),
                site.sector_founders[i].len(),
                link(Kind::Sector, c.sectors[i].slug.as_str()),
            )
        })
        .collect();
    let mut employer_rows: Vec<(String, usize, String)> = site
        .employer_order
        .iter()
        .filter(|&&i| !site.employer_founders[i].is_empty())
        .map(|&i| {
            (
                c.employers[i].doc(lang).fm.name.clone().unwrap_or_default(),
                site.employer_founders[i].len(),
                link(Kind::Employer, c.employers[i].slug.as_str()),
            )
        })
        .collect();
    employer_rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let by_sector = bar_chart(
        "chart-sectors",
        t("chart_sectors_title")?,
        t("chart_sectors_desc")?,
        sector_rows,
    );
    let by_employer = bar_chart(
        "chart-employers",
        t("chart_employers_title")?,
        t("chart_employers_desc")?,
        employer_rows,
    );

    // Timeline: one column per month between the first and last founding month.
    let dated: Vec<(usize, u32)> = c
        .companies
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            e.original().fm.founded.map(|d| {
                (
                    i,
                    d.year as u32 * 12 + d.month.map(|m| m as u32 - 1).unwrap_or(0),
                )
            })
        })
        .collect();
    let (lo, hi) = (
        dated.iter().map(|d| d.1).min().unwrap_or(0),
        dated.iter().map(|d| d.1).max().unwrap_or(0),
    );
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
                label: e.doc(lang).fm.name.clone().unwrap_or_default(),
                date: e
                    .original()
                    .fm
                    .founded
                    .map(|d| d.human(&cfg.langs[lang]))
                    .unwrap_or_default(),
                url: link(Kind::Company, e.slug.as_str()),
                x: xpos(m),
                y: 0.0,
                // stack index stored in y for now
            }
            .with_stack(*n)
        })
        .collect();
    let max_stack = stacked.values().copied().max().unwrap_or(1) as f64;
    let axis_y = 30.0 + max_stack * 22.0;
    for p in &mut points {
        p.y = axis_y - p.y * 22.0;
    }
    let mut ticks = Vec::new();
    let first_year = lo / 12;
    let last_year = hi / 12;
    for y in first_year..=last_year {
        let m = (y * 12).max(lo);
        ticks.push(Tick {
            x: xpos(m),
            label: y.to_string(),
        });
    }
    let timeline = Timeline {
        id: "chart-timeline",
        title: t("chart_timeline_title")?,
        desc: t("chart_timeline_desc")?,
        width: WIDTH,
        height: axis_y + 30.0,
        axis_y,
        ticks,
        points,
    };

    // Flow: employers (left) -> companies (middle) -> sectors (right).
    let used_employers: Vec<usize> = site
        .employer_order
        .iter()
        .copied()
        .filter(|&i| !site.employer_founders[i].is_empty())
        .collect();
    let companies: Vec<usize> = (0..c.companies.len()).collect();
    let sectors: Vec<usize> = site.sector_order.clone();
    let col_x = [10.0, 240.0, 470.0];
    let node_w = 160.0;
    let node_h = 22.0;
    let rows = used_employers
        .len()
        .max(companies.len())
        .max(sectors.len())
        .max(1) as f64;
    let height = rows * (node_h + 8.0) + 40.0;
    let place = |n: usize, k: usize| {
        30.0 + (k as f64 + 0.5) * ((height - 40.0) / n.max(1) as f64) - node_h / 2.0
    };
    // Each column: its kind, x, and (index, label, slug) per box, top to bottom.
    let columns: [(Kind, f64, Vec<FlowBox>); 3] = [
        (
            Kind::Employer,
            col_x[0],
            used_employers
                .iter()
                .map(|&i| {
                    (
                        i,
                        c.employers[i].doc(lang).fm.name.clone().unwrap_or_default(),
                        c.employers[i].slug.as_str(),
                    )
                })
                .collect(),
        ),
        (
            Kind::Company,
            col_x[1],
            companies
                .iter()
                .map(|&i| {
                    (
                        i,
                        c.companies[i].doc(lang).fm.name.clone().unwrap_or_default(),
                        c.companies[i].slug.as_str(),
                    )
                })
                .collect(),
        ),
        (
            Kind::Sector,
            col_x[2],
            sectors
                .iter()
                .map(|&i| {
                    (
                        i,
                        c.sectors[i].doc(lang).fm.name.clone().unwrap_or_default(),
                        c.sectors[i].slug.as_str(),
                    )
                })
                .collect(),
        ),
    ];
    let mut nodes = Vec::new();
    let mut pos = std::collections::HashMap::new();
    for (kind, x, boxes) in columns {
        let n = boxes.len();
        for (k, (i, label, slug)) in boxes.into_iter().enumerate() {
            let y = place(n, k);
            pos.insert((kind, i), y);
            nodes.push(Node {
                label,
                url: link(kind, slug),
                x,
                y,
                w: node_w,
                h: node_h,
            });
        }
    }
    let curve = |x1: f64, y1: f64, x2: f64, y2: f64| {
        let mx = (x1 + x2) / 2.0;
        format!("M{x1:.1},{y1:.1} C{mx:.1},{y1:.1} {mx:.1},{y2:.1} {x2:.1},{y2:.1}")
    };
    let mut edges = Vec::new();
    for (fi, co) in site.founder_company.iter().enumerate() {
        let (Some(ci), Some(ei)) = (co, site.founder_employer[fi]) else {
            continue;
        };
        let (Some(&ey), Some(&cy)) = (
            pos.get(&(Kind::Employer, ei)),
            pos.get(&(Kind::Company, *ci)),
        ) else {
            continue;
        };
        edges.push(Edge {
            d: curve(
                col_x[0] + node_w,
                ey + node_h / 2.0,
                col_x[1],
                cy + node_h / 2.0,
            ),
            from: c.employers[ei]
                .doc(lang)
                .fm
                .name
                .clone()
                .unwrap_or_default(),
            to: c.companies[*ci]
                .doc(lang)
                .fm
                .name
                .clone()
                .unwrap_or_default(),
        });
    }
    for (ci, s) in site.company_sector.iter().enumerate() {
        let Some(si) = s else { continue };
        let (Some(&cy), Some(&sy)) = (pos.get(&(Kind::Company, ci)), pos.get(&(Kind::Sector, *si)))
        else {
            continue;
        };
        edges.push(Edge {
            d: curve(
                col_x[1] + node_w,
                cy + node_h / 2.0,
                col_x[2],
                sy + node_h / 2.0,
            ),
            from: c.companies[ci]
                .doc(lang)
                .fm
                .name
                .clone()
                .unwrap_or_default(),
            to: c.sectors[*si].doc(lang).fm.name.clone().unwrap_or_default(),
        });
    }
    let flow = Flow {
        id: "chart-flow",
        title: t("chart_flow_title")?,
        desc: t("chart_flow_desc")?,
        width: WIDTH,
        height,
        columns: vec![
            (col_x[0], t("nav_employers")?),
            (col_x[1], t("nav_companies")?),
            (col_x[2], t("nav_sectors")?),
        ],
        nodes,
        edges,
    };
    Ok(Charts {
        by_sector,
        by_employer,
        timeline,
        flow,
    })
}

impl Point {
    fn with_stack(mut self, n: usize) -> Point {
        self.y = n as f64;
        self
    }
}
