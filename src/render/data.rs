//! The directory as open data, per language under `data/`: founders, companies, sectors
//! and employers as JSON and CSV, a JSON Schema for each table, and a Frictionless
//! `datapackage.json` describing them all.
//!
//! One record type per table serves every format: the JSON is a list of records, the
//! JSON Schema is generated from the same type by schemars, and the CSV has one column
//! per field of the record, in its order. Every reference is resolved (slug, name in the
//! language, address) and so is every code (city names, funding stages).
//!
//! CSV cells, documented on the data page: UTF-8 with a byte-order mark (so that Excel
//! reads Chinese correctly), RFC 4180 quoting, CRLF line ends; an empty cell where the
//! value is unknown; a list or an object as JSON text (Table Schema's `array` and
//! `object`); and a text that a spreadsheet would run as a formula (one starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, as does a
//! text that starts with an apostrophe, so that taking one leading apostrophe off any
//! text cell gives back the value exactly.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::access::{DatesView, Reader};
use super::money::money;
use crate::config::LangId;
use crate::content::{
    Amount, Company, Currency, Employer, Founder, Kind, Qualifier, Sector, Stage,
};
use crate::deps::{self, Source};
use crate::error::Diagnostic;
use crate::resolve::graph::Rel;

/// A table of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Founders,
    Companies,
    Sectors,
    Employers,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::Founders,
        Table::Companies,
        Table::Sectors,
        Table::Employers,
    ];

    /// The file name without extension, also the resource name.
    pub fn name(self) -> &'static str {
        self.kind().section()
    }

    pub fn kind(self) -> Kind {
        match self {
            Table::Founders => Kind::Founder,
            Table::Companies => Kind::Company,
            Table::Sectors => Kind::Sector,
            Table::Employers => Kind::Employer,
        }
    }
}

/// A file of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Json,
    Csv,
    Schema,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Json, Format::Schema];

    /// `founders.csv`, `founders.json`, `founders.schema.json`.
    pub fn file(self, table: Table) -> String {
        match self {
            Format::Json => format!("{}.json", table.name()),
            Format::Csv => format!("{}.csv", table.name()),
            Format::Schema => format!("{}.schema.json", table.name()),
        }
    }
}

/// Another profile, as the data refers to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RefRecord {
    /// Its slug (the key of its own table).
    pub slug: String,
    /// Its name in this language.
    pub name: String,
    /// The address of its page in this language.
    pub url: String,
}

/// A source of the facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceRecord {
    pub title: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    pub date: Option<String>,
    pub url: Option<String>,
}

/// A link shown on a profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LinkRecord {
    pub title: String,
    pub url: String,
}

/// A founder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FounderRecord {
    /// The founder's slug: the key of this table, and the last part of the page's address.
    pub slug: String,
    /// The address of the founder's page in this language.
    pub url: String,
    /// The name in this language.
    pub name: String,
    /// The name in the other languages, when it differs.
    pub name_alt: Option<String>,
    /// Other names (nicknames, an English name).
    pub aka: Vec<String>,
    /// Title at the former employer, as the source gives it.
    pub former_title: String,
    /// Slug of the former employer (the employers table).
    pub former_employer: Option<String>,
    pub former_employer_name: Option<String>,
    pub former_employer_url: Option<String>,
    /// Slug of the company founded (the companies table); empty when not disclosed.
    pub company: Option<String>,
    pub company_name: Option<String>,
    pub company_url: Option<String>,
    /// Slug of the sector (the sectors table); empty when the source places them in none.
    pub sector: Option<String>,
    pub sector_name: Option<String>,
    pub sector_url: Option<String>,
    /// City code: the founder's own, else their company's.
    pub city: Option<String>,
    /// The city's name in this language.
    pub city_name: Option<String>,
    /// When they left the former employer: YYYY or YYYY-MM.
    pub left: Option<String>,
    /// One sentence.
    pub summary: Option<String>,
    pub links: Vec<LinkRecord>,
    pub sources: Vec<SourceRecord>,
    /// Fields whose value is the site's inference from the source, not stated by it.
    pub inferred: Vec<String>,
    /// Fields whose value comes from outside the source (added by the site).
    pub added: Vec<String>,
    /// When the profile was first added (RFC 3339), from the site's history.
    pub first_added: Option<String>,
    /// When the profile last changed (RFC 3339).
    pub last_updated: Option<String>,
    /// Whether the text is written in this language (false: the original's text).
    pub translated: bool,
}

