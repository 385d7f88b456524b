//! The home page of a language: counts, sector cards, charts and the latest founders.

use serde::Serialize;

use super::charts::Charts;
use super::rows::{FounderRow, Ref};
use super::{Reader, Rendering};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::feeds::founder_date;
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

/// How many founders the home page shows as the latest.
const LATEST: usize = 6;

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
    // The latest founders are chosen among all of them: reading every date.
    let mut by_date: Vec<usize> = (0..c.founders.len()).collect();
    by_date.sort_by_key(|&i| {
        crate::deps::entity(Kind::Founder, i, crate::config::LangId::DEFAULT);
        std::cmp::Reverse(founder_date(site, i))
    });
    Home {
        sectors,
        latest: by_date
            .into_iter()
            .take(LATEST)
            .map(|i| r.founder_row(i))
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
