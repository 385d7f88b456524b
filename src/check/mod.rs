//! `dossier check`: the stages up to `render`, then every internal link and `#anchor` of
//! the rendered pages, missing translations and orphans; `--external` too. It minifies
//! nothing and writes nothing.

mod external;
pub mod glossary;
mod marks;
pub mod scan;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, LangId, Mode, Options};
use crate::content::{Entry, Kind, SourceFile};
use crate::error::{Diagnostic, Result};
use crate::render;
use crate::resolve::graph::Rel;
use crate::resolve::{permalink, Site};

/// What to check beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub external: bool,
    /// Warnings (missing translations) become errors.
    pub strict: bool,
}

/// Problems found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub problems: Vec<Diagnostic>,
    pub pages: usize,
    pub links: usize,
    /// The drafts left out of the site (their originals' paths).
    pub drafts: Vec<std::path::PathBuf>,
    /// Problems in those drafts: shown, never failing the check, since a draft is not
    /// published; each must be fixed before its `draft: true` goes.
    pub draft_problems: Vec<Diagnostic>,
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
        let mut s = format!(
            "checked {} pages and {} links: {} errors, {} warnings",
            self.pages,
            self.links,
            self.errors(),
            self.warnings()
        );
        match (self.drafts.len(), self.draft_problems.len()) {
            (0, _) => {}
            (n, 0) => s += &format!("; {n} {} not published", plural(n, "draft", "drafts")),
            (n, p) => {
                s += &format!(
                    "; {n} {} not published, with {p} {} to fix before publishing",
                    plural(n, "draft", "drafts"),
                    plural(p, "problem", "problems")
                )
            }
        }
        s
    }
}

/// Runs the check.
pub fn run(opts: &Options, copts: &CheckOptions) -> Result<CheckReport> {
    let cfg = Config::load(&Options {
        mode: Mode::Check,
        ..opts.clone()
    })?;
    let crate::pipeline::Loaded {
        theme,
        content,
        history,
    } = crate::pipeline::load(&cfg, &mut |_| {})?;
    let cache = crate::cache::Cache::at(&cfg.root);
    let inputs = crate::pipeline::Inputs {
        cfg: &cfg,
        theme: &theme,
        history: &history,
        cache: &cache,
        cards: None,
        previous: None,
    };
    let (front, pages) = crate::pipeline::front(inputs, content, &mut |_| {}, |_, env| {
        render::outputs(env, &env.plan, false)
    })?;
    let crate::pipeline::Front { site, images, .. } = front;
    let mut report = CheckReport::default();
    report
        .problems
        .extend(site.content.warnings.iter().cloned());
    report.problems.extend(history.warning.clone());
    report
        .problems
        .extend(glossary::check(&cfg, &site.content, copts.strict));
    report.problems.extend(marks::check(&site.content));
    report
        .problems
        .extend(translations(&cfg, &site, copts.strict));
    report.problems.extend(orphans(&site));
    report.drafts = site.content.drafts.iter().map(|d| d.path.clone()).collect();
    report.draft_problems = drafts(&cfg, &site.content.drafts);
    let mut statics = crate::finish::static_files(&theme.static_dir)?;
    statics.extend(images.files());
    let files: Vec<(&str, &[u8])> = pages
        .iter()
        .map(|p| (p.file.path.as_str(), p.file.in_memory()))
        .chain(statics.iter().map(|f| (f.path.as_str(), f.in_memory())))
        .collect();
    let external = links(&cfg, &site, &files, &mut report);
    if copts.external {
        report.problems.extend(external::check(&external));
    }
    Ok(report)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// The drafts of a site checked as if published: the problems found in their files (a
/// draft's original or translations), as warnings. Nothing when there are no drafts or
/// the run already includes them.
fn drafts(cfg: &Config, drafts: &[crate::content::Draft]) -> Vec<Diagnostic> {
    if drafts.is_empty() || cfg.drafts {
        return Vec::new();
    }
    let cfg = Config {
        drafts: true,
        ..cfg.clone()
    };
    let mut found = Vec::new();
    match crate::content::load(&cfg) {
        Err(e) => found.extend(e.diagnostics().iter().cloned()),
        Ok(content) => {
            // What publishing would report besides: the archetype's placeholders.
            for src in content.draft_sources() {
                crate::content::group::placeholders(src, &mut found);
            }
            match crate::resolve::site(content) {
                // A draft's broken references are warnings while it is a draft.
                Ok(site) => found.extend(site.content.warnings),
                Err(e) => found.extend(e.diagnostics().iter().cloned()),
            }
        }
    }
    let of_a_draft = |d: &Diagnostic| {
        drafts.iter().any(|dr| {
            d.path.parent() == dr.path.parent()
                && d.path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_suffix(".md"))
                    .is_some_and(|stem| {
                        let slug = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
                        slug == dr.slug.as_str()
                    })
        })
    };
    found
        .into_iter()
        .filter(of_a_draft)
        .map(|mut d| {
            d.message = format!("in a draft: {}", d.message);
            d.warning()
        })
        .collect()
}

