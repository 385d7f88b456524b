//! Careless and hostile front matter: each problem is reported at its line and column
//! with a hint, within a bounded time, and values are kept as written.

use crate::Site;

/// A founder of the basic fixture, without a company (so each case stands alone).
const GOOD: &str = "---
name: 王五
former_title: 总监
former_employer: acme
sector: agents
sources:
  - title: 一篇文章
    date: 2024-03-25
---

正文。
";

#[test]
fn every_front_matter_problem_is_located_with_a_hint() {
    let site = Site::fixture("basic");
    let deep_flow = format!("name: {}x{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_block: String = (0..400)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    // Nine anchors, each a list of nine aliases of the one before: 9^10 values.
    let mut bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n".to_owned();
    for (prev, c) in ('a'..'j').zip('b'..='j') {
        let list = vec![format!("*{prev}"); 9].join(", ");
        bomb += &format!("{c}: &{c} [{list}]\n");
    }
    // (file slug, text, expected `line:col: error: message`, expected hint)
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "unclosed",
            GOOD.replace("---\n\n正文", "\n正文"),
            "1:1: error: front matter is not closed",
            "a line holding only `---`",
        ),
        (
            "dashes-in-a-line",
            GOOD.replace("---\n\n正文", "--- 正文\n"),
            "1:1: error: front matter is not closed",
            "a line holding only `---`",
        ),
        (
            "duplicate-key",
            GOOD.replace("sector: agents", "sector: agents\nsector: agents"),
            "6:1: error: duplicate entry with key \"sector\"",
            "remove one of the two",
        ),
        (
            "unknown-key",
            GOOD.replace("sector: agents", "sectr: agents"),
            "5:1: error: unknown field `sectr`",
            "did you mean `sector`?",
        ),
        (
            "empty-value",
            GOOD.replace("name: 王五", "name:"),
            "2:1: error: `name` is required but has no value",
            "write the value after `name:`",
        ),
        (
            "null-value",
            GOOD.replace("name: 王五", "name: null"),
            "2:1: error: `name` is required but has no value",
            "write the value after `name:`",
        ),
        (
            "tilde-value",
            GOOD.replace("name: 王五", "name: ~"),
            "2:1: error: `name` is required but has no value",
            "write the value after `name:`",
        ),
        (
            "blank-value",
            GOOD.replace("name: 王五", "name: \"  \""),
            "2:1: error: `name` is required but has no value",
            "write the value after `name:`",
        ),
        (
            "empty-list",
            GOOD.replace(
                "sources:\n  - title: 一篇文章\n    date: 2024-03-25",
                "sources: []",
            ),
            "6:1: error: `sources` is required but has no value",
            "write the value after `sources:`",
        ),
        (
            "tab",
            GOOD.replace("  - title", "\t- title"),
            "7:1: error: found character that cannot start any token",
            "replace the tab with spaces",
        ),
        (
            "bad-nested-date",
            GOOD.replace("2024-03-25", "2024-13-25"),
            "8:11: error: sources[0]: `2024-13-25` is not a date",
            "",
        ),
        (
            "alias-bomb",
            GOOD.replace("sector: agents\n", &format!("sector: agents\n{bomb}")),
            "7:1: error: repetition limit exceeded",
            "write the values out",
        ),
        (
            "deep-flow",
            GOOD.replace("name: 王五", &deep_flow),
            "2:39: error: brackets nested deeper than 32 levels",
            "short lists and small maps",
        ),
        (
            "deep-block",
            GOOD.replace(
                "sector: agents\n",
                &format!("sector: agents\nx:\n{deep_block}"),
            ),
            "error: recursion limit exceeded",
            "more than 128 levels deep",
        ),
    ];
    for (slug, text, _, _) in &cases {
        site.write(&format!("content/founders/{slug}.zh.md"), text);
    }
    let (code, err) = site.run_bounded(&["build"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for (slug, _, at, hint) in &cases {
        let place = format!("content/founders/{slug}.zh.md:");
        let Some(i) = err.find(&place) else {
            panic!("no error for {slug}:\n{err}")
        };
        let report = &err[i..];
        let report = &report[..report.find("\n\n").unwrap_or(report.len())];
        assert!(report.contains(at), "{slug}: expected `{at}` in\n{report}");
        assert!(
            report.contains(hint),
            "{slug}: expected hint `{hint}` in\n{report}"
        );
        // Snippets stay short, even for a line of 200,000 brackets.
        assert!(report.lines().all(|l| l.chars().count() < 200), "{slug}");
    }
}

#[test]
fn values_are_kept_as_written_and_line_endings_do_not_matter() {
    let site = Site::fixture("basic");
    let cases = [
        ("no", "NO"),
        ("version", "1.10"),
        ("zero", "012345"),
        ("month", "2023-04"),
    ];
    for (slug, title) in cases {
        site.write(
            &format!("content/founders/{slug}.zh.md"),
            &GOOD.replace("former_title: 总监", &format!("former_title: {title}")),
        );
    }
    // Windows line ends and a byte-order mark.
    site.write(
        "content/founders/crlf.zh.md",
        &format!("\u{feff}{}", GOOD.replace('\n', "\r\n")),
    );
    let (code, err) = site.run_bounded(&["build"]);
    assert_eq!(code, Some(0), "{err}");
    for (slug, title) in cases {
        let html = site.read(&format!("output/founders/{slug}/index.html"));
        assert!(
            html.contains(&format!("\"jobTitle\":\"{title}\"")),
            "{slug}: `{title}` was not kept as written"
        );
    }
    let html = site.read("output/founders/crlf/index.html");
    assert!(
        html.contains("<h1>王五</h1>") || html.contains(">王五<"),
        "crlf"
    );
    assert!(html.contains("\"jobTitle\":\"总监\""));
}
