//! A former employer's page: who left it.

use serde::Serialize;

use super::rows::FounderRow;
use super::sector::page_of;
use super::{Reader, Rendering};
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::plan::{profile_pages, PageId};

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
    pub dates: super::rows::DatesView,
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
    crate::deps::entity(Kind::Employer, i, r.lang);
    let site = r.site();
    let e = &site.content.employers[i];
    let fm = &e.doc(r.lang).fm;
    let name = fm.name.as_deref().unwrap_or("");
    EmployerView {
        slug: e.slug.as_str(),
        url: r.url(Kind::Employer, Some(e.slug.as_str())),
        name_alt: r.alt_names(Kind::Employer, i, e, name),
        name,
        summary: fm.summary.as_deref(),
        added: super::rows::field_names(&[fm.added.as_ref(), e.original().fm.added.as_ref()]),
        founder_count: site.employer_founders[i].len(),
        founders: page_of(&site.employer_founders[i], r.cfg().paginate, n)
            .iter()
            .map(|&f| r.founder_row(f))
            .collect(),
        content: r.v.bodies.html(Kind::Employer, i, r.lang),
        translated: e.translated(r.lang),
        dates: r.dates(Kind::Employer, i),
        index_terms: r.other_terms(Kind::Employer, i, e),
    }
}

pub fn render(r: &Reader, id: PageId, i: usize) -> Result<Rendering, Diagnostic> {
    let n = match id {
        PageId::Profile(_, _, _, n) => n,
        _ => 1,
    };
    let e = view(r, i, n);
    let mut meta = r.meta(id);
    meta.describe(
        "employer",
        e.name,
        &r.cfg().title[r.lang],
        e.translated,
        e.summary,
    );
    let pages = r.pagination(
        id,
        profile_pages(r.cfg(), r.site(), Kind::Employer, i),
        &mut meta,
    )?;
    let founders = e.founders.iter().map(|f| f.name);
    let facts = [e.name_alt.as_deref().unwrap_or(""), e.summary.unwrap_or("")];
    let text = r.v.bodies.text(Kind::Employer, i, r.lang);
    let parts = facts.into_iter().chain(founders).chain([text]);
    let record = r
        .record(id, e.name, parts.chain(e.index_terms.iter().copied()))
        .with("alt", e.name_alt.as_deref());
    let mut out = r.finish_paged("employer.html", meta, None, pages, Data { employer: e })?;
    out.record = Some(record).filter(|_| n == 1);
    Ok(out)
}
