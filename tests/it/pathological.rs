//! Pathological Markdown and code: nesting thousands deep, huge lines, the inputs that
//! were quadratic in pulldown-cmark's history, odd code blocks. Every stage is iterative
//! (pulldown-cmark's parser and HTML writer, the compactor, the check scanner), so none
//! has a depth limit; each input builds and checks without a crash, within a bound that
//! only a hang would pass.

use crate::Site;

/// A free page holding `body`.
fn page(site: &Site, slug: &str, body: &str) {
    site.write(
        &format!("content/pages/{slug}.zh.md"),
        &format!("---\ntitle: {slug}\n---\n\n{body}\n"),
    );
    site.write(
        &format!("content/pages/{slug}.en.md"),
        &format!("---\ntitle: {slug}\n---\n\nText.\n"),
    );
}

#[test]
fn deep_nesting_builds_and_checks() {
    let site = Site::fixture("basic");
    const DEEP: usize = 20_000;
    page(&site, "quotes", &format!("{} deep", ">".repeat(DEEP)));
    page(&site, "lists", &format!("{}deep", "- ".repeat(DEEP)));
    page(&site, "ordered", &format!("{}deep", "1. ".repeat(DEEP)));
    page(&site, "mixed", &format!("{}deep", "> - ".repeat(DEEP / 2)));
    page(
        &site,
        "indented",
        &(0..2000)
            .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
            .collect::<String>(),
    );
    let (code, err) = site.run_bounded(&["build"]);
    assert_eq!(code, Some(0), "{err}");
    let html = site.read("output/quotes/index.html");
    assert_eq!(html.matches("<blockquote>").count(), DEEP);
    assert_eq!(html.matches("</blockquote>").count(), DEEP);
    // The same page without the list has no more than a handful of `<ul>` (navigation).
    let lists = site.read("output/lists/index.html").matches("<ul>").count();
    let others = site
        .read("output/quotes/index.html")
        .matches("<ul>")
        .count();
    assert_eq!(lists - others, DEEP);
    let (code, err) = site.run_bounded(&["check"]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn quadratic_cases_and_huge_lines_finish() {
    let site = Site::fixture("basic");
    let n = 50_000;
    let cases = [
        // Unclosed and nested brackets, emphasis and code spans: each was quadratic in
        // an earlier pulldown-cmark.
        ("brackets", "[".repeat(n)),
        (
            "closed-brackets",
            format!("{}x{}", "[".repeat(n), "](u)".repeat(n)),
        ),
        ("stars", format!("{}x", "*a **a ".repeat(n / 4))),
        ("underscores", "_a __a ".repeat(n / 4)),
        (
            "backticks",
            (1..400).map(|i| "`".repeat(i) + "a").collect::<String>(),
        ),
        (
            "link-refs",
            "[a]: <b>\n".repeat(n / 10) + &"[a] ".repeat(n / 10),
        ),
        ("angles", "<".repeat(n) + &"a>".repeat(n)),
        ("entities", "&#x1;&amp;&nbsp;".repeat(n / 4)),
        (
            "table",
            format!("|{}\n|{}\n", "a|".repeat(2000), "-|".repeat(2000)),
        ),
        ("long-line", "汉字 and words ".repeat(200_000)),
        ("many-lines", "line\n".repeat(200_000)),
    ];
    for (slug, body) in &cases {
        page(&site, slug, body);
    }
    let (code, err) = site.run_bounded(&["build"]);
    assert_eq!(code, Some(0), "{err}");
    for (slug, _) in &cases {
        let html = site.read(&format!("output/{slug}/index.html"));
        assert!(html.contains("</main>"), "{slug}: page is incomplete");
    }
    // Raw `<` is text, not markup.
    assert!(!site.read("output/angles/index.html").contains("<<"));
}

#[test]
fn odd_code_blocks_are_highlighted_or_shown_as_text() {
    let site = Site::fixture("basic");
    let code_page = |lang: &str, code: &str| format!("```{lang}\n{code}\n```");
    page(
        &site,
        "unknown-language",
        &code_page("no-such-language", "<script>alert(1)</script> & x"),
    );
    // A very long line and deeply nested brackets for the Rust and JSON grammars; an
    // unterminated string and comment for JavaScript.
    page(
        &site,
        "long-rust",
        &code_page("rust", &format!("fn f() {{ {} }}", "g(".repeat(20_000))),
    );
    page(&site, "deep-json", &code_page("json", &"[".repeat(20_000)));
    page(
        &site,
        "open-js",
        &code_page(
            "js",
            &format!(
                "var s = \"{}\n/* {}",
                "x".repeat(100_000),
                "y ".repeat(50_000)
            ),
        ),
    );
    page(
        &site,
        "fence-in-fence",
        "````\n```rust\nfn main() {}\n```\n````",
    );
    let (code, err) = site.run_bounded(&["build"]);
    assert_eq!(code, Some(0), "{err}");
    let html = site.read("output/unknown-language/index.html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; x"),
        "an unknown language is shown as escaped text"
    );
    assert!(!html.contains("<script>alert(1)"));
    for slug in ["deep-json", "fence-in-fence"] {
        let html = site.read(&format!("output/{slug}/index.html"));
        assert!(html.contains("<pre"), "{slug}: no code block");
    }
    // Lines past the highlighting limit (1,000 bytes) are shown as plain text: one
    // grammar took minutes on such a line.
    for slug in ["long-rust", "open-js"] {
        let html = site.read(&format!("output/{slug}/index.html"));
        assert!(
            html.contains("<pre><code class=\"language-"),
            "{slug}: not plain text"
        );
    }
}
