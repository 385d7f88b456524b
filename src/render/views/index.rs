//! The index page of each listed kind: the founders table (with its filters), the
//! companies table, sector cards and employer cards with their chart.

use serde::Serialize;

use crate::content::{Employer, Kind, Sector};
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::access::{CompanyRow, FounderRow, Ref};
use crate::render::assemble::{self, Rendering};
use crate::render::charts::Charts;
use crate::render::filters::Filters;
use crate::render::plan::{slice, OutputId};
use crate::resolve::graph::Rel;

#[derive(Serialize)]
struct Founders<'a, 'c> {
    /// How many founders the whole list has (this page shows a slice).
    total: usize,
    founders: Vec<FounderRow<'a>>,
    /// The filters' choices (`sectors`, `employers`, `cities`), read from the whole list
    /// as one source: a page depends on the founders of its slice, not on every founder.
    #[serde(flatten)]
    filters: &'c Filters,
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

fn founders<'a, 'c>(r: &Reader<'c, 'a>, n: u32) -> Founders<'a, 'c> {
    let all = r.count(Kind::Founder);
    Founders {
        total: all,
        founders: slice(all, r.cfg().paginate, n)
            .map(|i| r.founder_row(i))
            .collect(),
        filters: r.filters(),
    }
}

fn companies<'a>(r: &Reader<'_, 'a>, n: u32) -> Companies<'a> {
    let all = r.count(Kind::Company);
    Companies {
        total: all,
        companies: slice(all, r.cfg().paginate, n)
            .map(|i| r.company_row(i))
            .collect(),
    }
}

fn sectors<'a>(r: &Reader<'_, 'a>, n: u32) -> Sectors<'a> {
    let card = |i: usize| SectorCard {
        r: r.sector_ref(i),
        summary: r.profile::<Sector>(i).fm().summary.as_deref(),
        founders: few(r.targets(Rel::SectorFounders, i), |f| {
            r.link(Kind::Founder, f)
        }),
        companies: few(r.targets(Rel::SectorCompanies, i), |x| {
            r.link(Kind::Company, x)
        }),
    };
    let order = r.order(Kind::Sector);
    Sectors {
        total: order.len(),
        sectors: order[slice(order.len(), r.cfg().paginate, n)]
            .iter()
            .map(|&i| card(i))
            .collect(),
    }
}

fn employers<'a, 'c>(r: &Reader<'c, 'a>, n: u32) -> Employers<'a, 'c> {
    let card = |i: usize| EmployerCard {
        r: r.employer_ref(i),
        summary: r.profile::<Employer>(i).fm().summary.as_deref(),
        founders: few(r.targets(Rel::EmployerFounders, i), |f| {
            r.link(Kind::Founder, f)
        }),
    };
    let order = r.order(Kind::Employer);
    Employers {
        total: order.len(),
        employers: order[slice(order.len(), r.cfg().paginate, n)]
            .iter()
            .map(|&i| card(i))
            .collect(),
        charts: r.charts(),
    }
}

pub fn render(r: &Reader, id: OutputId, kind: Kind) -> Result<Rendering, Diagnostic> {
    let n = match id {
        OutputId::Index(_, _, n) => n,
        _ => 1,
    };
    let mut meta = assemble::meta(r, id);
    meta.kind = kind.section();
    let label = r.t(&format!("nav_{}", kind.section()))?;
    meta.title = format!("{label} · {}", r.cfg().title[r.lang()]);
    let total = r.index_pages(kind);
    let pages = assemble::pagination(r, id, total, &mut meta)?;
    // The introduction opens the first page.
    let intro = assemble::intro(r, kind, meta.path.clone()).filter(|_| n == 1);
    if let Some(s) = intro.as_ref().and_then(|i| i.summary.as_deref()) {
        meta.description = crate::render::context::one_line(s);
    }
    match kind {
        Kind::Founder => {
            assemble::finish_paged(r, "founders.html", meta, intro, pages, founders(r, n))
        }
        Kind::Company => {
            assemble::finish_paged(r, "companies.html", meta, intro, pages, companies(r, n))
        }
        Kind::Sector => {
            assemble::finish_paged(r, "sectors.html", meta, intro, pages, sectors(r, n))
        }
        Kind::Employer | Kind::Page => {
            assemble::finish_paged(r, "employers.html", meta, intro, pages, employers(r, n))
        }
    }
}
