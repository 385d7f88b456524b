//! The choices of the founders list's filters: the sectors, the former employers someone
//! left to found a company, and the cities founders are in. A derived value, like the
//! charts: computed once per language from every founder and employer, so that each page
//! of the list reads it as one source ([`crate::deps::Dep::Filters`]) and an edit of one
//! founder that leaves the choices as they were renders only the pages that show them.

use serde::Serialize;

use crate::config::{Config, LangId};
use crate::content::{Entry, FrontMatterName, Kind};
use crate::resolve::graph::Rel;
use crate::resolve::{permalink, Site};

/// A profile a filter offers: its slug (the value the table's script filters by), its name
/// in the language and its URL, as a link to it shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub slug: String,
    pub name: String,
    pub url: String,
}

/// The filter choices of the founders list in one language.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filters {
    /// Every sector, in display order.
    pub sectors: Vec<Choice>,
    /// The employers at least one founder left, in display order.
    pub employers: Vec<Choice>,
    /// The city codes founders are in (their own or their company's), sorted, with their
    /// names in the language.
    pub cities: Vec<(String, String)>,
}

/// Computes the filter choices for `lang`.
pub fn build(cfg: &Config, site: &Site, lang: LangId) -> Filters {
    let c = &site.content;
    let sectors = site
        .sector_order
        .iter()
        .map(|&i| of(cfg, Kind::Sector, &c.sectors[i], lang))
        .collect();
    let employers = site
        .employer_order
        .iter()
        .filter(|&&i| !site.targets(Rel::EmployerFounders, i).is_empty())
        .map(|&i| of(cfg, Kind::Employer, &c.employers[i], lang))
        .collect();
    let mut codes: Vec<&str> = site
        .founder_city
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    Filters {
        sectors,
        employers,
        cities: codes
            .into_iter()
            .map(|code| (code.to_owned(), cfg.city_name(code, lang)))
            .collect(),
    }
}

/// Profile `e` of `kind` as a choice in `lang`.
fn of<T: FrontMatterName>(cfg: &Config, kind: Kind, e: &Entry<T>, lang: LangId) -> Choice {
    let slug = e.slug.as_str();
    Choice {
        slug: slug.to_owned(),
        name: e.doc(lang).fm.name().unwrap_or("").to_owned(),
        url: cfg.base.link(&permalink(cfg, kind, Some(slug), lang)),
    }
}
