//! The redirect written at an alias (an old slug) in each language: a page that sends
//! browsers on at once (`meta refresh`), tells search engines where the page lives now
//! (`rel=canonical`, `noindex`), and shows a link for anyone whose browser does not
//! follow. It is in neither the sitemap nor the search index.

use crate::config::LangId;
use crate::deps::{self, Dep};
use crate::error::Diagnostic;
use crate::escape::html;
use crate::resolve::permalink;

use super::env::Env;
use super::feeds::name_of;

/// The redirect of alias `i` in `lang`.
pub fn redirect(env: &Env, i: usize, lang: LangId) -> Result<Vec<u8>, Diagnostic> {
    let (cfg, site) = (env.cfg, env.site);
    deps::read(|| Dep::Config);
    let alias = &site.aliases[i];
    deps::entity(alias.kind, alias.target, lang);
    let slug = site.slug(alias.kind, alias.target).as_str();
    let rel = permalink(cfg, alias.kind, Some(slug), lang);
    let (link, canonical) = (cfg.base.link(&rel), cfg.base.absolute(&rel));
    let name = name_of(site, alias.kind, alias.target, lang);
    let moved = env.theme.t(lang, "alias_moved")?;
    let (before, after) = moved.split_once("{name}").unwrap_or((moved, ""));
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta http-equiv=\"refresh\" content=\"0; url={link}\">\n</head>\n<body>\n<p>{before}<a href=\"{link}\">{name}</a>{after}</p>\n</body>\n</html>\n",
        lang = html(cfg.code(lang)),
        title = html(&format!("{name} · {}", cfg.title[lang])),
        canonical = html(&canonical),
        link = html(&link),
        before = html(before),
        name = html(name),
        after = html(after),
    );
    Ok(page.into_bytes())
}
