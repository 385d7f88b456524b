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

/// A piece of generated text as written inside a YAML double-quoted string: letters,
/// bidi controls, XML and HTML metacharacters, escapes of characters every output can
/// carry.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "[a-zA-Z0-9 张三，。·]{1,6}",
        3 => prop::sample::select(vec![
            "<", ">", "&", "'", "\\\"", "\\\\", "]]>", "{{ x }}", "{% raw %}", "<!--", "-->",
            "</script>", "<b data-pwned=1>b</b>", "&amp;", "&#1;", "&#xFFFE;", "\u{202E}",
            "\u{2066}", "\u{200F}", "\u{FFFD}", "\u{1F600}", "=cmd|'", "@SUM(1)", "+1", "-", "\\n",
            "\\t", "\\r", "\\x7E", "\\u202E", "\\uFEFF", "\\u00A0", "\\L", "\\P", "\\_", "\\/", " ",
        ])
        .prop_map(str::to_owned),
    ]
}

/// An escape of a character no output may carry (a control, a noncharacter, a lone
/// surrogate).
fn bad_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "\\x01",
        "\\b",
        "\\x1F",
        "\\uFFFE",
        "\\uFFFF",
        "\\uD800",
        "\\uDFFF",
        "\\x7F",
        "\\x85",
        "\\N",
        "\\0",
        "\\e",
        "\\v",
        "\\f",
        "\\uFDD0",
        "\\U0001FFFF",
    ])
}

/// A text value as YAML double-quoted source; never blank (it ends in `v`).
fn text_value() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..5).prop_map(|p| format!("\"{}v\"", p.concat()))
}

/// Fields that name other files or site.yaml entries: the fixture's values are kept.
const REFERENCES: &[&str] = &[
    "sector",
    "company",
    "former_employer",
    "founders",
    "city",
    "draft",
    "inferred",
    "added",
    "order",
    "aliases",
];

/// A value for `schema` with a placeholder (`PHX<n>Y`, replaced by generated YAML later)
/// for every text; something valid for everything else.
fn fill(
    schema: &serde_json::Value,
    defs: &serde_json::Map<String, serde_json::Value>,
    key: &str,
    n: &mut usize,
) -> Option<serde_json::Value> {
    use serde_json::{json, Value};
    let mut ph = || {
        *n += 1;
        json!(format!("PHX{}Y", *n - 1))
    };
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        return match name {
            "LocalText" => Some(json!({"zh": ph(), "en": ph()})),
            "PartialDate" => Some(json!("2024-03")),
            "Slug" => None,
            _ => fill(&defs[name], defs, key, n),
        };
    }
    if schema.get("format") == Some(&json!("date")) {
        return Some(json!("2024-03-05"));
    }
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        return options
            .iter()
            .filter(|o| o.get("type") != Some(&json!("null")))
            .find_map(|o| fill(o, defs, key, n));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        return e.first().cloned();
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(t)) => t.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if types.contains(&"object") {
        let mut m = serde_json::Map::new();
        for (k, s) in schema["properties"].as_object()? {
            if let Some(v) = fill(s, defs, k, n) {
                m.insert(k.clone(), v);
            }
        }
        return Some(Value::Object(m));
    }
    if types.contains(&"array") {
        return fill(&schema["items"], defs, key, n).map(|v| json!([v]));
    }
    if types.contains(&"string") {
        return Some(if key == "url" || key == "website" {
            json!("https://example.com/a?b=1&c='x'")
        } else {
            ph()
        });
    }
    if types.contains(&"number") {
        return Some(json!(1_500_000));
    }
    if types.contains(&"integer") {
        return Some(json!(1));
    }
    None
}

