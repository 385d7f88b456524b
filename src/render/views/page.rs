//! Free pages (`content/pages/`) and section introductions (`_index.<lang>.md`).

use serde::Serialize;

use super::context::PageView;
use super::{Reader, Rendering};
use crate::content::Kind;
use crate::counts;
use crate::deps::{self, Source};
use crate::error::Diagnostic;
use crate::render::plan::PageId;

#[derive(Serialize)]
struct Data<'a> {
    page_content: PageView<'a>,
}

/// The view of free page `i`.
pub fn view<'a>(r: &Reader<'_, 'a>, i: usize) -> PageView<'a> {
    deps::entity(Kind::Page, i, r.lang);
    let e = &r.site().content.pages[i];
    let fm = &e.doc(r.lang).fm;
    PageView {
        slug: e.slug.as_str(),
        url: r.url(Kind::Page, Some(e.slug.as_str())),
        title: fm.title.as_deref().unwrap_or(""),
        summary: fm.summary.as_deref().map(|s| counts::fill(s, r.site())),
        content: counts::fill(r.v.bodies.html(Kind::Page, i, r.lang), r.site()),
        translated: e.translated(r.lang),
    }
}

/// The introduction of a section's index page, if the section has one.
pub fn intro<'a>(r: &Reader<'_, 'a>, kind: Kind, url: String) -> Option<PageView<'a>> {
    deps::read(|| Source::Intro(kind, r.lang));
    let intros = &r.site().content.intros;
    let i = intros.iter().position(|(k, _)| *k == kind)?;
    let e = &intros[i].1;
    let fm = &e.doc(r.lang).fm;
    Some(PageView {
        slug: e.slug.as_str(),
        url,
        title: fm.title.as_deref().unwrap_or(""),
        summary: fm.summary.as_deref().map(|s| counts::fill(s, r.site())),
        content: counts::fill(&r.v.bodies.intros[i][r.lang].body.html, r.site()),
        translated: e.translated(r.lang),
    })
}

pub fn render(r: &Reader, id: PageId, i: usize) -> Result<Rendering, Diagnostic> {
    let p = view(r, i);
    let mut meta = r.meta(id);
    meta.describe(
        "page",
        p.title,
        &r.cfg().title[r.lang],
        p.translated,
        p.summary.as_deref(),
    );
    let text = counts::fill(r.v.bodies.text(Kind::Page, i, r.lang), r.site());
    let record = r.record(id, p.title, [p.summary.as_deref().unwrap_or(""), &text]);
    let mut out = r.finish("page.html", meta, None, Data { page_content: p })?;
    out.record = Some(record);
    Ok(out)
}
