//! [`Reader`]: the site in one language, as one page reads it. Each accessor records what
//! it hands out (see `deps`), so that a page's entry in the dev server's dependency map
//! is complete by construction: a view holds a `Reader` and nothing else, and the reader's
//! environment is private to this module and its siblings.

use std::sync::Arc;

use crate::config::{Config, LangId};
use crate::content::{Company, Content, Employer, Entry, Founder, FrontMatterName, Kind, Page};
use crate::deps::{self, Dep};
use crate::error::Diagnostic;
use crate::render::charts::Charts;
use crate::render::context::SiteCtx;
use crate::render::env::Env;
use crate::render::filters::Filters;
use crate::render::latest::Latest;
use crate::render::plan::OutputId;
use crate::resolve::graph::Rel;
use crate::resolve::permalink;
use crate::search::Record;

/// Reads the site in one language for one page, recording what it reads.
pub struct Reader<'v, 'a> {
    pub(in crate::render::access) env: &'v Env<'a>,
    pub(in crate::render::access) lang: LangId,
}

/// A front matter type and the list of profiles it is the type of.
pub trait OfKind: FrontMatterName + Sized + 'static {
    const KIND: Kind;
    fn entries(c: &Content) -> &[Arc<Entry<Self>>];
}

macro_rules! of_kind {
    ($($t:ty => $kind:ident, $list:ident;)*) => {$(
        impl OfKind for $t {
            const KIND: Kind = Kind::$kind;
            fn entries(c: &Content) -> &[Arc<Entry<Self>>] {
                &c.$list
            }
        }
    )*};
}

of_kind! {
    Founder => Founder, founders;
    Company => Company, companies;
    crate::content::Sector => Sector, sectors;
    Employer => Employer, employers;
    Page => Page, pages;
}

/// One profile as a page reads it in its language: reading it recorded its front matter
/// in that language (and, for a translation, what it takes from the original).
pub struct Profile<'a, T> {
    pub(in crate::render::access) entry: &'a Entry<T>,
    pub(in crate::render::access) lang: LangId,
    /// Its index among its kind's profiles.
    pub i: usize,
}

impl<'a, T> Profile<'a, T> {
    /// The front matter in the page's language (the original's where untranslated).
    pub fn fm(&self) -> &'a T {
        &self.entry.doc(self.lang).fm
    }

    /// The original's front matter: the language-neutral fields.
    pub fn original(&self) -> &'a T {
        &self.entry.original().fm
    }

    pub fn slug(&self) -> &'a str {
        self.entry.slug.as_str()
    }

    /// Whether the profile has its own file in the page's language.
    pub fn translated(&self) -> bool {
        self.entry.translated(self.lang)
    }
}

/// A section introduction (`content/<section>/_index.<lang>.md`) in the page's language.
pub struct Intro<'a> {
    pub fm: &'a Page,
    pub slug: &'a str,
    pub html: &'a str,
    pub translated: bool,
}

impl<'v, 'a> Reader<'v, 'a> {
    /// A reader of `env` in `lang`.
    pub fn new(env: &'v Env<'a>, lang: LangId) -> Reader<'v, 'a> {
        Reader { env, lang }
    }

    /// The page's language.
    pub fn lang(&self) -> LangId {
        self.lang
    }

