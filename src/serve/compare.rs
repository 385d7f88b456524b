//! What a change did to the config and the theme: the comparisons of their old and new
//! versions that tell the dev server what to render again.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::config::Config;
use crate::deps::Dep;
use crate::error::Result;
use crate::output::SitePath;
use crate::render::Theme;

/// Whether two configs differ in their cities at most (anything else renders every page).
pub(super) fn same_but_cities(a: &Config, b: &Config) -> bool {
    let mut a = a.clone();
    a.cities = b.cities.clone();
    &a == b
}

/// The theme's static files.
pub(super) fn read_statics(cfg: &Config) -> Result<BTreeMap<SitePath, Arc<Vec<u8>>>> {
    let dir = cfg.theme_dir.join("static");
    Ok(crate::finish::static_files(&dir)?
        .into_iter()
        .map(|f| (f.path, Arc::new(f.body.into_bytes())))
        .collect())
}

/// Static files that changed: (path, removed).
pub(super) fn changed_statics(
    old: &BTreeMap<SitePath, Arc<Vec<u8>>>,
    new: &BTreeMap<SitePath, Arc<Vec<u8>>>,
) -> Vec<(SitePath, bool)> {
    let changed = new
        .iter()
        .filter(|(p, b)| old.get(*p) != Some(*b))
        .map(|(p, _)| (p.clone(), false));
    let removed = old
        .keys()
        .filter(|p| !new.contains_key(*p))
        .map(|p| (p.clone(), true));
    changed.chain(removed).collect()
}

/// The templates and interface strings an edit of the theme changed.
pub(super) fn theme_changes(cfg: &Config, old: &Theme, new: &Theme) -> Vec<Dep> {
    let names: BTreeSet<&String> = old.sources.keys().chain(new.sources.keys()).collect();
    let templates = names
        .into_iter()
        .filter(|n| old.sources.get(*n) != new.sources.get(*n))
        .map(|n| Dep::Template(n.clone()));
    let mut out: Vec<Dep> = templates.collect();
    let archetypes: BTreeSet<&String> =
        old.archetypes.keys().chain(new.archetypes.keys()).collect();
    out.extend(
        archetypes
            .into_iter()
            .filter(|n| old.archetypes.get(*n) != new.archetypes.get(*n))
            .map(|n| Dep::Template(format!("archetypes/{n}"))),
    );
    for l in cfg.lang_ids() {
        let (a, b) = (&old.i18n[l], &new.i18n[l]);
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for k in keys.into_iter().filter(|k| a.get(*k) != b.get(*k)) {
            out.push(Dep::I18n(l, k.clone()));
            if k == "language_name" {
                out.push(Dep::Labels);
            }
        }
    }
    out
}