/// Every profile without a file in some language.
fn translations(cfg: &Config, site: &Site, strict: bool) -> Vec<Diagnostic> {
    fn missing<T>(
        cfg: &Config,
        entries: &[Arc<Entry<T>>],
        strict: bool,
        out: &mut Vec<Diagnostic>,
    ) {
        for e in entries {
            for lang in cfg.lang_ids().filter(|&l| !e.translated(l)) {
                let orig = e.original();
                let path =
                    orig.src
                        .path
                        .with_file_name(format!("{}.{}.md", e.slug, cfg.code(lang)));
                let mut d = Diagnostic::file(
                    &orig.src.path,
                    format!("missing translation: {} does not exist", path.display()),
                )
                .with_hint(format!(
                    "until it does, the {} site shows the {} text",
                    cfg.code(lang),
                    cfg.code(LangId::DEFAULT)
                ));
                if !strict {
                    d = d.warning();
                }
                out.push(d);
            }
        }
    }
    let c = &site.content;
    let mut out = Vec::new();
    missing(cfg, &c.founders, strict, &mut out);
    missing(cfg, &c.companies, strict, &mut out);
    missing(cfg, &c.sectors, strict, &mut out);
    missing(cfg, &c.employers, strict, &mut out);
    missing(cfg, &c.pages, strict, &mut out);
    out
}

/// Employers nobody left, sectors with nothing in them.
fn orphans(site: &Site) -> Vec<Diagnostic> {
    let c = &site.content;
    let employers = c
        .employers
        .iter()
        .enumerate()
        .filter(|(i, _)| site.targets(Rel::EmployerFounders, *i).is_empty())
        .map(|(_, e)| (e.original(), "orphaned: no founder names this employer"));
    let employers: Vec<_> = employers
        .map(|(d, m)| Diagnostic::file(&d.src.path, m).warning())
        .collect();
    let sectors = c.sectors.iter().enumerate().filter(|(i, _)| {
        site.targets(Rel::SectorFounders, *i).is_empty()
            && site.targets(Rel::SectorCompanies, *i).is_empty()
    });
    let sectors = sectors.map(|(_, e)| {
        Diagnostic::file(
            &e.original().src.path,
            "orphaned: no founder or company is in this sector",
        )
        .warning()
    });
    employers.into_iter().chain(sectors).collect()
}

/// The Markdown file each profile page of the output comes from.
fn page_sources(cfg: &Config, site: &Site) -> HashMap<String, Arc<SourceFile>> {
    let mut map = HashMap::new();
    let c = &site.content;
    let mut add = |kind: Kind, slug: &str, src: &dyn Fn(LangId) -> Arc<SourceFile>| {
        for lang in cfg.lang_ids() {
            let rel = permalink(cfg, kind, Some(slug), lang);
            let path = crate::escape::url_decode(&rel).into_owned() + "index.html";
            map.insert(path, src(lang));
        }
    };
    for e in &c.founders {
        add(Kind::Founder, e.slug.as_str(), &|l| e.doc(l).src.clone());
    }
    for e in &c.companies {
        add(Kind::Company, e.slug.as_str(), &|l| e.doc(l).src.clone());
    }
    for e in &c.sectors {
        add(Kind::Sector, e.slug.as_str(), &|l| e.doc(l).src.clone());
    }
    for e in &c.employers {
        add(Kind::Employer, e.slug.as_str(), &|l| e.doc(l).src.clone());
    }
    for e in &c.pages {
        add(Kind::Page, e.slug.as_str(), &|l| e.doc(l).src.clone());
    }
    map
}

