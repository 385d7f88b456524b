//! The index page of each listed kind: the founders table (with its filters), the
//! companies table, sector cards and employer cards with their chart.

use serde::Serialize;

use super::charts::Charts;
use super::page::intro;
use super::rows::{CompanyRow, FounderRow, Ref};
use super::{Reader, Rendering};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::plan::PageId;

#[derive(Serialize)]
struct Founders<'a> {
    founders: Vec<FounderRow<'a>>,
    sectors: Vec<Ref<'a>>,
    employers: Vec<Ref<'a>>,
    /// City codes and names for the city filter.
    cities: Vec<(&'a str, &'a str)>,
}

#[derive(Serialize)]
struct Companies<'a> {
    companies: Vec<CompanyRow<'a>>,
}

/// A sector on the sectors index: who and what is in it.
#[derive(Serialize)]
struct SectorCard<'a> {
    #[serde(flatten)]
    r: Ref<'a>,
    summary: Option<&'a str>,
    founders: Vec<Ref<'a>>,
    companies: Vec<Ref<'a>>,
}

#[derive(Serialize)]
struct Sectors<'a> {
    sectors: Vec<SectorCard<'a>>,
}

/// An employer on the employers index: who left it.
#[derive(Serialize)]
struct EmployerCard<'a> {
    #[serde(flatten)]
    r: Ref<'a>,
    summary: Option<&'a str>,
    founders: Vec<Ref<'a>>,
}

#[derive(Serialize)]
struct Employers<'a, 'c> {
    employers: Vec<EmployerCard<'a>>,
    charts: &'c Charts,
}

fn founders<'a>(r: &Reader<'_, 'a>) -> Founders<'a> {
    let site = r.site();
    r.members(Kind::Founder);
    let mut cities: Vec<(&str, &str)> = site
        .founder_city
        .iter()
        .flatten()
        .map(|code| (code.as_str(), r.city(Some(code)).unwrap_or("")))
        .collect();
    cities.sort();
    cities.dedup();
    Founders {
        founders: (0..site.content.founders.len())
            .map(|i| r.founder_row(i))
            .collect(),
        sectors: site.sector_order.iter().map(|&i| r.sector_ref(i)).collect(),
        employers: site
            .employer_order
            .iter()
            .filter(|&&i| !site.employer_founders[i].is_empty())
            .map(|&i| r.employer_ref(i))
            .collect(),
        cities,
    }
}

fn companies<'a>(r: &Reader<'_, 'a>) -> Companies<'a> {
    r.members(Kind::Company);
    Companies {
        companies: (0..r.site().content.companies.len())
            .map(|i| r.company_row(i))
            .collect(),
    }
}

fn sectors<'a>(r: &Reader<'_, 'a>) -> Sectors<'a> {
    let site = r.site();
    r.members(Kind::Sector);
    let card = |i: usize| SectorCard {
        r: r.sector_ref(i),
        summary: site.content.sectors[i].doc(r.lang).fm.summary.as_deref(),
        founders: site.sector_founders[i]
            .iter()
            .map(|&f| r.founder_ref(f))
            .collect(),
        companies: site.sector_companies[i]
            .iter()
            .map(|&x| r.company_ref(x))
            .collect(),
    };
    Sectors {
        sectors: site.sector_order.iter().map(|&i| card(i)).collect(),
    }
}

fn employers<'a, 'c>(r: &Reader<'c, 'a>) -> Employers<'a, 'c> {
    let site = r.site();
    r.members(Kind::Employer);
    let card = |i: usize| EmployerCard {
        r: r.employer_ref(i),
        summary: site.content.employers[i].doc(r.lang).fm.summary.as_deref(),
        founders: site.employer_founders[i]
            .iter()
            .map(|&f| r.founder_ref(f))
            .collect(),
    };
    Employers {
        employers: site.employer_order.iter().map(|&i| card(i)).collect(),
        charts: r.charts(),
    }
}

pub fn render(r: &Reader, id: PageId, kind: Kind) -> Result<Rendering, Diagnostic> {
    let mut meta = r.meta(id);
    meta.kind = kind.section();
    let label = r.t(&format!("nav_{}", kind.section()))?;
    meta.title = format!("{label} · {}", r.cfg().title[r.lang]);
    let intro = intro(r, kind, meta.path.clone());
    if let Some(s) = intro.as_ref().and_then(|i| i.summary) {
        meta.description = super::context::one_line(s);
    }
    match kind {
        Kind::Founder => r.finish("founders.html", meta, intro, founders(r)),
        Kind::Company => r.finish("companies.html", meta, intro, companies(r)),
        Kind::Sector => r.finish("sectors.html", meta, intro, sectors(r)),
        Kind::Employer | Kind::Page => r.finish("employers.html", meta, intro, employers(r)),
    }
}