/// The basic fixture with a placeholder in every text field of every kind (every front
/// matter field the schema has, originals and translations), a portrait, an SVG logo,
/// and `aliases` for a founder and a page. Returns the site and the number of
/// placeholders.
fn placeholder_site(aliases: (&str, &str)) -> (Site, usize) {
    use serde_json::{json, Map, Value};
    let site = Site::fixture("basic");
    let yaml = site.read("site.yaml") + "search: false\n";
    site.write("site.yaml", &yaml);
    let mut n = 0;
    for (dir, kind) in [
        ("founders", "founder"),
        ("companies", "company"),
        ("sectors", "sector"),
        ("employers", "employer"),
        ("pages", "page"),
    ] {
        let schema: Value =
            serde_json::from_str(&dossier::new::schema(Some(kind)).unwrap()).unwrap();
        let defs = schema["$defs"].as_object().cloned().unwrap_or_default();
        let mut names: Vec<String> = std::fs::read_dir(site.path(&format!("content/{dir}")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let rel = format!("content/{dir}/{name}");
            let text = site.read(&rel);
            let (fm, body) = text
                .strip_prefix("---\n")
                .unwrap()
                .split_once("\n---\n")
                .unwrap();
            let mut fm: Map<String, Value> =
                serde_json::from_value(serde_yaml::from_str::<Value>(fm).unwrap()).unwrap();
            if name.ends_with(".zh.md") {
                for (key, s) in schema["properties"].as_object().unwrap() {
                    if REFERENCES.contains(&key.as_str()) {
                        continue;
                    }
                    if let Some(mut v) = fill(s, &defs, key, &mut n) {
                        if key == "photo" || key == "logo" {
                            v["src"] = json!(if key == "logo" { "logo.svg" } else { "p.png" });
                            v.as_object_mut().unwrap().remove("focus");
                        }
                        fm.insert(key.clone(), v);
                    }
                }
                let alias = match name.as_str() {
                    "zhang-san.zh.md" => Some(aliases.0),
                    "about.zh.md" => Some(aliases.1),
                    _ => None,
                };
                if let Some(a) = alias {
                    fm.insert("aliases".into(), json!([a]));
                }
            } else {
                for v in fm.values_mut() {
                    if v.is_string() {
                        *v = json!(format!("PHX{n}Y"));
                        n += 1;
                    }
                }
            }
            let yaml = serde_yaml::to_string(&fm).unwrap();
            site.write(&rel, &format!("---\n{yaml}---\n{body}"));
        }
    }
    image::RgbImage::from_pixel(400, 400, image::Rgb([200, 100, 50]))
        .save(site.path("content/founders/p.png"))
        .unwrap();
    site.write(
        "content/companies/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"60\"><rect width=\"200\" height=\"60\" fill=\"#369\"/><text x=\"10\" y=\"40\" font-size=\"30\" font-family=\"Helvetica, sans-serif\">W &amp; 小</text></svg>",
    );
    (site, n)
}

/// Whether an HTML page parses with an HTML5 parser without a single parse error, and
/// without an element or attribute that came from the text.
fn html_problems(bytes: &[u8]) -> Vec<String> {
    use html5ever::tendril::TendrilSink;
    use markup5ever_rcdom::{NodeData, RcDom};
    let dom = html5ever::parse_document(RcDom::default(), Default::default())
        .from_utf8()
        .read_from(&mut &bytes[..])
        .unwrap();
    let mut problems: Vec<String> = dom.errors.borrow().iter().map(|e| e.to_string()).collect();
    let mut stack = vec![dom.document.clone()];
    while let Some(node) = stack.pop() {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            if attrs
                .borrow()
                .iter()
                .any(|a| &*a.name.local == "data-pwned")
            {
                problems.push(format!("an injected <{}>", &*name.local));
            }
        }
        stack.extend(node.children.borrow().iter().cloned());
    }
    problems
}

