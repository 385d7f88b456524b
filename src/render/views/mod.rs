//! The views stage: for every page, a typed, serializable view that borrows from the
//! resolved site. Each kind of page has its own file; each reads the site only through a
//! [`Reader`] (`render::access`), which records what it reads, and wraps its data with
//! `render::assemble`.

pub mod card;
mod changes;
mod company;
mod data;
mod employer;
mod founder;
mod home;
mod index;
mod not_found;
mod page;
mod search;
mod sector;

use super::access::Reader;
use super::assemble::Rendering;
use super::plan::PageId;
use crate::content::Kind;
use crate::error::Diagnostic;

/// The view of page `id`, read by `r` (in the page's language).
pub fn build(r: &Reader, id: PageId) -> Result<Rendering, Diagnostic> {
    match id {
        PageId::Home(_) => home::render(r, id),
        PageId::Search(_) => search::render(r, id),
        PageId::Changes(_) => changes::render(r, id),
        PageId::Data(_) => data::render(r, id),
        PageId::Index(kind, _, _) => index::render(r, id, kind),
        PageId::Profile(kind, i, _, _) => match kind {
            Kind::Founder => founder::render(r, id, i),
            Kind::Company => company::render(r, id, i),
            Kind::Sector => sector::render(r, id, i),
            Kind::Employer => employer::render(r, id, i),
            Kind::Page => page::render(r, id, i),
        },
        PageId::NotFound => not_found::render(r, id),
        other => Err(Diagnostic::file(r.rel(other), "written without a template")),
    }
}