/// A product and when it shipped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProductRecord {
    pub name: String,
    pub date: Option<String>,
    pub note: Option<String>,
}

/// A funding round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoundRecord {
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    pub date: Option<String>,
    pub stage: Stage,
    /// The stage's name in this language.
    pub stage_name: String,
    /// In units of the currency; with `several` or `order`, the power of ten the source names.
    pub amount: Option<f64>,
    pub currency: Option<Currency>,
    pub qualifier: Option<Qualifier>,
    /// The amount as the page words it in this language.
    pub amount_text: Option<String>,
    pub investors: Vec<String>,
    pub lead: Vec<String>,
    pub note: Option<String>,
}

/// A named team member who has no profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemberRecord {
    pub name: String,
    pub role: Option<String>,
}

/// A company.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompanyRecord {
    /// The company's slug: the key of this table.
    pub slug: String,
    pub url: String,
    pub name: String,
    pub name_alt: Option<String>,
    pub legal_name: Option<String>,
    /// Address detail in words.
    pub location: Option<String>,
    pub summary: Option<String>,
    /// Slug of the sector (the sectors table).
    pub sector: Option<String>,
    pub sector_name: Option<String>,
    pub sector_url: Option<String>,
    /// The founders it has a profile of (the founders table).
    pub founders: Vec<RefRecord>,
    /// YYYY or YYYY-MM.
    pub founded: Option<String>,
    /// City code.
    pub city: Option<String>,
    pub city_name: Option<String>,
    pub website: Option<String>,
    pub products: Vec<ProductRecord>,
    pub funding: Vec<RoundRecord>,
    /// Cumulative funding, in units of its currency.
    pub funding_total: Option<f64>,
    pub funding_total_currency: Option<Currency>,
    pub funding_total_qualifier: Option<Qualifier>,
    /// The total as the page words it in this language.
    pub funding_total_text: Option<String>,
    pub team: Vec<MemberRecord>,
    pub sources: Vec<SourceRecord>,
    pub inferred: Vec<String>,
    pub added: Vec<String>,
    pub first_added: Option<String>,
    pub last_updated: Option<String>,
    pub translated: bool,
}

/// Someone a sector's source mentions without a profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MentionRecord {
    pub name: String,
    pub note: Option<String>,
}

/// A sector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SectorRecord {
    /// The sector's slug: the key of this table.
    pub slug: String,
    pub url: String,
    pub name: String,
    pub name_alt: Option<String>,
    pub summary: Option<String>,
    /// Position in lists, 1 first.
    pub order: Option<i64>,
    pub founders: Vec<RefRecord>,
    pub companies: Vec<RefRecord>,
    pub also_mentioned: Vec<MentionRecord>,
    pub first_added: Option<String>,
    pub last_updated: Option<String>,
    pub translated: bool,
}

/// A former employer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmployerRecord {
    /// The employer's slug: the key of this table.
    pub slug: String,
    pub url: String,
    pub name: String,
    pub name_alt: Option<String>,
    pub summary: Option<String>,
    /// Position in lists.
    pub order: Option<i64>,
    /// The founders who left it.
    pub founders: Vec<RefRecord>,
    pub first_added: Option<String>,
    pub last_updated: Option<String>,
    pub translated: bool,
}

/// A link as the data gives it: with an absolute address.
fn ref_record(r: &Reader, x: super::access::Ref) -> RefRecord {
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
    let part = |x: &Option<super::access::Ref>| {
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
fn records(r: &Reader, table: Table) -> Result<serde_json::Value, Diagnostic> {
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

fn internal(table: Table, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::file(
        format!("data/{}", table.name()),
        format!("internal error: cannot serialize the data: {e}"),
    )
}

/// The columns of a table, in the order of its record's fields.
pub fn columns(table: Table) -> Vec<String> {
    fn names<T: Serialize + Default>() -> Vec<String> {
        // serde_json writes the fields in their order; reading them back as an ordered
        // list of entries keeps it.
        serde_json::to_string(&T::default())
            .ok()
            .and_then(|s| serde_json::from_str::<Ordered>(&s).ok())
            .map(|o| o.0.into_iter().map(|(k, _)| k).collect())
            .unwrap_or_default()
    }
    match table {
        Table::Founders => names::<FounderRecord>(),
        Table::Companies => names::<CompanyRecord>(),
        Table::Sectors => names::<SectorRecord>(),
        Table::Employers => names::<EmployerRecord>(),
    }
}

/// A JSON object's entries in the order written.
struct Ordered(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Entries)
    }
}

/// A text cell that a spreadsheet cannot take for a formula (see the module's comment).
pub fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// The text of a CSV cell for a JSON value.
pub fn cell(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => csv_text(s).into_owned(),
        other => other.to_string(),
    }
}

