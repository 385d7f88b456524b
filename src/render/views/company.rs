//! A company's profile page, with its JSON-LD `Organization`.

use serde::Serialize;

use crate::config::LangId;
use crate::content::{Amount, Company, Currency, Kind};
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::access::{CompanyRow, DatesView, NamedNote, SourceView};
use crate::render::assemble::{self, Rendering};
use crate::render::jsonld::{self, Organization, Person, PersonRef};
use crate::render::money::money;
use crate::render::plan::PageId;
use crate::resolve::permalink;
use crate::search::Record;

#[derive(Debug, Clone, Serialize)]
pub struct ProductView<'a> {
    pub name: &'a str,
    pub date: Option<String>,
    pub note: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundView<'a> {
    pub date: Option<String>,
    pub stage: &'a str,
    pub amount: Option<String>,
    pub investors: Vec<&'a str>,
    pub lead: Vec<&'a str>,
    pub note: Option<&'a str>,
}

/// A company's page.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyView<'a> {
    #[serde(flatten)]
    pub row: CompanyRow<'a>,
    pub legal_name: Option<&'a str>,
    pub location: Option<&'a str>,
    pub website: Option<&'a str>,
    pub products: Vec<ProductView<'a>>,
    pub funding: Vec<RoundView<'a>>,
    pub funding_total: Option<String>,
    pub team: Vec<NamedNote<'a>>,
    pub sources: Vec<SourceView<'a>>,
    pub content: &'a str,
    pub translated: bool,
    /// When the profile was first added and last updated.
    pub dates: DatesView,
    /// The same facts in the other languages: in the search record, not on the page.
    #[serde(skip)]
    pub index_terms: Vec<&'a str>,
}

#[derive(Serialize)]
struct Data<'a> {
    company: CompanyView<'a>,
}

/// The view of company `i`.
pub fn view<'a>(r: &Reader<'_, 'a>, i: usize) -> Result<CompanyView<'a>, Diagnostic> {
    let p = r.profile::<Company>(i);
    let fm = p.fm();
    let products = fm.products.iter().flatten().map(|p| ProductView {
        name: r.local(&p.name),
        date: p.date.map(|d| d.human(r.code())),
        note: p.note.as_ref().map(|n| r.local(n)),
    });
    let mut funding = Vec::new();
    for round in fm.funding.iter().flatten() {
        funding.push(RoundView {
            date: round.date.map(|d| d.human(r.code())),
            stage: r.t(round.stage.key())?,
            amount: round.amount.map(|a| {
                let amount = Amount {
                    amount: a,
                    currency: round.currency.unwrap_or(Currency::CNY),
                    qualifier: round.qualifier,
                };
                money(&amount, r.code())
            }),
            investors: round.investors.iter().map(|x| r.local(x)).collect(),
            lead: round.lead.iter().map(|x| r.local(x)).collect(),
            note: round.note.as_ref().map(|n| r.local(n)),
        });
    }
    let team = fm.team.iter().flatten().map(|m| NamedNote {
        name: r.local(&m.name),
        note: m.role.as_ref().map(|x| r.local(x)),
    });
    Ok(CompanyView {
        row: r.company_row(i),
        legal_name: fm.legal_name.as_deref(),
        location: fm.location.as_deref(),
        website: fm.website.as_deref(),
        products: products.collect(),
        funding,
        funding_total: fm.funding_total.as_ref().map(|a| money(a, r.code())),
        team: team.collect(),
        sources: r.sources(&fm.sources),
        content: r.body_html(Kind::Company, i),
        translated: p.translated(),
        dates: r.dates(Kind::Company, i),
        index_terms: terms(r, i),
    })
}

/// The company's name, sector, city, summary and founders in the other languages.
fn terms<'a>(r: &Reader<'_, 'a>, i: usize) -> Vec<&'a str> {
    let mut t = Vec::new();
    for o in r.others() {
        let row = o.company_row(i);
        t.extend(
            [
                Some(row.name),
                row.sector.map(|x| x.name),
                row.city,
                row.summary,
            ]
            .into_iter()
            .flatten(),
        );
        t.extend(row.founders.into_iter().map(|f| f.name));
    }
    t
}

/// The company as a schema.org `Organization`.
pub fn organization<'a>(r: &Reader<'_, 'a>, i: usize, co: &CompanyView<'a>) -> Organization<'a> {
    let cfg = r.cfg();
    let id = |kind: Kind, slug: &str, frag: &str| {
        let rel = permalink(cfg, kind, Some(slug), LangId::DEFAULT);
        format!("{}#{frag}", cfg.base.absolute(&rel))
    };
    let founded = r.profile::<Company>(i).original().founded;
    Organization {
        context: jsonld::context(),
        id: id(Kind::Company, co.row.slug, "organization"),
        kind: Organization::TYPE,
        alternate_name: co.row.name_alt.clone(),
        description: co.row.summary,
        founder: co
            .row
            .founders
            .iter()
            .map(|f| PersonRef {
                id: id(Kind::Founder, f.slug, "person"),
                kind: Person::TYPE,
                name: f.name,
            })
            .collect(),
        founding_date: founded.map(|d| d.to_string()),
        location: co.row.city,
        name: co.row.name,
        url: co.website,
    }
}

/// The company in the search index: found by its facts, products, investors and text.
fn record(r: &Reader, id: PageId, i: usize, co: &CompanyView) -> Record {
    let row = &co.row;
    let facts = [
        row.name_alt.as_deref().unwrap_or(""),
        co.legal_name.unwrap_or(""),
        row.sector.as_ref().map_or("", |s| s.name),
        row.founded.as_deref().unwrap_or(""),
        row.city.unwrap_or(""),
        co.location.unwrap_or(""),
        row.summary.unwrap_or(""),
    ];
    let founders = row.founders.iter().map(|f| f.name);
    let products = co.products.iter().map(|p| p.name);
    let investors = co
        .funding
        .iter()
        .flat_map(|f| f.lead.iter().chain(&f.investors))
        .copied();
    let team = co.team.iter().map(|m| m.name);
    let text = r.body_text(Kind::Company, i);
    let terms = co.index_terms.iter().copied();
    let parts = facts
        .into_iter()
        .chain(founders)
        .chain(products)
        .chain(investors)
        .chain(team);
    r.record(id, row.name, parts.chain([text]).chain(terms))
        .with("alt", row.name_alt.as_deref())
}

pub fn render(r: &Reader, id: PageId, i: usize) -> Result<Rendering, Diagnostic> {
    let co = view(r, i)?;
    let mut meta = assemble::meta(r, id);
    let title = r.title();
    meta.describe("company", co.row.name, title, co.translated, co.row.summary);
    meta.jsonld = Some(jsonld::script(&organization(r, i, &co)));
    let record = record(r, id, i, &co);
    let mut out = assemble::finish(r, "company.html", meta, None, Data { company: co })?;
    out.record = Some(record);
    Ok(out)
}
