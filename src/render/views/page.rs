//! Free pages (`content/pages/`) and section introductions (`_index.<lang>.md`).

use serde::Serialize;

use crate::content::{Kind, Page};
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::assemble::{self, Rendering};
use crate::render::context::PageView;
use crate::render::plan::PageId;

#[derive(Serialize)]
struct Data<'a> {
    page_content: PageView<'a>,
}

/// The view of free page `i`.
pub fn view<'a>(r: &Reader<'_, 'a>, i: usize) -> PageView<'a> {
    let p = r.profile::<Page>(i);
    let fm = p.fm();
    PageView {
        slug: p.slug(),
        url: r.url(Kind::Page, Some(p.slug())),
        title: fm.title.as_deref().unwrap_or(""),
        summary: fm.summary.as_deref().map(|s| r.fill(s)),
        content: r.fill(r.body_html(Kind::Page, i)),
        translated: p.translated(),
    }
}

pub fn render(r: &Reader, id: PageId, i: usize) -> Result<Rendering, Diagnostic> {
    let p = view(r, i);
    let mut meta = assemble::meta(r, id);
    meta.describe(
        "page",
        p.title,
        r.title(),
        p.translated,
        p.summary.as_deref(),
    );
    let text = r.fill(r.body_text(Kind::Page, i));
    let record = r.record(id, p.title, [p.summary.as_deref().unwrap_or(""), &text]);
    let mut out = assemble::finish(r, "page.html", meta, None, Data { page_content: p })?;
    out.record = Some(record);
    Ok(out)
}