/// Every output of a built site parses as what it is: HTML pages with an HTML5 parser and
/// no parse error, feeds, sitemaps and SVG as XML, JSON as JSON (the open data against its
/// schema), CSV back to the values of its JSON. Returns the problems.
fn output_problems(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let rel = path.strip_prefix(out).unwrap().display().to_string();
        let bytes = std::fs::read(path).unwrap();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        *kinds.entry(ext.to_owned()).or_default() += 1;
        match ext {
            "html" => problems.extend(
                html_problems(&bytes)
                    .into_iter()
                    .map(|p| format!("{rel}: {p}")),
            ),
            "xml" | "svg" => match std::str::from_utf8(&bytes)
                .map_err(|e| e.to_string())
                .and_then(|s| {
                    roxmltree::Document::parse(s)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                }) {
                Ok(()) => {}
                Err(e) => problems.push(format!("{rel} is not XML: {e}")),
            },
            "json" => {
                let v: serde_json::Value = match serde_json::from_slice(&bytes) {
                    Ok(v) => v,
                    Err(e) => {
                        problems.push(format!("{rel} is not JSON: {e}"));
                        continue;
                    }
                };
                let schema = path.with_extension("schema.json");
                if !rel.ends_with(".schema.json") && schema.is_file() {
                    let schema: serde_json::Value =
                        serde_json::from_slice(&std::fs::read(&schema).unwrap()).unwrap();
                    let validator = jsonschema::validator_for(&schema).unwrap();
                    for e in validator.iter_errors(&v) {
                        problems.push(format!("{rel} against its schema: {e}"));
                    }
                }
            }
            "csv" => {
                let json: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(path.with_extension("json")).unwrap())
                        .unwrap();
                let records = json.as_array().unwrap();
                let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                let mut r = csv::ReaderBuilder::new().from_reader(body);
                let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
                let rows: Vec<csv::StringRecord> = match r.records().collect() {
                    Ok(rows) => rows,
                    Err(e) => {
                        problems.push(format!("{rel} is not CSV: {e}"));
                        continue;
                    }
                };
                if rows.len() != records.len() {
                    problems.push(format!(
                        "{rel}: {} rows, {} records",
                        rows.len(),
                        records.len()
                    ));
                }
                for (row, record) in rows.iter().zip(records) {
                    for (cell, col) in row.iter().zip(&header) {
                        let want = &record[col.as_str()];
                        if &crate::data::read_cell(cell, want) != want {
                            problems.push(format!("{rel}: {col} is {cell:?}, the JSON has {want}"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for ext in ["html", "xml", "svg", "json", "csv"] {
        if kinds.get(ext).copied().unwrap_or(0) == 0 {
            problems.push(format!("no .{ext} output"));
        }
    }
    problems
}

proptest! {
    // Whole builds: few cases (each about a second in a debug build).
    #![proptest_config(ProptestConfig { cases: cases(10), ..ProptestConfig::default() })]

    /// Every text field of every kind filled with generated text (controls, noncharacters
    /// and lone surrogates as YAML escapes, bidi controls, XML and HTML metacharacters):
    /// the build refuses what no output may carry, at its line, and otherwise every output
    /// parses as what it is.
    #[test]
    fn every_output_is_well_formed_for_any_text_in_every_field(
        values in prop::collection::vec(text_value(), 12),
        poison in prop::option::weighted(0.3, (0..12usize, bad_piece())),
        aliases in (
            prop::sample::select(vec!["old-zhang", "张三-旧", "z.1", "index.html"]),
            prop::sample::select(vec!["old-about", "关于-旧", "a.b", "card.png"]),
        ),
    ) {
        let (site, n) = placeholder_site(aliases);
        let mut values = values;
        if let Some((i, bad)) = poison {
            values[i].insert_str(1, bad);
        }
        let mut must_refuse = false;
        // Each placeholder gets the next generated value, in turn.
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(site.path("content")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                files.push(entry.into_path());
            }
        }
        for f in files {
            let mut text = std::fs::read_to_string(&f).unwrap();
            for i in (0..n).rev() {
                let ph = format!("PHX{i}Y");
                if text.contains(&ph) {
                    let k = i % values.len();
                    must_refuse |= poison.is_some_and(|(p, _)| p == k);
                    text = text.replace(&ph, &values[k]);
                }
            }
            std::fs::write(&f, text).unwrap();
        }
        let may_refuse = must_refuse || aliases.0 == "index.html" || aliases.1 == "card.png";
        let result = dossier::build(&dossier::Options {
            root: site.dir.path().to_path_buf(),
            mode: dossier::Mode::Build,
            ..dossier::Options::default()
        });
        match result {
            Ok(_) => {
                prop_assert!(!must_refuse, "a character no output may carry was accepted");
                let problems = output_problems(&site.path("output"));
                prop_assert!(problems.is_empty(), "{problems:#?}");
            }
            Err(e) => {
                prop_assert!(may_refuse, "refused: {e}");
                let diags = e.diagnostics();
                prop_assert!(!diags.is_empty(), "{e}");
                for d in diags {
                    let file = site.dir.path().join(&d.path);
                    let text = std::fs::read_to_string(&file);
                    prop_assert!(text.is_ok(), "{d}: not a file of the site");
                    prop_assert!(d.line >= 1 && d.line <= lines(&text.unwrap()), "{d}");
                    prop_assert!(d.hint.is_some(), "{d}: no hint");
                }
                prop_assert!(!site.path("output").exists());
            }
        }
    }
}
