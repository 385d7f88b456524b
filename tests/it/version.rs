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

/// The fixture with `line` appended to its site.yaml.
fn site_requiring(line: &str) -> crate::Site {
    let site = crate::Site::fixture("basic");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}{line}\n"));
    site
}

/// The line number `min_dossier_version:` has in the fixture's site.yaml once appended.
fn requirement_line() -> usize {
    let yaml = std::fs::read_to_string(repo().join("tests/fixtures/basic/site.yaml")).unwrap();
    yaml.lines().count() + 1
}

#[test]
fn a_site_that_needs_a_newer_dossier_is_refused_with_the_install_hint() {
    let site = site_requiring("min_dossier_version: \"99.1\"");
    let line = requirement_line();
    let want = format!(
        "site.yaml:{line}:22: error: this site needs dossier 99.1.0 or later; this is dossier {v}\n   |\n{line} | min_dossier_version: \"99.1\"\n   |                      ^\n  = hint: {hint}\n\nerror: 1 error found\n",
        v = env!("CARGO_PKG_VERSION"),
        hint = dossier::version::INSTALL_HINT,
    );
    assert_eq!(site.build_err(), want);
    // Every command that reads the site refuses it the same way, and writes nothing.
    for args in [&["check"][..], &["new", "founder", "wang-wu"]] {
        let out = site.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), want, "{args:?}");
    }
    assert!(!site.path("output").exists());
    assert!(!site.path("content/founders/wang-wu.zh.md").exists());
}

#[test]
fn the_requirement_is_checked_before_keys_this_dossier_does_not_know() {
    // A site written for a newer dossier may use its new keys: the version is what to fix.
    let site = site_requiring("min_dossier_version: 99.0.0\nsome_future_key: true");
    let err = site.build_err();
    assert!(
        err.contains("this site needs dossier 99.0.0 or later"),
        "{err}"
    );
    assert!(!err.contains("unknown field"), "{err}");
}

#[test]
fn a_requirement_that_is_not_a_version_is_an_error_at_its_line() {
    let line = requirement_line();
    for value in ["\">= 0.1\"", "latest", "1"] {
        let site = site_requiring(&format!("min_dossier_version: {value}"));
        let err = site.build_err();
        assert!(
            err.starts_with(&format!(
                "site.yaml:{line}:22: error: `min_dossier_version` must be a version such as \"0.2\" or \"0.2.1\""
            )),
            "{value}: {err}"
        );
        assert!(
            err.contains("= hint: write the oldest dossier release"),
            "{err}"
        );
    }
}

#[test]
fn a_site_this_dossier_satisfies_builds_exactly_as_without_the_requirement() {
    let plain = crate::Site::fixture("basic");
    plain.build_ok(&[]);
    let v = env!("CARGO_PKG_VERSION");
    let minor = v.rsplit_once('.').unwrap().0;
    for value in [format!("\"{v}\""), minor.to_owned(), "0.0.1".to_owned()] {
        let site = site_requiring(&format!("min_dossier_version: {value}"));
        site.build_ok(&[]);
        assert!(
            site.output_snapshot() == plain.output_snapshot(),
            "min_dossier_version: {value} changed the output"
        );
    }
}