    /// The site's settings. Any change to them but a city's names renders every page
    /// again in the dev server, so reading them needs no record; cities are read through
    /// [`Reader::city`].
    pub fn cfg(&self) -> &'a Config {
        self.env.cfg
    }

    /// The language's code.
    pub fn code(&self) -> &'a str {
        self.env.cfg.code(self.lang)
    }

    /// The site's title in the page's language.
    pub fn title(&self) -> &'a str {
        &self.env.cfg.title[self.lang]
    }

    /// An interface string of this language (checked to exist by [`Env::new`] or
    /// reported). Recorded by the theme.
    pub fn t(&self, key: &str) -> Result<&'a str, Diagnostic> {
        self.env.theme.t(self.lang, key)
    }

    /// An interface string of another language (the 404 page speaks every language).
    pub fn t_in(&self, lang: LangId, key: &str) -> Result<&'a str, Diagnostic> {
        self.env.theme.t(lang, key)
    }

    /// A language's own name (中文, English).
    pub fn label(&self, lang: LangId) -> &'a str {
        deps::read(|| Dep::Labels);
        self.env.labels[lang]
    }

    /// The shared `site` context.
    pub fn site_ctx(&self) -> &'v SiteCtx<'a> {
        deps::read(|| Dep::Nav(self.lang));
        deps::read(|| Dep::Config);
        &self.env.site_ctx[self.lang]
    }

    /// The site's description with its counts filled in.
    pub fn description(&self) -> std::borrow::Cow<'a, str> {
        crate::counts::description(self.env.cfg, self.env.site, self.lang)
    }

    /// `text` with its `{{ count.… }}` filled in (recorded as a read of the counted lists).
    pub fn fill<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        crate::counts::fill(text, self.env.site)
    }

    /// The charts of this language.
    pub fn charts(&self) -> &'v Charts {
        deps::read(|| Dep::Charts(self.lang));
        &self.env.charts[self.lang]
    }

    /// The choices of the founders list's filters in this language.
    pub fn filters(&self) -> &'v Filters {
        deps::read(|| Dep::Filters(self.lang));
        &self.env.filters[self.lang]
    }

    /// The newest profiles and the latest changes.
    pub fn latest(&self) -> &'v Latest {
        deps::read(|| Dep::Latest);
        &self.env.latest
    }

    /// Marks that the page lists every profile of `kind`.
    pub fn members(&self, kind: Kind) {
        deps::read(|| Dep::Members(kind));
    }

    /// How many profiles of `kind` there are.
    pub fn count(&self, kind: Kind) -> usize {
        self.members(kind);
        self.env.site.count(kind)
    }

    /// The profiles of `kind` in display order (sectors, employers, free pages): it
    /// depends on every profile's `order`, so it is a read of the list.
    pub fn order(&self, kind: Kind) -> &'a [usize] {
        self.members(kind);
        let site = self.env.site;
        match kind {
            Kind::Sector => &site.sector_order,
            Kind::Employer => &site.employer_order,
            Kind::Page => &site.page_order,
            Kind::Founder | Kind::Company => &[],
        }
    }

    /// Profile `i` of the kind `T` is the front matter of, recording a read of its front
    /// matter in this language.
    pub fn profile<T: OfKind>(&self, i: usize) -> Profile<'a, T> {
        deps::entity(T::KIND, i, self.lang);
        Profile {
            entry: &T::entries(&self.env.site.content)[i],
            lang: self.lang,
            i,
        }
    }

    /// The profiles that profile `i` of `rel`'s source kind refers to (or, for a
    /// backlink, that refer to it). A relation is part of its source profile's front
    /// matter: reading it records that.
    pub fn targets(&self, rel: Rel, i: usize) -> &'a [usize] {
        deps::entity(rel.from(), i, self.lang);
        self.env.site.targets(rel, i)
    }

    /// The index of the profile of `kind` whose slug `key` is (an output names its
    /// profile by key; the views read it by index).
    pub fn index_of(&self, kind: Kind, key: crate::content::Key) -> Result<usize, Diagnostic> {
        self.env.site.index_of(kind, key).ok_or_else(|| {
            Diagnostic::file(
                format!("content/{}/{}", kind.section(), key.name()),
                "internal error: an output names a profile the site does not have",
            )
        })
    }

    /// Whether profile `i` of `kind` is a draft.
    pub fn is_draft(&self, kind: Kind, i: usize) -> bool {
        deps::entity(kind, i, self.lang);
        self.env.site.is_draft(kind, i)
    }

    /// The rendered Markdown body of profile `i` of `kind` (recorded by `bodies`).
    pub fn body_html(&self, kind: Kind, i: usize) -> &'a str {
        self.env.bodies.html(kind, i, self.lang)
    }

    /// The plain text of profile `i`'s body, for the search index.
    pub fn body_text(&self, kind: Kind, i: usize) -> &'a str {
        self.env.bodies.text(kind, i, self.lang)
    }

    /// The introduction of `kind`'s section, if it has one.
    pub fn intro(&self, kind: Kind) -> Option<Intro<'a>> {
        deps::read(|| Dep::Intro(kind, self.lang));
        let intros = &self.env.site.content.intros;
        let i = intros.iter().position(|(k, _)| *k == kind)?;
        let e = &intros[i].1;
        Some(Intro {
            fm: &e.doc(self.lang).fm,
            slug: e.slug.as_str(),
            html: &self.env.bodies.intros[i][self.lang].body.html,
            translated: e.translated(self.lang),
        })
    }

    /// The file page `kind` `i` is made from in this language (for its "Edit" link).
    /// Which file that is changes only when profiles or translations come or go.
    pub fn source_file(&self, kind: Kind, i: usize) -> &'a std::path::Path {
        deps::entity(kind, i, self.lang);
        &self.env.site.source_in(kind, i, self.lang).path
    }

    /// The theme's archetype for a new profile of `kind` in language `lang`.
    pub fn archetype(&self, kind: Kind, lang: &str) -> Option<&'a str> {
        self.env.theme.archetype(kind, lang)
    }

    /// Whether pages have share cards.
    pub fn cards_on(&self) -> bool {
        self.env.cards_on
    }

    /// Fills in one of the theme's templates that is not a page (`card.svg`).
    pub fn render_template(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.env.theme.render(self.lang, name, ctx)
    }

    /// The site-relative path of page `id` (it changes only when profiles are added,
    /// renamed or removed, which plans the site anew).
    pub fn rel(&self, id: OutputId) -> String {
        id.rel(self.env.cfg)
    }

    /// The search record of page `id`: site-relative URL, title, text parts.
    pub fn record<'p>(
        &self,
        id: OutputId,
        title: &str,
        parts: impl IntoIterator<Item = &'p str>,
    ) -> Record {
        let url = format!("/{}", self.rel(id));
        Record::new(self.lang, url, title, parts)
    }

    /// A URL of a page of this language.
    pub fn url(&self, kind: Kind, slug: Option<&str>) -> String {
        let cfg = self.env.cfg;
        cfg.base.link(&permalink(cfg, kind, slug, self.lang))
    }

    /// Readers of the same site in each other language.
    pub fn others(&self) -> impl Iterator<Item = Reader<'v, 'a>> + '_ {
        self.env
            .cfg
            .lang_ids()
            .filter(move |&l| l != self.lang)
            .map(move |lang| Reader {
                env: self.env,
                lang,
            })
    }

    /// The same reader in `lang`.
    pub fn in_lang(&self, lang: LangId) -> Reader<'v, 'a> {
        Reader {
            env: self.env,
            lang,
        }
    }
}

impl Reader<'_, '_> {
    /// How many pages the index of `kind` takes (it depends on how many profiles there are).
    pub fn index_pages(&self, kind: Kind) -> u32 {
        self.members(kind);
        crate::render::plan::index_pages(self.env.cfg, self.env.site, kind)
    }

    /// How many pages profile `i` of `kind` takes (a sector's or employer's lists).
    pub fn profile_pages(&self, kind: Kind, i: usize) -> u32 {
        deps::entity(kind, i, self.lang);
        crate::render::plan::profile_pages(self.env.cfg, self.env.site, kind, i)
    }
}
