//! Typed front matter per kind, with which fields are language-neutral and which required.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize};

/// A reference to another profile: no `/`, `\`, `..`, whitespace or URL metacharacters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Slug(String);

impl Slug {
    /// Validates a slug, explaining what is wrong.
    pub fn parse(s: &str) -> Result<Slug, String> {
        if s.is_empty() {
            return Err("a slug cannot be empty".into());
        }
        if s.contains("..") || s.starts_with('.') {
            return Err(format!("slug `{s}` cannot start with `.` or contain `..`"));
        }
        if let Some(c) = s.chars().find(|c| {
            c.is_whitespace()
                || c.is_control()
                || crate::text::forbidden(*c)
                || matches!(
                    c,
                    '/' | '\\' | '?' | '#' | '%' | '"' | '\'' | '<' | '>' | '&' | ':' | '*' | '|'
                )
        }) {
            return Err(format!("slug `{s}` cannot contain {c:?}"));
        }
        if s.chars().any(|c| c.is_uppercase()) {
            return Err(format!(
                "slug `{s}` must be lower case (URLs are case-sensitive on GitHub Pages)"
            ));
        }
        Ok(Slug(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A slug hashes and compares as its text, so maps keyed by slugs can be looked up by `&str`.
impl std::borrow::Borrow<str> for Slug {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Slug::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Slug {
    fn schema_name() -> Cow<'static, str> {
        "Slug".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "The slug of another profile (its file name without language and extension).",
            "pattern": "^[^/\\\\?#%\\s.A-Z][^/\\\\?#%\\sA-Z]*$"
        })
    }
}

/// A year, year-month or full date, as the source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// The English names of the months, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let bad = || format!("`{s}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let mut parts = s.trim().split('-');
        let year: u16 = parts
            .next()
            .filter(|p| p.len() == 4)
            .and_then(|p| p.parse().ok())
            .ok_or_else(bad)?;
        let month = match parts.next() {
            Some(m) => Some(
                m.parse::<u8>()
                    .ok()
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(bad)?,
            ),
            None => None,
        };
        let day = match parts.next() {
            Some(d) => Some(
                d.parse::<u8>()
                    .ok()
                    .filter(|d| (1..=31).contains(d))
                    .ok_or_else(bad)?,
            ),
            None => None,
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(PartialDate { year, month, day })
    }

    /// The date in a language's usual form: `2023年3月` / `March 2023`.
    pub fn human(&self, lang: &str) -> String {
        match (lang.starts_with("zh"), self.month, self.day) {
            (true, None, _) => format!("{}年", self.year),
            (true, Some(m), None) => format!("{}年{}月", self.year, m),
            (true, Some(m), Some(d)) => format!("{}年{}月{}日", self.year, m, d),
            (false, None, _) => self.year.to_string(),
            (false, Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            (false, Some(m), Some(d)) => format!("{} {} {}", d, MONTHS[m as usize - 1], self.year),
        }
    }

    /// RFC 3339 timestamp at midnight UTC of the first day the date covers.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Year(u64),
            Text(String),
        }
        let s = match Repr::deserialize(d)? {
            Repr::Year(y) => y.to_string(),
            Repr::Text(s) => s,
        };
        PartialDate::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for PartialDate {
    fn schema_name() -> Cow<'static, str> {
        "PartialDate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "YYYY, YYYY-MM or YYYY-MM-DD",
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
            ]
        })
    }
}

/// The schema of `updated:`: a whole day, as its check requires (not any partial date).
fn day_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "YYYY-MM-DD",
        "type": ["string", "null"],
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    })
}

/// Text that is either the same in every language or given per language.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum LocalText {
    /// The same in every language.
    Plain(String),
    /// Per language code: `{zh: 靖亚资本, en: Jingya Capital}`.
    ByLang(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for LocalText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Plain(String),
            ByLang(BTreeMap<String, String>),
        }
        match Repr::deserialize(d) {
            Ok(Repr::Plain(s)) => Ok(LocalText::Plain(s)),
            Ok(Repr::ByLang(m)) => Ok(LocalText::ByLang(m)),
            Err(_) => Err(serde::de::Error::custom(
                "expected text, or text per language such as `{zh: 智东西, en: Zhidx}`",
            )),
        }
    }
}

