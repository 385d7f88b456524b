//! The records of each table, read through the page's [`Reader`] like any view (so the
//! dev server knows which profiles the data read).

use std::collections::BTreeSet;

use super::records::*;
use crate::config::LangId;
use crate::content::{Amount, Company, Currency, Employer, Founder, Kind, Sector};
use crate::error::Diagnostic;
use crate::render::access::{DatesView, Reader, Ref};
use crate::render::money::money;
use crate::render::tables::Table;
use crate::resolve::graph::Rel;

/// A link as the data gives it: with an absolute address.
fn ref_record(r: &Reader, x: Ref) -> RefRecord {
    RefRecord {
        slug: x.slug.to_owned(),
        name: x.name.to_owned(),
        url: absolute(r, &x.url),
    }
}

/// An absolute address from a root-relative link.
fn absolute(r: &Reader, link: &str) -> String {
    format!("{}{link}", r.cfg().base.origin)
}

fn sources(r: &Reader, s: &Option<Vec<crate::content::Source>>) -> Vec<SourceRecord> {
    s.iter()
        .flatten()
        .map(|s| SourceRecord {
            title: r.local(&s.title).to_owned(),
            publisher: s.publisher.as_ref().map(|p| r.local(p).to_owned()),
            author: s.author.as_ref().map(|p| r.local(p).to_owned()),
            date: s.date.map(|d| d.to_string()),
            url: s.url.clone(),
        })
        .collect()
}

fn dates(d: DatesView) -> (Option<String>, Option<String>) {
    (d.added.map(|x| x.iso), d.updated.map(|x| x.iso))
}

fn founder(r: &Reader, i: usize) -> FounderRecord {
    let row = r.founder_row(i);
    let e = r.profile::<Founder>(i);
    let fm = e.fm();
    let part = |x: &Option<Ref>| {
        x.as_ref()
            .map(|x| (x.slug.to_owned(), x.name.to_owned(), absolute(r, &x.url)))
    };
    let (employer, company, sector) = (part(&row.employer), part(&row.company), part(&row.sector));
    let (first_added, last_updated) = dates(r.dates(Kind::Founder, i));
    FounderRecord {
        slug: row.slug.to_owned(),
        url: absolute(r, &row.url),
        name: row.name.to_owned(),
        name_alt: row.name_alt,
        aka: fm.aka.clone().unwrap_or_default(),
        former_title: row.former_title.to_owned(),
        former_employer: employer.as_ref().map(|x| x.0.clone()),
        former_employer_name: employer.as_ref().map(|x| x.1.clone()),
        former_employer_url: employer.map(|x| x.2),
        company: company.as_ref().map(|x| x.0.clone()),
        company_name: company.as_ref().map(|x| x.1.clone()),
        company_url: company.map(|x| x.2),
        sector: sector.as_ref().map(|x| x.0.clone()),
        sector_name: sector.as_ref().map(|x| x.1.clone()),
        sector_url: sector.map(|x| x.2),
        city: row.city_code.map(str::to_owned),
        city_name: row.city.map(str::to_owned),
        left: e.original().left.map(|d| d.to_string()),
        summary: row.summary.map(str::to_owned),
        links: fm
            .links
            .iter()
            .flatten()
            .map(|l| LinkRecord {
                title: r.local(&l.title).to_owned(),
                url: l.url.clone(),
            })
            .collect(),
        sources: sources(r, &fm.sources),
        inferred: row.inferred,
        added: row.added,
        first_added,
        last_updated,
        translated: e.translated(),
    }
}

fn company(r: &Reader, i: usize) -> Result<CompanyRecord, Diagnostic> {
    let row = r.company_row(i);
    let e = r.profile::<Company>(i);
    let fm = e.fm();
    let funding = rounds(r, fm)?;
    let total = fm.funding_total.as_ref();
    let (first_added, last_updated) = dates(r.dates(Kind::Company, i));
    let sector = row.sector.clone();
    Ok(CompanyRecord {
        slug: row.slug.to_owned(),
        url: absolute(r, &row.url),
        name: row.name.to_owned(),
        name_alt: row.name_alt,
        legal_name: fm.legal_name.clone(),
        location: fm.location.clone(),
        summary: row.summary.map(str::to_owned),
        sector: sector.as_ref().map(|s| s.slug.to_owned()),
        sector_name: sector.as_ref().map(|s| s.name.to_owned()),
        sector_url: sector.map(|s| absolute(r, &s.url)),
        founders: row.founders.into_iter().map(|f| ref_record(r, f)).collect(),
        founded: fm.founded.map(|d| d.to_string()),
        city: fm.city.clone(),
        city_name: row.city.map(str::to_owned),
        website: fm.website.clone(),
        products: fm
            .products
            .iter()
            .flatten()
            .map(|p| ProductRecord {
                name: r.local(&p.name).to_owned(),
                date: p.date.map(|d| d.to_string()),
                note: p.note.as_ref().map(|n| r.local(n).to_owned()),
            })
            .collect(),
        funding,
        funding_total: total.map(|t| t.amount),
        funding_total_currency: total.map(|t| t.currency),
        funding_total_qualifier: total.and_then(|t| t.qualifier),
        funding_total_text: total.map(|t| money(t, r.code())),
        team: fm
            .team
            .iter()
            .flatten()
            .map(|m| MemberRecord {
                name: r.local(&m.name).to_owned(),
                role: m.role.as_ref().map(|x| r.local(x).to_owned()),
            })
            .collect(),
        sources: sources(r, &fm.sources),
        inferred: row.inferred,
        added: row.added,
        first_added,
        last_updated,
        translated: e.translated(),
    })
}

