//! The flow from former employers to companies to sectors.

use super::layout::{wrap, Edge, Flow, Lang, Layout, Node, FONT};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::resolve::graph::Rel;

/// Companies the flow shows as boxes; beyond this it joins employers to sectors directly.
pub const MAX_COMPANIES: usize = 40;

/// A box of the flow diagram before placement: index of the profile, label, slug.
type FlowBox<'a> = (usize, &'a str, &'a str);

/// Where the boxes go: the x and box width of each column (employers, companies,
/// sectors), a box's height, the lines of text a box and a column heading hold, and where
/// the first box may start.
#[derive(Clone, Copy)]
struct Geometry {
    col_x: [f64; 3],
    col_w: [f64; 3],
    node_h: f64,
    lines: usize,
    top: f64,
}

impl Geometry {
    fn of(layout: Layout) -> Self {
        match layout {
            Layout::Wide => Geometry {
                col_x: [10.0, 240.0, 470.0],
                col_w: [160.0; 3],
                node_h: 22.0,
                lines: 1,
                top: 30.0,
            },
            // In 340: employers (short names), companies, then sectors (the longest
            // names), 21 between columns for the curves; labels and headings on up to two
            // lines.
            Layout::Narrow => Geometry {
                col_x: [1.0, 110.0, 227.0],
                col_w: [88.0, 96.0, 112.0],
                node_h: 34.0,
                lines: 2,
                top: 40.0,
            },
        }
    }
}

/// The column of each kind of box.
fn column(kind: Kind) -> usize {
    match kind {
        Kind::Employer => 0,
        Kind::Company => 1,
        _ => 2,
    }
}

/// The room for text in a box: 7 on each side (the template's inset).
const TEXT_INSET: f64 = 7.0;

/// The boxes of the flow diagram per column: employers someone left, companies, sectors.
fn flow_columns<'a>(l: &Lang<'a>) -> [(Kind, Vec<FlowBox<'a>>); 3] {
    let (site, c, lang) = (l.site, &l.site.content, l.lang);
    let employers = site
        .employer_order
        .iter()
        .copied()
        .filter(|&i| !site.targets(Rel::EmployerFounders, i).is_empty())
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
        (Kind::Employer, employers.collect()),
        (Kind::Company, companies.collect()),
        (Kind::Sector, sectors.collect()),
    ]
}

/// A curve from the right edge of one box to the left edge of the next column's box.
fn curve(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    let mx = (x1 + x2) / 2.0;
    format!("M{x1:.1},{y1:.1} C{mx:.1},{y1:.1} {mx:.1},{y2:.1} {x2:.1},{y2:.1}")
}

/// Boxes placed in columns and the curves between them.
struct Drawing {
    g: Geometry,
    height: f64,
    nodes: Vec<Node>,
    /// Each box's left, top and right.
    pos: std::collections::HashMap<(Kind, usize), (f64, f64, f64)>,
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Employer => "employer",
        Kind::Company => "company",
        _ => "sector",
    }
}

/// Places the boxes of each column evenly over the chart's height.
fn place(l: &Lang, g: Geometry, columns: Vec<(Kind, Vec<FlowBox>)>) -> Drawing {
    let rows = columns.iter().map(|c| c.1.len()).max().unwrap_or(0).max(1) as f64;
    let height = rows * (g.node_h + 8.0) + g.top + 10.0;
    let at = |n: usize, k: usize| {
        g.top + (k as f64 + 0.5) * ((height - g.top - 10.0) / n.max(1) as f64) - g.node_h / 2.0
    };
    let mut nodes = Vec::new();
    let mut pos = std::collections::HashMap::new();
    for (kind, boxes) in columns {
        let (x, w) = (g.col_x[column(kind)], g.col_w[column(kind)]);
        let n = boxes.len();
        for (k, (i, label, slug)) in boxes.into_iter().enumerate() {
            let y = at(n, k);
            pos.insert((kind, i), (x, y, x + w));
            nodes.push(Node {
                kind: kind_name(kind),
                label: label.to_owned(),
                lines: if g.lines > 1 {
                    wrap(label, w - 2.0 * TEXT_INSET, FONT, g.lines)
                } else {
                    Vec::new()
                },
                url: l.link(kind, slug),
                x,
                y,
                w,
                h: g.node_h,
            });
        }
    }
    Drawing {
        g,
        height,
        nodes,
        pos,
    }
}

/// The name of a profile in the chart's language.
fn name(l: &Lang, kind: Kind, i: usize) -> String {
    let c = &l.site.content;
    let n = match kind {
        Kind::Employer => c.employers[i].doc(l.lang).fm.name.as_deref(),
        Kind::Company => c.companies[i].doc(l.lang).fm.name.as_deref(),
        _ => c.sectors[i].doc(l.lang).fm.name.as_deref(),
    };
    n.unwrap_or("").to_owned()
}

/// Connections between boxes: from, to, and how many founders each stands for.
type Links = Vec<((Kind, usize), (Kind, usize), usize)>;