/// Where link problems of one page are reported: at the Markdown source when the link
/// is written there, else on the output file.
struct Locator<'a> {
    sources: &'a HashMap<String, Arc<SourceFile>>,
}

impl Locator<'_> {
    fn problem(&self, from: &str, needle: &str, msg: String) -> Diagnostic {
        if let Some(src) = self.sources.get(from) {
            if let Some(i) = src.body().find(needle) {
                return src.diag_at(src.split.body_start + i, msg);
            }
        }
        Diagnostic::file(format!("output/{from}"), msg)
            .with_hint("the link comes from a template of the theme")
    }
}

/// Checks every internal link and anchor; returns the external links.
fn links(
    cfg: &Config,
    site: &Site,
    files: &[(&str, &[u8])],
    report: &mut CheckReport,
) -> Vec<(String, String)> {
    let html: Vec<(&str, scan::Scanned)> = files
        .par_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (*p, scan::scan(bytes)))
        .collect();
    let ids: HashMap<&str, HashSet<&str>> = html
        .iter()
        .map(|(p, s)| (*p, s.ids.iter().map(String::as_str).collect()))
        .collect();
    let exists: HashSet<&str> = files.iter().map(|(p, _)| *p).collect();
    let sources = page_sources(cfg, site);
    let at = Locator { sources: &sources };
    let own = cfg.base.absolute("");
    let mut external = Vec::new();
    for (from, scanned) in &html {
        report.pages += 1;
        for url in scanned.links.iter().chain(&scanned.refresh) {
            report.links += 1;
            if let Some(rest) = url.strip_prefix(&own) {
                let local = format!("{}{rest}", cfg.base.path);
                internal(&local, from, cfg, &exists, &ids, &at, report);
            } else if url.starts_with("http://") || url.starts_with("https://") {
                if !cfg.repository.as_ref().is_some_and(|r| r.made(url)) {
                    external.push((url.clone(), from.to_string()));
                }
            } else if url.starts_with('/') || url.starts_with('#') {
                internal(url, from, cfg, &exists, &ids, &at, report);
            }
        }
    }
    report.problems.extend(aliases(cfg, site, &html, &exists));
    external.sort();
    external.dedup_by(|a, b| a.0 == b.0);
    external
}

/// The page a root-relative URL under the base path names (`/repo/a/` -> `a/index.html`).
fn target_file(cfg: &Config, url: &str) -> Option<String> {
    let path = url.split(['#', '?']).next()?;
    let rel = crate::escape::url_decode(path.strip_prefix(&cfg.base.path)?).into_owned();
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel
    })
}

/// Every alias, in every language: its redirect exists and sends the browser to its
/// profile's page, which exists. A problem is reported at the alias.
fn aliases(
    cfg: &Config,
    site: &Site,
    html: &[(&str, scan::Scanned)],
    exists: &HashSet<&str>,
) -> Vec<Diagnostic> {
    let refresh: HashMap<&str, &[String]> = html
        .iter()
        .map(|(p, s)| (*p, s.refresh.as_slice()))
        .collect();
    let src = |kind: Kind, i: usize| -> Arc<SourceFile> {
        site.content.entry(kind, i).src_in(LangId::DEFAULT).clone()
    };
    let mut out = Vec::new();
    for a in &site.aliases {
        let slug = site.slug(a.kind, a.target).as_str();
        for lang in cfg.lang_ids() {
            let page = target_file(
                cfg,
                &cfg.base.link(&permalink(cfg, a.kind, Some(slug), lang)),
            );
            let at = target_file(
                cfg,
                &cfg.base
                    .link(&permalink(cfg, a.kind, Some(a.slug.as_str()), lang)),
            );
            let (Some(page), Some(at)) = (page, at) else {
                continue;
            };
            let goes = refresh.get(at.as_str()).and_then(|r| r.first());
            let problem = match goes {
                None => Some(format!("alias `{}` has no redirect at {at}", a.slug)),
                Some(url) if target_file(cfg, url).as_deref() != Some(page.as_str()) => Some(
                    format!("alias `{}` redirects to `{url}`, not to {page}", a.slug),
                ),
                Some(_) if !exists.contains(page.as_str()) => Some(format!(
                    "alias `{}` redirects to {page}, which does not exist",
                    a.slug
                )),
                Some(_) => None,
            };
            if let Some(msg) = problem {
                out.push(src(a.kind, a.target).diag_at_item("aliases", a.slug.as_str(), 0, msg));
            }
        }
    }
    out
}

