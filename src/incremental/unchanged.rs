//! A build whose sources are the last build's: every input file (content, theme,
//! `site.yaml`) hashed, and the commit the history is read from. When they are what the
//! state recorded and the output is the site it recorded, file for file, there is
//! nothing to do.

use std::path::Path;

use rayon::prelude::*;

use super::state::{self, State};
use super::tree;
use crate::config::Config;

/// A hash of everything a build reads: the files under `content/` and the theme, and
/// `site.yaml`, by path and bytes; the commit `HEAD` names and whether the clone is
/// shallow (the history's dates). None when a file cannot be read.
pub fn digest(cfg: &Config) -> Option<[u8; 32]> {
    let mut files: Vec<std::path::PathBuf> = vec![cfg.root.join("site.yaml")];
    for dir in [cfg.root.join("content"), cfg.theme_dir.clone()] {
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let e = e.ok()?;
            if e.file_type().is_file() {
                files.push(e.into_path());
            }
        }
    }
    let hashes: Vec<[u8; 32]> = files
        .par_iter()
        .map(|p| {
            let bytes = std::fs::read(p).ok()?;
            let mut h = blake3::Hasher::new();
            h.update(cfg.shown(p).to_string_lossy().as_bytes());
            h.update(&[0]);
            h.update(&bytes);
            Some(*h.finalize().as_bytes())
        })
        .collect::<Option<_>>()?;
    let mut h = blake3::Hasher::new();
    for x in &hashes {
        h.update(x);
    }
    h.update(&git(&cfg.root, &["rev-parse", "HEAD"]));
    h.update(&git(&cfg.root, &["rev-parse", "--is-shallow-repository"]));
    Some(*h.finalize().as_bytes())
}

/// What `git ARGS` prints in the site's root (nothing without git or a repository).
fn git(root: &Path, args: &[&str]) -> Vec<u8> {
    std::process::Command::new("git")
        .args(args)
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output()
        .map(|o| {
            let mut v = o.status.code().unwrap_or(-1).to_le_bytes().to_vec();
            v.extend(o.stdout);
            v
        })
        .unwrap_or_default()
}

/// Whether the output is, file for file, the site the state recorded for these sources.
pub fn nothing_to_do(cfg: &Config, state: &State, digest: &[u8; 32]) -> bool {
    // All zeros: a file could not be read, so nothing is known of the inputs.
    let known = *digest != [0; 32];
    if !known || state.inputs != *digest || state::identity(&cfg.output_dir) != Some(state.current)
    {
        return false;
    }
    let Some(t) = state.trees.iter().find(|t| t.id == state.current) else {
        return false;
    };
    let names: Vec<&str> = t.files.keys().map(String::as_str).collect();
    tree::verified(&cfg.output_dir, t, &names).len() == names.len()
}