/// The curves for `links` ((from, to) → founders), widest for the most founders.
fn edges(l: &Lang, d: &Drawing, links: Links) -> Vec<Edge> {
    let most = links.iter().map(|x| x.2).max().unwrap_or(1).max(1) as f64;
    links
        .into_iter()
        .filter_map(|(from, to, count)| {
            let (&(_, y1, x1), &(x2, y2, _)) = (d.pos.get(&from)?, d.pos.get(&to)?);
            let mid = d.g.node_h / 2.0;
            Some(Edge {
                d: curve(x1, y1 + mid, x2, y2 + mid),
                from: name(l, from.0, from.1),
                to: name(l, to.0, to.1),
                count,
                w: 1.5 + 4.5 * (count as f64 - 1.0) / (most - 1.0).max(1.0),
            })
        })
        .collect()
}

/// Employer -> company -> sector; employer -> sector when there are more than
/// [`MAX_COMPANIES`] companies. Laid out wide, holding the narrow layout.
pub fn flow(l: &Lang) -> Result<Flow, Diagnostic> {
    let narrow = layout(l, Layout::Narrow)?;
    Ok(Flow {
        narrow: Some(Box::new(narrow)),
        ..layout(l, Layout::Wide)?
    })
}

fn layout(l: &Lang, layout: Layout) -> Result<Flow, Diagnostic> {
    let g = Geometry::of(layout);
    let aggregated = l.site.content.companies.len() > MAX_COMPANIES;
    let (drawing, links) = if aggregated {
        by_sector(l, g)
    } else {
        by_company(l, g)
    };
    let edges = edges(l, &drawing, links);
    let mut kinds = vec![(Kind::Employer, "nav_employers")];
    if !aggregated {
        kinds.push((Kind::Company, "nav_companies"));
    }
    kinds.push((Kind::Sector, "nav_sectors"));
    let mut columns = Vec::new();
    for (kind, key) in kinds {
        let label = l.t(key)?;
        // Headings are bold: a little wider than the estimate.
        let lines = if g.lines > 1 {
            wrap(&label, g.col_w[column(kind)], FONT * 1.1, g.lines)
        } else {
            Vec::new()
        };
        columns.push((g.col_x[column(kind)], label, lines));
    }
    Ok(Flow {
        id: layout.id("chart-flow"),
        layout,
        title: l.t("chart_flow_title")?,
        desc: l.t("chart_flow_desc")?,
        width: layout.width(),
        height: drawing.height,
        columns,
        nodes: drawing.nodes,
        edges,
        aggregated,
        narrow: None,
    })
}

/// Every employer someone left, every company, every sector: one founder a connection.
fn by_company(l: &Lang, g: Geometry) -> (Drawing, Links) {
    let site = l.site;
    let drawing = place(l, g, flow_columns(l).into());
    let mut links = Vec::new();
    for fi in 0..site.count(Kind::Founder) {
        let co = site.target(Rel::FounderCompany, fi);
        if let (Some(ci), Some(ei)) = (co, site.target(Rel::FounderEmployer, fi)) {
            links.push(((Kind::Employer, ei), (Kind::Company, ci), 1));
        }
    }
    for ci in 0..site.count(Kind::Company) {
        if let Some(si) = site.target(Rel::CompanySector, ci) {
            links.push(((Kind::Company, ci), (Kind::Sector, si), 1));
        }
    }
    (drawing, links)
}

/// The employers most left and every sector, joined by how many founders went from one
/// to the other.
fn by_sector(l: &Lang, g: Geometry) -> (Drawing, Links) {
    let site = l.site;
    let mut counts: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    for fi in 0..site.count(Kind::Founder) {
        let e = site.target(Rel::FounderEmployer, fi);
        let sector = site.target(Rel::FounderSector, fi).or_else(|| {
            site.target(Rel::FounderCompany, fi)
                .and_then(|c| site.target(Rel::CompanySector, c))
        });
        if let (Some(e), Some(s)) = (e, sector) {
            *counts.entry((e, s)).or_insert(0) += 1;
        }
    }
    let mut employers: Vec<usize> = (0..site.content.employers.len())
        .filter(|&i| !site.targets(Rel::EmployerFounders, i).is_empty())
        .collect();
    employers.sort_by_key(|&i| {
        (
            std::cmp::Reverse(site.targets(Rel::EmployerFounders, i).len()),
            i,
        )
    });
    employers.truncate(super::bars::MAX_BARS);
    let [_, _, sectors] = flow_columns(l);
    let c = &site.content;
    let employer_boxes = employers
        .iter()
        .map(|&i| {
            (
                i,
                c.employers[i].doc(l.lang).fm.name.as_deref().unwrap_or(""),
                c.employers[i].slug.as_str(),
            )
        })
        .collect();
    let drawing = place(l, g, vec![(Kind::Employer, employer_boxes), sectors]);
    let links = counts
        .into_iter()
        .map(|((e, s), n)| ((Kind::Employer, e), (Kind::Sector, s), n))
        .collect();
    (drawing, links)
}
