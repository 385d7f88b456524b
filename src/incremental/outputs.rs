//! Which outputs stand, and the new site's files with what each read.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::prev::Prev;
use super::state::{self, State};
use super::tree::{self, From, Target};
use super::values::{Values, MISSING};
use crate::config::{Config, LangId};
use crate::deps::Dep;
use crate::error::Result;
use crate::output::{OutFile, SitePath};
use crate::render::{self, Env};
use crate::search::kept;
use crate::search::Record;

/// The outputs whose every recorded source has the same value now and whose file in the
/// output is the one recorded; and the values computed.
pub(super) fn reusable(
    cfg: &Config,
    prev: &Prev,
    values: &Values,
    paths: &[SitePath],
) -> (HashSet<usize>, Vec<u128>) {
    let now: Vec<u128> = prev
        .state
        .deps
        .par_iter()
        .map(|(d, _)| values.of(d))
        .collect();
    let changed: Vec<bool> = prev
        .state
        .deps
        .iter()
        .zip(&now)
        .map(|((_, was), is)| was != is)
        .collect();
    let Some(out) = &prev.out else {
        return (HashSet::new(), now);
    };
    let candidates: Vec<usize> = (0..paths.len())
        .filter(|&i| {
            let p = paths[i].as_str();
            prev.state.outputs.get(p).is_some_and(|o| {
                o.deps.iter().all(|&d| !changed[d as usize])
                    && out.files.get(p).is_some_and(|s| s.hash == o.hash)
            })
        })
        .collect();
    let names: Vec<&str> = candidates.iter().map(|&i| paths[i].as_str()).collect();
    let ok = tree::verified(&cfg.output_dir, out, &names);
    let reused = candidates
        .into_iter()
        .filter(|&i| ok.contains(paths[i].as_str()))
        .collect();
    (reused, now)
}

/// A page's search record in this build: rendered now, or as the last build kept it.
pub(super) struct Slot {
    pub record: Option<Arc<Record>>,
    pub lang: LangId,
    pub url: String,
    pub hash: u128,
}

/// The new site's files but the search index, and its records in the site's order.
pub(super) struct Files {
    pub targets: Vec<Target>,
    pub records: Vec<Slot>,
}

/// What [`files`] works from.
pub(super) struct Made<'a> {
    pub env: &'a Env<'a>,
    pub paths: &'a [SitePath],
    /// Each rendered output's place in `paths`.
    pub rendered_at: Vec<usize>,
    pub reused: &'a HashSet<usize>,
    pub prev: Option<&'a Prev>,
    /// The value now of each source of the last build's state (`State::deps`).
    pub now: &'a [u128],
    pub values: &'a Values<'a>,
}

/// Every file of the site but the search index; fills in `next`'s outputs and sources.
pub(super) fn files(m: Made, rendered: Vec<render::Output>, next: &mut State) -> Result<Files> {
    let mut deps = Interner::default();
    let mut targets = Vec::with_capacity(m.paths.len() + 64);
    let mut slots: Vec<Option<Slot>> = (0..m.paths.len()).map(|_| None).collect();
    if let Some(p) = m.prev {
        stand(p, &m, &mut deps, next, &mut targets, &mut slots);
    }
    fresh(&m, rendered, &mut deps, next, &mut targets, &mut slots);
    next.deps = deps.table;
    let extra = crate::finish::static_files(&m.env.theme.static_dir)?;
    for f in extra.into_iter().chain(m.env.images.files()) {
        targets.push(Target {
            hash: f.hash(),
            path: f.path,
            from: From::New(f.body),
        });
    }
    Ok(Files {
        targets,
        records: slots.into_iter().flatten().collect(),
    })
}

/// The outputs that stand keep what they read, at the values they read.
fn stand(
    p: &Prev,
    m: &Made,
    deps: &mut Interner,
    next: &mut State,
    targets: &mut Vec<Target>,
    slots: &mut [Option<Slot>],
) {
    for &i in m.reused {
        let path = m.paths[i].as_str();
        let Some(o) = p.state.outputs.get(path) else {
            continue;
        };
        let list = o.deps.iter().map(|&d| deps.old(p, d));
        let out = state::Output {
            deps: list.collect(),
            record: o.record.clone(),
            hash: o.hash,
        };
        if let Some((lang, url, hash)) = &o.record {
            slots[i] = Some(Slot {
                record: None,
                lang: *lang,
                url: url.clone(),
                hash: *hash,
            });
        }
        next.outputs.insert(path.to_owned(), out);
        targets.push(Target {
            path: m.paths[i].clone(),
            hash: o.hash,
            from: From::Output,
        });
    }
}

