//! `dossier --version`: the version, the commit and its date, from build.rs, which falls
//! back to `unknown` without git instead of failing the build.

use std::path::PathBuf;
use std::process::Command;

use crate::repo;

/// `git ARGS` in the repository, or None without git or outside a checkout.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo())
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[test]
fn version_names_the_commit_and_its_date() {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    let want = match (
        git(&["rev-parse", "--short=7", "HEAD"]),
        git(&["log", "-1", "--format=%cs", "HEAD"]),
    ) {
        (Some(commit), Some(date)) => format!("{commit} {date}"),
        _ => "unknown unknown".to_owned(),
    };
    assert_eq!(
        line,
        format!("dossier {} ({want})\n", env!("CARGO_PKG_VERSION"))
    );
}

/// The build script this binary was built with: the newest `build-script-build` of this
/// package in the target directory.
fn build_script() -> Option<PathBuf> {
    let target = PathBuf::from(env!("CARGO_BIN_EXE_dossier"));
    let build = target.parent()?.join("build");
    std::fs::read_dir(build)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("dossier-"))
        .map(|e| e.path().join("build-script-build"))
        .filter(|p| p.is_file())
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
}

#[test]
fn without_git_the_build_says_unknown_and_succeeds() {
    let script = build_script().expect("the build script of this build");
    // No git on PATH: the script cannot run it.
    let out = Command::new(&script)
        .env("PATH", "")
        .env("CARGO_MANIFEST_DIR", repo())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("cargo:rustc-env=DOSSIER_COMMIT=unknown\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cargo:rustc-env=DOSSIER_COMMIT_DATE=unknown\n"),
        "{stdout}"
    );
    // A copy of the crate outside any repository (as a registry unpacks it): unknown too.
    let copy = tempfile::tempdir().unwrap();
    let out = Command::new(&script)
        .env("CARGO_MANIFEST_DIR", copy.path())
        .current_dir(copy.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("DOSSIER_COMMIT=unknown\n"));
}
