//! `dossier check`: the whole pipeline without writing, then every internal link and
//! `#anchor` in the rendered pages, missing translations and orphans; `--external` too.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use crate::config::Options;
use crate::content::{Kind, SourceFile};
use crate::error::{Diagnostic, Result};

/// What to check beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub external: bool,
    /// Missing translations become errors.
    pub strict: bool,
}

/// Problems found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub problems: Vec<Diagnostic>,
    pub pages: usize,
    pub links: usize,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|d| !d.warning).count()
    }
    pub fn warnings(&self) -> usize {
        self.problems.iter().filter(|d| d.warning).count()
    }
    pub fn failed(&self) -> bool {
        self.errors() > 0
    }
    pub fn summary(&self) -> String {
        format!(
            "checked {} pages and {} links: {} errors, {} warnings",
            self.pages,
            self.links,
            self.errors(),
            self.warnings()
        )
    }
}

/// Values of `attr="..."` attributes in HTML (minified or not).
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let pat = format!(" {attr}={quote}");
        let mut rest = html;
        while let Some(i) = rest.find(&pat) {
            rest = &rest[i + pat.len()..];
            if let Some(end) = rest.find(quote) {
                out.push(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    // Unquoted values (minify-html drops quotes where it can).
    let pat = format!(" {attr}=");
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        if !rest.starts_with(['"', '\'']) {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(rest.len());
            out.push(&rest[..end]);
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// Runs the check.
pub fn run(opts: &Options, copts: &CheckOptions) -> Result<CheckReport> {
    // Links into the search index are not checked; the index is not built.
    let compiled = crate::compile_with(opts, None, true)?;
    let cfg = &compiled.config;
    let site = &compiled.site;
    let mut report = CheckReport::default();
    report
        .problems
        .extend(site.content.warnings.iter().cloned());
    report
        .problems
        .extend(crate::glossary::check(cfg, &site.content, copts.strict));
    // Missing translations.
    macro_rules! translations {
        ($entries:expr) => {
            for e in $entries {
                for (lang, doc) in e.docs.iter().enumerate().skip(1) {
                    if doc.is_none() {
                        let orig = e.original();
                        let path = orig
                            .src
                            .path
                            .with_file_name(format!("{}.{}.md", e.slug, cfg.langs[lang]));
                        let mut d = Diagnostic::new(
                            &orig.src.path,
                            0,
                            0,
                            format!("missing translation: {} does not exist", path.display()),
                        )
                        .with_hint(format!(
                            "until it does, the {} site shows the {} text",
                            cfg.langs[lang], cfg.langs[0]
                        ));
                        if !copts.strict {
                            d = d.warning();
                        }
                        report.problems.push(d);
                    }
                }
            }
        };
    }
    translations!(&site.content.founders);
    translations!(&site.content.companies);
    translations!(&site.content.sectors);
    translations!(&site.content.employers);
    translations!(&site.content.pages);
    // Orphans: employers nobody left, sectors with nothing in them.
    for (i, e) in site.content.employers.iter().enumerate() {
        if site.employer_founders[i].is_empty() {
            report.problems.push(
                Diagnostic::new(
                    &e.original().src.path,
                    0,
                    0,
                    "orphaned: no founder names this employer",
                )
                .warning(),
            );
        }
    }
    for (i, e) in site.content.sectors.iter().enumerate() {
        if site.sector_founders[i].is_empty() && site.sector_companies[i].is_empty() {
            report.problems.push(
                Diagnostic::new(
                    &e.original().src.path,
                    0,
                    0,
                    "orphaned: no founder or company is in this sector",
                )
                .warning(),
            );
        }
    }
    // Internal links and anchors across every rendered page.
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    for f in compiled.files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        ids.insert(
            f.path.clone(),
            attr_values(&html, "id")
                .into_iter()
                .map(decode_entities)
                .collect(),
        );
    }
    let sources = page_sources(cfg, site);
    let exists: HashSet<&str> = compiled.files.iter().map(|f| f.path.as_str()).collect();
    let mut external: Vec<(String, String)> = Vec::new();
    for f in compiled.files.iter().filter(|f| f.path.ends_with(".html")) {
        report.pages += 1;
        let html = String::from_utf8_lossy(&f.bytes);
        for raw in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            let url = decode_entities(raw);
            report.links += 1;
            if url.starts_with("http://") || url.starts_with("https://") {
                let own = cfg.base.absolute("");
                if let Some(rest) = url.strip_prefix(&own) {
                    check_internal(
                        &format!("{}{}", cfg.base.path, rest),
                        &f.path,
                        cfg,
                        &exists,
                        &ids,
                        &sources,
                        &mut report,
                    );
                } else {
                    external.push((url, f.path.clone()));
                }
            } else if url.starts_with('/') || url.starts_with('#') {
                check_internal(&url, &f.path, cfg, &exists, &ids, &sources, &mut report);
            }
        }
    }
    if copts.external {
        external.sort();
        external.dedup_by(|a, b| a.0 == b.0);
        report.problems.extend(check_external(&external));
    }
    Ok(report)
}

/// The Markdown file each profile page of the output comes from.
fn page_sources(
    cfg: &crate::Config,
    site: &crate::resolve::Site,
) -> HashMap<String, Arc<SourceFile>> {
    let mut map = HashMap::new();
    let c = &site.content;
    let mut add = |kind: Kind, slug: &str, docs: Vec<Arc<SourceFile>>| {
        for (lang, src) in docs.into_iter().enumerate() {
            let rel = crate::resolve::permalink(cfg, kind, Some(slug), lang);
            let path = percent_encoding::percent_decode_str(&rel)
                .decode_utf8_lossy()
                .into_owned()
                + "index.html";
            map.insert(path, src);
        }
    };
    macro_rules! each {
        ($entries:expr, $kind:expr) => {
            for e in $entries {
                add(
                    $kind,
                    e.slug.as_str(),
                    (0..cfg.langs.len()).map(|l| e.doc(l).src.clone()).collect(),
                );
            }
        };
    }
    each!(&c.founders, Kind::Founder);
    each!(&c.companies, Kind::Company);
    each!(&c.sectors, Kind::Sector);
    each!(&c.employers, Kind::Employer);
    each!(&c.pages, Kind::Page);
    map
}

/// A link problem, located in the Markdown source when the link is written there.
fn problem(
    from: &str,
    needle: &str,
    msg: String,
    sources: &HashMap<String, Arc<SourceFile>>,
) -> Diagnostic {
    if let Some(src) = sources.get(from) {
        if let Some(i) = src.body().find(needle) {
            return src.diag_at(src.body_offset + i, msg);
        }
    }
    Diagnostic::new(format!("output/{from}"), 0, 0, msg)
        .with_hint("the link comes from a template of the theme")
}

fn check_internal(
    url: &str,
    from: &str,
    cfg: &crate::Config,
    exists: &HashSet<&str>,
    ids: &HashMap<String, HashSet<String>>,
    sources: &HashMap<String, Arc<SourceFile>>,
    report: &mut CheckReport,
) {
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        from.to_owned()
    } else {
        let Some(rel) = path.strip_prefix(&cfg.base.path) else {
            report.problems.push(Diagnostic::new(
                format!("output/{from}"),
                0,
                0,
                format!("link `{url}` is outside the base path {}", cfg.base.path),
            ));
            return;
        };
        let rel = percent_encoding::percent_decode_str(rel)
            .decode_utf8_lossy()
            .into_owned();
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel
        }
    };
    if !exists.contains(target.as_str()) {
        report.problems.push(problem(
            from,
            url,
            format!("broken link `{url}`: no page at {target}"),
            sources,
        ));
        return;
    }
    if let Some(a) = anchor.filter(|a| !a.is_empty()) {
        let a = percent_encoding::percent_decode_str(a).decode_utf8_lossy();
        if ids
            .get(&target)
            .is_some_and(|set| !set.contains(a.as_ref()))
        {
            report.problems.push(problem(
                from,
                &format!("#{a}"),
                format!("broken anchor `{url}`: {target} has no id `{a}`"),
                sources,
            ));
        }
    }
}

