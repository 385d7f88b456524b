//! The bar charts: founders per sector and per former employer.

use super::layout::{bar_chart, BarChart, Lang};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::resolve::graph::Rel;

/// Bars an employer chart shows at most (the employers index lists every employer).
pub const MAX_BARS: usize = 20;

/// Founders per sector, in sector order.
pub fn by_sector(l: &Lang) -> Result<BarChart, Diagnostic> {
    let (site, c) = (l.site, &l.site.content);
    let rows = site
        .sector_order
        .iter()
        .map(|&i| {
            let e = &c.sectors[i];
            (
                e.doc(l.lang).fm.name.clone().unwrap_or_default(),
                site.targets(Rel::SectorFounders, i).len(),
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
pub fn by_employer(l: &Lang) -> Result<BarChart, Diagnostic> {
    let (site, c) = (l.site, &l.site.content);
    let mut rows: Vec<(String, usize, String)> = site
        .employer_order
        .iter()
        .filter(|&&i| !site.targets(Rel::EmployerFounders, i).is_empty())
        .map(|&i| {
            let e = &c.employers[i];
            (
                e.doc(l.lang).fm.name.clone().unwrap_or_default(),
                site.targets(Rel::EmployerFounders, i).len(),
                l.link(Kind::Employer, e.slug.as_str()),
            )
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    rows.truncate(MAX_BARS);
    Ok(bar_chart(
        "chart-employers",
        l.t("chart_employers_title")?,
        l.t("chart_employers_desc")?,
        rows,
    ))
}
