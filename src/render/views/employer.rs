//! A former employer's page: who left it.

use serde::Serialize;

use crate::content::{Employer, Kind};
use crate::error::Diagnostic;
use crate::render::access::FounderRow;
use crate::render::access::Reader;
use crate::render::assemble::{self, Rendering};
use crate::render::plan::{page_of, PageId};
use crate::resolve::graph::Rel;

/// A former employer's page.
#[derive(Debug, Clone, Serialize)]
pub struct EmployerView<'a> {
    pub slug: &'a str,
    pub url: String,
    pub name: &'a str,
    pub name_alt: Option<String>,
    pub summary: Option<&'a str>,
    /// Fields whose value comes from outside the source (`added:`), shown with a mark.
    pub added: Vec<String>,
    /// How many founders left the employer (a page shows a slice).
    pub founder_count: usize,
    pub founders: Vec<FounderRow<'a>>,
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
    employer: EmployerView<'a>,
}

/// The view of page `n` of employer `i`.
pub fn view<'a>(r: &Reader<'_, 'a>, i: usize, n: u32) -> EmployerView<'a> {
    let p = r.profile::<Employer>(i);
    let fm = p.fm();
    let founders = r.targets(Rel::EmployerFounders, i);
    let name = fm.name.as_deref().unwrap_or("");
    EmployerView {
        slug: p.slug(),
        url: r.url(Kind::Employer, Some(p.slug())),
        name_alt: r.alt_names(&p, name),
        name,
        summary: fm.summary.as_deref(),
        added: crate::render::access::field_names(&[
            fm.added.as_ref(),
            p.original().added.as_ref(),
        ]),
        founder_count: founders.len(),
        founders: page_of(founders, r.cfg().paginate, n)
            .iter()
            .map(|&f| r.founder_row(f))
            .collect(),
        content: r.body_html(Kind::Employer, i),
        translated: p.translated(),
        dates: r.dates(Kind::Employer, i),
        index_terms: r.other_terms(&p),
    }
}

pub fn render(r: &Reader, id: PageId, i: usize) -> Result<Rendering, Diagnostic> {
    let n = match id {
        PageId::Profile(_, _, _, n) => n,
        _ => 1,
    };
    let e = view(r, i, n);
    let mut meta = assemble::meta(r, id);
    meta.describe("employer", e.name, r.title(), e.translated, e.summary);
    let pages = assemble::pagination(r, id, r.profile_pages(Kind::Employer, i), &mut meta)?;
    let founders = e.founders.iter().map(|f| f.name);
    let facts = [e.name_alt.as_deref().unwrap_or(""), e.summary.unwrap_or("")];
    let text = r.body_text(Kind::Employer, i);
    let parts = facts.into_iter().chain(founders).chain([text]);
    let record = r
        .record(id, e.name, parts.chain(e.index_terms.iter().copied()))
        .with("alt", e.name_alt.as_deref());
    let mut out =
        assemble::finish_paged(r, "employer.html", meta, None, pages, Data { employer: e })?;
    out.record = Some(record).filter(|_| n == 1);
    Ok(out)
}
