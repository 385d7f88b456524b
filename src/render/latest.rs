//! The newest profiles, chosen once among all of them: the home page's latest founders
//! and every feed's entries. A derived value: pages that show it depend on the choice
//! (and on the profiles chosen), not on every profile's date.

use crate::config::Config;
use crate::content::{Kind, PartialDate, Source as Cited};
use crate::resolve::Site;

/// How many founders the home page shows as the latest.
pub const HOME: usize = 6;

/// A profile's date: the newest of its sources' dates.
fn date(sources: &Option<Vec<Cited>>) -> Option<PartialDate> {
    sources.iter().flatten().filter_map(|s| s.date).max()
}

/// A profile and its date.
pub type Item = (Kind, usize, Option<PartialDate>);

/// The newest founders and companies, site-wide and per sector.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Latest {
    /// The newest founders (the home page).
    pub founders: Vec<usize>,
    /// The newest founders and companies with their dates (the site's feed).
    pub feed: Vec<Item>,
    /// The newest date of all.
    pub newest: Option<PartialDate>,
    /// Per sector: its newest founders and companies, and its newest date.
    pub sectors: Vec<(Vec<Item>, Option<PartialDate>)>,
}

impl Latest {
    /// Chooses the newest profiles: by date, newest first, then companies before founders
    /// and by slug (the order of their URLs).
    pub fn new(cfg: &Config, site: &Site) -> Latest {
        let c = &site.content;
        let founders = (0..c.founders.len())
            .map(|i| (Kind::Founder, i, date(&c.founders[i].original().fm.sources)));
        let companies = (0..c.companies.len()).map(|i| {
            (
                Kind::Company,
                i,
                date(&c.companies[i].original().fm.sources),
            )
        });
        let mut all: Vec<Item> = companies.chain(founders).collect();
        // Stable: equal dates keep companies first, each kind in slug order.
        all.sort_by_key(|e| std::cmp::Reverse(e.2));
        let sector_of = |k: Kind, i: usize| match k {
            Kind::Founder => site.founder_sector[i],
            _ => site.company_sector[i],
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
        Latest {
            founders: top(&|e| e.0 == Kind::Founder, HOME)
                .into_iter()
                .map(|e| e.1)
                .collect(),
            feed: top(&|_| true, cfg.feed_limit),
            newest: all.first().and_then(|e| e.2),
            sectors,
        }
    }
}
