//! An Atom feed per language: founders and companies, newest first.

use crate::config::{Config, LangId};
use crate::content::{Kind, PartialDate, Source as Cited};
use crate::deps::{self, Source};
use crate::escape::xml;
use crate::resolve::{permalink, Site};

/// The newest date among a profile's sources.
fn newest(sources: &Option<Vec<Cited>>) -> Option<PartialDate> {
    sources.iter().flatten().filter_map(|s| s.date).max()
}

/// A founder's date for "latest": the newest of their sources' dates.
pub fn founder_date(site: &Site, i: usize) -> Option<PartialDate> {
    newest(&site.content.founders[i].original().fm.sources)
}

fn company_date(site: &Site, i: usize) -> Option<PartialDate> {
    newest(&site.content.companies[i].original().fm.sources)
}

/// One entry: date, title, site-relative path, summary.
type Item<'a> = (Option<PartialDate>, &'a str, String, &'a str);

fn items<'a>(cfg: &Config, site: &'a Site, lang: LangId) -> Vec<Item<'a>> {
    let c = &site.content;
    deps::read(|| Source::Members(Kind::Founder));
    deps::read(|| Source::Members(Kind::Company));
    let mut items = Vec::with_capacity(c.founders.len() + c.companies.len());
    for (i, e) in c.founders.iter().enumerate() {
        deps::entity(Kind::Founder, i, lang);
        let d = e.doc(lang);
        items.push((
            founder_date(site, i),
            d.fm.name.as_deref().unwrap_or(""),
            permalink(cfg, Kind::Founder, Some(e.slug.as_str()), lang),
            d.fm.summary.as_deref().unwrap_or(""),
        ));
    }
    for (i, e) in c.companies.iter().enumerate() {
        deps::entity(Kind::Company, i, lang);
        let d = e.doc(lang);
        items.push((
            company_date(site, i),
            d.fm.name.as_deref().unwrap_or(""),
            permalink(cfg, Kind::Company, Some(e.slug.as_str()), lang),
            d.fm.summary.as_deref().unwrap_or(""),
        ));
    }
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    items
}

/// `atom.xml` (default language) or `<lang>/atom.xml`.
pub fn atom(cfg: &Config, site: &Site, lang: LangId) -> Vec<u8> {
    deps::read(|| Source::Config);
    let items = items(cfg, site, lang);
    let updated = items
        .iter()
        .filter_map(|e| e.0)
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let feed_rel = format!("{}atom.xml", cfg.lang_prefix(lang));
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        xml(cfg.code(lang)),
        xml(&cfg.title[lang]),
        xml(&cfg.description[lang]),
        xml(&cfg.base.absolute(&feed_rel)),
        xml(&cfg.base.absolute(&cfg.lang_prefix(lang))),
        xml(&cfg.base.absolute(&feed_rel)),
        updated,
        xml(&cfg.title[lang])
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
