//! The kinds of content. A leaf, so that the other parts of `content` can name kinds
//! without importing their parent.

/// The kinds of content, one directory each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Founder,
    Company,
    Sector,
    Employer,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Founder,
        Kind::Company,
        Kind::Sector,
        Kind::Employer,
        Kind::Page,
    ];

    /// The kinds with an index page of their own (`/founders/` ...).
    pub const LISTED: [Kind; 4] = [Kind::Founder, Kind::Company, Kind::Sector, Kind::Employer];

    /// Directory under `content/`, also the URL section.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Founder => "founders",
            Kind::Company => "companies",
            Kind::Sector => "sectors",
            Kind::Employer => "employers",
            Kind::Page => "pages",
        }
    }

    /// Singular name, as in `dossier new founder`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Founder => "founder",
            Kind::Company => "company",
            Kind::Sector => "sector",
            Kind::Employer => "employer",
            Kind::Page => "page",
        }
    }

    pub fn from_section(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == s)
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}
