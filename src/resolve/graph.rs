//! The reference graph, declared once: every relation between profiles, which front
//! matter field states it, and which relations are its backlinks. Resolution, the dev
//! server's invalidation (`serve`), `dossier mv`'s rewriting and the open data's foreign
//! keys all read this table; a new reference field is a line here (plus its schema field,
//! its view and its documentation).

use super::Site;
use crate::content::{Content, Kind, Slug};

/// Reads the slugs a forward relation names from profile `i`'s original front matter.
pub type Slugs = for<'c> fn(&'c Content, usize) -> Vec<&'c Slug>;

/// A relation between profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rel {
    FounderCompany,
    FounderSector,
    FounderEmployer,
    CompanySector,
    CompanyFounders,
    SectorFounders,
    SectorCompanies,
    EmployerFounders,
}

/// What a relation links and where it is written.
#[derive(Clone, Copy)]
pub struct Relation {
    pub rel: Rel,
    pub from: Kind,
    pub to: Kind,
    /// The front matter field of `from` that names the targets by slug (in the original,
    /// language-neutral); None for a backlink, which is derived.
    pub field: Option<&'static str>,
    /// The field holds a list of slugs.
    pub many: bool,
    /// The relation whose reverse this one also holds (a company's founders include those
    /// who name it as their company) or is (a sector's founders).
    pub reverse_of: Option<Rel>,
    /// How to read the field (forward relations).
    pub slugs: Option<Slugs>,
}

const fn forward(
    rel: Rel,
    (from, field, to): (Kind, &'static str, Kind),
    many: bool,
    slugs: Slugs,
) -> Relation {
    Relation {
        rel,
        from,
        to,
        field: Some(field),
        many,
        reverse_of: None,
        slugs: Some(slugs),
    }
}

const fn backlink(rel: Rel, from: Kind, to: Kind, of: Rel) -> Relation {
    Relation {
        rel,
        from,
        to,
        field: None,
        many: true,
        reverse_of: Some(of),
        slugs: None,
    }
}

/// Every relation, forward ones first, each kind's in the order its profiles are resolved
/// (and their problems reported). A new reference field is one line here.
pub const RELATIONS: &[Relation] = &[
    forward(
        Rel::FounderCompany,
        (Kind::Founder, "company", Kind::Company),
        false,
        |c, i| c.founders[i].original().fm.company.iter().collect(),
    ),
    forward(
        Rel::FounderSector,
        (Kind::Founder, "sector", Kind::Sector),
        false,
        |c, i| c.founders[i].original().fm.sector.iter().collect(),
    ),
    forward(
        Rel::FounderEmployer,
        (Kind::Founder, "former_employer", Kind::Employer),
        false,
        |c, i| c.founders[i].original().fm.former_employer.iter().collect(),
    ),
    forward(
        Rel::CompanySector,
        (Kind::Company, "sector", Kind::Sector),
        false,
        |c, i| c.companies[i].original().fm.sector.iter().collect(),
    ),
    Relation {
        // Also every founder who names the company.
        reverse_of: Some(Rel::FounderCompany),
        ..forward(
            Rel::CompanyFounders,
            (Kind::Company, "founders", Kind::Founder),
            true,
            |c, i| {
                c.companies[i]
                    .original()
                    .fm
                    .founders
                    .iter()
                    .flatten()
                    .collect()
            },
        )
    },
    backlink(
        Rel::SectorFounders,
        Kind::Sector,
        Kind::Founder,
        Rel::FounderSector,
    ),
    backlink(
        Rel::SectorCompanies,
        Kind::Sector,
        Kind::Company,
        Rel::CompanySector,
    ),
    backlink(
        Rel::EmployerFounders,
        Kind::Employer,
        Kind::Founder,
        Rel::FounderEmployer,
    ),
];

impl Rel {
    pub fn relation(self) -> &'static Relation {
        // The table is small and in the enum's order.
        &RELATIONS[self as usize]
    }

    /// The kind whose profiles hold the relation.
    pub fn from(self) -> Kind {
        self.relation().from
    }
}

/// The relations written in the front matter of `kind` (not backlinks).
pub fn fields_of(kind: Kind) -> impl Iterator<Item = &'static Relation> {
    RELATIONS
        .iter()
        .filter(move |r| r.from == kind && r.field.is_some())
}

/// The front matter fields of `of` that name a profile of `target`.
pub fn fields_naming(target: Kind, of: Kind) -> impl Iterator<Item = &'static str> {
    fields_of(of)
        .filter(move |r| r.to == target)
        .filter_map(|r| r.field)
}

impl Site {
    /// The profiles that profile `i` of `rel`'s source kind refers to (or, for a
    /// backlink, that refer to it), in the order the site keeps them.
    pub fn targets(&self, rel: Rel, i: usize) -> &[usize] {
        &self.links[rel as usize][i]
    }

    /// The one profile a single-valued relation names, if any.
    pub fn target(&self, rel: Rel, i: usize) -> Option<usize> {
        self.targets(rel, i).first().copied()
    }

    /// The profiles profile `i` of `kind` names in its front matter, with their kinds.
    pub fn named_by(&self, kind: Kind, i: usize) -> Vec<(Kind, usize)> {
        fields_of(kind)
            .flat_map(|r| self.targets(r.rel, i).iter().map(|&t| (r.to, t)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_enums_order_and_backlinks_reverse_a_forward_relation() {
        for (n, r) in RELATIONS.iter().enumerate() {
            assert_eq!(r.rel as usize, n, "{:?}", r.rel);
            if let Some(of) = r.reverse_of {
                let f = of.relation();
                assert!(f.field.is_some(), "{:?} reverses a backlink", r.rel);
                assert_eq!((f.from, f.to), (r.to, r.from), "{:?}", r.rel);
            }
        }
    }
}
