//! References between profiles: every slug resolved to an index, checked fields, the
//! reverse links (backlinks) and display orders.

mod checks;
pub mod links;

use std::collections::HashMap;

pub use links::permalink;

use crate::config::Config;
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
    index: HashMap<(Kind, Slug), usize>,
}

/// Resolves every reference of `content`; all unresolved ones are reported together.
pub fn site(cfg: &Config, mut content: Content) -> Result<Site> {
    // Stable output: every kind sorted by slug (pinyin), which reads well in both languages.
    content.founders.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.companies.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.sectors.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.employers.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    let mut site = Site {
        index: index(&content),
        ..Site::default()
    };
    let mut diags = Vec::new();
    site.references(&content, &mut diags);
    checks::fields(cfg, &content, &mut diags);
    if !diags.is_empty() {
        return Err(Error::Diagnostics(diags));
    }
    site.content = content;
    site.backlinks();
    site.orders();
    Ok(site)
}

fn index(c: &Content) -> HashMap<(Kind, Slug), usize> {
    fn add<T>(map: &mut HashMap<(Kind, Slug), usize>, kind: Kind, entries: &[Entry<T>]) {
        for (i, e) in entries.iter().enumerate() {
            map.insert((kind, e.slug.clone()), i);
        }
    }
    let mut map = HashMap::with_capacity(
        c.founders.len() + c.companies.len() + c.sectors.len() + c.employers.len() + c.pages.len(),
    );
    add(&mut map, Kind::Founder, &c.founders);
    add(&mut map, Kind::Company, &c.companies);
    add(&mut map, Kind::Sector, &c.sectors);
    add(&mut map, Kind::Employer, &c.employers);
    add(&mut map, Kind::Page, &c.pages);
    map
}

/// "did you mean" for an unknown slug of `kind`.
fn suggest<T>(entries: &[Entry<T>], bad: &str, kind: Kind) -> String {
    let best = entries
        .iter()
        .map(|e| (strsim::jaro_winkler(bad, e.slug.as_str()), e.slug.as_str()))
        .filter(|(s, _)| *s > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let section = kind.section();
    match best {
        Some((_, s)) => format!("did you mean `{s}`?"),
        None if entries.is_empty() => {
            format!("there are no {section} yet; create content/{section}/{bad}.<lang>.md")
        }
        None => format!(
            "create content/{section}/{bad}.<lang>.md, or use one of: {}",
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
    /// Index of a profile by kind and slug.
    pub fn lookup(&self, kind: Kind, slug: &str) -> Option<usize> {
        let slug = Slug::parse(slug).ok()?;
        self.index.get(&(kind, slug)).copied()
    }

    /// The slug of profile `i` of `kind`.
    pub fn slug(&self, kind: Kind, i: usize) -> &Slug {
        let c = &self.content;
        match kind {
            Kind::Founder => &c.founders[i].slug,
            Kind::Company => &c.companies[i].slug,
            Kind::Sector => &c.sectors[i].slug,
            Kind::Employer => &c.employers[i].slug,
            Kind::Page => &c.pages[i].slug,
        }
    }

    /// How many profiles of `kind` there are.
    pub fn count(&self, kind: Kind) -> usize {
        let c = &self.content;
        match kind {
            Kind::Founder => c.founders.len(),
            Kind::Company => c.companies.len(),
            Kind::Sector => c.sectors.len(),
            Kind::Employer => c.employers.len(),
            Kind::Page => c.pages.len(),
        }
    }

    /// Resolves one reference, or reports it at its place in the front matter.
    fn reference<T, U>(
        &self,
        from: &Entry<T>,
        field: &str,
        slug: &Slug,
        kind: Kind,
        targets: &[Entry<U>],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let found = self.index.get(&(kind, slug.clone())).copied();
        if found.is_none() {
            diags.push(
                from.original()
                    .src
                    .diag_at_value(
                        field,
                        slug.as_str(),
                        format!("unknown {} `{}`", kind.name(), slug),
                    )
                    .with_hint(suggest(targets, slug.as_str(), kind)),
            );
        }
        found
    }

    /// The forward references of founders and companies.
    fn references(&mut self, c: &Content, diags: &mut Vec<Diagnostic>) {
        for f in &c.founders {
            let fm = &f.original().fm;
            let company = fm.company.as_ref();
            let company = company
                .and_then(|s| self.reference(f, "company", s, Kind::Company, &c.companies, diags));
            let sector = fm.sector.as_ref();
            let sector = sector
                .and_then(|s| self.reference(f, "sector", s, Kind::Sector, &c.sectors, diags));
            let employer = fm.former_employer.as_ref().and_then(|s| {
                self.reference(f, "former_employer", s, Kind::Employer, &c.employers, diags)
            });
            self.founder_company.push(company);
            self.founder_sector.push(sector);
            self.founder_employer.push(employer);
            self.founder_city.push(
                fm.city
                    .clone()
                    .or_else(|| company.and_then(|ci| c.companies[ci].original().fm.city.clone())),
            );
        }
        for co in &c.companies {
            let fm = &co.original().fm;
            let sector = fm.sector.as_ref();
            let sector = sector
                .and_then(|s| self.reference(co, "sector", s, Kind::Sector, &c.sectors, diags));
            self.company_sector.push(sector);
            let founders = fm.founders.iter().flatten();
            let founders = founders
                .filter_map(|s| {
                    self.reference(co, "founders", s, Kind::Founder, &c.founders, diags)
                })
                .collect();
            self.company_founders.push(founders);
        }
    }

    /// Reverse links: a founder who names a company is one of its founders; sectors and
    /// employers list who is in them.
    fn backlinks(&mut self) {
        for (fi, co) in self.founder_company.iter().enumerate() {
            if let Some(ci) = co {
                if !self.company_founders[*ci].contains(&fi) {
                    self.company_founders[*ci].push(fi);
                }
            }
        }
        let c = &self.content;
        let group = |n: usize, of: &[Option<usize>]| {
            let mut lists = vec![Vec::new(); n];
            for (i, s) in of.iter().enumerate() {
                if let Some(s) = s {
                    lists[*s].push(i);
                }
            }
            lists
        };
        self.sector_founders = group(c.sectors.len(), &self.founder_sector);
        self.sector_companies = group(c.sectors.len(), &self.company_sector);
        self.employer_founders = group(c.employers.len(), &self.founder_employer);
    }

    /// Display orders: by `order`, then (employers) by how many left, then by slug.
    fn orders(&mut self) {
        let c = &self.content;
        let mut sectors: Vec<usize> = (0..c.sectors.len()).collect();
        sectors.sort_by_key(|&i| (c.sectors[i].original().fm.order.unwrap_or(i64::MAX), i));
        let mut employers: Vec<usize> = (0..c.employers.len()).collect();
        employers.sort_by_key(|&i| {
            (
                c.employers[i].original().fm.order.unwrap_or(i64::MAX),
                std::cmp::Reverse(self.employer_founders[i].len()),
                i,
            )
        });
        let mut pages: Vec<usize> = (0..c.pages.len()).collect();
        pages.sort_by_key(|&i| (c.pages[i].original().fm.order.unwrap_or(i64::MAX), i));
        self.sector_order = sectors;
        self.employer_order = employers;
        self.page_order = pages;
    }
}
