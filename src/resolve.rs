//! References between profiles: lookups, checks, backlinks, permalinks.

use std::collections::HashMap;

use crate::config::{Config, LangId};
use crate::content::{Content, Entry, Kind, Slug};
use crate::error::{Diagnostic, Error, Result};

/// The content with every reference resolved to an index, and the reverse links.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub content: Content,
    pub founder_company: Vec<Option<usize>>,
    pub founder_sector: Vec<Option<usize>>,
    pub founder_employer: Vec<Option<usize>>,
    /// The founder's own city, else their company's.
    pub founder_city: Vec<Option<String>>,
    pub company_sector: Vec<Option<usize>>,
    pub company_founders: Vec<Vec<usize>>,
    pub sector_founders: Vec<Vec<usize>>,
    pub sector_companies: Vec<Vec<usize>>,
    pub employer_founders: Vec<Vec<usize>>,
    /// Sectors in display order.
    pub sector_order: Vec<usize>,
    /// Employers in display order.
    pub employer_order: Vec<usize>,
    /// Pages in navigation order.
    pub page_order: Vec<usize>,
    index: HashMap<(Kind, String), usize>,
}

fn index_of<T>(entries: &[Entry<T>], kind: Kind, map: &mut HashMap<(Kind, String), usize>) {
    for (i, e) in entries.iter().enumerate() {
        map.insert((kind, e.slug.0.clone()), i);
    }
}

