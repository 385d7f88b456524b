//! Checks on front matter values that templates turn into links or names: web addresses,
//! city codes and amounts.

use super::{
    power_of_ten, Company, Employer, Founder, Page, Qualifier, Sector, Source, SourceFile,
};
use crate::config::Config;
use crate::error::Diagnostic;

/// The checks of a profile's own values, made when its files are grouped (they depend on
/// nothing else but the config's cities).
pub trait Check {
    /// Reports every bad value of the original document `src` holds.
    fn check(&self, _src: &SourceFile, _cfg: &Config, _diags: &mut Vec<Diagnostic>) {}
}

impl Check for Sector {}
impl Check for Employer {}
impl Check for Page {}

impl Check for Founder {
    fn check(&self, src: &SourceFile, cfg: &Config, diags: &mut Vec<Diagnostic>) {
        for l in self.links.iter().flatten() {
            url(src, "links", &l.url, diags);
        }
        city(cfg, src, self.city.as_deref(), diags);
        sources(src, self.sources.as_deref(), diags);
    }
}

impl Check for Company {
    fn check(&self, src: &SourceFile, cfg: &Config, diags: &mut Vec<Diagnostic>) {
        if let Some(w) = &self.website {
            url(src, "website", w, diags);
        }
        city(cfg, src, self.city.as_deref(), diags);
        sources(src, self.sources.as_deref(), diags);
        magnitudes(src, self, diags);
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
