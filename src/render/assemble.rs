//! Page assembly: a view's data wrapped into the whole context its template gets (the
//! `site` context, the page's metadata, canonical URL and language versions, its share
//! card, its links to the source, its place in a paginated list) and serialized. Built on
//! the [`Reader`]'s recorded accessors like any view.

use serde::Serialize;

use super::access::Reader;
use super::context::{
    og_locale, AddLink, Alternate, CardMeta, Ctx, PageMeta, PageView, Pagination, SourceLinks,
};
use super::plan::PageId;
use super::views::card;
use crate::config::LangId;
use crate::content::Kind;
use crate::error::Diagnostic;
use crate::search::Record;

/// A page ready for its template: the template's name and the typed context, and for a
/// profile, its record in the search index.
pub struct Rendering {
    pub template: &'static str,
    pub context: tera::Context,
    pub record: Option<Record>,
}

impl Rendering {
    /// Serializes a typed context for `template`.
    pub fn new<D: Serialize>(template: &'static str, ctx: &D) -> Result<Rendering, Diagnostic> {
        let context = tera::Context::from_serialize(ctx).map_err(|e| {
            Diagnostic::file(template, format!("cannot build the template context: {e}"))
        })?;
        Ok(Rendering {
            template,
            context,
            record: None,
        })
    }
}

/// Metadata of page `id`, before its kind fills in title and description.
pub fn meta<'a>(r: &Reader<'_, 'a>, id: PageId) -> PageMeta<'a> {
    let cfg = r.cfg();
    let rel = r.rel(id);
    let alternates = cfg
        .lang_ids()
        .map(|l| {
            let rel = r.rel(id.in_lang(l));
            Alternate {
                lang: cfg.code(l),
                label: r.label(l),
                href: cfg.base.absolute(&rel),
                link: cfg.base.link(&rel),
                current: l == r.lang(),
            }
        })
        .collect();
    PageMeta {
        kind: "",
        title: String::new(),
        description: r.description().into_owned(),
        path: cfg.base.link(&rel),
        canonical: cfg.base.absolute(&rel),
        alternates,
        x_default: cfg.base.absolute(&r.rel(id.in_lang(LangId::DEFAULT))),
        og_type: "website",
        og_locale: og_locale(r.code()),
        card: card_meta(r, id),
        source: source_links(r, id),
        jsonld: None,
        translated: true,
        draft: match id {
            PageId::Profile(kind, i, _, _) => r.is_draft(kind, i),
            _ => false,
        },
    }
}

/// The links of page `id` to its source, when the site names its repository. The
/// correction link needs the page's title: [`finish_paged`] fills it in.
fn source_links(r: &Reader, id: PageId) -> Option<SourceLinks> {
    let cfg = r.cfg();
    let repo = cfg.repository.as_ref()?;
    let edit = match id {
        PageId::Profile(kind, i, _, _) => r
            .source_file(kind, i)
            .file_name()
            .and_then(|n| n.to_str())
            .map(|file| repo.edit(&format!("content/{}/{file}", kind.section()))),
        PageId::NotFound => return None,
        _ => None,
    };
    let add = match id {
        PageId::Index(kind @ (Kind::Founder | Kind::Company), _, _) => {
            // A profile starts with its original: the file in the default language,
            // where its language-neutral fields live (a translation alone does not
            // build). Both languages' indexes offer that file.
            let lang = cfg.code(LangId::DEFAULT);
            let slug = format!("new-{}", kind.name());
            let value = r
                .archetype(kind, lang)
                .map(|a| a.replace("__SLUG__", &slug));
            Some(AddLink {
                key: match kind {
                    Kind::Founder => "add_founder",
                    _ => "add_company",
                },
                url: repo.new_file(
                    &format!("content/{}", kind.section()),
                    &format!("{slug}.{lang}.md"),
                    value.as_deref(),
                ),
            })
        }
        _ => None,
    };
    Some(SourceLinks {
        edit,
        add,
        report: String::new(),
    })
}

/// The share card of page `id`: where it is and what it says.
pub fn card_meta(r: &Reader, id: PageId) -> Option<CardMeta> {
    if !r.cards_on() {
        return None;
    }
    let card = id.card();
    let PageId::Card(of, _) = card else {
        return None;
    };
    Some(CardMeta {
        url: r.cfg().base.absolute(&r.rel(card)),
        width: crate::cards::WIDTH,
        height: crate::cards::HEIGHT,
        alt: card::view(r, of).alt(),
    })
}

/// Wraps a page's own data into its full context and serializes it.
pub fn finish<'a, D: Serialize>(
    r: &Reader<'_, 'a>,
    template: &'static str,
    page: PageMeta<'a>,
    intro: Option<PageView<'a>>,
    data: D,
) -> Result<Rendering, Diagnostic> {
    finish_paged(r, template, page, intro, None, data)
}

/// [`finish`] for a page of a list.
pub fn finish_paged<'a, D: Serialize>(
    r: &Reader<'_, 'a>,
    template: &'static str,
    page: PageMeta<'a>,
    intro: Option<PageView<'a>>,
    pagination: Option<Pagination>,
    data: D,
) -> Result<Rendering, Diagnostic> {
    let mut page = page;
    if let (Some(links), Some(repo)) = (&mut page.source, &r.cfg().repository) {
        links.report = repo.correction(&page.title, &page.canonical);
    }
    Rendering::new(
        template,
        &Ctx {
            site: r.site_ctx(),
            page,
            intro,
            pagination,
            data,
        },
    )
}

/// Where page `id` stands among `total` pages of its list (None for a single page);
/// a later page's title says its number.
pub fn pagination(
    r: &Reader,
    id: PageId,
    total: u32,
    meta: &mut PageMeta,
) -> Result<Option<Pagination>, Diagnostic> {
    let current = match id {
        PageId::Index(_, _, n) | PageId::Profile(_, _, _, n) => n,
        _ => 1,
    };
    if current > 1 {
        let label = r.t("page_n")?.replace("{n}", &current.to_string());
        meta.title = match meta.title.split_once(" · ") {
            Some((head, tail)) => format!("{head} · {label} · {tail}"),
            None => format!("{} · {label}", meta.title),
        };
    }
    if total <= 1 {
        return Ok(None);
    }
    let urls = (1..=total)
        .map(|n| r.cfg().base.link(&r.rel(id.page(n))))
        .collect();
    Ok(Some(Pagination::new(current, urls)))
}

/// The introduction of a section's index page, if the section has one.
pub fn intro<'a>(r: &Reader<'_, 'a>, kind: Kind, url: String) -> Option<PageView<'a>> {
    let intro = r.intro(kind)?;
    Some(PageView {
        slug: intro.slug,
        url,
        title: intro.fm.title.as_deref().unwrap_or(""),
        summary: intro.fm.summary.as_deref().map(|s| r.fill(s)),
        content: r.fill(intro.html),
        translated: intro.translated,
    })
}
