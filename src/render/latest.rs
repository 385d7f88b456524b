//! The newest profiles, chosen once among all of them: the home page's latest founders,
//! every feed's entries and the changes page. A derived value: pages that show it depend
//! on the choice (and on the profiles chosen), not on every profile's date.
//!
//! A profile's date is the real one where there is one: its last change in git (or its
//! `updated:` field); else the newest date of its sources.

use crate::config::Config;
use crate::content::{Kind, Source as Cited};
use crate::history::Stamp;
use crate::resolve::graph::Rel;
use crate::resolve::Site;

use super::dates::Dated;

/// How many founders the home page shows as the latest.
pub const HOME: usize = 6;

/// The newest of a profile's sources' dates.
fn cited(sources: &Option<Vec<Cited>>) -> Option<Stamp> {
    sources
        .iter()
        .flatten()
        .filter_map(|s| s.date)
        .max()
        .map(Stamp::from_date)
}

/// A profile and its date.
pub type Item = (Kind, usize, Option<Stamp>);

/// A profile's last change: when, and whether it was the profile's addition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub i: usize,
    pub when: Stamp,
    pub added: bool,
}

/// The newest founders and companies, site-wide and per sector, and the latest changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Latest {
    /// The newest founders (the home page): by when they were added.
    pub founders: Vec<usize>,
    /// The newest founders and companies with their dates (the site's feed).
    pub feed: Vec<Item>,
    /// The newest date of all.
    pub newest: Option<Stamp>,
    /// Per sector: its newest founders and companies, and its newest date.
    pub sectors: Vec<(Vec<Item>, Option<Stamp>)>,
    /// The latest dated changes of any listed kind, newest first: at most as many as a
    /// page lists (`paginate`) or a feed holds (`feed_limit`), whichever is more.
    pub changes: Vec<Change>,
}

impl Latest {
    /// Chooses the newest profiles: by date, newest first, then companies before founders
    /// and by slug (the order of their URLs).
    pub fn new(cfg: &Config, site: &Site, dated: &Dated) -> Latest {
        let c = &site.content;
        let when = |k: Kind, i: usize, sources: &Option<Vec<Cited>>| {
            dated.get(k, i).updated.or_else(|| cited(sources))
        };
        let founders = (0..c.founders.len()).map(|i| {
            let date = when(Kind::Founder, i, &c.founders[i].original().fm.sources);
            (Kind::Founder, i, date)
        });
        let companies = (0..c.companies.len()).map(|i| {
            let date = when(Kind::Company, i, &c.companies[i].original().fm.sources);
            (Kind::Company, i, date)
        });
        let mut all: Vec<Item> = companies.chain(founders).collect();
        // Stable: equal dates keep companies first, each kind in slug order.
        all.sort_by_key(|e| std::cmp::Reverse(e.2));
        let sector_of = |k: Kind, i: usize| match k {
            Kind::Founder => site.target(Rel::FounderSector, i),
            _ => site.target(Rel::CompanySector, i),
        };
        let top = |keep: &dyn Fn(&Item) -> bool, n: usize| -> Vec<Item> {
            all.iter().copied().filter(|e| keep(e)).take(n).collect()
        };
        let sectors = (0..c.sectors.len())
            .map(|s| {
                let mine = top(&|&(k, i, _)| sector_of(k, i) == Some(s), cfg.feed_limit);
                let newest = mine.first().and_then(|e| e.2);
                (mine, newest)
            })
            .collect();
        // The home page's latest additions: by when each was added, where that is known.
        let mut added: Vec<(usize, Option<Stamp>)> = (0..c.founders.len())
            .map(|i| {
                let d = dated.get(Kind::Founder, i);
                let date = d
                    .added
                    .or(d.updated)
                    .or_else(|| cited(&c.founders[i].original().fm.sources));
                (i, date)
            })
            .collect();
        added.sort_by_key(|e| std::cmp::Reverse(e.1));
        Latest {
            founders: added.into_iter().take(HOME).map(|e| e.0).collect(),
            feed: top(&|_| true, cfg.feed_limit),
            newest: all.first().and_then(|e| e.2),
            sectors,
            changes: changes(cfg, site, dated),
        }
    }
}

/// The latest dated changes of founders, companies, sectors and employers.
fn changes(cfg: &Config, site: &Site, dated: &Dated) -> Vec<Change> {
    let mut all: Vec<Change> = Kind::LISTED
        .into_iter()
        .flat_map(|kind| (0..site.count(kind)).map(move |i| (kind, i)))
        .filter_map(|(kind, i)| {
            let d = dated.get(kind, i);
            Some(Change {
                kind,
                i,
                when: d.updated?,
                added: d.is_addition(),
            })
        })
        .collect();
    // Stable: equal dates keep the kinds' order, each kind in slug order.
    all.sort_by_key(|c| std::cmp::Reverse(c.when));
    all.truncate(cfg.paginate.max(cfg.feed_limit));
    all
}
