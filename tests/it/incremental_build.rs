//! An incremental `dossier build` writes, byte for byte, the site a clean build of the
//! same sources writes: after random sequences of edits of every kind, and after a build
//! killed at a random moment.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dossier::{Mode, Options};

use crate::incremental::{line_of, portrait, random_change, two_sectors, Rng, Sequence, ARMS};
use crate::{tree, Site};

fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        mode: Mode::Build,
        ..Options::default()
    }
}

/// Kinds of change a build sees beyond the dev server's: a rename with `dossier mv`, an
/// alias, a portrait, a static file, and a commit (which changes the dates pages show).
const BUILD_ARMS: [&str; 5] = ["mv", "alias", "image", "static", "commit"];

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A site under git, with a second sector and two founders to rename and remove, and a
/// search index in shards of three records: an edit leaves most of them standing, and
/// founders added or removed change how many there are.
fn start(rng: &mut Rng, seq: &mut Sequence) -> Site {
    let site = two_sectors();
    let yaml = site.read("site.yaml") + "search_shard_size: 3\n";
    site.write("site.yaml", &yaml);
    let add = ARMS.iter().position(|a| *a == "add").unwrap();
    for _ in 0..2 {
        assert!(random_change(&site, add, rng, 0, seq, &mut Vec::new()));
    }
    site.write(
        ".gitignore",
        "/output/\n/.dossier-cache/\n/.output.dossier-*\n",
    );
    git(site.root(), &["init", "-q"]);
    git(site.root(), &["add", "-A"]);
    git(site.root(), &["commit", "-qm", "start"]);
    site
}

/// One change of a build-only kind; false when it cannot be made now.
fn build_change(site: &Site, arm: &str, rng: &mut Rng, step: usize, seq: &mut Sequence) -> bool {
    match arm {
        "mv" if !seq.added.is_empty() => {
            let i = rng.below(seq.added.len());
            seq.next += 1;
            let to = format!("new-{}", seq.next);
            let out = site.run(&["mv", "founder", &seq.added[i], &to]);
            assert!(
                out.status.success(),
                "dossier mv: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            seq.added[i] = to;
            true
        }
        "mv" => false,
        "alias" => {
            let rel = "content/founders/zhang-san.zh.md";
            let text = site.read(rel);
            let new = match line_of(site, rel, "aliases:") {
                Some(line) => text.replacen(&format!("{line}\n"), "", 1),
                None => text.replacen("---\n", &format!("---\naliases: [old-{step}]\n"), 1),
            };
            site.write(rel, &new);
            true
        }
        "image" => {
            std::fs::write(
                site.path("content/founders/li-si.png"),
                portrait(rng.below(200) as u8),
            )
            .unwrap();
            let rel = "content/founders/li-si.zh.md";
            if line_of(site, rel, "photo:").is_none() {
                let text = site.read(rel).replacen(
                    "---\n",
                    "---\nphoto: {src: li-si.png, alt: {zh: 照片, en: A photo}, credit: 测试, license: CC0}\n",
                    1,
                );
                site.write(rel, &text);
            }
            true
        }
        "static" => {
            let rel = "themes/default/static/style.css";
            let text = site.read(rel);
            site.write(rel, &format!("{text}\n/* step {step} */\n"));
            true
        }
        "commit" => {
            git(site.root(), &["add", "-A"]);
            git(
                site.root(),
                &["commit", "-qm", &format!("step {step}"), "--allow-empty"],
            );
            true
        }
        other => unreachable!("no change of kind {other}"),
    }
}

/// Copies the sources of `site` (its history too) and builds them from scratch.
fn clean_build(site: &Site) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(site.root())
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() != 1
                || !(name == "output"
                    || name == ".dossier-cache"
                    || name.ends_with("dossier-spare"))
        })
    {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(site.root()).unwrap();
        let target = copy.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dossier::build_clean(&options(copy.path())).unwrap();
    tree(&copy.path().join("output"))
}

/// Fails unless the site's output is the clean build's, file by file.
fn same_as_clean(site: &Site, what: &str) {
    let ours = tree(&site.path("output"));
    let clean = clean_build(site);
    let names = |t: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        t.keys()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&ours),
        names(&clean),
        "{what}: the set of files differs"
    );
    for (p, bytes) in &ours {
        assert!(
            bytes == &clean[p],
            "{what}: {} differs\n--- incremental:\n{}\n--- clean:\n{}",
            p.display(),
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&clean[p])
        );
    }
}

