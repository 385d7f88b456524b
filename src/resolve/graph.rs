//! The reference graph, declared once: every relation between profiles, which front
//! matter field states it, and which relations are its backlinks. Resolution, the dev
//! server's invalidation (`serve`), `dossier mv`'s rewriting and the open data's foreign
//! keys all read this table; a new reference field is a line here (plus its schema field,
//! its view and its documentation).

use super::Site;
use crate::content::Kind;

/// A relation between profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rel {
    FounderEmployer,
    FounderCompany,
    FounderSector,
    CompanySector,
    CompanyFounders,
    SectorFounders,
    SectorCompanies,
    EmployerFounders,
}

/// What a relation links and where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

const fn forward(rel: Rel, from: Kind, to: Kind, field: &'static str, many: bool) -> Relation {
    Relation {
        rel,
        from,
        to,
        field: Some(field),
        many,
        reverse_of: None,
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
    }
}

/// Every relation, forward ones first, each kind's in the order its records list them.
pub const RELATIONS: [Relation; 8] = [
    forward(
        Rel::FounderEmployer,
        Kind::Founder,
        Kind::Employer,
        "former_employer",
        false,
    ),
    forward(
        Rel::FounderCompany,
        Kind::Founder,
        Kind::Company,
        "company",
        false,
    ),
    forward(
        Rel::FounderSector,
        Kind::Founder,
        Kind::Sector,
        "sector",
        false,
    ),
    forward(
        Rel::CompanySector,
        Kind::Company,
        Kind::Sector,
        "sector",
        false,
    ),
    Relation {
        reverse_of: Some(Rel::FounderCompany),
        ..forward(
            Rel::CompanyFounders,
            Kind::Company,
            Kind::Founder,
            "founders",
            true,
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
        match rel {
            Rel::FounderEmployer => self.founder_employer[i].as_slice(),
            Rel::FounderCompany => self.founder_company[i].as_slice(),
            Rel::FounderSector => self.founder_sector[i].as_slice(),
            Rel::CompanySector => self.company_sector[i].as_slice(),
            Rel::CompanyFounders => &self.company_founders[i],
            Rel::SectorFounders => &self.sector_founders[i],
            Rel::SectorCompanies => &self.sector_companies[i],
            Rel::EmployerFounders => &self.employer_founders[i],
        }
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
