//! The value of each source an output can read ([`Dep`]), as a 128-bit hash: what an
//! incremental build compares with the value recorded when the output was last written.
//! An output whose every recorded source has the same value now would be rendered to the
//! same bytes, so its previous file stands.
//!
//! A value covers at least what the render stage hands out for its source (a hash of more
//! only renders more). Sources the build's salt already covers (the site's settings, its
//! cities) have a constant value: a change to them discards the whole state.

use std::collections::HashMap;
use std::path::Path;

use crate::config::LangId;
use crate::content::Kind;
use crate::deps::Dep;
use crate::images::Processed;
use crate::render::Env;
use crate::resolve::graph::RELATIONS;

/// A source that no longer exists (a profile removed, a template deleted): never equal to
/// the value of one that does.
pub const MISSING: u128 = 0;

/// What values are computed from: the render environment and the images by source.
pub struct Values<'a> {
    env: &'a Env<'a>,
    images: HashMap<&'a Path, &'a Processed>,
}

/// A hasher for one value.
struct H(blake3::Hasher);

impl H {
    fn new(tag: &str) -> H {
        let mut h = blake3::Hasher::new();
        h.update(tag.as_bytes());
        H(h)
    }
    fn bytes(&mut self, b: &[u8]) -> &mut H {
        self.0.update(&(b.len() as u64).to_le_bytes());
        self.0.update(b);
        self
    }
    fn str(&mut self, s: &str) -> &mut H {
        self.bytes(s.as_bytes())
    }
    /// A value by its `Debug` form: derived values (charts, filter choices, dates) compared as the dev
    /// server compares them, field by field.
    fn debug(&mut self, v: &impl std::fmt::Debug) -> &mut H {
        self.str(&format!("{v:?}"))
    }
    fn done(&self) -> u128 {
        let out = self.0.finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&out.as_bytes()[..16]);
        // Never MISSING.
        u128::from_le_bytes(b).max(1)
    }
}