/// The CSV of a table: a BOM, a header row, a row per record.
fn csv(table: Table, records: &serde_json::Value) -> Result<Vec<u8>, Diagnostic> {
    let columns = columns(table);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let err = |e: csv::Error| internal(table, &e);
    w.write_record(&columns).map_err(err)?;
    for row in records.as_array().into_iter().flatten() {
        let cells = columns
            .iter()
            .map(|c| cell(row.get(c).unwrap_or(&serde_json::Value::Null)));
        w.write_record(cells).map_err(err)?;
    }
    w.into_inner().map_err(|e| internal(table, &e.error()))
}

/// The JSON Schema of a table's file (a list of records).
pub fn schema(table: Table) -> serde_json::Value {
    let s = match table {
        Table::Founders => schemars::schema_for!(Vec<FounderRecord>),
        Table::Companies => schemars::schema_for!(Vec<CompanyRecord>),
        Table::Sectors => schemars::schema_for!(Vec<SectorRecord>),
        Table::Employers => schemars::schema_for!(Vec<EmployerRecord>),
    };
    s.to_value()
}

/// A file of a table in `lang`.
pub fn file(r: &Reader, table: Table, format: Format) -> Result<Vec<u8>, Diagnostic> {
    let pretty = |v: &serde_json::Value| {
        let mut s = serde_json::to_vec_pretty(v).map_err(|e| internal(table, &e))?;
        s.push(b'\n');
        Ok(s)
    };
    match format {
        Format::Schema => pretty(&schema(table)),
        Format::Json => pretty(&records(r, table)?),
        Format::Csv => csv(table, &records(r, table)?),
    }
}

