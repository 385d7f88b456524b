//! Every template rendered with a hostile value in every text field: whatever the
//! content says, no element, attribute or script gets into a page, the JSON-LD stays
//! JSON and the feeds and sitemaps stay well-formed XML.
//!
//! The fields come from the schema the binary prints (`dossier schema KIND`), so a field
//! added later is covered without touching this test.

use std::cell::Cell;
use std::rc::Rc;

use serde_json::{json, Map, Value};

use crate::Site;

/// Breaks out of an attribute, an element, a `<title>`, a CDATA section and a template,
/// and carries a marker attribute that must never reach the DOM.
const PAYLOAD: &str =
    "x\"'><b data-pwned=1>b</b><script>alert(1)</script>&amp;</title>]]>{{ x }}{% raw %}";

/// An http(s) address with the characters an attribute must escape (the site refuses
/// `"`, `<` and `>` in addresses).
const URL: &str = "https://example.com/a?b=1&c='x'";

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
];

/// A value for `schema`: the payload for text, something valid for everything else.
fn value(schema: &Value, defs: &Map<String, Value>, key: &str) -> Option<Value> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        return match name {
            "LocalText" => Some(json!({"zh": PAYLOAD, "en": PAYLOAD})),
            "PartialDate" => Some(json!("2024-03")),
            "Slug" => None,
            _ => value(&defs[name], defs, key),
        };
    }
    if schema.get("format") == Some(&json!("date")) {
        return Some(json!("2024-03-05"));
    }
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        return options
            .iter()
            .filter(|o| o.get("type") != Some(&json!("null")))
            .find_map(|o| value(o, defs, key));
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
        let mut m = Map::new();
        for (k, s) in schema["properties"].as_object()? {
            if let Some(v) = value(s, defs, k) {
                m.insert(k.clone(), v);
            }
        }
        return Some(Value::Object(m));
    }
    if types.contains(&"array") {
        return value(&schema["items"], defs, key).map(|v| json!([v]));
    }
    if types.contains(&"string") {
        return Some(json!(if key == "url" || key == "website" {
            URL
        } else {
            PAYLOAD
        }));
    }
    if types.contains(&"number") {
        return Some(json!(1_500_000));
    }
    if types.contains(&"integer") {
        return Some(json!(1));
    }
    None
}

/// The front matter of a fixture file as JSON, and its body.
fn read(site: &Site, rel: &str) -> (Map<String, Value>, String) {
    let text = site.read(rel);
    let rest = text.strip_prefix("---\n").unwrap();
    let (fm, body) = rest.split_once("\n---\n").unwrap();
    let fm: Value = serde_yaml::from_str(fm).unwrap();
    (serde_json::from_value(fm).unwrap(), body.to_owned())
}

fn write(site: &Site, rel: &str, fm: &Map<String, Value>, body: &str) {
    let yaml = serde_yaml::to_string(fm).unwrap();
    site.write(rel, &format!("---\n{yaml}---\n{body}"));
}

fn hostile_site() -> Site {
    let site = Site::fixture("basic");
    let body = format!(
        "\n## {PAYLOAD}\n\n{PAYLOAD}\n\n[a link](<{URL}>) and `{PAYLOAD}`\n\n\
         ```rust\nlet s = \"{PAYLOAD}\";\n```\n\n| {PAYLOAD} |\n|---|\n| {PAYLOAD} |\n"
    );
    for (dir, kind) in [
        ("founders", "founder"),
        ("companies", "company"),
        ("sectors", "sector"),
        ("employers", "employer"),
        ("pages", "page"),
    ] {
        let out = site.run(&["schema", kind]);
        let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
        let defs = schema["$defs"].as_object().cloned().unwrap_or_default();
        for entry in std::fs::read_dir(site.path(&format!("content/{dir}"))).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let rel = format!("content/{dir}/{name}");
            let (mut fm, _) = read(&site, &rel);
            if name.ends_with(".zh.md") {
                for (key, s) in schema["properties"].as_object().unwrap() {
                    if REFERENCES.contains(&key.as_str()) {
                        continue;
                    }
                    if let Some(mut v) = value(s, &defs, key) {
                        if key == "photo" || key == "logo" {
                            // A real image, with the payload in its alt, credit and licence.
                            v["src"] = json!("hostile.png");
                            v["focus"] = json!([0.5, 0.5]);
                        }
                        fm.insert(key.clone(), v);
                    }
                }
            } else {
                // A translation states only its own language's text.
                for v in fm.values_mut() {
                    if v.is_string() {
                        *v = json!(PAYLOAD);
                    }
                }
            }
            write(&site, &rel, &fm, &body);
        }
    }
    let img = image::RgbImage::from_pixel(400, 400, image::Rgb([200, 100, 50]));
    for dir in ["founders", "companies"] {
        img.save(site.path(&format!("content/{dir}/hostile.png")))
            .unwrap();
    }
    // The site's own names, and a city's.
    let yaml = site
        .read("site.yaml")
        .replace(
            "title: {zh: 测试名录, en: Test Directory}",
            &format!("title: {{zh: {0:?}, en: {0:?}}}", PAYLOAD),
        )
        .replace(
            "hangzhou: {zh: 杭州, en: Hangzhou}",
            &format!("hangzhou: {{zh: {0:?}, en: {0:?}}}", PAYLOAD),
        );
    site.write("site.yaml", &yaml);
    site
}

