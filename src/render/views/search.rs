//! The search page of a language.

use serde::Serialize;

use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::assemble::{self, Rendering};
use crate::render::plan::PageId;

#[derive(Serialize)]
struct Search {
    /// Where the Pagefind bundle is served.
    pagefind: String,
    /// A way on without JavaScript.
    founders_url: String,
}

pub fn render(r: &Reader, id: PageId) -> Result<Rendering, Diagnostic> {
    let mut meta = assemble::meta(r, id);
    meta.kind = "search";
    meta.title = format!("{} · {}", r.t("nav_search")?, r.cfg().title[r.lang()]);
    let data = Search {
        pagefind: r.cfg().base.link("pagefind/"),
        founders_url: r.url(Kind::Founder, None),
    };
    assemble::finish(r, "search.html", meta, None, data)
}
