//! The index page of each listed kind: the founders table (with its filters), the
//! companies table, sector cards and employer cards with their chart.

use serde::Serialize;

use super::charts::Charts;
use super::page::intro;
use super::rows::{CompanyRow, FounderRow, Ref};
use super::{Reader, Rendering};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::plan::{index_pages, slice, PageId};

#[derive(Serialize)]
struct Founders<'a> {
    /// How many founders the whole list has (this page shows a slice).
    total: usize,
    founders: Vec<FounderRow<'a>>,
    sectors: Vec<Ref<'a>>,
    employers: Vec<Ref<'a>>,
    /// City codes and names for the city filter.
    cities: Vec<(&'a str, &'a str)>,
}

#[derive(Serialize)]
struct Companies<'a> {
    total: usize,
    companies: Vec<CompanyRow<'a>>,
}

/// Names a card lists before it says how many more there are.
pub const CARD_NAMES: usize = 12;

/// The first [`CARD_NAMES`] of a list of links, and how many more there are.
#[derive(Serialize)]
struct Few<'a> {
    #[serde(rename = "list")]
    shown: Vec<Ref<'a>>,
    more: usize,
}

fn few<'a>(list: &[usize], link: impl Fn(usize) -> Ref<'a>) -> Few<'a> {
    Few {
        shown: list.iter().take(CARD_NAMES).map(|&i| link(i)).collect(),
        more: list.len().saturating_sub(CARD_NAMES),
    }
}

/// A sector on the sectors index: who and what is in it.
#[derive(Serialize)]
struct SectorCard<'a> {
    #[serde(flatten)]
    r: Ref<'a>,
    summary: Option<&'a str>,
    founders: Few<'a>,
    companies: Few<'a>,
}

#[derive(Serialize)]
struct Sectors<'a> {
    total: usize,
    sectors: Vec<SectorCard<'a>>,
}

/// An employer on the employers index: who left it.
#[derive(Serialize)]
struct EmployerCard<'a> {
    #[serde(flatten)]
    r: Ref<'a>,
    summary: Option<&'a str>,
    founders: Few<'a>,
}

#[derive(Serialize)]
struct Employers<'a, 'c> {
    total: usize,
    employers: Vec<EmployerCard<'a>>,
    charts: &'c Charts,
}

fn founders<'a>(r: &Reader<'_, 'a>, n: u32) -> Founders<'a> {
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
    let all = site.content.founders.len();
    Founders {
        total: all,
        founders: slice(all, r.cfg().paginate, n)
            .map(|i| r.founder_row(i))
            .collect(),
        sectors: site
            .sector_order
            .iter()
            .map(|&i| r.link(Kind::Sector, i))
            .collect(),
        employers: site
            .employer_order
            .iter()
            .filter(|&&i| !site.employer_founders[i].is_empty())
            .map(|&i| r.link(Kind::Employer, i))
            .collect(),
        cities,
    }
}

fn companies<'a>(r: &Reader<'_, 'a>, n: u32) -> Companies<'a> {
    r.members(Kind::Company);
    let all = r.site().content.companies.len();
    Companies {
        total: all,
        companies: slice(all, r.cfg().paginate, n)
            .map(|i| r.company_row(i))
            .collect(),
    }
}

fn sectors<'a>(r: &Reader<'_, 'a>, n: u32) -> Sectors<'a> {
    let site = r.site();
    r.members(Kind::Sector);
    let card = |i: usize| SectorCard {
        r: r.sector_ref(i),
        summary: site.content.sectors[i].doc(r.lang).fm.summary.as_deref(),
        founders: few(&site.sector_founders[i], |f| r.link(Kind::Founder, f)),
        companies: few(&site.sector_companies[i], |x| r.link(Kind::Company, x)),
    };
    let order = &site.sector_order;
    Sectors {
        total: order.len(),
        sectors: order[slice(order.len(), r.cfg().paginate, n)]
            .iter()
            .map(|&i| card(i))
            .collect(),
    }
}

fn employers<'a, 'c>(r: &Reader<'c, 'a>, n: u32) -> Employers<'a, 'c> {
    let site = r.site();
    r.members(Kind::Employer);
    let card = |i: usize| EmployerCard {
        r: r.employer_ref(i),
        summary: site.content.employers[i].doc(r.lang).fm.summary.as_deref(),
        founders: few(&site.employer_founders[i], |f| r.link(Kind::Founder, f)),
    };
    let order = &site.employer_order;
    Employers {
        total: order.len(),
        employers: order[slice(order.len(), r.cfg().paginate, n)]
            .iter()
            .map(|&i| card(i))
            .collect(),
        charts: r.charts(),
    }
}

pub fn render(r: &Reader, id: PageId, kind: Kind) -> Result<Rendering, Diagnostic> {
    let n = match id {
        PageId::Index(_, _, n) => n,
        _ => 1,
    };
    let mut meta = r.meta(id);
    meta.kind = kind.section();
    let label = r.t(&format!("nav_{}", kind.section()))?;
    meta.title = format!("{label} · {}", r.cfg().title[r.lang]);
    let total = index_pages(r.cfg(), r.site(), kind);
    let pages = r.pagination(id, total, &mut meta)?;
    // The introduction opens the first page.
    let intro = intro(r, kind, meta.path.clone()).filter(|_| n == 1);
    if let Some(s) = intro.as_ref().and_then(|i| i.summary.as_deref()) {
        meta.description = super::context::one_line(s);
    }
    match kind {
        Kind::Founder => r.finish_paged("founders.html", meta, intro, pages, founders(r, n)),
        Kind::Company => r.finish_paged("companies.html", meta, intro, pages, companies(r, n)),
        Kind::Sector => r.finish_paged("sectors.html", meta, intro, pages, sectors(r, n)),
        Kind::Employer | Kind::Page => {
            r.finish_paged("employers.html", meta, intro, pages, employers(r, n))
        }
    }
}
