//! The home page of a language: counts, sector cards, charts and the latest founders.

use serde::Serialize;

use crate::content::{Kind, Sector};
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::access::{FounderRow, Ref};
use crate::render::assemble::{self, Rendering};
use crate::render::charts::Charts;
use crate::render::plan::PageId;
use crate::resolve::graph::Rel;

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
    let sectors = r
        .order(Kind::Sector)
        .iter()
        .map(|&i| SectorCard {
            r: r.sector_ref(i),
            summary: r.profile::<Sector>(i).fm().summary.as_deref(),
            founders: r.targets(Rel::SectorFounders, i).len(),
            companies: r.targets(Rel::SectorCompanies, i).len(),
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
        founder_count: r.count(Kind::Founder),
        company_count: r.count(Kind::Company),
        employer_count: r.count(Kind::Employer),
    }
}

pub fn render(r: &Reader, id: PageId) -> Result<Rendering, Diagnostic> {
    let mut meta = assemble::meta(r, id);
    meta.kind = "home";
    meta.title = r.cfg().title[r.lang()].clone();
    assemble::finish(r, "home.html", meta, None, view(r))
}
