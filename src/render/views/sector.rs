//! A sector's page: its founders, its companies, who else the source mentions.

use serde::Serialize;

use crate::content::{Kind, Sector};
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::access::{CompanyRow, FounderRow, NamedNote};
use crate::render::assemble::{self, Rendering};
use crate::render::plan::{page_of, PageId};
use crate::resolve::graph::Rel;

/// A sector's index page.
#[derive(Debug, Clone, Serialize)]
pub struct SectorView<'a> {
    pub slug: &'a str,
    pub url: String,
    pub name: &'a str,
    pub name_alt: Option<String>,
    pub summary: Option<&'a str>,
    pub order: i64,
    /// How many founders and companies the sector has (a page shows a slice of each).
    pub founder_count: usize,
    pub company_count: usize,
    pub founders: Vec<FounderRow<'a>>,
    pub companies: Vec<CompanyRow<'a>>,
    pub also_mentioned: Vec<NamedNote<'a>>,
    pub content: &'a str,
    pub translated: bool,
    /// When the profile was first added and last updated.
    pub dates: crate::render::access::DatesView,
    /// The same facts in the other languages: in the search record, not on the page.
    #[serde(skip)]
    pub index_terms: Vec<&'a str>,
}

#[derive(Serialize)]
struct Data<'a> {
    sector: SectorView<'a>,
}

/// The view of page `n` of sector `i`.
pub fn view<'a>(r: &Reader<'_, 'a>, i: usize, n: u32) -> SectorView<'a> {
    let p = r.profile::<Sector>(i);
    let fm = p.fm();
    let (founders, companies) = (
        r.targets(Rel::SectorFounders, i),
        r.targets(Rel::SectorCompanies, i),
    );
    let name = fm.name.as_deref().unwrap_or("");
    SectorView {
        slug: p.slug(),
        url: r.url(Kind::Sector, Some(p.slug())),
        name_alt: r.alt_names(&p, name),
        name,
        summary: fm.summary.as_deref(),
        order: fm.order.unwrap_or(0),
        founder_count: founders.len(),
        company_count: companies.len(),
        founders: page_of(founders, r.cfg().paginate, n)
            .iter()
            .map(|&f| r.founder_row(f))
            .collect(),
        companies: page_of(companies, r.cfg().paginate, n)
            .iter()
            .map(|&c| r.company_row(c))
            .collect(),
        also_mentioned: fm
            .also_mentioned
            .iter()
            .flatten()
            .map(|m| NamedNote {
                name: r.local(&m.name),
                note: m.note.as_ref().map(|n| r.local(n)),
            })
            .collect(),
        content: r.body_html(Kind::Sector, i),
        translated: p.translated(),
        dates: r.dates(Kind::Sector, i),
        index_terms: r.other_terms(&p),
    }
}

pub fn render(r: &Reader, id: PageId, i: usize) -> Result<Rendering, Diagnostic> {
    let n = match id {
        PageId::Profile(_, _, _, n) => n,
        _ => 1,
    };
    let s = view(r, i, n);
    let mut meta = assemble::meta(r, id);
    meta.describe("sector", s.name, r.title(), s.translated, s.summary);
    let pages = assemble::pagination(r, id, r.profile_pages(Kind::Sector, i), &mut meta)?;
    let founders = s.founders.iter().map(|f| f.name);
    let companies = s.companies.iter().map(|c| c.name);
    let mentioned = s.also_mentioned.iter().map(|m| m.name);
    let facts = [s.name_alt.as_deref().unwrap_or(""), s.summary.unwrap_or("")];
    let parts = facts
        .into_iter()
        .chain(founders)
        .chain(companies)
        .chain(mentioned);
    let text = r.body_text(Kind::Sector, i);
    let record = r
        .record(
            id,
            s.name,
            parts.chain([text]).chain(s.index_terms.iter().copied()),
        )
        .with("alt", s.name_alt.as_deref());
    let mut out = assemble::finish_paged(r, "sector.html", meta, None, pages, Data { sector: s })?;
    // Later pages repeat the profile's name: only the first is in the search index.
    out.record = Some(record).filter(|_| n == 1);
    Ok(out)
}
