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
    /// Popped from the end; may still hold paths rendered since (on request) or no longer
    /// planned, which are passed over.
    queue: Vec<SitePath>,
}

/// When the background renders an output: what a reader opens first, first.
fn rank(id: OutputId) -> u8 {
    if id.is_html() {
        0
    } else if id.is_bulk() {
        3
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
        // Reversed: the first to render is popped first.
        queue.sort_unstable_by(|a, b| b.cmp(a));
        Unrendered {
            set: plan.keys().cloned().collect(),
            queue: queue.into_iter().map(|(_, _, p)| p.clone()).collect(),
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

    /// Takes out the next `n` paths in the background's order.
    pub(super) fn next(&mut self, n: usize) -> Vec<SitePath> {
        let mut out = Vec::new();
        while out.len() < n {
            let Some(p) = self.queue.pop() else { break };
            if self.set.remove(&p) {
                out.push(p);
            }
        }
        out
    }

    /// Puts back paths taken out whose rendering failed: they are tried again first.
    pub(super) fn put_back(&mut self, paths: Vec<SitePath>) {
        for p in paths.into_iter().rev() {
            self.set.insert(p.clone());
            self.queue.push(p);
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
        let order: Vec<String> = u.next(10).iter().map(|p| p.to_string()).collect();
        assert_eq!(
            order,
            [
                "index.html",
                "robots.txt",
                "card.png",
                "data/datapackage.json"
            ]
        );
        assert_eq!(u.len(), 0);
        u.put_back(vec![path("robots.txt"), path("card.png")]);
        assert_eq!(u.next(1), [path("robots.txt")]);
    }
}