/// The outputs rendered in this build, compacted, with the values of what they read.
fn fresh(
    m: &Made,
    rendered: Vec<render::Output>,
    deps: &mut Interner,
    next: &mut State,
    targets: &mut Vec<Target>,
    slots: &mut [Option<Slot>],
) {
    let mut files: Vec<OutFile> = Vec::with_capacity(rendered.len());
    let mut reads = Vec::with_capacity(rendered.len());
    for o in rendered {
        files.push(o.file);
        reads.push((o.deps, o.record));
    }
    if m.env.cfg.minify {
        crate::finish::minify(&mut files);
    }
    let last: HashMap<&Dep, u32> = m.prev.map_or_else(HashMap::new, |p| {
        let used = reads
            .iter()
            .flat_map(|(d, _)| d.iter())
            .collect::<HashSet<&Dep>>();
        (p.state.deps.iter().enumerate())
            .filter(|(_, (d, _))| used.contains(d))
            .map(|(i, (d, _))| (d, i as u32))
            .collect()
    });
    let mut new: Vec<Dep> = reads
        .iter()
        .flat_map(|(d, _)| d.iter())
        .filter(|d| !last.contains_key(*d))
        .cloned()
        .collect();
    new.sort_unstable();
    new.dedup();
    let computed: HashMap<Dep, u128> = new
        .into_par_iter()
        .map(|d| {
            let v = m.values.of(&d);
            (d, v)
        })
        .collect();
    for ((f, (read, record)), &at) in files.into_iter().zip(reads).zip(&m.rendered_at) {
        let list = read
            .iter()
            .map(|d| match (m.prev, last.get(d)) {
                (Some(p), Some(&i)) => deps.old_now(p, i, m.now[i as usize]),
                _ => deps.add(d, computed.get(d).copied().unwrap_or(MISSING)),
            })
            .collect();
        let hash = f.hash();
        let record = record.map(Arc::new);
        let kept = record
            .as_ref()
            .map(|r| (r.lang, r.url.clone(), kept::hash(r)));
        if let (Some(r), Some((lang, url, h))) = (&record, &kept) {
            slots[at] = Some(Slot {
                record: Some(r.clone()),
                lang: *lang,
                url: url.clone(),
                hash: *h,
            });
        }
        next.outputs.insert(
            f.path.to_string(),
            state::Output {
                deps: list,
                record: kept,
                hash,
            },
        );
        targets.push(Target {
            path: f.path,
            hash,
            from: From::New(f.body),
        });
    }
}

/// Sources as a table, each once: those of the last state by their index there, new ones
/// by value.
#[derive(Default)]
struct Interner {
    table: Vec<(Dep, u128)>,
    /// Each source of the last state: its index in `table`, once entered.
    remap: Vec<u32>,
    index: HashMap<Dep, u32>,
}

impl Interner {
    /// Source `d` of the last state, at the value it had then.
    fn old(&mut self, p: &Prev, d: u32) -> u32 {
        let v = p.state.deps[d as usize].1;
        self.old_now(p, d, v)
    }

    /// Source `d` of the last state, at value `v`.
    fn old_now(&mut self, p: &Prev, d: u32, v: u128) -> u32 {
        if self.remap.is_empty() {
            self.remap = vec![u32::MAX; p.state.deps.len()];
        }
        let slot = &mut self.remap[d as usize];
        if *slot == u32::MAX {
            *slot = self.table.len() as u32;
            self.table.push((p.state.deps[d as usize].0.clone(), v));
        }
        *slot
    }

    /// A source the last state did not have.
    fn add(&mut self, dep: &Dep, value: u128) -> u32 {
        if let Some(&i) = self.index.get(dep) {
            return i;
        }
        let i = self.table.len() as u32;
        self.table.push((dep.clone(), value));
        self.index.insert(dep.clone(), i);
        i
    }
}