/// Fetches each external URL (HEAD, then GET), concurrently, two at a time per host.
fn check_external(urls: &[(String, String)]) -> Vec<Diagnostic> {
    let mut by_host: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (u, from) in urls {
        let host = u
            .split("://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or("")
            .to_owned();
        by_host
            .entry(host)
            .or_default()
            .push((u.clone(), from.clone()));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for list in by_host.values() {
            for chunk in [
                list.iter().step_by(2).collect::<Vec<_>>(),
                list.iter().skip(1).step_by(2).collect::<Vec<_>>(),
            ] {
                let agent = agent.clone();
                let results = &results;
                s.spawn(move || {
                    for (u, from) in chunk {
                        let status = match agent.head(u.as_str()).call() {
                            Ok(r) if r.status().as_u16() < 400 => Ok(()),
                            _ => match agent.get(u.as_str()).call() {
                                Ok(r) if r.status().as_u16() < 400 => Ok(()),
                                Ok(r) => Err(format!("HTTP {}", r.status().as_u16())),
                                Err(e) => Err(e.to_string()),
                            },
                        };
                        if let Err(why) = status {
                            if let Ok(mut r) = results.lock() {
                                r.push(Diagnostic::new(
                                    format!("output/{from}"),
                                    0,
                                    0,
                                    format!("external link `{u}` failed: {why}"),
                                ));
                            }
                        }
                    }
                });
            }
        }
    });
    let mut out = results.into_inner().unwrap_or_default();
    out.sort_by(|a, b| a.message.cmp(&b.message));
    out
}
