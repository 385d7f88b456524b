//! Output is inert whatever the content says, and a failed build loses nothing.

use crate::Site;

#[test]
fn a_title_with_markup_comes_out_escaped() {
    let site = Site::fixture("basic");
    let t = site.read("content/founders/zhang-san.en.md").replace(
        "name: Zhang San",
        "name: \"Zhang</h1><script>alert(1)</script>\"",
    );
    site.write("content/founders/zhang-san.en.md", &t);
    site.build_ok(&[]);
    for page in [
        "output/en/founders/zhang-san/index.html",
        "output/en/founders/index.html",
        "output/en/companies/widget/index.html",
        "output/en/index.html",
    ] {
        let html = site.read(page);
        assert!(
            !html.contains("<script>alert(1)"),
            "{page} runs injected script"
        );
        assert!(!html.contains("</h1><script>"), "{page}");
    }
    assert!(site
        .read("output/en/founders/zhang-san/index.html")
        .contains("Zhang&lt;/h1&gt;&lt;script&gt;"));
    assert!(!site.read("output/en/atom.xml").contains("<script>"));
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let site = Site::fixture("basic");
    let t = site.read("content/founders/zhang-san.en.md").replace(
        "summary: Zhang San left Acme to found Widget.",
        "summary: \"</script><script>alert(1)</script>\"",
    );
    site.write("content/founders/zhang-san.en.md", &t);
    site.build_ok(&[]);
    let html = site.read("output/en/founders/zhang-san/index.html");
    let start = html.find("application/ld+json").unwrap();
    let json_start = html[start..].find('>').unwrap() + start + 1;
    let json_end = html[json_start..].find("</script>").unwrap() + json_start;
    let json: serde_json::Value = serde_json::from_str(&html[json_start..json_end]).unwrap();
    assert_eq!(json["description"], "</script><script>alert(1)</script>");
    assert!(!html.contains("<script>alert(1)"));
}

#[test]
fn script_urls_in_markdown_are_refused() {
    let site = Site::fixture("basic");
    let t = site.read("content/pages/about.en.md") + "\n[click](javascript:alert(1))\n";
    site.write("content/pages/about.en.md", &t);
    let err = site.build_err();
    assert!(
        err.contains(
            "content/pages/about.en.md:8:1: error: link to a script URL `javascript:alert(1)`"
        ),
        "{err}"
    );
}

#[test]
fn raw_html_in_markdown_is_shown_as_text() {
    let site = Site::fixture("basic");
    let t = site.read("content/pages/about.en.md") + "\n<img src=x onerror=alert(1)>\n";
    site.write("content/pages/about.en.md", &t);
    site.build_ok(&[]);
    let html = site.read("output/en/about/index.html");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<img src=x"));
}

#[test]
fn a_template_error_leaves_the_previous_output_identical() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = site.output_snapshot();
    let t = site.read("themes/default/templates/founder.html").replacen(
        "{% block content %}",
        "{% block content %}{{ founder.name | no_such_filter }}",
        1,
    );
    site.write("themes/default/templates/founder.html", &t);
    site.build_err();
    assert_eq!(site.output_snapshot(), before);
    // A content error too.
    let t = site
        .read("content/founders/li-si.zh.md")
        .replace("sector: agents", "sector: nowhere");
    site.write("content/founders/li-si.zh.md", &t);
    site.build_err();
    assert_eq!(site.output_snapshot(), before);
    // And no staging directory is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        // The processing cache stays, on purpose.
        .filter(|n| n.to_string_lossy().contains("dossier-") && n != ".dossier-cache")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn no_panic_on_garbage_files() {
    let site = Site::fixture("basic");
    for (i, junk) in [
        "",
        "---",
        "---\n---\n",
        "---\n: :\n---\n",
        "---\n- a\n- b\n---\n",
        "\u{0}\u{1}",
        "---\nname: [\n---\n",
        "---\ntitle: 1\norder: x\n---\n",
    ]
    .iter()
    .enumerate()
    {
        site.write(&format!("content/pages/junk{i}.zh.md"), junk);
    }
    std::fs::write(
        site.path("content/pages/utf16.zh.md"),
        [0xff, 0xfe, 0x2d, 0x00],
    )
    .unwrap();
    std::fs::write(
        site.path("content/pages/bad-utf8.zh.md"),
        b"---\ntitle: \xc3\x28\n---\n",
    )
    .unwrap();
    let err = site.build_err();
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("utf16.zh.md:1:1: error: the file is UTF-16, not UTF-8"),
        "{err}"
    );
    // The position of the first bad byte: line 2, after `title: `.
    assert!(
        err.contains("bad-utf8.zh.md:2:8: error: not valid UTF-8 (byte 11)"),
        "{err}"
    );
}

#[test]
fn a_script_url_in_front_matter_is_refused() {
    let site = Site::fixture("basic");
    let t = site.read("content/companies/widget.zh.md").replace(
        "website: https://widget.example/",
        "website: \"javascript:alert(1)\"",
    );
    site.write("content/companies/widget.zh.md", &t);
    let err = site.build_err();
    assert!(err.contains("content/companies/widget.zh.md:7:11: error: `javascript:alert(1)` is not a web address"), "{err}");
}
