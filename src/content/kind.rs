//! The kinds of content. A leaf, so that the other parts of `content` can name kinds
//! without importing their parent.

/// The kinds of content, one directory each.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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

impl Kind {
    /// The kind's place in [`Kind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One value per kind, indexed by [`Kind`], as `PerLang` is by language: what five-arm
/// `match kind` blocks over same-typed lists used to spell out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerKind<T>([T; 5]);

impl<T> PerKind<T> {
    /// A value for each kind, in [`Kind::ALL`] order.
    pub fn build(f: impl FnMut(Kind) -> T) -> PerKind<T> {
        PerKind(Kind::ALL.map(f))
    }

    /// Each kind with its value.
    pub fn iter(&self) -> impl Iterator<Item = (Kind, &T)> {
        Kind::ALL.into_iter().zip(self.0.iter())
    }
}

impl<T> std::ops::Index<Kind> for PerKind<T> {
    type Output = T;
    fn index(&self, kind: Kind) -> &T {
        &self.0[kind.index()]
    }
}

impl<T> std::ops::IndexMut<Kind> for PerKind<T> {
    fn index_mut(&mut self, kind: Kind) -> &mut T {
        &mut self.0[kind.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_kind_is_indexed_in_the_order_of_all() {
        let names = PerKind::build(Kind::name);
        for (n, kind) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), n);
            assert_eq!(names[kind], kind.name());
        }
        assert_eq!(names.iter().count(), 5);
    }
}
