//! One record type per table of the open data: the JSON is a list of them, the JSON
//! Schema is generated from them, and the CSV has a column per field, in their order.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::content::{Currency, Qualifier, Stage};
use crate::error::Diagnostic;
use crate::render::tables::Table;

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

pub fn internal(table: Table, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::file(
        format!("data/{}", table.name()),
        format!("internal error: cannot serialize the data: {e}"),
    )
}