impl LocalText {
    /// The text for `lang`, falling back to `default`, then to any.
    pub fn get(&self, lang: &str, default: &str) -> &str {
        match self {
            LocalText::Plain(s) => s,
            LocalText::ByLang(m) => m
                .get(lang)
                .or_else(|| m.get(default))
                .or_else(|| m.values().next())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }
}

/// A portrait or logo: an image file with its alternative text, credit and licence
/// (neutral: written once, in the default-language file).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Picture {
    /// The image file: a name next to the profile (`jia-yangqing.jpg`), or a path under
    /// `content/` starting with `@/` (`@/images/jia-yangqing.jpg`). JPEG, PNG or WebP; SVG
    /// for logos.
    pub src: String,
    /// What the image shows, per language (required).
    pub alt: Option<LocalText>,
    /// The photographer or source (required).
    pub credit: Option<LocalText>,
    /// The licence the image is used under (required).
    pub license: Option<LocalText>,
    /// The point to keep when the image is cropped: `[x, y]`, fractions of the width and
    /// height from the top left (`[0.5, 0.3]`); the centre when absent.
    pub focus: Option<[f64; 2]>,
}

/// A link shown on a profile.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: LocalText,
    pub url: String,
}

/// Where a fact comes from.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: LocalText,
    pub publisher: Option<LocalText>,
    pub author: Option<LocalText>,
    pub date: Option<PartialDate>,
    pub url: Option<String>,
}

/// A product and when it shipped.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: LocalText,
    pub date: Option<PartialDate>,
    pub note: Option<LocalText>,
}

/// Funding stage of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Seed,
    Angel,
    PreA,
    A,
    A1,
    APlus,
    B,
    C,
    Strategic,
    Undisclosed,
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::Seed,
        Stage::Angel,
        Stage::PreA,
        Stage::A,
        Stage::A1,
        Stage::APlus,
        Stage::B,
        Stage::C,
        Stage::Strategic,
        Stage::Undisclosed,
    ];

    /// The i18n key of the stage's label.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Seed => "stage_seed",
            Stage::Angel => "stage_angel",
            Stage::PreA => "stage_pre_a",
            Stage::A => "stage_a",
            Stage::A1 => "stage_a1",
            Stage::APlus => "stage_a_plus",
            Stage::B => "stage_b",
            Stage::C => "stage_c",
            Stage::Strategic => "stage_strategic",
            Stage::Undisclosed => "stage_undisclosed",
        }
    }
}

/// Currency of an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Currency {
    CNY,
    USD,
}

/// How exact an amount is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// 约: about
    About,
    /// 超: over
    Over,
    /// 近: nearly
    Nearly,
    /// 亿级-style order of magnitude: `amount` is the power of ten (1e8 for 亿元级)
    Order,
    /// 数 + unit, "several" of a power of ten: `amount: 10000000` is 数千万
    Several,
}

/// The power of ten of `v` when it is exactly one from 10^4 (万) to 10^11 (千亿): the
/// amounts that `order` and `several` accept.
pub fn power_of_ten(v: f64) -> Option<u32> {
    (4..=11).find(|&p| v == 10f64.powi(p as i32))
}

/// An amount of money.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Amount {
    pub amount: f64,
    pub currency: Currency,
    pub qualifier: Option<Qualifier>,
}

/// One funding round.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Round {
    pub date: Option<PartialDate>,
    pub stage: Stage,
    pub amount: Option<f64>,
    pub currency: Option<Currency>,
    pub qualifier: Option<Qualifier>,
    #[serde(default)]
    pub investors: Vec<LocalText>,
    #[serde(default)]
    pub lead: Vec<LocalText>,
    pub note: Option<LocalText>,
}

/// A named team member who is not a profiled founder.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: LocalText,
    pub role: Option<LocalText>,
}

/// Someone a sector's source mentions without a profile of their own.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    pub name: LocalText,
    pub note: Option<LocalText>,
}

/// A founder field named in `inferred` or `added`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FounderField {
    Name,
    Aka,
    FormerTitle,
    Summary,
    Sector,
    Company,
    FormerEmployer,
    Left,
    City,
    Links,
}

/// A company field named in `inferred` or `added`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompanyField {
    Name,
    LegalName,
    Location,
    Summary,
    Sector,
    Founders,
    Founded,
    City,
    Website,
    Products,
    Funding,
    FundingTotal,
    Team,
}

/// An employer field named in `added`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmployerField {
    Name,
    Summary,
}

/// Whether a required field holds something: text that is not blank, a list that is not
/// empty, any other value.
pub trait Present {
    fn present(&self) -> bool;
}

impl Present for String {
    fn present(&self) -> bool {
        !self.trim().is_empty()
    }
}

impl<T> Present for Vec<T> {
    fn present(&self) -> bool {
        !self.is_empty()
    }
}

impl Present for Slug {
    fn present(&self) -> bool {
        true
    }
}

impl Present for i64 {
    fn present(&self) -> bool {
        true
    }
}

impl<T: Present> Present for Option<T> {
    fn present(&self) -> bool {
        self.as_ref().is_some_and(Present::present)
    }
}

