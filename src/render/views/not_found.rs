//! The bilingual 404 page at the site root: one message per language.

use serde::Serialize;

use crate::config::LangId;
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::assemble::{self, Rendering};
use crate::render::context::{og_locale, Alternate, PageMeta};
use crate::render::plan::PageId;

#[derive(Serialize)]
struct Message<'a> {
    lang: &'a str,
    label: &'a str,
    title: &'a str,
    text: &'a str,
    home: String,
    home_label: &'a str,
}

#[derive(Serialize)]
struct NotFound<'a> {
    messages: Vec<Message<'a>>,
}

pub fn render(r: &Reader, id: PageId) -> Result<Rendering, Diagnostic> {
    let cfg = r.cfg();
    let mut messages = Vec::new();
    for l in cfg.lang_ids() {
        let t = |key: &str| r.t_in(l, key);
        messages.push(Message {
            lang: cfg.code(l),
            label: r.label(l),
            title: t("not_found_title")?,
            text: t("not_found_text")?,
            home: cfg.base.link(&cfg.lang_prefix(l)),
            home_label: t("not_found_home")?,
        });
    }
    // The page has no language versions: each language's home stands in for them.
    let alternates = cfg
        .lang_ids()
        .map(|l| Alternate {
            lang: cfg.code(l),
            label: r.label(l),
            href: cfg.base.absolute(&cfg.lang_prefix(l)),
            link: cfg.base.link(&cfg.lang_prefix(l)),
            current: l == LangId::DEFAULT,
        })
        .collect();
    let meta = PageMeta {
        kind: "404",
        title: messages
            .iter()
            .map(|m| m.title)
            .collect::<Vec<_>>()
            .join(" / "),
        description: r.in_lang(LangId::DEFAULT).description().into_owned(),
        path: cfg.base.link("404.html"),
        canonical: cfg.base.absolute("404.html"),
        alternates,
        x_default: cfg.base.absolute(&cfg.lang_prefix(LangId::DEFAULT)),
        og_type: "website",
        og_locale: og_locale(cfg.code(LangId::DEFAULT)),
        jsonld: None,
        translated: true,
        draft: false,
        card: assemble::card_meta(r, id),
        // A missing page has no source, and no fact to correct.
        source: None,
    };
    assemble::finish(r, "404.html", meta, None, NotFound { messages })
}
