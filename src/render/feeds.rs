//! Machine-readable files: sitemap with hreflang alternates, robots.txt, an Atom feed per language.

use crate::config::{Config, LangId};
use crate::content::{Kind, PartialDate};
use crate::markdown::escape_html as xml;
use crate::resolve::{permalink, Site};

use super::OutFile;

/// A founder's date for "latest": the newest of their sources' dates.
pub fn founder_date(site: &Site, i: usize) -> Option<PartialDate> {
    site.content.founders[i]
        .original()
        .fm
        .sources
        .iter()
        .flatten()
        .filter_map(|s| s.date)
        .max()
}

fn company_date(site: &Site, i: usize) -> Option<PartialDate> {
    site.content.companies[i]
        .original()
        .fm
        .sources
        .iter()
        .flatten()
        .filter_map(|s| s.date)
        .max()
}

/// Every page's site-relative path per language, grouped so alternates can be listed.
fn all_pages(cfg: &Config, site: &Site) -> Vec<Vec<String>> {
    let c = &site.content;
    let langs = 0..cfg.langs.len();
    let mut groups: Vec<Vec<String>> = Vec::new();
    groups.push(langs.clone().map(|l| cfg.lang_prefix(l)).collect());
    for k in [Kind::Founder, Kind::Company, Kind::Sector, Kind::Employer] {
        groups.push(langs.clone().map(|l| permalink(cfg, k, None, l)).collect());
    }
    let slugs = c
        .founders
        .iter()
        .map(|e| (Kind::Founder, &e.slug))
        .chain(c.companies.iter().map(|e| (Kind::Company, &e.slug)))
        .chain(c.sectors.iter().map(|e| (Kind::Sector, &e.slug)))
        .chain(c.employers.iter().map(|e| (Kind::Employer, &e.slug)))
        .chain(c.pages.iter().map(|e| (Kind::Page, &e.slug)));
    for (k, slug) in slugs {
        groups.push(
            langs
                .clone()
                .map(|l| permalink(cfg, k, Some(slug.as_str()), l))
                .collect(),
        );
    }
    groups
}

/// `sitemap.xml` with an `xhtml:link` alternate for every language and `x-default`.
pub fn sitemap(cfg: &Config, site: &Site) -> OutFile {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for group in all_pages(cfg, site) {
        for rel in &group {
            s.push_str("  <url>\n    <loc>");
            s.push_str(&xml(&cfg.base.absolute(rel)));
            s.push_str("</loc>\n");
            for (l, alt) in group.iter().enumerate() {
                s.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    xml(&cfg.langs[l]),
                    xml(&cfg.base.absolute(alt))
                ));
            }
            s.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                xml(&cfg.base.absolute(&group[0]))
            ));
            s.push_str("  </url>\n");
        }
    }
    s.push_str("</urlset>\n");
    OutFile {
        path: "sitemap.xml".into(),
        bytes: s.into_bytes(),
    }
}

/// `robots.txt` pointing at the sitemap.
pub fn robots(cfg: &Config) -> OutFile {
    let s = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        cfg.base.absolute("sitemap.xml")
    );
    OutFile {
        path: "robots.txt".into(),
        bytes: s.into_bytes(),
    }
}

/// `atom.xml` (default language) or `<lang>/atom.xml`: founders and companies, newest first.
pub fn atom(cfg: &Config, site: &Site, lang: LangId) -> OutFile {
    let c = &site.content;
    let code = &cfg.langs[lang];
    let mut entries: Vec<(Option<PartialDate>, String, String, String)> = Vec::new();
    for (i, e) in c.founders.iter().enumerate() {
        let d = e.doc(lang);
        entries.push((
            founder_date(site, i),
            d.fm.name.clone().unwrap_or_default(),
            permalink(cfg, Kind::Founder, Some(e.slug.as_str()), lang),
            d.fm.summary.clone().unwrap_or_default(),
        ));
    }
    for (i, e) in c.companies.iter().enumerate() {
        let d = e.doc(lang);
        entries.push((
            company_date(site, i),
            d.fm.name.clone().unwrap_or_default(),
            permalink(cfg, Kind::Company, Some(e.slug.as_str()), lang),
            d.fm.summary.clone().unwrap_or_default(),
        ));
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    let updated = entries
        .iter()
        .filter_map(|e| e.0)
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let feed_rel = format!("{}atom.xml", cfg.lang_prefix(lang));
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        xml(code),
        xml(&cfg.title[lang]),
        xml(&cfg.description[lang]),
        xml(&cfg.base.absolute(&feed_rel)),
        xml(&cfg.base.absolute(&cfg.lang_prefix(lang))),
        xml(&cfg.base.absolute(&feed_rel)),
        updated,
        xml(&cfg.title[lang])
    );
    for (date, title, rel, summary) in entries {
        let url = cfg.base.absolute(&rel);
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml(&title),
            xml(&url),
            xml(&url),
            date.map(|d| d.rfc3339()).unwrap_or_else(|| updated.clone()),
            xml(&summary)
        ));
    }
    s.push_str("</feed>\n");
    OutFile {
        path: feed_rel,
        bytes: s.into_bytes(),
    }
}
