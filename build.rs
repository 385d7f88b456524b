//! Build script: the commit dossier is built from and that commit's date, for
//! `dossier --version` (`dossier 0.1.0 (abc1234 2026-12-07)`). Without git, or outside a
//! checkout of this repository (a crate unpacked from a registry), both are `unknown`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `git ARGS` in `dir`; its trimmed output, or None when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    // Only the repository whose root holds this Cargo.toml says which commit this is: a
    // copy of the crate inside some other repository is not that repository's commit.
    let ours = git(&manifest, &["rev-parse", "--show-toplevel"])
        .and_then(|top| PathBuf::from(top).canonicalize().ok())
        .is_some_and(|top| manifest.canonicalize().is_ok_and(|m| m == top));
    let (commit, date) = if ours {
        (
            git(&manifest, &["rev-parse", "--short=7", "HEAD"]),
            git(&manifest, &["log", "-1", "--format=%cs", "HEAD"]),
        )
    } else {
        (None, None)
    };
    let unknown = || "unknown".to_owned();
    println!(
        "cargo:rustc-env=DOSSIER_COMMIT={}",
        commit.unwrap_or_else(unknown)
    );
    println!(
        "cargo:rustc-env=DOSSIER_COMMIT_DATE={}",
        date.unwrap_or_else(unknown)
    );
    println!("cargo:rerun-if-changed=build.rs");
    // A new commit moves HEAD or the branch it points to (or packed-refs): run again then.
    // Only files that exist are named; a missing one would make every build run this again.
    if ours {
        let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
        if let Some(branch) = git(&manifest, &["symbolic-ref", "-q", "HEAD"]) {
            watched.push(branch);
        }
        for name in watched {
            if let Some(path) = git(&manifest, &["rev-parse", "--git-path", &name]) {
                let path = manifest.join(path);
                if path.is_file() {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
    }
    // `dossier init` embeds the default theme: a file added to it must rebuild dossier.
    println!("cargo:rerun-if-changed=themes/default");
}
