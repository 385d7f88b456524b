//! The outputs of the dev server's build that are planned but not rendered yet: after a
//! full build, all of them. A request renders the one it asks for; the background renders
//! the others, HTML pages first, then the feeds, redirects and sitemaps, the share cards
//! and the open data.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::output::SitePath;
use crate::render::OutputId;

/// The outputs not rendered yet, and the order the background renders them in.
#[derive(Default)]
pub(super) struct Unrendered {
    set: HashSet<SitePath>,
    /// Each path with its rank, the next to render last; may still hold paths rendered
    /// since (on request) or no longer planned, which are passed over.
    queue: Vec<(SitePath, u8)>,
}

/// The rank of the open data, which reads every profile: one such file takes as long to
/// render as hundreds of pages.
const BULK: u8 = 3;

/// When the background renders an output: what a reader opens first, first.
fn rank(id: OutputId) -> u8 {
    if id.is_bulk() {
        BULK
    } else if id.is_html() {
        0
    } else if matches!(id, OutputId::Card(..)) {
        2
    } else {
        1
    }
}

impl Unrendered {
    /// Every output of `plan` (`ids` in plan order), none rendered.
    pub(super) fn all(plan: &BTreeMap<SitePath, OutputId>, ids: &[OutputId]) -> Unrendered {
        let place: HashMap<OutputId, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut queue: Vec<(u8, usize, &SitePath)> = plan
            .iter()
            .map(|(p, id)| (rank(*id), place.get(id).copied().unwrap_or(usize::MAX), p))
            .collect();
        // Reversed: the first to render is last.
        queue.sort_unstable_by(|a, b| b.cmp(a));
        Unrendered {
            set: plan.keys().cloned().collect(),
            queue: queue.into_iter().map(|(r, _, p)| (p.clone(), r)).collect(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.set.len()
    }

    /// Every path not rendered yet.
    pub(super) fn paths(&self) -> impl Iterator<Item = &SitePath> {
        self.set.iter()
    }

    /// Takes `path` out (it is being rendered); false when it was not waiting.
    pub(super) fn take(&mut self, path: &SitePath) -> bool {
        self.set.remove(path)
    }

    /// Puts back a path taken out whose rendering failed.
    pub(super) fn restore(&mut self, path: SitePath) {
        self.set.insert(path);
    }

    /// The next `n` paths in the background's order, left waiting until [`Unrendered::done`];
    /// a file of the open data only alone, so that one chunk never holds several.
    pub(super) fn next(&mut self, n: usize) -> Vec<SitePath> {
        // What was rendered since (on request, or the last chunk) leaves the queue.
        while self
            .queue
            .last()
            .is_some_and(|(p, _)| !self.set.contains(p))
        {
            self.queue.pop();
        }
        let mut out = Vec::new();
        for (p, rank) in self.queue.iter().rev() {
            if out.len() == n {
                break;
            }
            if !self.set.contains(p) {
                continue;
            }
            if *rank == BULK && !out.is_empty() {
                break;
            }
            out.push(p.clone());
            if *rank == BULK {
                break;
            }
        }
        out
    }

    /// Marks `paths` rendered.
    pub(super) fn done(&mut self, paths: &[SitePath]) {
        for p in paths {
            self.set.remove(p);
        }
    }

    /// Forgets the paths no longer planned, and returns them.
    pub(super) fn forget_unplanned(
        &mut self,
        plan: &BTreeMap<SitePath, OutputId>,
    ) -> Vec<SitePath> {
        let gone: Vec<SitePath> = self
            .set
            .iter()
            .filter(|p| !plan.contains_key(*p))
            .cloned()
            .collect();
        for p in &gone {
            self.set.remove(p);
        }
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LangId;

    #[test]
    fn pages_come_before_cards_and_open_data_and_each_path_once() {
        let l = LangId::DEFAULT;
        let ids = [
            OutputId::DataPackage(l),
            OutputId::Card(None, l),
            OutputId::Robots,
            OutputId::Home(l),
            OutputId::NotFound,
        ];
        let path = |s: &str| SitePath::new(s.to_owned()).unwrap();
        let names = [
            "data/datapackage.json",
            "card.png",
            "robots.txt",
            "index.html",
            "404.html",
        ];
        let plan: BTreeMap<SitePath, OutputId> =
            names.iter().zip(ids).map(|(n, id)| (path(n), id)).collect();
        let mut u = Unrendered::all(&plan, &ids);
        assert_eq!(u.len(), 5);
        assert!(u.take(&path("404.html")));
        assert!(!u.take(&path("404.html")));
        let first = u.next(10);
        let order: Vec<String> = first.iter().map(|p| p.to_string()).collect();
        assert_eq!(order, ["index.html", "robots.txt", "card.png"]);
        assert_eq!(u.next(2), first[..2], "waiting until done");
        u.done(&first);
        assert_eq!(
            u.next(10),
            [path("data/datapackage.json")],
            "the open data alone"
        );
        assert!(u.take(&path("data/datapackage.json")));
        assert_eq!(u.len(), 0);
        assert!(u.next(10).is_empty());
        u.restore(path("data/datapackage.json"));
        assert_eq!(u.len(), 1);
    }
}
