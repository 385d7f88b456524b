//! `--output` never deletes what dossier did not write, and the swap into place is
//! atomic: a build killed at any moment leaves the previous output byte for byte.

use std::process::Command;
use std::time::Instant;

use crate::{tree, Site};

/// Runs `dossier build --output OUT`; asserts exit status 2 and returns stderr.
fn refused(site: &Site, out: &str) -> String {
    let o = site.run(&["build", "--output", out]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "--output {out}: {err}");
    assert!(err.contains("refusing to write the site into"), "{err}");
    err
}

#[test]
fn the_sources_are_never_an_output() {
    let site = Site::fixture("basic");
    let content = tree(&site.path("content"));
    let themes = tree(&site.path("themes"));
    for out in [
        "content",
        "content/founders",
        "themes",
        "themes/default/static",
        ".",
        "..",
    ] {
        refused(&site, out);
    }
    // Through a symlink too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.path("content"), site.path("link")).unwrap();
        refused(&site, "link");
    }
    assert_eq!(tree(&site.path("content")), content);
    assert_eq!(tree(&site.path("themes")), themes);
}

#[test]
fn a_directory_dossier_did_not_write_is_refused() {
    let site = Site::fixture("basic");
    site.write("docs/guide.md", "# Guide\n");
    let err = refused(&site, "docs");
    assert!(err.contains("has no .dossier-output file"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(site.read("docs/guide.md"), "# Guide\n");
    // A file in the way.
    site.write("notes.txt", "keep me\n");
    let err = refused(&site, "notes.txt");
    assert!(err.contains("it is a file"), "{err}");
    assert_eq!(site.read("notes.txt"), "keep me\n");
}

#[test]
fn empty_absent_and_earlier_outputs_are_replaced() {
    let site = Site::fixture("basic");
    std::fs::create_dir(site.path("empty")).unwrap();
    site.build_ok(&["--output", "empty"]);
    site.build_ok(&["--output", "fresh/site"]);
    assert!(site.path("fresh/site/index.html").is_file());
    // Built once, it carries the marker, so the next build may replace it.
    assert!(site.path("empty/.dossier-output").is_file());
    site.write("empty/leftover.html", "stale");
    site.build_ok(&["--output", "empty"]);
    assert!(!site.path("empty/leftover.html").exists());
}

#[test]
fn staging_left_by_a_killed_build_is_removed_by_the_next() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    // The pid of a process that has ended.
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    for tag in ["new", "old"] {
        site.write(&format!(".output.dossier-{tag}-{dead}/index.html"), "half");
    }
    site.build_ok(&[]);
    let left: Vec<_> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The processing cache stays, on purpose, and so does the spare tree (the site
        // before this one, which the next build updates into the site after it).
        .filter(|n| {
            n.contains(".dossier-") && n != ".dossier-cache" && n != ".output.dossier-spare"
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// SIGKILL at any moment of a build: the output is the previous site or the new one,
/// whole, never a mix and never missing.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site() {
    let site = Site::fixture("basic");
    let file = "content/founders/zhang-san.zh.md";
    let old_text = site.read(file);
    let new_text = old_text.replace("name: 张三", "name: 张三丰");
    site.write(file, &new_text);
    site.build_ok(&[]);
    let new = tree(&site.path("output"));
    site.write(file, &old_text);
    // How long a build takes here, to spread the kills over it.
    let start = Instant::now();
    site.build_ok(&[]);
    let span = start.elapsed();
    let old = tree(&site.path("output"));
    assert_ne!(old, new);
    site.write(file, &new_text);
    let mut interrupted = 0;
    for i in 0..12u32 {
        let wait = span * i / 10;
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("build")
            .current_dir(site.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(wait);
        let _ = child.kill();
        child.wait().unwrap();
        let now = tree(&site.path("output"));
        if now == old {
            interrupted += 1;
            continue;
        }
        assert!(
            now == new,
            "killed after {wait:?}: the output is neither the old site nor the new one"
        );
        // The build finished: put the old site back for the next kill.
        site.write(file, &old_text);
        site.build_ok(&[]);
        site.write(file, &new_text);
    }
    // Some kills landed before the swap, or the test proved nothing.
    assert!(interrupted > 0);
}

// Regression: `--output .git/refs/tags` (empty, so replaceable) was accepted and the site
// was written into the repository's refs. No directory inside a git directory, at any
// depth, and no directory the site reads from, is an output.
#[test]
fn an_output_inside_a_git_directory_is_refused() {
    let site = Site::fixture("basic");
    std::fs::create_dir_all(site.path(".git/refs/tags")).unwrap();
    std::fs::write(site.path(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::create_dir_all(site.path(".git/objects")).unwrap();
    for out in [".git/refs/tags", ".git/refs/tags/new", ".git/x/y/z"] {
        let err = refused(&site, out);
        assert!(
            err.contains("it is inside the git directory"),
            "{out}: {err}"
        );
    }
    // A bare repository has no `.git` in its name.
    std::fs::create_dir_all(site.path("elsewhere/repo.git/refs/heads")).unwrap();
    std::fs::create_dir_all(site.path("elsewhere/repo.git/objects")).unwrap();
    std::fs::write(
        site.path("elsewhere/repo.git/HEAD"),
        "ref: refs/heads/main\n",
    )
    .unwrap();
    let err = refused(&site, "elsewhere/repo.git/refs/heads");
    assert!(err.contains("it is inside the git directory"), "{err}");
    // The processing cache and every source stay refused; a sibling of them is fine.
    refused(&site, ".dossier-cache/x");
    site.build_ok(&["--output", "elsewhere/site"]);
}
