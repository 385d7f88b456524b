//! `dossier init DIR`: a new site that builds and passes the check as written, with the
//! default theme as this binary has it, an example of each kind in each language, and a
//! Pages workflow that actionlint accepts; a directory with anything in it is refused.

use std::path::Path;
use std::process::{Command, Output};

use crate::{repo, Site};

fn dossier(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// A site made by `dossier init` in an empty temporary directory.
fn init() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["init", "."], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("created a new site in . ("), "{stdout}");
    Site { dir }
}

#[test]
fn init_writes_a_site_that_builds_and_passes_the_check() {
    let site = init();
    for file in [
        "site.yaml",
        ".gitignore",
        ".github/workflows/pages.yml",
        ".github/ISSUE_TEMPLATE/correction.yml",
        "themes/default/templates/base.html",
        "themes/default/archetypes/founder.zh.md",
    ] {
        assert!(site.path(file).is_file(), "{file}");
    }
    // One example of each kind, in each language, and they refer to each other.
    for (section, slug) in [
        ("founders", "example-founder"),
        ("companies", "example-company"),
        ("sectors", "example-sector"),
        ("employers", "example-employer"),
        ("pages", "about"),
    ] {
        for lang in ["zh", "en"] {
            let text = site.read(&format!("content/{section}/{slug}.{lang}.md"));
            assert!(
                section == "pages" || text.contains("example"),
                "{section}/{slug}.{lang}.md is not marked as an example"
            );
        }
    }
    let founder = site.read("content/founders/example-founder.zh.md");
    for line in [
        "company: example-company",
        "sector: example-sector",
        "former_employer: example-employer",
    ] {
        assert!(founder.contains(line), "{line}");
    }
    let gitignore = site.read(".gitignore");
    assert!(gitignore.lines().any(|l| l == "output/"));
    assert!(gitignore.lines().any(|l| l == ".dossier-cache/"));
    // What a new site must decide is in site.yaml, with a word on each.
    let yaml = site.read("site.yaml");
    for key in [
        "title:",
        "base_url:",
        "languages:",
        "default_language:",
        "# repository:",
    ] {
        assert!(
            yaml.lines().any(|l| l.starts_with(key)),
            "site.yaml lacks {key}"
        );
    }
    // The site needs the dossier that wrote it (its theme is that dossier's).
    assert!(
        yaml.lines()
            .any(|l| l == format!("min_dossier_version: \"{}\"", env!("CARGO_PKG_VERSION"))),
        "{yaml}"
    );
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 errors, 0 warnings"));
    site.build_ok(&[]);
    assert!(site
        .read("output/founders/example-founder/index.html")
        .contains("示例创业者"));
    assert!(site
        .read("output/en/companies/example-company/index.html")
        .contains("Example Founder"));
    // `repository:`, uncommented, turns on the links to the source.
    site.write(
        "site.yaml",
        &yaml.replace("# repository: OWNER/NAME", "repository: me/my-directory"),
    );
    site.build_ok(&[]);
    assert!(site
        .read("output/founders/example-founder/index.html")
        .contains(
            "https://github.com/me/my-directory/edit/main/content/founders/example-founder.zh.md"
        ));
}

#[test]
fn the_theme_init_writes_is_the_default_theme_byte_for_byte() {
    let site = init();
    let theme = repo().join("themes/default");
    let (want, got) = (
        crate::tree(&theme),
        crate::tree(&site.path("themes/default")),
    );
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    assert!(
        got == want,
        "a file of the theme differs from themes/default"
    );
    // The correction form is dossier's own.
    assert_eq!(
        site.read(".github/ISSUE_TEMPLATE/correction.yml"),
        std::fs::read_to_string(repo().join(".github/ISSUE_TEMPLATE/correction.yml")).unwrap()
    );
}

#[test]
fn a_directory_with_anything_in_it_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    std::fs::write(dir.path().join("taken/notes.txt"), "mine").unwrap();
    let out = dossier(&["init", "taken"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: taken is not empty (it holds notes.txt): `dossier init` writes a new site only into a new or empty directory"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("taken"))
        .unwrap()
        .collect();
    assert_eq!(left.len(), 1, "init wrote into a directory it refused");
    // A file is refused too.
    let out = dossier(&["init", "taken/notes.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a file"));
    // An empty directory, or one with only `.git` (just made by `git init`), is fine.
    std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
    assert!(dossier(&["init", "repo"], dir.path()).status.success());
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    assert!(dossier(&["init", "empty"], dir.path()).status.success());
}

#[test]
fn the_pages_workflow_of_a_new_site_passes_actionlint_and_installs_this_version() {
    let site = init();
    let text = site.read(".github/workflows/pages.yml");
    assert!(
        text.contains(&format!(
            "DOSSIER_VERSION: \"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = v["jobs"]["build"]["steps"].as_sequence().unwrap();
    let runs: String = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    for needle in [
        "cargo binstall --no-confirm --locked \"dossier@$DOSSIER_VERSION\"",
        "dossier check",
        "dossier build --base-url \"$PAGES_URL/\"",
    ] {
        assert!(runs.contains(needle), "the workflow lacks {needle}");
    }
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses
        .iter()
        .any(|u| u.starts_with("actions/upload-pages-artifact@")));
    let deploy = v["jobs"]["deploy"]["steps"][0]["uses"].as_str().unwrap();
    assert!(deploy.starts_with("actions/deploy-pages@"));
    let out = match Command::new("actionlint")
        .args(["-no-color", "-oneline", ".github/workflows/pages.yml"])
        .current_dir(site.root())
        .output()
    {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "actionlint is missing (.ci/run installs it)"
            );
            eprintln!("skipped: actionlint is not installed (allowed outside CI only)");
            return;
        }
        Err(e) => panic!("actionlint: {e}"),
    };
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
