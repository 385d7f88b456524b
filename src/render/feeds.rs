//! An Atom feed per language: founders and companies, newest first.

use crate::config::{Config, LangId};
use crate::content::{Kind, PartialDate};
use crate::deps::{self, Source};
use crate::escape::xml;
use crate::resolve::{permalink, Site};

use super::latest::Latest;

/// One entry: date, title, site-relative path, summary.
type Item<'a> = (Option<PartialDate>, &'a str, String, &'a str);

/// The entries of `chosen` (the newest profiles) in `lang`.
fn items<'a>(
    cfg: &Config,
    site: &'a Site,
    lang: LangId,
    chosen: &[(Kind, usize, Option<PartialDate>)],
) -> Vec<Item<'a>> {
    deps::read(|| Source::Latest);
    let c = &site.content;
    chosen
        .iter()
        .map(|&(k, i, date)| {
            deps::entity(k, i, lang);
            let (name, summary) = match k {
                Kind::Founder => {
                    let fm = &c.founders[i].doc(lang).fm;
                    (fm.name.as_deref(), fm.summary.as_deref())
                }
                _ => {
                    let fm = &c.companies[i].doc(lang).fm;
                    (fm.name.as_deref(), fm.summary.as_deref())
                }
            };
            let rel = permalink(cfg, k, Some(site.slug(k, i).as_str()), lang);
            (date, name.unwrap_or(""), rel, summary.unwrap_or(""))
        })
        .collect()
}

/// The feed's head and entries.
struct Feed<'a> {
    lang: LangId,
    title: String,
    subtitle: &'a str,
    /// Site-relative path of the feed and of the page it belongs to.
    rel: String,
    page: String,
}

fn write(cfg: &Config, feed: Feed, items: Vec<Item>, newest: Option<PartialDate>) -> Vec<u8> {
    let updated = newest
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let self_url = cfg.base.absolute(&feed.rel);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        xml(cfg.code(feed.lang)),
        xml(&feed.title),
        xml(feed.subtitle),
        xml(&self_url),
        xml(&cfg.base.absolute(&feed.page)),
        xml(&self_url),
        updated,
        xml(&cfg.title[feed.lang])
    );
    for (date, title, rel, summary) in items {
        let url = cfg.base.absolute(&rel);
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml(title),
            xml(&url),
            xml(&url),
            date.map(|d| d.rfc3339()).unwrap_or_else(|| updated.clone()),
            xml(summary)
        ));
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}

/// `atom.xml` (default language) or `<lang>/atom.xml`: the newest founders and companies.
pub fn atom(cfg: &Config, site: &Site, latest: &Latest, lang: LangId) -> Vec<u8> {
    deps::read(|| Source::Config);
    let (items, newest) = (items(cfg, site, lang, &latest.feed), latest.newest);
    let feed = Feed {
        lang,
        title: cfg.title[lang].clone(),
        subtitle: &cfg.description[lang],
        rel: format!("{}atom.xml", cfg.lang_prefix(lang)),
        page: cfg.lang_prefix(lang),
    };
    write(cfg, feed, items, newest)
}

/// `sectors/<slug>/atom.xml`: the newest founders and companies of sector `i`.
pub fn sector_atom(cfg: &Config, site: &Site, latest: &Latest, i: usize, lang: LangId) -> Vec<u8> {
    deps::read(|| Source::Config);
    deps::entity(Kind::Sector, i, lang);
    let (chosen, newest) = &latest.sectors[i];
    let items = items(cfg, site, lang, chosen);
    let newest = *newest;
    let sector = &site.content.sectors[i].doc(lang).fm;
    let page = permalink(
        cfg,
        Kind::Sector,
        Some(site.slug(Kind::Sector, i).as_str()),
        lang,
    );
    let feed = Feed {
        lang,
        title: format!(
            "{} · {}",
            sector.name.as_deref().unwrap_or(""),
            cfg.title[lang]
        ),
        subtitle: sector.summary.as_deref().unwrap_or(""),
        rel: format!("{page}atom.xml"),
        page,
    };
    write(cfg, feed, items, newest)
}
