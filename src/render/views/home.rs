//! The home page of a language: counts, sector cards, charts and the latest founders.

use serde::Serialize;

use super::charts::Charts;
use super::rows::{FounderRow, Ref};
use super::{Reader, Rendering};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::plan::PageId;

/// A sector on the home page, with counts.
#[derive(Serialize)]
struct SectorCard<'a> {
    #[serde(flatten)]
    r: Ref<'a>,
    summary: Option<&'a str>,
    founders: usize,
    companies: usize,
}

#[derive(Serialize)]
struct Home<'a, 'c> {
    sectors: Vec<SectorCard<'a>>,
    latest: Vec<FounderRow<'a>>,
    charts: &'c Charts,
    founder_count: usize,
    company_count: usize,
    employer_count: usize,
}

fn view<'a, 'c>(r: &Reader<'c, 'a>) -> Home<'a, 'c> {
    let site = r.site();
    let c = &site.content;
    for kind in [Kind::Founder, Kind::Company, Kind::Sector, Kind::Employer] {
        r.members(kind);
    }
    let sectors = site
        .sector_order
        .iter()
        .map(|&i| SectorCard {
            r: r.sector_ref(i),
            summary: c.sectors[i].doc(r.lang).fm.summary.as_deref(),
            founders: site.sector_founders[i].len(),
            companies: site.sector_companies[i].len(),
        })
        .collect();
    Home {
        sectors,
        latest: r
            .latest()
            .founders
            .iter()
            .map(|&i| r.founder_row(i))
            .collect(),
        charts: r.charts(),
        founder_count: c.founders.len(),
        company_count: c.companies.len(),
        employer_count: c.employers.len(),
    }
}

pub fn render(r: &Reader, id: PageId) -> Result<Rendering, Diagnostic> {
    let mut meta = r.meta(id);
    meta.kind = "home";
    meta.title = r.cfg().title[r.lang].clone();
    r.finish("home.html", meta, None, view(r))
}