impl<'a> Values<'a> {
    pub fn new(env: &'a Env<'a>) -> Values<'a> {
        let mut images = HashMap::new();
        for p in env
            .images
            .founders
            .iter()
            .chain(&env.images.companies)
            .flatten()
        {
            images.insert(p.shown.as_path(), p.as_ref());
        }
        Values { env, images }
    }

    fn lang_ok(&self, l: LangId) -> bool {
        l.index() < self.env.cfg.langs.len()
    }

    /// The value of `dep` now.
    pub fn of(&self, dep: &Dep) -> u128 {
        let (env, site) = (self.env, self.env.site);
        match dep {
            Dep::Fields(k, slug, l) => self.fields(*k, slug, *l),
            Dep::Shared(k, slug) => match site.lookup(*k, slug.as_str()) {
                Some(i) => {
                    let src = site.source(*k, i);
                    H::new("shared").str(front_matter(src)).done()
                }
                None => MISSING,
            },
            Dep::Name(k, slug, l) => {
                let Some(i) = site.lookup(*k, slug.as_str()).filter(|_| self.lang_ok(*l)) else {
                    return MISSING;
                };
                let e = site.content.entry(*k, i);
                if !e.translated(*l) {
                    return H::new("name-untranslated").done();
                }
                // What a read of the name shows, as the dev server compares it.
                H::new("name").str(e.name_in(*l).unwrap_or("")).done()
            }
            Dep::Body(k, slug, l) => {
                match site.lookup(*k, slug.as_str()).filter(|_| self.lang_ok(*l)) {
                    Some(i) => {
                        let b = &env.bodies.of(*k)[i][*l].body;
                        let mut h = H::new("body");
                        h.str(&b.html).str(&b.text);
                        for t in &b.targets {
                            h.str(t);
                        }
                        h.done()
                    }
                    None => MISSING,
                }
            }
            Dep::Intro(k, l) if self.lang_ok(*l) => self.intro(*k, *l),
            Dep::AnyFields(k) => self.any("any", *k, |s| {
                let fields = env.cfg.lang_ids().map(|l| Dep::Fields(*k, s.clone(), l));
                fields.chain([Dep::Shared(*k, s.clone())]).collect()
            }),
            Dep::AnyNames(k) => self.any("any-names", *k, |s| {
                let names = env.cfg.lang_ids().map(|l| Dep::Name(*k, s.clone(), l));
                names.collect()
            }),
            Dep::Members(k) => self.members(*k),
            Dep::Template(name) => {
                let text = match name.strip_prefix("archetypes/") {
                    Some(a) => env.theme.archetypes.get(a),
                    None => env.theme.sources.get(name),
                };
                text.map_or(MISSING, |t| H::new("template").str(t).done())
            }
            Dep::I18n(l, key) if self.lang_ok(*l) => env.theme.i18n[*l]
                .get(key)
                .map_or(MISSING, |s| H::new("i18n").str(s).done()),
            // Covered by the salt: the same in every run that keeps the state.
            Dep::Config | Dep::City(_) => H::new("salted").done(),
            Dep::Nav(l) if self.lang_ok(*l) => {
                let labels: Vec<&str> = env.labels.values().copied().collect();
                H::new("nav").debug(&(&env.site_ctx[*l], labels)).done()
            }
            Dep::Labels => {
                let labels: Vec<&str> = env.labels.values().copied().collect();
                H::new("labels").debug(&labels).done()
            }
            Dep::Charts(l) if self.lang_ok(*l) => H::new("charts").debug(&env.charts[*l]).done(),
            Dep::Filters(l) if self.lang_ok(*l) => H::new("filters").debug(&env.filters[*l]).done(),
            Dep::Latest => H::new("latest").debug(&env.latest).done(),
            Dep::Dates => H::new("dates").debug(&env.dated).done(),
            Dep::Image(p) => self
                .images
                .get(p.as_path())
                .map_or(MISSING, |p| H::new("image").debug(p).done()),
            // A language no longer configured.
            Dep::Intro(..) | Dep::I18n(..) | Dep::Nav(_) | Dep::Charts(_) | Dep::Filters(_) => {
                MISSING
            }
        }
    }

    /// A profile's front matter as seen in a language, and its lists.
    fn fields(&self, k: Kind, slug: &crate::content::Slug, l: LangId) -> u128 {
        let site = self.env.site;
        let Some(i) = site.lookup(k, slug.as_str()).filter(|_| self.lang_ok(l)) else {
            return MISSING;
        };
        let mut h = H::new("fields");
        let e = site.content.entry(k, i);
        if e.translated(l) {
            let src = e.src_in(l);
            h.str(&src.path.to_string_lossy()).str(front_matter(src));
        } else {
            h.str("untranslated");
        }
        // What the profile links to and what links to it, in order: its lists.
        for r in RELATIONS.iter().filter(|r| r.from == k) {
            h.debug(&r.rel);
            for &t in site.targets(r.rel, i) {
                h.str(site.slug(r.to, t).as_str());
            }
        }
        h.debug(&site.is_draft(k, i));
        // Its dates from the history: a page that shows them reads the profile in every
        // language (`Reader::dates`).
        h.debug(&self.env.dated.get(k, i));
        if k == Kind::Founder {
            h.debug(&site.founder_city.get(i));
        }
        h.done()
    }

    /// A section's introduction in a language.
    fn intro(&self, k: Kind, l: LangId) -> u128 {
        let intros = &self.env.site.content.intros;
        match intros.iter().position(|(kind, _)| *kind == k) {
            Some(i) => {
                let e = &intros[i].1;
                let src = &e.doc(l).src;
                H::new("intro")
                    .debug(&e.translated(l))
                    .str(&src.path.to_string_lossy())
                    .str(&src.text)
                    .str(&self.env.bodies.intros[i][l].body.html)
                    .str(&self.env.bodies.intros[i][l].body.text)
                    .done()
            }
            None => H::new("no-intro").done(),
        }
    }

    /// The profiles of a kind, in the site's order and in their display order.
    fn members(&self, k: Kind) -> u128 {
        let site = self.env.site;
        let mut h = H::new("members");
        for i in 0..site.count(k) {
            h.str(site.slug(k, i).as_str());
        }
        let order = match k {
            Kind::Sector => &site.sector_order,
            Kind::Employer => &site.employer_order,
            Kind::Page => &site.page_order,
            _ => &Vec::new(),
        };
        h.debug(order).done()
    }

    /// Every profile of a kind: what an output that reads more than `deps::MANY` of them
    /// records. Each profile by its slug and the values of `each(slug)`.
    fn any(&self, tag: &str, k: Kind, each: impl Fn(&crate::content::Slug) -> Vec<Dep>) -> u128 {
        let site = self.env.site;
        let mut h = H::new(tag);
        for i in 0..site.count(k) {
            let slug = site.slug(k, i);
            h.str(slug.as_str());
            for d in each(slug) {
                h.bytes(&self.of(&d).to_le_bytes());
            }
        }
        h.done()
    }
}

/// A file's text up to its body: the front matter, which its fields and name come from.
fn front_matter(src: &crate::content::SourceFile) -> &str {
    src.text.get(..src.split.body_start).unwrap_or(&src.text)
}
