//! Atom feeds per language: the site's and each sector's (founders and companies, newest
//! first), and the changes feed (the latest additions and updates).

use crate::config::{Config, LangId};
use crate::content::{FrontMatterName, Kind};
use crate::deps::{self, Dep};
use crate::escape::xml;
use crate::history::Stamp;
use crate::resolve::{permalink, Site};

use super::latest::{Item as Chosen, Latest};

/// One entry: date, title, site-relative path, summary, and a category (term, label).
struct Item<'a> {
    date: Option<Stamp>,
    title: String,
    rel: String,
    summary: &'a str,
    category: Option<(&'static str, &'a str)>,
    /// Appended to the URL to make the entry's id (a change, not the profile).
    fragment: Option<String>,
}

/// A profile's name in `lang`.
pub fn name_of(site: &Site, kind: Kind, i: usize, lang: LangId) -> &str {
    name_summary(site, kind, i, lang).0
}

/// A profile's name and summary in `lang`.
fn name_summary(site: &Site, kind: Kind, i: usize, lang: LangId) -> (&str, &str) {
    fn of<T: FrontMatterName>(fm: &T) -> (&str, &str) {
        (fm.name().unwrap_or(""), fm.summary().unwrap_or(""))
    }
    let c = &site.content;
    match kind {
        Kind::Founder => of(&c.founders[i].doc(lang).fm),
        Kind::Company => of(&c.companies[i].doc(lang).fm),
        Kind::Sector => of(&c.sectors[i].doc(lang).fm),
        Kind::Employer => of(&c.employers[i].doc(lang).fm),
        Kind::Page => of(&c.pages[i].doc(lang).fm),
    }
}

/// The entries of `chosen` (the newest profiles) in `lang`.
fn items<'a>(cfg: &Config, site: &'a Site, lang: LangId, chosen: &[Chosen]) -> Vec<Item<'a>> {
    deps::read(|| Dep::Latest);
    chosen
        .iter()
        .map(|&(k, i, date)| {
            deps::entity(k, i, lang);
            let (name, summary) = name_summary(site, k, i, lang);
            Item {
                date,
                title: name.to_owned(),
                rel: permalink(cfg, k, Some(site.slug(k, i).as_str()), lang),
                summary,
                category: None,
                fragment: None,
            }
        })
        .collect()
}

/// The feed's head and entries.
struct Feed<'a> {
    lang: LangId,
    title: String,
    subtitle: std::borrow::Cow<'a, str>,
    /// Site-relative path of the feed and of the page it belongs to.
    rel: String,
    page: String,
}

fn write(cfg: &Config, feed: Feed, items: Vec<Item>, newest: Option<Stamp>) -> Vec<u8> {
    let updated = newest
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let self_url = cfg.base.absolute(&feed.rel);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        xml(cfg.code(feed.lang)),
        xml(&feed.title),
        xml(&feed.subtitle),
        xml(&self_url),
        xml(&cfg.base.absolute(&feed.page)),
        xml(&self_url),
        updated,
        xml(&cfg.title[feed.lang])
    );
    for item in items {
        let url = cfg.base.absolute(&item.rel);
        let category = item
            .category
            .map(|(term, label)| {
                format!(
                    "    <category term=\"{}\" label=\"{}\"/>\n",
                    xml(term),
                    xml(label)
                )
            })
            .unwrap_or_default();
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}</updated>\n{category}    <summary>{}</summary>\n  </entry>\n",
            xml(&item.title),
            xml(&url),
            xml(&format!("{url}{}", item.fragment.as_deref().unwrap_or(""))),
            item.date.map(|d| d.rfc3339()).unwrap_or_else(|| updated.clone()),
            xml(item.summary)
        ));
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}

/// `atom.xml` (default language) or `<lang>/atom.xml`: the newest founders and companies.
pub fn atom(cfg: &Config, site: &Site, latest: &Latest, lang: LangId) -> Vec<u8> {
    deps::read(|| Dep::Config);
    let (items, newest) = (items(cfg, site, lang, &latest.feed), latest.newest);
    let feed = Feed {
        lang,
        title: cfg.title[lang].clone(),
        subtitle: crate::counts::description(cfg, site, lang),
        rel: format!("{}atom.xml", cfg.lang_prefix(lang)),
        page: cfg.lang_prefix(lang),
    };
    write(cfg, feed, items, newest)
}

/// `sectors/<slug>/atom.xml`: the newest founders and companies of sector `i`.
pub fn sector_atom(cfg: &Config, site: &Site, latest: &Latest, i: usize, lang: LangId) -> Vec<u8> {
    deps::read(|| Dep::Config);
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
        subtitle: std::borrow::Cow::Borrowed(sector.summary.as_deref().unwrap_or("")),
        rel: format!("{page}atom.xml"),
        page,
    };
    write(cfg, feed, items, newest)
}

/// `changes/atom.xml` (`<lang>/changes/atom.xml`): the latest additions and updates,
/// `feed_limit` of them. Each entry's id is the profile's URL and the date of the change,
/// so a reader shows a later change of the same profile as a new entry. `labels` names an
/// addition and an update in `lang`.
pub fn changes_atom(
    cfg: &Config,
    site: &Site,
    latest: &Latest,
    lang: LangId,
    title: &str,
    labels: (&str, &str),
) -> Vec<u8> {
    deps::read(|| Dep::Config);
    deps::read(|| Dep::Latest);
    let items = latest
        .changes
        .iter()
        .take(cfg.feed_limit)
        .map(|c| {
            deps::entity(c.kind, c.i, lang);
            let (name, summary) = name_summary(site, c.kind, c.i, lang);
            let (term, label) = if c.added {
                ("added", labels.0)
            } else {
                ("updated", labels.1)
            };
            Item {
                date: Some(c.when),
                title: name.to_owned(),
                rel: permalink(cfg, c.kind, Some(site.slug(c.kind, c.i).as_str()), lang),
                summary,
                category: Some((term, label)),
                fragment: Some(format!("#{term}-{}", c.when.secs)),
            }
        })
        .collect();
    let page = format!("{}changes/", cfg.lang_prefix(lang));
    let feed = Feed {
        lang,
        title: format!("{title} · {}", cfg.title[lang]),
        subtitle: crate::counts::description(cfg, site, lang),
        rel: format!("{page}atom.xml"),
        page,
    };
    write(cfg, feed, items, latest.changes.first().map(|c| c.when))
}