/// What every kind of front matter offers to the loader.
pub trait FrontMatter:
    serde::de::DeserializeOwned + Clone + Send + Sync + super::checks::Check + FrontMatterName
{
    /// Keys written once, in the default-language file.
    const NEUTRAL: &'static [&'static str];
    /// Copies the neutral fields this translation does not state from the original.
    fn inherit(&mut self, original: &Self);
    /// Whether what the pages of other languages read from this document when it is the
    /// original (its neutral fields and those whose values pages merge across languages,
    /// `added`) is the same in `other`, field by field.
    fn same_shared(&self, other: &Self) -> bool;
    /// Required keys that are absent, `null`, `~`, or blank text or an empty list.
    fn missing(&self) -> Vec<&'static str>;
    fn is_draft(&self) -> bool;
}

/// Front matter with a display name and a summary (the title of a free page), and the
/// fields every kind shares: the date of the last change and the old slugs.
pub trait FrontMatterName {
    fn name(&self) -> Option<&str>;
    fn summary(&self) -> Option<&str>;
    /// `updated:`, the date of the last change when git has none.
    fn updated(&self) -> Option<PartialDate>;
    /// `aliases:`, the profile's old slugs.
    fn aliases(&self) -> &[Slug];
}

macro_rules! named {
    ($($t:ty => $name:ident),*) => {
        $(impl FrontMatterName for $t {
            fn name(&self) -> Option<&str> {
                self.$name.as_deref()
            }
            fn summary(&self) -> Option<&str> {
                self.summary.as_deref()
            }
            fn updated(&self) -> Option<PartialDate> {
                self.updated
            }
            fn aliases(&self) -> &[Slug] {
                self.aliases.as_deref().unwrap_or_default()
            }
        })*
    };
}
named!(Founder => name, Company => name, Sector => name, Employer => name, Page => title);

macro_rules! front_matter {
    ($t:ty, neutral: [$($n:ident),*], required: [$($r:ident),*]) => {
        front_matter!($t, neutral: [$($n),*], merged: [], required: [$($r),*]);
    };
    ($t:ty, neutral: [$($n:ident),*], merged: [$($m:ident),*], required: [$($r:ident),*]) => {
        impl FrontMatter for $t {
            const NEUTRAL: &'static [&'static str] = &[$(stringify!($n)),*];
            fn inherit(&mut self, original: &Self) {
                $( if self.$n.is_none() { self.$n = original.$n.clone(); } )*
            }
            fn same_shared(&self, other: &Self) -> bool {
                $( self.$n == other.$n && )* $( self.$m == other.$m && )* true
            }
            fn missing(&self) -> Vec<&'static str> {
                let mut v = Vec::new();
                $( if !Present::present(&self.$r) { v.push(stringify!($r)); } )*
                v
            }
            fn is_draft(&self) -> bool {
                self.draft.unwrap_or(false)
            }
        }
    };
}

/// Front matter of `content/founders/*.md`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Founder {
    /// The person's name in this language.
    pub name: Option<String>,
    /// Other names (nicknames, an English name).
    pub aka: Option<Vec<String>>,
    /// Title at the former employer, as the source gives it.
    pub former_title: Option<String>,
    /// One sentence.
    pub summary: Option<String>,
    /// Sector slug (neutral).
    pub sector: Option<Slug>,
    /// Company slug (neutral); absent when not disclosed.
    pub company: Option<Slug>,
    /// Employer slug (neutral).
    pub former_employer: Option<Slug>,
    /// When they left (neutral).
    pub left: Option<PartialDate>,
    /// City code from site.yaml (neutral); defaults to the company's.
    pub city: Option<String>,
    /// Links (neutral).
    pub links: Option<Vec<Link>>,
    /// Sources (neutral).
    pub sources: Option<Vec<Source>>,
    /// A portrait (neutral).
    pub photo: Option<Picture>,
    /// Leave out of the build unless --drafts (neutral).
    pub draft: Option<bool>,
    /// Fields whose value is the site's inference from the source, not stated by it (neutral).
    pub inferred: Option<Vec<FounderField>>,
    /// Fields whose value comes from outside the source (any language; a page shows the
    /// union of its own file's and the original's).
    pub added: Option<Vec<FounderField>>,
    /// Old slugs of this profile: each keeps a redirect to it at its old address (neutral).
    pub aliases: Option<Vec<Slug>>,
    /// The day of the last change (`YYYY-MM-DD`), shown when git has no history of the file.
    #[serde(default)]
    #[schemars(schema_with = "day_schema")]
    pub updated: Option<PartialDate>,
}
front_matter!(Founder, neutral: [sector, company, former_employer, left, city, links, sources, photo, draft, inferred, aliases],
    merged: [added], required: [name, former_title, former_employer, sources]);