/// Problems in one HTML page: injected elements or attributes, scripts running the
/// payload, JSON-LD that does not parse.
fn html_problems(html: &str) -> Vec<String> {
    use lol_html::{element, text, HtmlRewriter, Settings};
    let pwned = Rc::new(Cell::new(0));
    let alerts = Rc::new(Cell::new(0));
    let mut ld = String::new();
    let mut lds = Vec::new();
    {
        let (p, a) = (pwned.clone(), alerts.clone());
        let settings = Settings::new()
            .append_element_content_handler(element!("[data-pwned]", move |_| {
                p.set(p.get() + 1);
                Ok(())
            }))
            .append_element_content_handler(text!(
                "script:not([type=\"application/ld+json\"])",
                move |t| {
                    if t.as_str().contains("alert(1)") {
                        a.set(a.get() + 1);
                    }
                    Ok(())
                }
            ))
            .append_element_content_handler(text!("script[type=\"application/ld+json\"]", |t| {
                ld.push_str(t.as_str());
                if t.last_in_text_node() {
                    lds.push(std::mem::take(&mut ld));
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        rewriter.write(html.as_bytes()).unwrap();
        rewriter.end().unwrap();
    }
    let mut problems = Vec::new();
    if pwned.get() > 0 {
        problems.push(format!("{} injected elements", pwned.get()));
    }
    if alerts.get() > 0 {
        problems.push("the payload runs as a script".to_owned());
    }
    for ld in lds {
        if let Err(e) = serde_json::from_str::<Value>(&ld) {
            problems.push(format!("JSON-LD does not parse: {e}"));
        }
    }
    problems
}

#[test]
fn hostile_values_in_every_field_stay_text() {
    let site = hostile_site();
    site.build_ok(&[]);
    let out = site.path("output");
    let mut pages = 0;
    let mut shown = false;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let path = entry.path();
        let rel = path.strip_prefix(&out).unwrap().display().to_string();
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let html = std::fs::read_to_string(path).unwrap();
                let problems = html_problems(&html);
                assert!(problems.is_empty(), "{rel}: {problems:?}");
                shown |= html.contains("&lt;b data-pwned=1&gt;");
                pages += 1;
            }
            Some("xml") => {
                let xml = std::fs::read_to_string(path).unwrap();
                let doc = roxmltree::Document::parse(&xml)
                    .unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"));
                assert!(
                    doc.descendants().all(|n| n.tag_name().name() != "b"),
                    "{rel}: an element from the payload"
                );
            }
            _ => {}
        }
    }
    assert!(pages > 10, "only {pages} pages");
    // The payload is on the pages, as text.
    assert!(shown, "no page shows the payload as text");
    let profile = site.read("output/founders/zhang-san/index.html");
    assert!(profile.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // The portrait's alt and credit are there, as text.
    assert!(profile.contains(r#"srcset="/repo/images/"#), "no portrait");
    assert!(
        profile.contains(r#"alt="x&quot;"#),
        "the alt is there, escaped"
    );
    assert!(
        profile.contains("https://example.com/a?b=1&amp;c="),
        "a link keeps its address, escaped"
    );
}

// Regression: a YAML escape such as "\x01" in a summary went raw into the Atom feeds, which
// were then not XML. Characters XML 1.0 cannot carry are refused at their line, wherever
// they come from (an escape in any field of any kind, site.yaml, or the file itself).
#[test]
fn characters_xml_cannot_carry_are_refused_at_their_line() {
    let site = Site::fixture("basic");
    let rel = "content/founders/zhang-san.zh.md";
    let original = site.read(rel);
    for (escape, shown) in [
        (r"\x01", "U+0001"),
        (r"\b", "U+0008"),
        (r"\uFFFE", "U+FFFE"),
        (r"\U0000FFFF", "U+FFFF"),
        (r"\0", "U+0000"),
    ] {
        site.write(
            rel,
            &original.replace(
                "summary: 张三离开 Acme 创办了 Widget。",
                &format!("summary: \"张三{escape}离开\""),
            ),
        );
        let err = site.build_err();
        assert!(
            err.contains(&format!(
                "content/founders/zhang-san.zh.md:13:13: error: `{escape}` is {shown}, a character XML cannot carry"
            )),
            "{escape}: {err}"
        );
        assert!(err.contains("hint: "), "{err}");
    }
    // A lone surrogate is no character at all: the YAML parser refuses it, with a hint
    // (found by props::every_output_is_well_formed_for_any_text_in_every_field).
    site.write(
        rel,
        &original.replace(
            "summary: 张三离开 Acme 创办了 Widget。",
            "summary: \"张三\\uD800离开\"",
        ),
    );
    let err = site.build_err();
    assert!(
        err.contains("zhang-san.zh.md:13:") && err.contains("invalid Unicode character escape"),
        "{err}"
    );
    assert!(err.contains("surrogates"), "{err}");
    // The same in a nested field, and a raw control character in another kind's body.
    site.write(
        rel,
        &original.replace("  - title: 一篇文章", "  - title: \"一篇\\x1F文章\""),
    );
    let err = site.build_err();
    assert!(
        err.contains("zhang-san.zh.md:10:15: error: `\\x1F` is U+001F"),
        "{err}"
    );
    site.write(rel, &original);
    let c = "content/companies/widget.en.md";
    let widget = site.read(c);
    site.write(c, &format!("{widget}\nA bell \u{7} in the body.\n"));
    let err = site.build_err();
    assert!(
        err.contains("widget.en.md:") && err.contains("U+0007"),
        "{err}"
    );
    site.write(c, &widget);
    // site.yaml's text is XML-bound too (feed titles).
    let cfg = site.read("site.yaml");
    site.write(
        "site.yaml",
        &cfg.replace(
            "{zh: 测试名录, en: Test Directory}",
            "{zh: 测试名录, en: \"Test\\vDirectory\"}",
        ),
    );
    let err = site.build_err();
    assert!(
        err.contains("site.yaml:1:") && err.contains("U+000B"),
        "{err}"
    );
}

// Regression: an alias named like a file the site writes (`index.html`, `card.png`) failed
// with an OS error about a staging path; the names come from the build's plan now.
#[test]
fn an_alias_or_slug_named_like_a_written_file_is_refused_at_its_line() {
    let site = Site::fixture("basic");
    let f = "content/founders/li-si.zh.md";
    let li = site.read(f);
    site.write(
        f,
        &li.replacen("---\n", "---\naliases: [old-li, index.html]\n", 1),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/founders/li-si.zh.md:2:19: error: alias `index.html` would write the redirect where the site writes founders/index.html"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    site.write(f, &li);
    let p = "content/pages/about.zh.md";
    let about = site.read(p);
    site.write(
        p,
        &about.replacen("---\n", "---\naliases:\n  - card.png\n", 1),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/pages/about.zh.md:3:5: error: alias `card.png` would write the redirect where the site writes card.png"),
        "{err}"
    );
    site.write(p, &about);
    // A free page whose own name is a file the site writes.
    site.write("content/pages/card.png.zh.md", &about);
    site.write(
        "content/pages/card.png.en.md",
        &site.read("content/pages/about.en.md"),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/pages/card.png.zh.md")
            && err.contains("where the site writes card.png"),
        "{err}"
    );
}
