//! Checks on front matter values that templates turn into links or names: web addresses
//! and city codes.

use crate::config::Config;
use crate::content::{power_of_ten, Company, Content, Qualifier, Source, SourceFile};
use crate::error::Diagnostic;

/// Checks every URL field and city code of founders and companies.
pub fn fields(cfg: &Config, c: &Content, diags: &mut Vec<Diagnostic>) {
    for f in &c.founders {
        let d = f.original();
        for l in d.fm.links.iter().flatten() {
            url(&d.src, "links", &l.url, diags);
        }
        city(cfg, &d.src, d.fm.city.as_deref(), diags);
        sources(&d.src, d.fm.sources.as_deref(), diags);
    }
    for co in &c.companies {
        let d = co.original();
        if let Some(w) = &d.fm.website {
            url(&d.src, "website", w, diags);
        }
        city(cfg, &d.src, d.fm.city.as_deref(), diags);
        sources(&d.src, d.fm.sources.as_deref(), diags);
        magnitudes(&d.src, &d.fm, diags);
    }
}

/// `order` and `several` name a magnitude: the amount must be its power of ten.
fn magnitudes(src: &SourceFile, fm: &Company, diags: &mut Vec<Diagnostic>) {
    let rounds = fm.funding.iter().flatten();
    let amounts = rounds.map(|r| ("funding", r.amount, r.qualifier)).chain(
        fm.funding_total
            .iter()
            .map(|t| ("funding_total", Some(t.amount), t.qualifier)),
    );
    for (key, amount, q) in amounts {
        let name = match q {
            Some(Qualifier::Order) => "order",
            Some(Qualifier::Several) => "several",
            _ => continue,
        };
        if let Some(a) = amount.filter(|a| power_of_ten(*a).is_none()) {
            diags.push(
                src.diag_at_value(key, &format!("qualifier: {name}"), format!("`qualifier: {name}` needs a power of ten as its amount, not {a}"))
                    .with_hint("write the magnitude the source gives: 10000000 for 数千万 or 千万级, 100000000 for 数亿 or 亿级"),
            );
        }
    }
}

fn sources(src: &SourceFile, sources: Option<&[Source]>, diags: &mut Vec<Diagnostic>) {
    for u in sources
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.url.as_deref())
    {
        url(src, "sources", u, diags);
    }
}

/// Links from content become hrefs: only web addresses are accepted.
pub fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > 8
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'))
}

fn url(src: &SourceFile, key: &str, url: &str, diags: &mut Vec<Diagnostic>) {
    if !is_web_address(url) {
        diags.push(
            src.diag_at_value(key, url, format!("`{url}` is not a web address"))
                .with_hint("write a full URL starting with https://"),
        );
    }
}

fn city(cfg: &Config, src: &SourceFile, code: Option<&str>, diags: &mut Vec<Diagnostic>) {
    let Some(code) = code else { return };
    if !cfg.cities.contains_key(code) {
        let known: Vec<&str> = cfg.cities.keys().map(String::as_str).collect();
        diags.push(
            src.diag_at_value("city", code, format!("unknown city `{code}`"))
                .with_hint(format!(
                    "add it under `cities:` in site.yaml, or use one of: {}",
                    known.join(", ")
                )),
        );
    }
}