fn internal(
    url: &str,
    from: &str,
    cfg: &Config,
    exists: &HashSet<&str>,
    ids: &HashMap<&str, HashSet<&str>>,
    at: &Locator,
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
            report.problems.push(Diagnostic::file(
                format!("output/{from}"),
                format!("link `{url}` is outside the base path {}", cfg.base.path),
            ));
            return;
        };
        let rel = crate::escape::url_decode(rel).into_owned();
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel
        }
    };
    if !exists.contains(target.as_str()) {
        let msg = format!("broken link `{url}`: no page at {target}");
        report.problems.push(at.problem(from, url, msg));
        return;
    }
    if let Some(a) = anchor.filter(|a| !a.is_empty()) {
        let a = crate::escape::url_decode(a);
        if ids
            .get(target.as_str())
            .is_some_and(|set| !set.contains(a.as_ref()))
        {
            let msg = format!("broken anchor `{url}`: {target} has no id `{a}`");
            report
                .problems
                .push(at.problem(from, &format!("#{a}"), msg));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of one founder, `x`, with the alias `y`.
    fn site(dir: &std::path::Path) -> (Config, Site) {
        let write = |rel: &str, text: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "site.yaml",
            "title: {zh: t}\nbase_url: https://x.org/r/\nlanguages: [zh]\ndefault_language: zh\n",
        );
        write("content/employers/e.zh.md", "---\nname: E\n---\n");
        write(
            "content/founders/x.zh.md",
            "---\nname: X\nformer_title: t\nformer_employer: e\nsources: [{title: s}]\naliases: [w, y]\n---\n",
        );
        let cfg = Config::load(&Options {
            root: dir.to_path_buf(),
            ..Options::default()
        })
        .unwrap();
        let site = crate::resolve::site(crate::content::load(&cfg).unwrap()).unwrap();
        (cfg, site)
    }

    #[test]
    fn an_alias_whose_redirect_goes_astray_is_reported_at_the_alias() {
        let dir = tempfile::tempdir().unwrap();
        let (cfg, site) = site(dir.path());
        let page = |refresh: &str| {
            scan::scan(format!("<meta http-equiv=refresh content=\"0; url={refresh}\">").as_bytes())
        };
        let exists: HashSet<&str> = [
            "founders/x/index.html",
            "founders/w/index.html",
            "founders/y/index.html",
        ]
        .into();
        let good = [
            ("founders/w/index.html", page("/r/founders/x/")),
            ("founders/y/index.html", page("/r/founders/x/")),
        ];
        assert_eq!(aliases(&cfg, &site, &good, &exists), []);
        let bad = [("founders/y/index.html", page("/r/founders/z/"))];
        let problems: Vec<String> = aliases(&cfg, &site, &bad, &exists)
            .iter()
            .map(|d| format!("{}:{}:{}: {}", d.path.display(), d.line, d.col, d.message))
            .collect();
        assert_eq!(
            problems,
            [
                "content/founders/x.zh.md:6:11: alias `w` has no redirect at founders/w/index.html",
                "content/founders/x.zh.md:6:14: alias `y` redirects to `/r/founders/z/`, not to founders/x/index.html",
            ]
        );
    }
}