#[test]
fn random_sequences_of_edits_build_the_same_site_as_clean_builds() {
    let all = ARMS.len() + BUILD_ARMS.len();
    let mut made = vec![0usize; all];
    // More seeds locally: DOSSIER_EXACT_SEEDS=20.
    let seeds: u64 = std::env::var("DOSSIER_EXACT_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let mut rendered_some = false;
    // How many shards the search index had after each step.
    let mut shard_counts = std::collections::BTreeSet::new();
    for seed in 0..seeds {
        let mut rng = Rng(0x9e37_79b9 ^ (seed * 7919 + 1));
        let mut seq = Sequence::default();
        let site = start(&mut rng, &mut seq);
        dossier::build(&options(site.root())).unwrap();
        for step in 1..=all + 4 {
            let mut names = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let (arm, _) =
                    seq.make_one(&mut rng, all, |arm, rng, seq| match arm < ARMS.len() {
                        true => random_change(&site, arm, rng, step, seq, &mut Vec::new()),
                        false => build_change(&site, BUILD_ARMS[arm - ARMS.len()], rng, step, seq),
                    });
                made[arm] += 1;
                names.push(ARMS.iter().chain(&BUILD_ARMS).nth(arm).unwrap());
            }
            let what = format!("seed {seed}, step {step}: {names:?}");
            let report =
                dossier::build(&options(site.root())).unwrap_or_else(|e| panic!("{what}: {e:?}"));
            let (n, of) = report.rendered.unwrap();
            rendered_some |= n < of;
            same_as_clean(&site, &what);
            let listed: Vec<String> =
                serde_json::from_str(&site.read("output/pagefind/shards.json")).unwrap();
            shard_counts.insert(listed.len() + 1);
        }
    }
    for (arm, name) in ARMS.iter().chain(&BUILD_ARMS).enumerate() {
        assert!(
            made[arm] > 0,
            "no change of kind {name:?} was made: {made:?}"
        );
    }
    assert!(rendered_some, "no build rendered less than the whole site");
    // Edits left some shards standing and re-indexed others, and founders added and
    // removed changed how many shards there are.
    assert!(
        shard_counts.len() > 1 && shard_counts.iter().all(|&k| k > 1),
        "shards: {shard_counts:?}"
    );
}

/// `dossier build` of `site` started in a process of its own, its output kept when `piped`.
fn spawn_build(site: &Site, piped: bool) -> std::process::Child {
    let out = || if piped { Stdio::piped() } else { Stdio::null() };
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(site.root())
        .stdout(out())
        .stderr(out())
        .spawn()
        .unwrap()
}

/// Runs `dossier build` and kills it (SIGKILL) after `after`; true when it was killed
/// before it ended.
fn build_killed_after(site: &Site, after: Duration) -> bool {
    let mut child = spawn_build(site, false);
    let start = Instant::now();
    while start.elapsed() < after {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    killed
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_next_build_exact() {
    let mut rng = Rng(4242);
    let mut seq = Sequence::default();
    let site = start(&mut rng, &mut seq);
    assert!(site.run(&["build"]).status.success());
    // How long the last whole build took: the next is killed somewhere within it.
    let mut whole = 50usize;
    let mut killed = 0;
    for step in 1..=12 {
        let arm = seq.draw(&mut rng);
        random_change(&site, arm, &mut rng, step, &mut seq, &mut Vec::new());
        if build_killed_after(&site, Duration::from_millis(rng.below(whole) as u64)) {
            killed += 1;
        }
        // The output is whole after a kill: the previous site or the new one.
        assert!(site.path("output/index.html").is_file(), "step {step}");
        let t = Instant::now();
        let out = site.run(&["build"]);
        whole = t.elapsed().as_millis().max(20) as usize;
        assert!(
            out.status.success(),
            "step {step}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        same_as_clean(
            &site,
            &format!("step {step}, after a killed build ({})", ARMS[arm]),
        );
    }
    assert!(
        killed >= 4,
        "only {killed} of 12 builds were killed before they ended"
    );
}

#[test]
fn a_corrupt_or_foreign_state_is_set_aside_with_a_note() {
    let site = Site::fixture("basic");
    assert!(site.run(&["build"]).status.success());
    let state = site.path(".dossier-cache/build/state");
    let bytes = std::fs::read(&state).unwrap();
    for (what, broken) in [
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("corrupt", {
            let mut b = bytes.clone();
            let n = b.len();
            b[n - 10] ^= 0xff;
            b
        }),
        ("empty", Vec::new()),
    ] {
        std::fs::write(&state, &broken).unwrap();
        let out = site.run(&["build"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{what}: {err}");
        assert!(
            err.contains("state was set aside")
                && err.lines().filter(|l| l.contains("state")).count() == 1,
            "{what}: {err}"
        );
        same_as_clean(&site, what);
    }
    // A state of another format (an upgraded dossier) says so.
    let mut other = std::fs::read(&state).unwrap();
    other[15] = b'9';
    std::fs::write(&state, &other).unwrap();
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && err.contains("another version of dossier"),
        "{err}"
    );
    same_as_clean(&site, "of another format");
    // Other settings: a state for another base URL is not used, and says so.
    let out = site.run(&["build", "--base-url", "https://example.org/x/"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("other settings"));
    // Unchanged since: the next build renders nothing and says so.
    let out = site.run(&["build", "--base-url", "https://example.org/x/"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(" 0 of "), "{said}");
}

/// A build started while another holds the site's lock says so and waits for it, as cargo
/// does, then builds: two builds of one site never fail each other (nor a test's build a
/// process that inherited the lock for the moment between fork and exec).
#[test]
fn a_build_waits_for_the_build_before_it() {
    let site = Site::fixture("basic");
    dossier::build(&options(site.root())).unwrap();
    let lock = std::fs::File::open(site.path(".dossier-cache/build/lock")).unwrap();
    lock.lock().unwrap();
    let child = spawn_build(&site, true);
    std::thread::sleep(Duration::from_millis(1500));
    drop(lock);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.starts_with(
            "note: waiting for another `dossier build` of this site to finish (it holds .dossier-cache/build/lock)"
        ),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("built "));
}
