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
use super::plan::OutputId;
use crate::content::Kind;
use crate::error::Diagnostic;

/// The view of page `id`, read by `r` (in the page's language).
pub fn build(r: &Reader, id: OutputId) -> Result<Rendering, Diagnostic> {
    match id {
        OutputId::Home(_) => home::render(r, id),
        OutputId::Search(_) => search::render(r, id),
        OutputId::Changes(_) => changes::render(r, id),
        OutputId::Data(_) => data::render(r, id),
        OutputId::Index(kind, _, _) => index::render(r, id, kind),
        OutputId::Profile(kind, key, _, _) => match (kind, r.index_of(kind, key)?) {
            (Kind::Founder, i) => founder::render(r, id, i),
            (Kind::Company, i) => company::render(r, id, i),
            (Kind::Sector, i) => sector::render(r, id, i),
            (Kind::Employer, i) => employer::render(r, id, i),
            (Kind::Page, i) => page::render(r, id, i),
        },
        OutputId::NotFound => not_found::render(r, id),
        other => Err(Diagnostic::file(r.rel(other), "written without a template")),
    }
}