fn suggest<T>(entries: &[Entry<T>], bad: &str, kind: Kind) -> String {
    let best = entries
        .iter()
        .map(|e| (strsim::jaro_winkler(bad, e.slug.as_str()), e.slug.as_str()))
        .filter(|(s, _)| *s > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, s)) => format!("did you mean `{s}`?"),
        None if entries.is_empty() => format!(
            "there are no {} yet; create content/{}/{bad}.<lang>.md",
            kind.section(),
            kind.section()
        ),
        None => format!(
            "create content/{}/{bad}.<lang>.md, or use one of: {}",
            kind.section(),
            entries
                .iter()
                .take(8)
                .map(|e| e.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl Site {
    /// Resolves every reference; all unresolved ones are reported together.
    pub fn resolve(cfg: &Config, mut content: Content) -> Result<Site> {
        // Sort for stable output: founders and companies by slug (pinyin), which reads well in both languages.
        content.founders.sort_by(|a, b| a.slug.cmp(&b.slug));
        content.companies.sort_by(|a, b| a.slug.cmp(&b.slug));
        content.sectors.sort_by(|a, b| a.slug.cmp(&b.slug));
        content.employers.sort_by(|a, b| a.slug.cmp(&b.slug));
        content.pages.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut index = HashMap::new();
        index_of(&content.founders, Kind::Founder, &mut index);
        index_of(&content.companies, Kind::Company, &mut index);
        index_of(&content.sectors, Kind::Sector, &mut index);
        index_of(&content.employers, Kind::Employer, &mut index);
        index_of(&content.pages, Kind::Page, &mut index);
        let mut diags = Vec::new();
        let c = &content;
        let look = |kind: Kind, slug: &Slug| index.get(&(kind, slug.0.clone())).copied();

        macro_rules! reference {
            ($doc:expr, $field:literal, $slug:expr, $kind:expr, $entries:expr) => {{
                let slug: &Slug = $slug;
                match look($kind, slug) {
                    Some(i) => Some(i),
                    None => {
                        diags.push(
                            $doc.src
                                .diag_at_value(
                                    $field,
                                    slug.as_str(),
                                    format!("unknown {} `{}`", $kind.name(), slug),
                                )
                                .with_hint(suggest($entries, slug.as_str(), $kind)),
                        );
                        None
                    }
                }
            }};
        }
        let check_city = |doc_src: &crate::content::SourceFile,
                          city: &Option<String>,
                          diags: &mut Vec<Diagnostic>| {
            if let Some(code) = city {
                if !cfg.cities.contains_key(code) {
                    let known: Vec<&str> = cfg.cities.keys().map(String::as_str).collect();
                    diags.push(
                        doc_src
                            .diag_at_value("city", code, format!("unknown city `{code}`"))
                            .with_hint(format!(
                                "add it under `cities:` in site.yaml, or use one of: {}",
                                known.join(", ")
                            )),
                    );
                }
            }
        };
        // Links from content become hrefs: only web addresses are accepted.
        let check_url = |src: &crate::content::SourceFile,
                         key: &str,
                         url: &str,
                         diags: &mut Vec<Diagnostic>| {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() > 8
                && !url.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`')
                });
            if !ok {
                diags.push(
                    src.diag_at_value(key, url, format!("`{url}` is not a web address"))
                        .with_hint("write a full URL starting with https://"),
                );
            }
        };

        let mut founder_company = Vec::new();
        let mut founder_sector = Vec::new();
        let mut founder_employer = Vec::new();
        for f in &c.founders {
            let d = f.original();
            founder_company.push(
                d.fm.company
                    .as_ref()
                    .and_then(|s| reference!(d, "company", s, Kind::Company, &c.companies)),
            );
            founder_sector.push(
                d.fm.sector
                    .as_ref()
                    .and_then(|s| reference!(d, "sector", s, Kind::Sector, &c.sectors)),
            );
            for l in d.fm.links.iter().flatten() {
                check_url(&d.src, "links", &l.url, &mut diags);
            }
            founder_employer.push(
                d.fm.former_employer.as_ref().and_then(|s| {
                    reference!(d, "former_employer", s, Kind::Employer, &c.employers)
                }),
            );
            check_city(&d.src, &d.fm.city, &mut diags);
            for s in d.fm.sources.iter().flatten() {
                if let Some(u) = &s.url {
                    check_url(&d.src, "sources", u, &mut diags);
                }
            }
        }
        let mut company_sector = Vec::new();
        let mut company_founders: Vec<Vec<usize>> = Vec::new();
        for co in &c.companies {
            let d = co.original();
            if let Some(w) = &d.fm.website {
                check_url(&d.src, "website", w, &mut diags);
            }
            company_sector.push(
                d.fm.sector
                    .as_ref()
                    .and_then(|s| reference!(d, "sector", s, Kind::Sector, &c.sectors)),
            );
            let fs =
                d.fm.founders
                    .iter()
                    .flatten()
                    .filter_map(|s| reference!(d, "founders", s, Kind::Founder, &c.founders))
                    .collect();
            company_founders.push(fs);
            check_city(&d.src, &d.fm.city, &mut diags);
            for s in d.fm.sources.iter().flatten() {
                if let Some(u) = &s.url {
                    check_url(&d.src, "sources", u, &mut diags);
                }
            }
            // `order` and `several` name a magnitude: the amount must be its power of ten.
            let rounds = d.fm.funding.iter().flatten();
            let amounts = rounds.map(|r| ("funding", r.amount, r.qualifier)).chain(
                d.fm.funding_total
                    .iter()
                    .map(|t| ("funding_total", Some(t.amount), t.qualifier)),
            );
            for (key, amount, q) in amounts {
                use crate::content::{power_of_ten, Qualifier};
                let name = match q {
                    Some(Qualifier::Order) => "order",
                    Some(Qualifier::Several) => "several",
                    _ => continue,
                };
                if let Some(a) = amount.filter(|a| power_of_ten(*a).is_none()) {
                    diags.push(
                        d.src
                            .diag_at_value(key, &format!("qualifier: {name}"), format!("`qualifier: {name}` needs a power of ten as its amount, not {a}"))
                            .with_hint("write the magnitude the source gives: 10000000 for 数千万 or 千万级, 100000000 for 数亿 or 亿级"),
                    );
                }
            }
        }
        // Backlinks both ways: a founder who names a company is one of its founders.
        for (fi, co) in founder_company.iter().enumerate() {
            if let Some(ci) = co {
                if !company_founders[*ci].contains(&fi) {
                    company_founders[*ci].push(fi);
                }
            }
        }
        if !diags.is_empty() {
            return Err(Error::Diagnostics(diags));
        }
        let founder_city = c
            .founders
            .iter()
            .zip(&founder_company)
            .map(|(f, co)| {
                f.original()
                    .fm
                    .city
                    .clone()
                    .or_else(|| co.and_then(|ci| c.companies[ci].original().fm.city.clone()))
            })
            .collect();
        let mut sector_founders = vec![Vec::new(); c.sectors.len()];
        for (fi, s) in founder_sector.iter().enumerate() {
            if let Some(s) = s {
                sector_founders[*s].push(fi);
            }
        }
        let mut sector_companies = vec![Vec::new(); c.sectors.len()];
        for (ci, s) in company_sector.iter().enumerate() {
            if let Some(s) = s {
                sector_companies[*s].push(ci);
            }
        }
        let mut employer_founders = vec![Vec::new(); c.employers.len()];
        for (fi, e) in founder_employer.iter().enumerate() {
            if let Some(e) = e {
                employer_founders[*e].push(fi);
            }
        }
        let mut sector_order: Vec<usize> = (0..c.sectors.len()).collect();
        sector_order.sort_by_key(|&i| (c.sectors[i].original().fm.order.unwrap_or(i64::MAX), i));
        let mut employer_order: Vec<usize> = (0..c.employers.len()).collect();
        employer_order.sort_by_key(|&i| {
            (
                c.employers[i].original().fm.order.unwrap_or(i64::MAX),
                std::cmp::Reverse(employer_founders[i].len()),
                i,
            )
        });
        let mut page_order: Vec<usize> = (0..c.pages.len()).collect();
        page_order.sort_by_key(|&i| (c.pages[i].original().fm.order.unwrap_or(i64::MAX), i));
        Ok(Site {
            founder_company,
            founder_sector,
            founder_employer,
            founder_city,
            company_sector,
            company_founders,
            sector_founders,
            sector_companies,
            employer_founders,
            sector_order,
            employer_order,
            page_order,
            index,
            content,
        })
    }

    /// Index of a profile by kind and slug.
    pub fn lookup(&self, kind: Kind, slug: &str) -> Option<usize> {
        self.index.get(&(kind, slug.to_owned())).copied()
    }

    /// Resolves an internal link target `founders/slug` (after `@/`) to a site path for `lang`.
    pub fn internal_link(&self, cfg: &Config, target: &str, lang: LangId) -> Option<String> {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target, None),
        };
        let path = path.trim_end_matches('/');
        let rel = if path.is_empty() {
            cfg.lang_prefix(lang)
        } else {
            let (section, slug) = match path.split_once('/') {
                Some((s, slug)) => (s, Some(slug)),
                None => (path, None),
            };
            let kind = Kind::from_section(section)?;
            match slug {
                Some(slug) => {
                    self.lookup(kind, slug)?;
                    permalink(cfg, kind, Some(slug), lang)
                }
                None if kind != Kind::Page => permalink(cfg, kind, None, lang),
                None => return None,
            }
        };
        Some(match anchor {
            Some(a) => format!("{}#{}", cfg.base.link(&rel), a),
            None => cfg.base.link(&rel),
        })
    }
}

/// Site-relative path of a page (no leading slash, trailing slash): `en/founders/jia-yangqing/`.
/// Free pages sit at the root: `about/`.
pub fn permalink(cfg: &Config, kind: Kind, slug: Option<&str>, lang: LangId) -> String {
    let prefix = cfg.lang_prefix(lang);
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string();
    match (kind, slug) {
        (Kind::Page, Some(s)) => format!("{prefix}{}/", enc(s)),
        (Kind::Page, None) => prefix,
        (k, Some(s)) => format!("{prefix}{}/{}/", k.section(), enc(s)),
        (k, None) => format!("{prefix}{}/", k.section()),
    }
}

/// Characters escaped in a URL path segment.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\'')
    .add(b'&');
