//! Property tests: generated front matter and Markdown through the pipeline. Whatever
//! the input, nothing panics; problems come back as diagnostics that point into the file;
//! accepted input renders a page with no script in it; no written path leaves the output.
//!
//! `PROPTEST_CASES` raises the number of cases (CI runs the defaults below).

use std::path::{Component, Path, PathBuf};

use proptest::prelude::*;

use crate::Site;

/// `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Values YAML treats specially, and arbitrary text.
fn yaml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[^\n]{0,24}",
        Just(String::new()),
        Just("~".to_owned()),
        Just("null".to_owned()),
        Just("NO".to_owned()),
        Just("1.10".to_owned()),
        Just("012345".to_owned()),
        Just("2023-04".to_owned()),
        Just("2024-13-40".to_owned()),
        Just("[a, [b, {c: d}]]".to_owned()),
        Just("{zh: 名字, en: Name}".to_owned()),
        Just("\"quoted \\\" text\"".to_owned()),
        Just("'single '' quoted'".to_owned()),
        Just("&anchor [1, 2]".to_owned()),
        Just("*anchor".to_owned()),
        Just("|\n  a block\n  of text".to_owned()),
        Just("\n  - title: t\n    url: javascript:alert(1)".to_owned()),
        Just("\n  - title: {zh: 标题}\n    date: 2024".to_owned()),
        Just("https://example.com/?a=1&b=\"x\"".to_owned()),
        Just("acme".to_owned()),
        Just("agents".to_owned()),
        Just("hangzhou".to_owned()),
        Just("Wid/get".to_owned()),
    ]
}

fn yaml_key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "name",
            "former_title",
            "former_employer",
            "company",
            "sector",
            "left",
            "city",
            "summary",
            "aka",
            "links",
            "sources",
            "draft",
            "inferred",
            "added",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,10}",
    ]
}

/// A front matter: lines of `key: value`, sometimes broken in the ways people break them.
fn front_matter() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((yaml_key(), yaml_value()), 0..10),
        prop::sample::select(vec!["---\n", "--- \n", "----\n", "", "---\r\n"]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(fields, close, bom, tabs)| {
            let mut text = String::from(if bom { "\u{feff}---\n" } else { "---\n" });
            for (k, v) in fields {
                let line = format!("{k}: {v}\n");
                text += &if tabs { line.replace("  ", "\t") } else { line };
            }
            text + close
        })
}

/// Markdown built from the tokens that change its structure.
fn markdown() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[a-z汉字 ]{1,12}",
        prop::sample::select(vec![
            "\n",
            "\n\n",
            "# ",
            "## ",
            "> ",
            "- ",
            "1. ",
            "```",
            "```rust\n",
            "~~~",
            "`",
            "*",
            "**",
            "_",
            "[",
            "]",
            "](",
            ")",
            "![",
            "<",
            ">",
            "<script>",
            "</",
            "&",
            "&#x27;",
            "\\",
            "|",
            "|-|",
            "---",
            "    ",
            "\t",
            "@/founders/zhang-san",
            "@/founders/nobody",
            "javascript:",
            "https://x.org/",
            "{#id}",
            "[^1]",
            "[^1]: ",
            "- [ ] ",
            "~~",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

/// The number of lines of a text, as a diagnostic counts them (a lone CR ends a line).
fn lines(text: &str) -> usize {
    dossier::text::normalize(text).lines().count().max(1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    #[test]
    fn front_matter_is_accepted_or_located(fm in front_matter(), body in markdown()) {
        let text = fm + &body;
        for d in dossier::fuzz::front_matter(text.as_bytes()) {
            prop_assert!(!d.message.is_empty());
            prop_assert!(d.line <= lines(&text) + 1, "{d} is past the end of\n{text}");
        }
    }

    #[test]
    fn markdown_renders_without_markup_from_the_text(body in markdown()) {
        let html = dossier::fuzz::markdown(body.as_bytes());
        prop_assert!(!html.contains("<script"), "{html}");
        prop_assert!(!html.to_lowercase().contains("href=\"javascript:"), "{html}");
    }

    #[test]
    fn every_written_path_stays_inside_the_output(path in "([a-z.]{0,3}|\\.\\.|/|\\\\|%2e|\0|:|汉){0,8}") {
        let base = Path::new("/srv/out");
        if let Ok(p) = dossier::output::SitePath::new(path.clone()) {
            let joined = dossier::write::inside(base, p.as_str()).unwrap();
            prop_assert!(stays_inside(base, &joined), "{path:?} -> {joined:?}");
        }
        if let Ok(joined) = dossier::write::inside(base, &path) {
            prop_assert!(stays_inside(base, &joined), "{path:?} -> {joined:?}");
        }
    }
}

/// Whether `p`, with `.` and `..` applied, is `base` or below it.
fn stays_inside(base: &Path, p: &Path) -> bool {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out.starts_with(base) && out != base
}

proptest! {
    // Whole builds are slower: fewer cases.
    #![proptest_config(ProptestConfig { cases: cases(12), ..ProptestConfig::default() })]

    /// A founder of the basic fixture with generated values for some fields and a
    /// generated body, built from start to finish.
    #[test]
    fn the_whole_pipeline_fails_cleanly_or_builds(
        overrides in prop::collection::vec((yaml_key(), yaml_value()), 0..4),
        body in markdown(),
    ) {
        let site = Site::fixture("basic");
        let mut fm = String::from(
            "name: 王五\nformer_title: 总监\nformer_employer: acme\nsector: agents\nsources:\n  - title: 来源\n",
        );
        for (k, v) in &overrides {
            // A repeated key is its own error; replace the first line of the key instead.
            match fm.lines().position(|l| l.starts_with(&format!("{k}:"))) {
                Some(i) => {
                    let mut l: Vec<String> = fm.lines().map(str::to_owned).collect();
                    l[i] = format!("{k}: {v}");
                    fm = l.join("\n") + "\n";
                }
                None => fm += &format!("{k}: {v}\n"),
            }
        }
        let text = format!("---\n{fm}---\n\n{body}\n");
        site.write("content/founders/wang-wu.zh.md", &text);
        let result = dossier::build(&dossier::Options {
            root: site.dir.path().to_path_buf(),
            mode: dossier::Mode::Build,
            ..dossier::Options::default()
        });
        match result {
            Ok(_) => {
                let html = site.read("output/founders/wang-wu/index.html");
                prop_assert!(html.contains("</html>"));
                prop_assert!(!html.contains("<script>alert"), "{html}");
            }
            Err(e) => {
                for d in e.diagnostics() {
                    let file = site.dir.path().join(&d.path);
                    let n = std::fs::read_to_string(&file).map(|t| lines(&t)).unwrap_or(usize::MAX);
                    prop_assert!(d.line <= n + 1, "{d}");
                }
                // The previous output (none here) is untouched: no half-written site.
                prop_assert!(!site.path("output/founders/wang-wu").exists());
            }
        }
    }
}
