//! The bodies stage: every Markdown body rendered once per language, in parallel, with
//! its links resolved for that language. A previous run's bodies are reused when their
//! source file and link targets are unchanged (the dev server).

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, LangId, PerLang};
use crate::content::{Entry, Kind, PerKind, SourceFile};
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::{self, Body, HighlightCache};
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
    /// Each kind's profiles' bodies, in the site's order.
    pub profiles: PerKind<Vec<PerLang<Rendered>>>,
    pub intros: Vec<PerLang<Rendered>>,
}

impl Bodies {
    /// The bodies of a kind's profiles.
    pub fn of(&self, kind: Kind) -> &[PerLang<Rendered>] {
        &self.profiles[kind]
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

/// The bodies rendered anew (not reused): kind, profile in the new site's order, language.
pub type Fresh = Vec<(Kind, usize, LangId)>;

/// Renders every body. With `prev` (bodies and the site they were rendered for), the
/// body of a profile whose source file is the same object as before is reused, unless a
/// link in it no longer resolves.
pub fn render(
    cfg: &Config,
    site: &Site,
    prev: Option<(&Bodies, &Site)>,
) -> Result<(Bodies, Fresh)> {
    let c = &site.content;
    let run = Run {
        cfg,
        site,
        highlights: HighlightCache::default(),
        same_members: prev.is_some_and(|(_, old)| same_members(old, site)),
    };
    let old = |k: Kind| prev.map(|(b, s)| (b.of(k), s));
    let (founders, f1, d1) = run.kind(Kind::Founder, &c.founders, old(Kind::Founder), |s| {
        &s.content.founders
    });
    let (companies, f2, d2) = run.kind(Kind::Company, &c.companies, old(Kind::Company), |s| {
        &s.content.companies
    });
    let (sectors, f3, d3) = run.kind(Kind::Sector, &c.sectors, old(Kind::Sector), |s| {
        &s.content.sectors
    });
    let (employers, f4, d4) = run.kind(Kind::Employer, &c.employers, old(Kind::Employer), |s| {
        &s.content.employers
    });
    let (pages, f5, d5) = run.kind(Kind::Page, &c.pages, old(Kind::Page), |s| &s.content.pages);
    // Introductions are few: rendered every time.
    let intros: Vec<_> = c.intros.iter().map(|(_, e)| e.clone()).collect();
    let (intros, _, d6) = run.kind(Kind::Page, &intros, None, |s| &s.content.pages);
    let diags: Vec<Diagnostic> = [d1, d2, d3, d4, d5, d6].into_iter().flatten().collect();
    if !diags.is_empty() {
        return Err(Error::Diagnostics(diags));
    }
    let fresh = [f1, f2, f3, f4, f5].into_iter().flatten().collect();
    let mut profiles = PerKind::default();
    profiles[Kind::Founder] = founders;
    profiles[Kind::Company] = companies;
    profiles[Kind::Sector] = sectors;
    profiles[Kind::Employer] = employers;
    profiles[Kind::Page] = pages;
    let bodies = Bodies { profiles, intros };
    Ok((bodies, fresh))
}

/// Whether two sites have the same profiles (by slug, in the same order): then every
/// link that resolved before still does.
pub fn same_members(a: &Site, b: &Site) -> bool {
    Kind::ALL
        .iter()
        .all(|&k| a.count(k) == b.count(k) && (0..a.count(k)).all(|i| a.slug(k, i) == b.slug(k, i)))
}

/// What rendering bodies shares.
struct Run<'a> {
    cfg: &'a Config,
    site: &'a Site,
    highlights: HighlightCache,
    /// The previous site had the same profiles: links need no checking again.
    same_members: bool,
}

/// A kind's previous bodies and the site they were rendered for.
type Old<'a> = Option<(&'a [PerLang<Rendered>], &'a Site)>;

impl Run<'_> {
    /// Renders (or reuses) the bodies of one kind's entries.
    fn kind<T: Sync + Send>(
        &self,
        kind: Kind,
        entries: &[Arc<Entry<T>>],
        old: Old,
        list: impl Fn(&Site) -> &Vec<Arc<Entry<T>>> + Sync,
    ) -> (Vec<PerLang<Rendered>>, Fresh, Vec<Diagnostic>) {
        let results: Vec<(PerLang<Rendered>, Vec<LangId>, Vec<Diagnostic>)> = entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| {
                let before = old.and_then(|(bodies, site)| {
                    let prev = list(site);
                    // The same position first (nothing was added or removed), else by slug.
                    let j = match prev.get(i) {
                        Some(p) if p.slug == e.slug => Some(i),
                        _ => prev.binary_search_by(|p| p.slug.cmp(&e.slug)).ok(),
                    }?;
                    Some((Arc::ptr_eq(&prev[j], e), bodies.get(j)?))
                });
                match before {
                    // The very same entry, and every link still resolves: nothing to do.
                    Some((true, b)) if self.same_members => (b.clone(), Vec::new(), Vec::new()),
                    _ => self.entry(e, before.map(|b| b.1)),
                }
            })
            .collect();
        let mut bodies = Vec::with_capacity(results.len());
        let mut fresh = Vec::new();
        let mut diags = Vec::new();
        for (i, (b, langs, d)) in results.into_iter().enumerate() {
            bodies.push(b);
            fresh.extend(langs.into_iter().map(|l| (kind, i, l)));
            diags.extend(d);
        }
        (bodies, fresh, diags)
    }

    /// One entry's bodies, reusing `before` where its file and links are unchanged.
    fn entry<T>(
        &self,
        e: &Entry<T>,
        before: Option<&PerLang<Rendered>>,
    ) -> (PerLang<Rendered>, Vec<LangId>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut fresh = Vec::new();
        let bodies = PerLang::build(&self.cfg.langs, |lang| {
            let doc = e.doc(lang);
            if let Some(r) = before.and_then(|b| b.get(lang)) {
                if Arc::ptr_eq(&r.src, &doc.src) && self.still_resolves(&r.body, lang) {
                    return r.clone();
                }
            }
            fresh.push(lang);
            let resolve = |t: &str| self.site.internal_link(self.cfg, t, lang);
            // A fallback page renders the original's body again, with this language's
            // links; its errors were already reported for the original.
            let mut sink = Vec::new();
            let d = if doc.lang == lang {
                &mut diags
            } else {
                &mut sink
            };
            Rendered {
                src: doc.src.clone(),
                body: Arc::new(markdown::render(
                    &doc.src,
                    &resolve,
                    &self.highlights,
                    self.cfg.raw_html,
                    d,
                )),
            }
        });
        (bodies, fresh, diags)
    }

    fn still_resolves(&self, body: &Body, lang: LangId) -> bool {
        self.same_members
            || body
                .targets
                .iter()
                .all(|t| self.site.internal_link(self.cfg, t, lang).is_some())
    }
}