/// A licence as Frictionless writes it.
#[derive(Serialize)]
struct License<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct PackageSource {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

#[derive(Serialize)]
struct Field {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
}

#[derive(Serialize)]
struct Constraints {
    required: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ForeignKey {
    fields: &'static str,
    reference: Reference,
}

#[derive(Serialize)]
struct Reference {
    resource: &'static str,
    fields: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TableSchema {
    fields: Vec<Field>,
    primary_key: &'static str,
    foreign_keys: Vec<ForeignKey>,
    missing_values: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dialect {
    delimiter: &'static str,
    line_terminator: &'static str,
    quote_char: &'static str,
    double_quote: bool,
    header: bool,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    profile: &'static str,
    title: String,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dialect: Option<Dialect>,
    /// A Table Schema (CSV) or the path of a JSON Schema (JSON).
    schema: serde_json::Value,
}

#[derive(Serialize)]
struct Package<'a> {
    profile: &'static str,
    name: String,
    title: &'a str,
    description: std::borrow::Cow<'a, str>,
    homepage: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    licenses: Vec<License<'a>>,
    sources: Vec<PackageSource>,
    resources: Vec<Resource>,
}

/// The Table Schema type of a JSON Schema property.
fn field_type(p: &serde_json::Value) -> &'static str {
    let types: Vec<&str> = match &p["type"] {
        serde_json::Value::String(t) => vec![t.as_str()],
        serde_json::Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
        // A reference to a definition: here always an enumeration of strings (a code).
        _ => vec!["string"],
    };
    let t = types.into_iter().find(|t| *t != "null").unwrap_or("string");
    match t {
        "integer" => "integer",
        "number" => "number",
        "boolean" => "boolean",
        "array" => "array",
        "object" => "object",
        _ => "string",
    }
}

/// Whether a JSON Schema property admits null.
fn nullable(p: &serde_json::Value) -> bool {
    match &p["type"] {
        serde_json::Value::Array(ts) => ts.iter().any(|t| t == "null"),
        _ => p["anyOf"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["type"] == "null")),
    }
}

/// The Table Schema of a table's CSV, derived from the JSON Schema of its record.
fn table_schema(table: Table) -> TableSchema {
    let schema = schema(table);
    let record = schema["items"]["$ref"]
        .as_str()
        .and_then(|r| r.rsplit('/').next())
        .map(|name| schema["$defs"][name].clone())
        .unwrap_or_default();
    let fields = columns(table)
        .into_iter()
        .map(|name| {
            let p = &record["properties"][name.as_str()];
            let kind = match name.as_str() {
                "first_added" | "last_updated" => "datetime",
                _ => field_type(p),
            };
            let required = !nullable(p) && kind != "array";
            Field {
                description: p["description"].as_str().map(str::to_owned),
                constraints: required.then_some(Constraints { required: true }),
                name,
                kind,
            }
        })
        .collect();
    let fk = |fields, resource| ForeignKey {
        fields,
        reference: Reference {
            resource,
            fields: "slug",
        },
    };
    let foreign_keys = match table {
        Table::Founders => vec![
            fk("former_employer", "employers"),
            fk("company", "companies"),
            fk("sector", "sectors"),
        ],
        Table::Companies => vec![fk("sector", "sectors")],
        _ => Vec::new(),
    };
    TableSchema {
        fields,
        primary_key: "slug",
        foreign_keys,
        missing_values: [""],
    }
}

/// `datapackage.json` of a language: every file, its schema, the licence, the sources.
pub fn package(r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    deps::read(|| Source::Config);
    let cfg = r.cfg();
    let sources = cited(r);
    let lang = r.code();
    let mut resources = Vec::new();
    for table in Table::ALL {
        let title = r.t(&format!("data_table_{}", table.name()))?.to_owned();
        resources.push(Resource {
            name: table.name().to_owned(),
            path: Format::Csv.file(table),
            profile: "tabular-data-resource",
            title: title.clone(),
            format: "csv",
            mediatype: "text/csv",
            encoding: "utf-8",
            description: Some(CSV_NOTE),
            dialect: Some(Dialect {
                delimiter: ",",
                line_terminator: "\r\n",
                quote_char: "\"",
                double_quote: true,
                header: true,
            }),
            schema: serde_json::to_value(table_schema(table)).map_err(|e| internal(table, &e))?,
        });
        resources.push(Resource {
            name: format!("{}-json", table.name()),
            path: Format::Json.file(table),
            profile: "data-resource",
            title,
            format: "json",
            mediatype: "application/json",
            encoding: "utf-8",
            description: None,
            dialect: None,
            schema: serde_json::Value::String(Format::Schema.file(table)),
        });
    }
    let license = cfg.data_license.as_ref();
    let p = Package {
        profile: "data-package",
        name: format!("dossier-{lang}"),
        title: &cfg.title[r.lang()],
        description: r.description(),
        homepage: cfg
            .base
            .absolute(&format!("{}data/", cfg.lang_prefix(r.lang()))),
        created: None,
        licenses: license
            .map(|l| License {
                name: &l.name,
                path: l.path.as_deref(),
                title: l.title.as_deref(),
            })
            .into_iter()
            .collect(),
        sources: sources
            .into_iter()
            .map(|(title, path)| PackageSource { title, path })
            .collect(),
        resources,
    };
    let mut s = serde_json::to_vec_pretty(&p).map_err(|e| internal(Table::Founders, &e))?;
    s.push(b'\n');
    Ok(s)
}

/// What the CSV files' description says of their cells.
const CSV_NOTE: &str = "UTF-8 with a byte-order mark. An empty cell is an unknown value; a list or an object is written as JSON. A text starting with =, +, -, @, a tab, a carriage return or an apostrophe starts with an extra apostrophe, so that no spreadsheet runs it as a formula: take one leading apostrophe off a text cell to get the value.";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_gets_an_apostrophe_and_only_one_comes_off() {
        for (value, cell) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("'quoted", "''quoted"),
            ("贾扬清", "贾扬清"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_text(value), cell);
            let back = cell.strip_prefix('\'').unwrap_or(cell);
            assert_eq!(back, value);
        }
    }

    #[test]
    fn columns_follow_the_records_fields() {
        let c = columns(Table::Founders);
        assert_eq!(&c[..3], ["slug", "url", "name"]);
        assert_eq!(c.last().map(String::as_str), Some("translated"));
        let t = table_schema(Table::Founders);
        assert_eq!(t.fields.len(), c.len());
        let f = |n: &str| t.fields.iter().find(|f| f.name == n).unwrap();
        assert_eq!(
            (f("slug").kind, f("slug").constraints.is_some()),
            ("string", true)
        );
        assert_eq!(
            (f("company").kind, f("company").constraints.is_some()),
            ("string", false)
        );
        assert_eq!(f("sources").kind, "array");
        assert_eq!(f("last_updated").kind, "datetime");
        assert_eq!(f("translated").kind, "boolean");
    }
}
