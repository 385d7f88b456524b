//! The GitHub workflows: valid YAML, the right actions and permissions, and the build
//! command the README documents.

use crate::repo;

fn load(name: &str) -> (String, serde_yaml::Value) {
    let text = std::fs::read_to_string(repo().join(".github/workflows").join(name)).unwrap();
    let v: serde_yaml::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    (text, v)
}

fn steps(v: &serde_yaml::Value, job: &str) -> Vec<serde_yaml::Value> {
    v["jobs"][job]["steps"]
        .as_sequence()
        .unwrap_or_else(|| panic!("job {job} has no steps"))
        .clone()
}

fn uses(steps: &[serde_yaml::Value]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| s["uses"].as_str().map(str::to_owned))
        .collect()
}

fn runs(steps: &[serde_yaml::Value]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn pages_workflow_builds_checks_and_deploys() {
    let (_, v) = load("pages.yml");
    let on = &v["on"];
    assert_eq!(on["push"]["branches"][0].as_str(), Some("main"));
    assert!(on.get("workflow_dispatch").is_some());
    assert_eq!(v["permissions"]["contents"].as_str(), Some("read"));
    assert_eq!(v["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(v["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(v["concurrency"]["group"].as_str(), Some("pages"));
    let build = steps(&v, "build");
    let used = uses(&build);
    for action in [
        "actions/checkout@v4",
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v3",
        "Swatinem/rust-cache@v2",
    ] {
        assert!(used.iter().any(|u| u == action), "pages.yml lacks {action}");
    }
    assert!(uses(&steps(&v, "deploy"))
        .iter()
        .any(|u| u == "actions/deploy-pages@v4"));
    let commands = runs(&build);
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("cargo run --release -- check")),
        "{commands:?}"
    );
    let build_step = commands
        .iter()
        .find(|c| c.contains("-- build"))
        .expect("a build step");
    let builds: Vec<&str> = build_step
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("cargo run"))
        .collect();
    // The README's build command: with the Pages base URL, or as is for a custom domain.
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- build"));
    assert_eq!(
        builds,
        [
            "cargo run --release -- build",
            "cargo run --release -- build --base-url \"${{ steps.pages.outputs.base_url }}/\""
        ]
    );
    assert!(build_step.contains("grep -Eq '^custom_domain:' site.yaml"));
}

#[test]
fn ci_workflow_runs_fmt_clippy_and_the_readme_test_command() {
    let (_, v) = load("ci.yml");
    assert!(v["on"].get("push").is_some() && v["on"].get("pull_request").is_some());
    let commands = runs(&steps(&v, "test"));
    assert!(commands.contains(&"cargo fmt --check".to_owned()));
    assert!(commands
        .iter()
        .any(|c| c.contains("cargo clippy") && c.contains("-D warnings")));
    assert!(commands
        .iter()
        .any(|c| c.starts_with("cargo run --release -- check")));
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("\nscripts/test\n"),
        "README must name the test command"
    );
    assert!(commands.contains(&"scripts/test".to_owned()));
    let ci_run = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    assert!(ci_run.lines().any(|l| l.trim() == "./scripts/test"));
}