/// Front matter of `content/companies/*.md`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Company {
    /// Name in this language.
    pub name: Option<String>,
    /// Registered name in this language.
    pub legal_name: Option<String>,
    /// Address detail in words.
    pub location: Option<String>,
    /// One sentence.
    pub summary: Option<String>,
    /// Sector slug (neutral).
    pub sector: Option<Slug>,
    /// Founder slugs (neutral).
    pub founders: Option<Vec<Slug>>,
    /// Year-month founded (neutral).
    pub founded: Option<PartialDate>,
    /// City code (neutral).
    pub city: Option<String>,
    /// Official website (neutral).
    pub website: Option<String>,
    /// Products (neutral).
    pub products: Option<Vec<Product>>,
    /// Funding rounds (neutral).
    pub funding: Option<Vec<Round>>,
    /// Cumulative funding (neutral).
    pub funding_total: Option<Amount>,
    /// Other named team members (neutral).
    pub team: Option<Vec<Member>>,
    /// Sources (neutral).
    pub sources: Option<Vec<Source>>,
    /// A logo (neutral).
    pub logo: Option<Picture>,
    /// Leave out of the build unless --drafts (neutral).
    pub draft: Option<bool>,
    /// Fields whose value is the site's inference from the source, not stated by it (neutral).
    pub inferred: Option<Vec<CompanyField>>,
    /// Fields whose value comes from outside the source (any language; a page shows the
    /// union of its own file's and the original's).
    pub added: Option<Vec<CompanyField>>,
    /// Old slugs of this profile: each keeps a redirect to it at its old address (neutral).
    pub aliases: Option<Vec<Slug>>,
    /// The day of the last change (`YYYY-MM-DD`), shown when git has no history of the file.
    #[serde(default)]
    #[schemars(schema_with = "day_schema")]
    pub updated: Option<PartialDate>,
}
front_matter!(Company, neutral: [sector, founders, founded, city, website, products, funding, funding_total, team, sources, logo, draft, inferred, aliases],
    merged: [added], required: [name, sector, founders, sources]);

/// Front matter of `content/sectors/*.md`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub name: Option<String>,
    pub summary: Option<String>,
    /// Position in lists, 1 first (neutral).
    pub order: Option<i64>,
    /// People the source mentions without a profile (neutral).
    pub also_mentioned: Option<Vec<Mention>>,
    pub draft: Option<bool>,
    /// Old slugs of this profile: each keeps a redirect to it at its old address (neutral).
    pub aliases: Option<Vec<Slug>>,
    /// The day of the last change (`YYYY-MM-DD`), shown when git has no history of the file.
    #[serde(default)]
    #[schemars(schema_with = "day_schema")]
    pub updated: Option<PartialDate>,
}
front_matter!(Sector, neutral: [order, also_mentioned, draft, aliases], required: [name, order]);

/// Front matter of `content/employers/*.md`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Employer {
    pub name: Option<String>,
    pub summary: Option<String>,
    /// Position in lists (neutral).
    pub order: Option<i64>,
    pub draft: Option<bool>,
    /// Fields whose value comes from outside the source, such as an official English name
    /// (any language; a page shows the union of its own file's and the original's).
    pub added: Option<Vec<EmployerField>>,
    /// Old slugs of this profile: each keeps a redirect to it at its old address (neutral).
    pub aliases: Option<Vec<Slug>>,
    /// The day of the last change (`YYYY-MM-DD`), shown when git has no history of the file.
    #[serde(default)]
    #[schemars(schema_with = "day_schema")]
    pub updated: Option<PartialDate>,
}
front_matter!(Employer, neutral: [order, draft, aliases], merged: [added], required: [name]);

/// Front matter of `content/pages/*.md`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Position in the navigation (neutral).
    pub order: Option<i64>,
    pub draft: Option<bool>,
    /// Old slugs of this profile: each keeps a redirect to it at its old address (neutral).
    pub aliases: Option<Vec<Slug>>,
    /// The day of the last change (`YYYY-MM-DD`), shown when git has no history of the file.
    #[serde(default)]
    #[schemars(schema_with = "day_schema")]
    pub updated: Option<PartialDate>,
}
front_matter!(Page, neutral: [order, draft, aliases], required: [title]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        let d = PartialDate::parse("2023-03").unwrap();
        assert_eq!(
            (d.human("zh"), d.human("en"), d.to_string()),
            ("2023年3月".into(), "March 2023".into(), "2023-03".into())
        );
        assert!(PartialDate::parse("2023-13").is_err());
        assert!(PartialDate::parse("23").is_err());
    }

    #[test]
    fn slugs_refuse_path_tricks() {
        for bad in ["../etc", "a/b", "a\\b", "A", "a b", ".x", ""] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        assert!(Slug::parse("贾扬清").is_ok());
        assert!(Slug::parse("4paradigm").is_ok());
    }
}
