//! Each profile's dates: when it was first added and when it last changed, from the git
//! history of its files (the original and every translation), else from the `updated:`
//! field of its files. A derived value, computed once for all pages.

use crate::content::{Entry, FrontMatterName, Kind, PerKind};
use crate::history::{History, Stamp};
use crate::resolve::Site;

/// When a profile was first added and last updated (either may be unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dates {
    /// The first commit of any of its files.
    pub added: Option<Stamp>,
    /// The last commit of any of its files; without history, the newest `updated:`.
    pub updated: Option<Stamp>,
}

impl Dates {
    /// Whether the last change was the profile's addition.
    pub fn is_addition(&self) -> bool {
        self.added.is_some() && self.added == self.updated
    }
}

/// The dates of every profile, per kind in the site's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dated {
    of: PerKind<Vec<Dates>>,
}

/// A profile's dates from its files.
fn of<T: FrontMatterName>(e: &Entry<T>, history: &History) -> Dates {
    let mut d = Dates::default();
    for doc in e.docs() {
        if let Some(f) = history.get(&doc.src.path) {
            d.added = match (d.added, f.added) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            d.updated = d.updated.max(f.updated);
        }
    }
    if d.updated.is_none() {
        d.updated = e
            .docs()
            .filter_map(|doc| doc.fm.updated())
            .max()
            .map(Stamp::from_date);
    }
    d
}

impl Dated {
    pub fn new(site: &Site, history: &History) -> Dated {
        let c = &site.content;
        let mut dated = Dated::default();
        dated.of[Kind::Founder] = c.founders.iter().map(|e| of(e, history)).collect();
        dated.of[Kind::Company] = c.companies.iter().map(|e| of(e, history)).collect();
        dated.of[Kind::Sector] = c.sectors.iter().map(|e| of(e, history)).collect();
        dated.of[Kind::Employer] = c.employers.iter().map(|e| of(e, history)).collect();
        dated.of[Kind::Page] = c.pages.iter().map(|e| of(e, history)).collect();
        dated
    }

    /// The dates of profile `i` of `kind`.
    pub fn get(&self, kind: Kind, i: usize) -> Dates {
        self.of[kind].get(i).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_addition_is_a_profile_whose_only_change_added_it() {
        let t = Stamp::parse_iso("2024-03-25T10:00:00+08:00");
        let later = Stamp::parse_iso("2024-04-01T10:00:00+08:00");
        let d = |added, updated| Dates { added, updated };
        assert!(d(t, t).is_addition());
        assert!(!d(t, later).is_addition());
        // Without history (a date from `updated:`), nothing is known to be an addition.
        assert!(!d(None, t).is_addition());
    }
}
