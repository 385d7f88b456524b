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

/// The newest `limit` founders and companies that `keep` accepts, newest first.
fn items<'a>(
    cfg: &Config,
    site: &'a Site,
    lang: LangId,
    keep: &dyn Fn(Kind, usize) -> bool,
) -> (Vec<Item<'a>>, Option<PartialDate>) {
    let c = &site.content;
    deps::read(|| Source::Members(Kind::Founder));
    deps::read(|| Source::Members(Kind::Company));
    let founders = (0..c.founders.len()).map(|i| (Kind::Founder, i, founder_date(site, i)));
    let companies = (0..c.companies.len()).map(|i| (Kind::Company, i, company_date(site, i)));
    let mut all: Vec<(Kind, usize, Option<PartialDate>)> = founders
        .chain(companies)
        .filter(|(k, i, _)| keep(*k, *i))
        .collect();
    // Every date is read to find the newest: each profile is a dependency.
    for (k, i, _) in &all {
        deps::entity(*k, *i, LangId::DEFAULT);
    }
    let newest = all.iter().filter_map(|e| e.2).max();
    let slug = |k: Kind, i: usize| site.slug(k, i).as_str();
    all.sort_by(|a, b| {
        b.2.cmp(&a.2).then_with(|| {
            permalink(cfg, a.0, Some(slug(a.0, a.1)), lang).cmp(&permalink(
                cfg,
                b.0,
                Some(slug(b.0, b.1)),
                lang,
            ))
        })
    });
    all.truncate(cfg.feed_limit);
    let items = all
        .into_iter()
        .map(|(k, i, date)| {
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
            let rel = permalink(cfg, k, Some(slug(k, i)), lang);
            (date, name.unwrap_or(""), rel, summary.unwrap_or(""))
        })
        .collect();
    (items, newest)
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
pub fn atom(cfg: &Config, site: &Site, lang: LangId) -> Vec<u8> {
    deps::read(|| Source::Config);
    let (items, newest) = items(cfg, site, lang, &|_, _| true);
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
pub fn sector_atom(cfg: &Config, site: &Site, i: usize, lang: LangId) -> Vec<u8> {
    deps::read(|| Source::Config);
    deps::entity(Kind::Sector, i, lang);
    let in_sector = |k: Kind, x: usize| match k {
        Kind::Founder => site.founder_sector[x] == Some(i),
        _ => site.company_sector[x] == Some(i),
    };
    let (items, newest) = items(cfg, site, lang, &in_sector);
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
