//! The render stage: every planned page through its typed view and its template, in
//! parallel, plus the files written without a template (feeds, sitemap, robots.txt,
//! CNAME). Each page comes back with the sources it read.

pub(crate) mod access;
pub(crate) mod alias;
pub(crate) mod assemble;
pub mod charts;
pub mod context;
pub(crate) mod data;
pub mod dates;
pub mod env;
pub(crate) mod feeds;
pub mod filters;
pub(crate) mod jsonld;
pub mod latest;
pub(crate) mod money;
pub mod plan;
pub(crate) mod sitemap;
pub mod tables;
pub mod theme;
pub(crate) mod views;

use rayon::prelude::*;

pub use env::Env;
pub use plan::{plan, OutputId};
pub use theme::Theme;

use access::Reader;

use crate::content::Kind;
use crate::deps::{self, Dep};
use crate::error::{Diagnostic, Error, Result};
use crate::output::{Body, OutFile};
use crate::search::Record;

/// One rendered output, its search record (profiles) and what it read (empty unless
/// recording).
#[derive(Debug, Clone)]
pub struct Output {
    pub id: OutputId,
    pub file: OutFile,
    pub record: Option<Record>,
    pub deps: Vec<Dep>,
}

/// Renders every output of `plan`; all template errors are reported together. `record`
/// keeps each page's sources (the dev server's dependency map).
pub fn outputs(env: &Env, plan: &[OutputId], record: bool) -> Result<Vec<Output>> {
    let results: Vec<std::result::Result<Output, Diagnostic>> =
        plan.par_iter().map(|&id| output(env, id, record)).collect();
    let mut pages: Vec<Output> = Vec::with_capacity(results.len());
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

/// Renders one output.
pub fn output(env: &Env, id: OutputId, record: bool) -> std::result::Result<Output, Diagnostic> {
    let (cfg, site) = (env.cfg, env.site);
    let path = id
        .path(cfg)
        .map_err(|e| Diagnostic::file(id.rel(cfg), e.to_string()))?;
    let (out, deps) = deps::record(record, site, || -> std::result::Result<_, Diagnostic> {
        Ok(match id {
            OutputId::Sitemap(part) => (Body::Bytes(sitemap::sitemap(env, part)), None),
            OutputId::Robots => (Body::Bytes(sitemap::robots(cfg)), None),
            OutputId::Cname => (Body::Bytes(sitemap::cname(cfg)), None),
            OutputId::Atom(lang) => (Body::Bytes(feeds::atom(cfg, site, &env.latest, lang)), None),
            OutputId::SectorAtom(key, lang) => (
                Body::Bytes(feeds::sector_atom(
                    cfg,
                    site,
                    &env.latest,
                    site.index_of(Kind::Sector, key).ok_or_else(|| {
                        Diagnostic::file("content/sectors", "internal error: no such sector")
                    })?,
                    lang,
                )),
                None,
            ),
            OutputId::Alias(kind, old, lang) => {
                (Body::Bytes(alias::redirect(env, kind, old, lang)?), None)
            }
            OutputId::DataFile(t, f, lang) => (
                Body::Bytes(data::file(&Reader::new(env, lang), t, f)?),
                None,
            ),
            OutputId::DataPackage(lang) => {
                (Body::Bytes(data::package(&Reader::new(env, lang))?), None)
            }
            OutputId::ChangesAtom(lang) => {
                let t = |key| env.theme.t(lang, key);
                let labels = (t("change_added")?, t("change_updated")?);
                let bytes =
                    feeds::changes_atom(cfg, site, &env.latest, lang, t("nav_changes")?, labels);
                (Body::Bytes(bytes), None)
            }
            OutputId::Card(of, lang) => {
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
    Ok(Output {
        id,
        file: OutFile { path, body },
        record,
        deps,
    })
}
