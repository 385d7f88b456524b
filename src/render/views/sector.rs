//! A sector's page: its founders, its companies, who else the source mentions.

use serde::Serialize;

use super::rows::{CompanyRow, FounderRow, NamedNote};
use super::{Reader, Rendering};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::plan::{profile_pages, slice, PageId};

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
    pub dates: super::rows::DatesView,
    /// The same facts in the other languages: in the search record, not on the page.
    #[serde(skip)]
    pub index_terms: Vec<&'a str>,
}

#[derive(Serialize)]
struct Data<'a> {
    sector: SectorView<'a>,
}

/// The items of page `n` of a list.
pub fn page_of(list: &[usize], per: usize, n: u32) -> &[usize] {
    &list[slice(list.len(), per, n)]
}

/// The view of page `n` of sector `i`.
pub fn view<'a>(r: &Reader<'_, 'a>, i: usize, n: u32) -> SectorView<'a> {
    crate::deps::entity(Kind::Sector, i, r.lang);
    let site = r.site();
    let e = &site.content.sectors[i];
    let fm = &e.doc(r.lang).fm;
    let name = fm.name.as_deref().unwrap_or("");
    SectorView {
        slug: e.slug.as_str(),
        url: r.url(Kind::Sector, Some(e.slug.as_str())),
        name_alt: r.alt_names(Kind::Sector, i, e, name),
        name,
        summary: fm.summary.as_deref(),
        order: fm.order.unwrap_or(0),
        founder_count: site.sector_founders[i].len(),
        company_count: site.sector_companies[i].len(),
        founders: page_of(&site.sector_founders[i], r.cfg().paginate, n)
            .iter()
            .map(|&f| r.founder_row(f))
            .collect(),
        companies: page_of(&site.sector_companies[i], r.cfg().paginate, n)
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
        content: r.v.bodies.html(Kind::Sector, i, r.lang),
        translated: e.translated(r.lang),
        dates: r.dates(Kind::Sector, i),
        index_terms: r.other_terms(Kind::Sector, i, e),
    }
}

pub fn render(r: &Reader, id: PageId, i: usize) -> Result<Rendering, Diagnostic> {
    let n = match id {
        PageId::Profile(_, _, _, n) => n,
        _ => 1,
    };
    let s = view(r, i, n);
    let mut meta = r.meta(id);
    meta.describe(
        "sector",
        s.name,
        &r.cfg().title[r.lang],
        s.translated,
        s.summary,
    );
    let pages = r.pagination(
        id,
        profile_pages(r.cfg(), r.site(), Kind::Sector, i),
        &mut meta,
    )?;
    let founders = s.founders.iter().map(|f| f.name);
    let companies = s.companies.iter().map(|c| c.name);
    let mentioned = s.also_mentioned.iter().map(|m| m.name);
    let facts = [s.name_alt.as_deref().unwrap_or(""), s.summary.unwrap_or("")];
    let parts = facts
        .into_iter()
        .chain(founders)
        .chain(companies)
        .chain(mentioned);
    let text = r.v.bodies.text(Kind::Sector, i, r.lang);
    let record = r
        .record(
            id,
            s.name,
            parts.chain([text]).chain(s.index_terms.iter().copied()),
        )
        .with("alt", s.name_alt.as_deref());
    let mut out = r.finish_paged("sector.html", meta, None, pages, Data { sector: s })?;
    // Later pages repeat the profile's name: only the first is in the search index.
    out.record = Some(record).filter(|_| n == 1);
    Ok(out)
}
