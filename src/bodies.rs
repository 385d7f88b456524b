//! The bodies stage: every Markdown body rendered once per language, in parallel, with
//! its links resolved for that language. A previous run's bodies are reused when their
//! source file and link targets are unchanged (the dev server).

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, LangId, PerLang};
use crate::content::{Entry, Kind, Slug, SourceFile};
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::{self, Body};
use crate::resolve::Site;

/// One document's body in one language, and the file it came from.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub src: Arc<SourceFile>,
    pub body: Arc<Body>,
}

/// Bodies per kind, entity (in the site's order) and language. Section introductions
/// are aligned with `Content::intros`.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    pub founders: Vec<PerLang<Rendered>>,
    pub companies: Vec<PerLang<Rendered>>,
    pub sectors: Vec<PerLang<Rendered>>,
    pub employers: Vec<PerLang<Rendered>>,
    pub pages: Vec<PerLang<Rendered>>,
    pub intros: Vec<PerLang<Rendered>>,
}

impl Bodies {
    /// The bodies of a kind's profiles.
    pub fn of(&self, kind: Kind) -> &[PerLang<Rendered>] {
        match kind {
            Kind::Founder => &self.founders,
            Kind::Company => &self.companies,
            Kind::Sector => &self.sectors,
            Kind::Employer => &self.employers,
            Kind::Page => &self.pages,
        }
    }

    /// The HTML of profile `i` of `kind` in `lang` (recorded as read by the page).
    pub fn html(&self, kind: Kind, i: usize, lang: LangId) -> &str {
        crate::deps::body(kind, i, lang);
        &self.of(kind)[i][lang].body.html
    }

    /// The plain text of profile `i` of `kind` in `lang` (recorded as read).
    pub fn text(&self, kind: Kind, i: usize, lang: LangId) -> &str {
        crate::deps::body(kind, i, lang);
        &self.of(kind)[i][lang].body.text
    }
}

/// A previous run's bodies, by kind and slug, for reuse.
type Previous<'a> = HashMap<(Kind, &'a Slug), &'a PerLang<Rendered>>;

fn previous<'a>(prev: &'a Bodies, site: &'a Site) -> Previous<'a> {
    let mut map = HashMap::new();
    for kind in Kind::ALL {
        for (i, r) in prev.of(kind).iter().enumerate() {
            map.insert((kind, site.slug(kind, i)), r);
        }
    }
    map
}

/// Renders every body. With `prev` (bodies and the site they were rendered for), a body
/// whose source file is the same object as before and whose link targets all still
/// resolve is reused.
pub fn render(cfg: &Config, site: &Site, prev: Option<(&Bodies, &Site)>) -> Result<Bodies> {
    let c = &site.content;
    let prev = prev.map(|(b, s)| previous(b, s));
    let highlights = markdown::HighlightCache::default();
    let mut diags = Vec::new();
    let mut kind = |k: Kind, entries: Vec<EntryRef>, reuse: bool| {
        let (bodies, d) = render_kind(
            &highlights,
            cfg,
            site,
            k,
            &entries,
            prev.as_ref().filter(|_| reuse),
        );
        diags.extend(d);
        bodies
    };
    let founders = kind(Kind::Founder, refs(cfg, &c.founders), true);
    let companies = kind(Kind::Company, refs(cfg, &c.companies), true);
    let sectors = kind(Kind::Sector, refs(cfg, &c.sectors), true);
    let employers = kind(Kind::Employer, refs(cfg, &c.employers), true);
    let pages = kind(Kind::Page, refs(cfg, &c.pages), true);
    // Introductions share the `Page` front matter but not the free pages' slugs.
    let intros = c.intros.iter().map(|(_, e)| entry_ref(cfg, e)).collect();
    let intros = kind(Kind::Page, intros, false);
    if !diags.is_empty() {
        return Err(Error::Diagnostics(diags));
    }
    Ok(Bodies {
        founders,
        companies,
        sectors,
        employers,
        pages,
        intros,
    })
}

/// What rendering a body needs of an entry, whatever its kind.
struct EntryRef<'a> {
    slug: &'a Slug,
    /// The document shown in each language (the original where untranslated): its
    /// language and source.
    docs: PerLang<(LangId, &'a Arc<SourceFile>)>,
}

fn entry_ref<'a, T>(cfg: &Config, e: &'a Entry<T>) -> EntryRef<'a> {
    EntryRef {
        slug: &e.slug,
        docs: PerLang::build(&cfg.langs, |l| {
            let d = e.doc(l);
            (d.lang, &d.src)
        }),
    }
}

fn refs<'a, T>(cfg: &Config, entries: &'a [Entry<T>]) -> Vec<EntryRef<'a>> {
    entries.iter().map(|e| entry_ref(cfg, e)).collect()
}

type KindBodies = (Vec<PerLang<Rendered>>, Vec<Diagnostic>);

fn render_kind(
    highlights: &markdown::HighlightCache,
    cfg: &Config,
    site: &Site,
    kind: Kind,
    entries: &[EntryRef],
    prev: Option<&Previous>,
) -> KindBodies {
    let results: Vec<(PerLang<Rendered>, Vec<Diagnostic>)> = entries
        .par_iter()
        .map(|e| {
            let mut diags = Vec::new();
            let old = prev.and_then(|p| p.get(&(kind, e.slug)));
            let bodies = PerLang::build(&cfg.langs, |lang| {
                let (doc_lang, src) = e.docs[lang];
                if let Some(r) = old.and_then(|o| o.get(lang)) {
                    if Arc::ptr_eq(&r.src, src) && still_resolves(cfg, site, &r.body, lang) {
                        return r.clone();
                    }
                }
                let resolve = |t: &str| site.internal_link(cfg, t, lang);
                // A fallback page renders the original's body again, with this language's
                // links; its errors were already reported for the original.
                let mut sink = Vec::new();
                let d = if doc_lang == lang {
                    &mut diags
                } else {
                    &mut sink
                };
                Rendered {
                    src: src.clone(),
                    body: Arc::new(markdown::render(src, &resolve, highlights, d)),
                }
            });
            (bodies, diags)
        })
        .collect();
    let mut diags = Vec::new();
    let bodies = results
        .into_iter()
        .map(|(b, d)| {
            diags.extend(d);
            b
        })
        .collect();
    (bodies, diags)
}

fn still_resolves(cfg: &Config, site: &Site, body: &Body, lang: LangId) -> bool {
    body.targets
        .iter()
        .all(|t| site.internal_link(cfg, t, lang).is_some())
}
