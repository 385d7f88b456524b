//! What one step of the dev server renders: the outputs that read a source that changed
//! since the last good build (found through the dependency map), the new ones, and,
//! when the site's outputs changed, a new plan.

use std::collections::{BTreeMap, BTreeSet};

use super::built::{Built, Step};
use crate::bodies::Fresh;
use crate::config::{Config, LangId, PerLang};
use crate::content::Kind;
use crate::deps::Dep;
use crate::error::Result;
use crate::output::SitePath;
use crate::pipeline::Front;
use crate::render::{self, Env, OutputId};
use crate::resolve::Site;

/// Takes the site's plan, finds what to render since `old` (without one: everything, or
/// nothing when `lazy`, which leaves every output to be rendered later) and renders it.
/// The sources found changed are added to `pending`.
pub(super) fn step(
    cfg: &Config,
    old: Option<&Built>,
    front: &Front,
    env: &Env,
    pending: &mut BTreeSet<Dep>,
    lazy: bool,
) -> Result<Step> {
    let site = &front.site;
    let nav = PerLang::build(&cfg.langs, |l| nav_key(env, l));
    let ids = env.plan.to_vec();
    // The same outputs as before (nothing added, removed, renamed or paginated anew,
    // the same aliases): the old plan stands. Outputs are named by kind and slug
    // (`content::Key`), so an output's name means the same profile from one change to
    // the next; the members and aliases are compared too, as what the plan was made from.
    let same = |o: &&Built| {
        o.plan_ids == ids
            && crate::bodies::same_members(&o.site, site)
            && o.site.aliases == site.aliases
    };
    let replan = match old.filter(same) {
        Some(_) => None,
        None => Some(
            ids.iter()
                .map(|id| Ok((id.path(cfg)?, *id)))
                .collect::<Result<BTreeMap<SitePath, OutputId>>>()?,
        ),
    };
    let todo: Vec<OutputId> = match old {
        None if lazy => Vec::new(),
        None => ids.clone(),
        Some(old) => {
            pending.extend(derived_changes(cfg, old, site, &front.fresh, env, &nav));
            let affected = old.deps.affected(&*pending);
            match &replan {
                None => affected
                    .iter()
                    .filter_map(|p| old.plan.get(p).copied())
                    .collect(),
                // What was rendered and read a changed source, and what is new. An output
                // planned before but not rendered yet is rendered later, from the build
                // of that time: it reads no source of the old build.
                Some(plan) => plan
                    .iter()
                    .filter(|(p, _)| affected.contains(*p) || !old.plan.contains_key(*p))
                    .map(|(_, id)| *id)
                    .collect(),
            }
        }
    };
    // After an edit, the open data waits until the browser has the edited pages.
    let (todo, later): (Vec<OutputId>, Vec<OutputId>) = match old {
        Some(_) => todo.into_iter().partition(|id| !id.is_bulk()),
        None => (todo, Vec::new()),
    };
    Ok(Step {
        pages: render::outputs(env, &todo, true)?,
        ids,
        replan,
        later,
        nav,
        derived: env.derived(),
    })
}

/// A language's `site` context and language names, serialized for comparison.
fn nav_key(env: &Env, lang: LangId) -> String {
    let labels: Vec<&str> = env.labels.values().copied().collect();
    serde_json::to_string(&(&env.site_ctx[lang], labels)).unwrap_or_default()
}

/// The profiles whose lists show profile `i` of `kind` through a reference: those its
/// front matter names (the reference graph, `resolve::graph`), with their backlinks.
fn related(site: &Site, kind: Kind, i: usize) -> Vec<(Kind, usize)> {
    site.named_by(kind, i)
}

/// The profiles of `kind` that differ between the old site and the new: entries not
/// shared with the old site (changed or added) with their index in `site`, and entries
/// of the old site gone from the new.
fn changed_entries(old: &Site, site: &Site, kind: Kind) -> (Vec<usize>, Vec<usize>) {
    let same = |a: &Site, i: usize, b: &Site, j: usize| {
        a.content.entry(kind, i).same(b.content.entry(kind, j))
    };
    let find = |s: &Site, slug: &crate::content::Slug| s.lookup(kind, slug.as_str());
    let changed = (0..site.count(kind))
        .filter(|&i| {
            let j = if i < old.count(kind) && old.slug(kind, i) == site.slug(kind, i) {
                Some(i)
            } else {
                find(old, site.slug(kind, i))
            };
            !j.is_some_and(|j| same(old, j, site, i))
        })
        .collect();
    let gone = (0..old.count(kind))
        .filter(|&j| find(site, old.slug(kind, j)).is_none())
        .collect();
    (changed, gone)
}

/// The sources whose derived values differ between the last good build and now: the
/// members of each kind; the backlinks of profiles related to a changed one; bodies
/// rendered anew; navigation, language names, charts and filter choices.
fn derived_changes(
    cfg: &Config,
    old: &Built,
    site: &Site,
    fresh: &Fresh,
    env: &Env,
    nav: &PerLang<String>,
) -> Vec<Dep> {
    let mut out = Vec::new();
    let mark = |s: &Site, kind: Kind, i: usize, out: &mut Vec<Dep>| {
        for (k, x) in related(s, kind, i) {
            let slug = s.slug(k, x);
            out.extend(cfg.lang_ids().map(|l| Dep::Fields(k, slug.clone(), l)));
        }
    };
    for kind in Kind::ALL {
        let members_changed = old.site.count(kind) != site.count(kind)
            || (0..site.count(kind)).any(|i| old.site.slug(kind, i) != site.slug(kind, i));
        if members_changed {
            out.push(Dep::Members(kind));
        }
        let (changed, gone) = changed_entries(&old.site, site, kind);
        let slugs = |s: &Site, i: usize| -> Vec<(Kind, String)> {
            related(s, kind, i)
                .into_iter()
                .map(|(k, x)| (k, s.slug(k, x).to_string()))
                .collect()
        };
        for i in changed {
            let before = old.site.lookup(kind, site.slug(kind, i).as_str());
            // The pages that show this profile read it already; only a changed reference
            // changes someone else's lists.
            if before.is_some_and(|j| slugs(&old.site, j) == slugs(site, i)) {
                continue;
            }
            mark(site, kind, i, &mut out);
            if let Some(j) = before {
                mark(&old.site, kind, j, &mut out);
            }
        }
        for j in gone {
            mark(&old.site, kind, j, &mut out);
        }
    }
    for &(kind, i, lang) in fresh {
        out.push(Dep::Body(kind, site.slug(kind, i).clone(), lang));
    }
    for l in cfg.lang_ids() {
        if old.nav[l] != nav[l] {
            out.push(Dep::Nav(l));
            out.push(Dep::Labels);
        }
        if old.derived.charts[l] != env.charts[l] {
            out.push(Dep::Charts(l));
        }
        if old.derived.filters[l] != env.filters[l] {
            out.push(Dep::Filters(l));
        }
    }
    if old.derived.latest != env.latest {
        out.push(Dep::Latest);
    }
    if old.derived.dated != env.dated {
        out.push(Dep::Dates);
    }
    out
}
