//! The last build's state, matched with the trees on disk now.

use super::state::{self, State, Tree};
use super::tree;
use crate::config::Config;

/// The last build's state as it applies to the trees on disk now.
pub(super) struct Prev {
    pub state: State,
    /// The output's files, when the output is the tree the state describes.
    pub out: Option<Tree>,
    /// The spare's files, likewise (and not left half-written by a killed build).
    pub spare: Option<Tree>,
}

pub(super) fn trees(cfg: &Config, state: Option<State>) -> Option<Prev> {
    let mut state = state?;
    let out_id = state::identity(&cfg.output_dir);
    let spare_path = tree::spare_of(&cfg.output_dir);
    let dirty = state::dir(cfg).join("spare-dirty").exists();
    let spare_id = state::identity(&spare_path).filter(|_| !dirty);
    let mut out = None;
    let mut spare = None;
    for t in std::mem::take(&mut state.trees) {
        if out.is_none() && out_id == Some(t.id) {
            out = Some(t);
        } else if spare.is_none() && spare_id == Some(t.id) {
            spare = Some(t);
        }
    }
    Some(Prev { state, out, spare })
}
