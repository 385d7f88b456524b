//! Integration tests: one binary, a fixture harness that copies a site into a temp dir.

mod about;
mod architecture;
mod build;
mod cli;
mod data;
mod diff;
mod errors;
mod front_matter;
mod glossary;
mod history;
mod hostile;
mod images;
mod incremental;
mod incremental_build;
mod init;
mod marks;
mod mv;
mod output;
mod pathological;
mod props;
mod real_site;
mod safety;
mod scale;
mod schema;
mod search_index;
mod serve;
mod source_links;
mod version;
mod workflows;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A site copied into a temporary directory, with the repository's default theme.
pub struct Site {
    pub dir: tempfile::TempDir,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The pages of a site that its search index must hold, in every language: one per profile
/// (founder, company, sector, employer) and free page of its content, as paths below the
/// language prefix ("founders/zhang-san/", "about/"). Read from the content files of the
/// default language (zh), which make a page in every language; drafts are left out.
pub fn searchable_pages(root: &Path) -> BTreeSet<String> {
    let mut pages = BTreeSet::new();
    for kind in ["founders", "companies", "sectors", "employers", "pages"] {
        let Ok(dir) = std::fs::read_dir(root.join("content").join(kind)) else {
            continue;
        };
        for entry in dir {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(slug) = name.strip_suffix(".zh.md") else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            if slug.starts_with('_') || text.lines().any(|l| l.trim() == "draft: true") {
                continue;
            }
            pages.insert(match kind {
                "pages" => format!("{slug}/"),
                _ => format!("{kind}/{slug}/"),
            });
        }
    }
    pages
}

/// One profile of a site's content, as an editor wrote it: the slug, the default-language
/// front matter and, where it exists, the English file's.
pub struct Profile {
    pub slug: String,
    pub zh: serde_yaml::Value,
    pub en: Option<serde_yaml::Value>,
}

impl Profile {
    /// A neutral field (written once, in the default-language file) as text.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.zh.get(key).and_then(serde_yaml::Value::as_str)
    }

    /// The name in `lang` ("zh" or "en"), falling back to the original.
    pub fn name(&self, lang: &str) -> &str {
        let own = match lang {
            "en" => self.en.as_ref().and_then(|v| v.get("name")),
            _ => None,
        };
        own.or_else(|| self.zh.get("name"))
            .and_then(serde_yaml::Value::as_str)
            .unwrap_or_else(|| panic!("{} has no name", self.slug))
    }

    /// Old slugs kept as redirects.
    pub fn aliases(&self) -> Vec<String> {
        self.zh
            .get("aliases")
            .and_then(serde_yaml::Value::as_sequence)
            .map(|s| {
                s.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The published profiles of one section (`founders`, `companies`...) of the site at
/// `root`, read from its content files: expectations of the real site come from here,
/// never from numbers written in a test. Drafts and section introductions are left out.
pub fn profiles(root: &Path, section: &str) -> Vec<Profile> {
    let front = |path: &Path| -> serde_yaml::Value {
        let text = std::fs::read_to_string(path).unwrap();
        let head = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---"))
            .unwrap_or_else(|| panic!("{}: no front matter", path.display()))
            .0;
        serde_yaml::from_str(head).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let dir = root.join("content").join(section);
    let mut out: Vec<Profile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_owned();
            let slug = name.strip_suffix(".zh.md")?.to_owned();
            if slug.starts_with('_') {
                return None;
            }
            let zh = front(&path);
            if zh.get("draft").and_then(serde_yaml::Value::as_bool) == Some(true) {
                return None;
            }
            let en_path = dir.join(format!("{slug}.en.md"));
            let en = en_path.is_file().then(|| front(&en_path));
            Some(Profile { slug, zh, en })
        })
        .collect();
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}

/// The real site and a copy of it grown as editors grow it (scripts/grow-site), each built
/// once for every test of the real site; a test of the real site runs on both.
pub fn real_sites() -> [&'static Site; 2] {
    static REAL: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
    static GROWN: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
    let built = |site: Site| {
        site.build_ok(&[]);
        site
    };
    [
        REAL.get_or_init(|| built(Site::real())),
        GROWN.get_or_init(|| built(Site::grown())),
    ]
}

/// Text as it appears in a page's HTML.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every file under `dir`, by its path below `dir`, with its bytes: what a test compares
/// to say that a tree changed, or did not.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Site {
    /// Runs `dossier ARGS`; fails the test if it runs for more than two minutes (a hang is
    /// a bug the tests of bad input exist to catch). Returns
    /// (exit code, stderr).
    pub fn run_bounded(&self, args: &[&str]) -> (Option<i32>, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                panic!("`dossier {}` hung", args.join(" "));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Copies `tests/fixtures/<name>` and `themes/default`.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        Site { dir }
    }

    /// The real site of this repository (content, themes, site.yaml).
    pub fn real() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("content"), &dir.path().join("content"));
        copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        Site { dir }
    }

    /// The real site grown as an editor grows it: a fictional founder and company added and
    /// a founder renamed with `dossier mv` (scripts/grow-site, which the browser tests use
    /// as well).
    pub fn grown() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("bash")
            .arg(repo().join("scripts/grow-site"))
            .arg(dir.path())
            .env("DOSSIER_BIN", env!("CARGO_BIN_EXE_dossier"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/grow-site failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Site { dir }
    }

    /// The site's root directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    /// Runs `dossier ARGS` with the site as the working directory.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    /// Builds and asserts success; returns stdout.
    pub fn build_ok(&self, args: &[&str]) -> String {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Builds, asserts exit status 1, returns stderr with the temp dir removed.
    pub fn build_err(&self) -> String {
        let out = self.run(&["build"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "expected exit 1; stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr)
            .replace(&self.dir.path().display().to_string(), "[SITE]")
    }

    /// Every output file and its bytes, for comparing two states of output/.
    pub fn output_snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        tree(&self.path("output"))
    }
}
