//! The render stage: every planned page through its typed view and its template, in
//! parallel, plus the files written without a template (feeds, sitemap, robots.txt,
//! CNAME). Each page comes back with the sources it read.

pub mod access;
pub mod alias;
pub mod assemble;
pub mod charts;
pub mod context;
pub mod data;
pub mod dates;
pub mod env;
pub mod feeds;
pub mod jsonld;
pub mod latest;
pub mod money;
pub mod plan;
pub mod sitemap;
pub mod tables;
pub mod theme;
pub mod views;

use rayon::prelude::*;

pub use env::Env;
pub use plan::{plan, PageId};
pub use theme::Theme;

use access::Reader;

use crate::deps::{self, Dep};
use crate::error::{Diagnostic, Error, Result};
use crate::output::{Body, OutFile};
use crate::search::Record;

/// One rendered output, its search record (profiles) and what it read (empty unless
/// recording).
#[derive(Debug, Clone)]
pub struct Page {
    pub id: PageId,
    pub file: OutFile,
    pub record: Option<Record>,
    pub deps: Vec<Dep>,
}

/// Renders every page of `plan`; all template errors are reported together. `record`
/// keeps each page's sources (the dev server's dependency map).
pub fn pages(env: &Env, plan: &[PageId], record: bool) -> Result<Vec<Page>> {
    let results: Vec<std::result::Result<Page, Diagnostic>> =
        plan.par_iter().map(|&id| page(env, id, record)).collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diags: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            // One broken template fails many pages the same way: report it once.
            Err(d) if !diags.contains(&d) => diags.push(d),
            Err(_) => {}
        }
    }
    if diags.is_empty() {
        Ok(pages)
    } else {
        Err(Error::Diagnostics(diags))
    }
}

/// Renders one page.
pub fn page(env: &Env, id: PageId, record: bool) -> std::result::Result<Page, Diagnostic> {
    let (cfg, site) = (env.cfg, env.site);
    let path = id
        .path(cfg, site)
        .map_err(|e| Diagnostic::file(id.rel(cfg, site), e.to_string()))?;
    let (out, deps) = deps::record(record, site, || -> std::result::Result<_, Diagnostic> {
        Ok(match id {
            PageId::Sitemap(part) => (Body::Bytes(sitemap::sitemap(env, part)), None),
            PageId::Robots => (Body::Bytes(sitemap::robots(cfg)), None),
            PageId::Cname => (Body::Bytes(sitemap::cname(cfg)), None),
            PageId::Atom(lang) => (Body::Bytes(feeds::atom(cfg, site, &env.latest, lang)), None),
            PageId::SectorAtom(i, lang) => (
                Body::Bytes(feeds::sector_atom(cfg, site, &env.latest, i, lang)),
                None,
            ),
            PageId::Alias(i, lang) => (Body::Bytes(alias::redirect(env, i, lang)?), None),
            PageId::DataFile(t, f, lang) => (
                Body::Bytes(data::file(&Reader::new(env, lang), t, f)?),
                None,
            ),
            PageId::DataPackage(lang) => {
                (Body::Bytes(data::package(&Reader::new(env, lang))?), None)
            }
            PageId::ChangesAtom(lang) => {
                let t = |key| env.theme.t(lang, key);
                let labels = (t("change_added")?, t("change_updated")?);
                let bytes =
                    feeds::changes_atom(cfg, site, &env.latest, lang, t("nav_changes")?, labels);
                (Body::Bytes(bytes), None)
            }
            PageId::Card(of, lang) => {
                let svg = views::card::render(&Reader::new(env, lang), of)?;
                // `check` fills in the template but draws nothing.
                let png = match env.cards {
                    Some(r) => r
                        .draw(&svg)
                        .map_err(|m| Diagnostic::file(env.theme.shown("card.svg"), m))?,
                    None => Body::Bytes(Vec::new()),
                };
                (png, None)
            }
            _ => {
                let r = views::build(&Reader::new(env, id.lang()), id)?;
                let html = env.theme.render(id.lang(), r.template, &r.context)?;
                (Body::Bytes(html.into_bytes()), r.record)
            }
        })
    });
    let (body, record) = out?;
    Ok(Page {
        id,
        file: OutFile { path, body },
        record,
        deps,
    })
}