/// A company's funding rounds.
fn rounds(r: &Reader, fm: &Company) -> Result<Vec<RoundRecord>, Diagnostic> {
    let mut funding = Vec::new();
    for round in fm.funding.iter().flatten() {
        funding.push(RoundRecord {
            date: round.date.map(|d| d.to_string()),
            stage: round.stage,
            stage_name: r.t(round.stage.key())?.to_owned(),
            amount: round.amount,
            currency: round.currency,
            qualifier: round.qualifier,
            amount_text: round.amount.map(|a| {
                let amount = Amount {
                    amount: a,
                    currency: round.currency.unwrap_or(Currency::CNY),
                    qualifier: round.qualifier,
                };
                money(&amount, r.code())
            }),
            investors: round
                .investors
                .iter()
                .map(|x| r.local(x).to_owned())
                .collect(),
            lead: round.lead.iter().map(|x| r.local(x).to_owned()).collect(),
            note: round.note.as_ref().map(|n| r.local(n).to_owned()),
        });
    }
    Ok(funding)
}

fn sector(r: &Reader, i: usize) -> SectorRecord {
    let e = r.profile::<Sector>(i);
    let fm = e.fm();
    let name = fm.name.as_deref().unwrap_or("");
    let (first_added, last_updated) = dates(r.dates(Kind::Sector, i));
    SectorRecord {
        slug: e.slug().to_owned(),
        url: absolute(r, &r.url(Kind::Sector, Some(e.slug()))),
        name: name.to_owned(),
        name_alt: r.alt_names(&e, name),
        summary: fm.summary.clone(),
        order: fm.order,
        founders: r
            .targets(Rel::SectorFounders, i)
            .iter()
            .map(|&f| ref_record(r, r.founder_ref(f)))
            .collect(),
        companies: r
            .targets(Rel::SectorCompanies, i)
            .iter()
            .map(|&c| ref_record(r, r.company_ref(c)))
            .collect(),
        also_mentioned: fm
            .also_mentioned
            .iter()
            .flatten()
            .map(|m| MentionRecord {
                name: r.local(&m.name).to_owned(),
                note: m.note.as_ref().map(|n| r.local(n).to_owned()),
            })
            .collect(),
        first_added,
        last_updated,
        translated: e.translated(),
    }
}

fn employer(r: &Reader, i: usize) -> EmployerRecord {
    let e = r.profile::<Employer>(i);
    let fm = e.fm();
    let name = fm.name.as_deref().unwrap_or("");
    let (first_added, last_updated) = dates(r.dates(Kind::Employer, i));
    EmployerRecord {
        slug: e.slug().to_owned(),
        url: absolute(r, &r.url(Kind::Employer, Some(e.slug()))),
        name: name.to_owned(),
        name_alt: r.alt_names(&e, name),
        summary: fm.summary.clone(),
        order: fm.order,
        founders: r
            .targets(Rel::EmployerFounders, i)
            .iter()
            .map(|&f| ref_record(r, r.founder_ref(f)))
            .collect(),
        first_added,
        last_updated,
        translated: e.translated(),
    }
}

/// The records of a table, serialized: `Ok(json)` of the whole list.
pub fn records(r: &Reader, table: Table) -> Result<serde_json::Value, Diagnostic> {
    let kind = table.kind();
    let n = r.count(kind);
    let value = match table {
        Table::Founders => serde_json::to_value((0..n).map(|i| founder(r, i)).collect::<Vec<_>>()),
        Table::Companies => serde_json::to_value(
            (0..n)
                .map(|i| company(r, i))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Table::Sectors => serde_json::to_value((0..n).map(|i| sector(r, i)).collect::<Vec<_>>()),
        Table::Employers => {
            serde_json::to_value((0..n).map(|i| employer(r, i)).collect::<Vec<_>>())
        }
    };
    value.map_err(|e| internal(table, &e))
}

/// Every source the founders and companies cite, once: the title with publisher, author
/// and date, and the address.
pub fn cited(r: &Reader) -> Vec<(String, Option<String>)> {
    let mut out: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    let original = r.in_lang(LangId::DEFAULT);
    for i in 0..r.count(Kind::Founder) {
        let e = original.profile::<Founder>(i);
        out.extend(sources_of(r, &e.original().sources));
    }
    for i in 0..r.count(Kind::Company) {
        let e = original.profile::<Company>(i);
        out.extend(sources_of(r, &e.original().sources));
    }
    out.into_iter().collect()
}

/// The sources a profile cites, as a data package lists them: the title with publisher
/// and date, and the address.
fn sources_of(
    r: &Reader,
    list: &Option<Vec<crate::content::Source>>,
) -> Vec<(String, Option<String>)> {
    sources(r, list)
        .into_iter()
        .map(|s| {
            let mut title = s.title;
            let extra: Vec<String> = [s.publisher, s.author, s.date]
                .into_iter()
                .flatten()
                .collect();
            if !extra.is_empty() {
                title = format!("{title} ({})", extra.join(", "));
            }
            (title, s.url)
        })
        .collect()
}
