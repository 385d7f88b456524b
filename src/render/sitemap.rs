//! The files for crawlers and hosts: `sitemap.xml` with hreflang alternates and each
//! profile's last change, `robots.txt` and GitHub Pages' `CNAME`.

use crate::config::Config;
use crate::content::Kind;
use crate::deps::{self, Dep};
use crate::escape::xml;
use crate::history::Stamp;
use crate::render::env::Env;
use crate::resolve::permalink;

/// One page in every language: its site-relative path per language, and when it last
/// changed (profiles with a date).
type Group = (Vec<String>, Option<Stamp>);

/// Every page's site-relative path per language, grouped so alternates can be listed.
fn groups(env: &Env) -> Vec<Group> {
    let (cfg, site) = (env.cfg, env.site);
    let each = |f: &dyn Fn(crate::config::LangId) -> String| cfg.lang_ids().map(f).collect();
    let mut groups: Vec<Group> = vec![(each(&|l| cfg.lang_prefix(l)), None)];
    for k in Kind::LISTED {
        groups.push((each(&|l| permalink(cfg, k, None, l)), None));
    }
    for rel in crate::render::plan::listed_pages(env.theme) {
        groups.push((each(&|l| format!("{}{rel}", cfg.lang_prefix(l))), None));
    }
    deps::read(|| Dep::Dates);
    for kind in Kind::ALL {
        deps::read(|| Dep::Members(kind));
        for i in 0..site.count(kind) {
            let slug = site.slug(kind, i).as_str();
            let updated = env.dated.get(kind, i).updated;
            groups.push((each(&|l| permalink(cfg, kind, Some(slug), l)), updated));
        }
    }
    groups
}

/// `sitemap.xml` (part 0) and its parts. A site whose URLs fit in one file gets one
/// `urlset`; a larger one gets a `sitemapindex` in `sitemap.xml` naming `sitemap-n.xml`,
/// each of at most `sitemap_limit` URLs (10,000 by default), with an `xhtml:link` alternate for every
/// language and `x-default`, and a `lastmod` for every profile with a date.
pub fn sitemap(env: &Env, part: u32) -> Vec<u8> {
    let cfg = env.cfg;
    deps::read(|| Dep::Config);
    let groups = groups(env);
    let urls: Vec<(&String, &Group)> = groups
        .iter()
        .flat_map(|g| g.0.iter().map(move |u| (u, g)))
        .collect();
    let parts = urls.len().div_ceil(cfg.sitemap_limit);
    if part == 0 && parts > 1 {
        return index(cfg, parts);
    }
    let range = if part == 0 {
        0..urls.len()
    } else {
        crate::render::plan::slice(urls.len(), cfg.sitemap_limit, part)
    };
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for (rel, (group, updated)) in &urls[range] {
        s.push_str("  <url>\n    <loc>");
        s.push_str(&xml(&cfg.base.absolute(rel)));
        s.push_str("</loc>\n");
        if let Some(u) = updated {
            s.push_str(&format!("    <lastmod>{}</lastmod>\n", u.rfc3339()));
        }
        for (l, alt) in cfg.lang_ids().zip(group.iter()) {
            s.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                xml(cfg.code(l)),
                xml(&cfg.base.absolute(alt))
            ));
        }
        s.push_str(&format!(
            "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
            xml(&cfg.base.absolute(&group[0]))
        ));
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

/// The sitemap index naming the parts.
fn index(cfg: &Config, parts: usize) -> Vec<u8> {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=parts {
        s.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml(&cfg.base.absolute(&format!("sitemap-{n}.xml")))
        ));
    }
    s.push_str("</sitemapindex>\n");
    s.into_bytes()
}

/// `robots.txt` pointing at the sitemap.
pub fn robots(cfg: &Config) -> Vec<u8> {
    deps::read(|| Dep::Config);
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        cfg.base.absolute("sitemap.xml")
    )
    .into_bytes()
}

/// `CNAME`: the custom domain GitHub Pages serves the site at.
pub fn cname(cfg: &Config) -> Vec<u8> {
    deps::read(|| Dep::Config);
    format!("{}\n", cfg.custom_domain.as_deref().unwrap_or_default()).into_bytes()
}
