//! Links to the source (`repository:` in site.yaml): "Edit this page" on every profile and
//! free page, "Add a founder" / "Add a company" on their indexes, "Report a correction" on
//! every page; each URL exactly as GitHub takes it, and none of them without `repository:`.

use crate::Site;

const REPO: &str = "https://github.com/octo/dir";

/// The fixture site with `repository:` (and `branch:`) added to its site.yaml.
fn site_with(extra: &str) -> Site {
    let site = Site::fixture("basic");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}{extra}"));
    site
}

/// The links of a page's "source" navigation: (text, href decoded from HTML).
fn source_links(html: &str) -> Vec<(String, String)> {
    let Some(start) = html.find("<nav class=\"source-links\"") else {
        return Vec::new();
    };
    let nav = &html[start..];
    let nav = &nav[..nav.find("</nav>").expect("the nav closes")];
    nav.split("<a href=\"")
        .skip(1)
        .map(|a| {
            let (href, rest) = a.split_once('"').unwrap();
            let text = rest[1..rest.find("</a>").unwrap()].to_owned();
            (text, href.replace("&amp;", "&"))
        })
        .collect()
}

/// Percent-encodes as the links do (everything but RFC 3986's unreserved characters).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn report(title: &str, page: &str) -> String {
    format!(
        "{REPO}/issues/new?template=correction.yml&title={}&page={}",
        enc(title),
        enc(page)
    )
}

fn link(text: &str, href: String) -> (String, String) {
    (text.to_owned(), href)
}

#[test]
fn profile_pages_link_to_their_own_file_in_their_language_and_to_a_correction() {
    let site = site_with("repository: octo/dir\n");
    site.build_ok(&[]);
    let zh = site.read("output/founders/zhang-san/index.html");
    assert_eq!(
        source_links(&zh),
        [
            link(
                "编辑本页",
                format!("{REPO}/edit/main/content/founders/zhang-san.zh.md")
            ),
            link(
                "报告错误",
                report(
                    "张三 · 测试名录",
                    "https://owner.github.io/repo/founders/zhang-san/"
                )
            ),
        ]
    );
    let en = site.read("output/en/companies/widget/index.html");
    let title = source_links(&en)
        .last()
        .map(|l| l.1.clone())
        .expect("a correction link");
    assert!(
        title.contains("&page=https%3A%2F%2Fowner.github.io%2Frepo%2Fen%2Fcompanies%2Fwidget%2F")
    );
    assert_eq!(
        source_links(&en)[0],
        link(
            "Edit this page",
            format!("{REPO}/edit/main/content/companies/widget.en.md")
        )
    );
    // Sectors, employers and free pages too.
    for (page, file) in [
        ("output/sectors/agents/index.html", "sectors/agents.zh.md"),
        (
            "output/en/employers/acme/index.html",
            "employers/acme.en.md",
        ),
        ("output/en/about/index.html", "pages/about.en.md"),
    ] {
        let links = source_links(&site.read(page));
        assert_eq!(
            links[0].1,
            format!("{REPO}/edit/main/content/{file}"),
            "{page}"
        );
        assert_eq!(links.len(), 2, "{page}: {links:?}");
    }
}

#[test]
fn an_untranslated_page_edits_the_original() {
    let site = site_with("repository: https://github.com/octo/dir\nbranch: release/2026\n");
    site.remove("content/founders/li-si.en.md");
    site.build_ok(&[]);
    let en = site.read("output/en/founders/li-si/index.html");
    assert_eq!(
        source_links(&en)[0],
        link(
            "Edit this page",
            format!("{REPO}/edit/release/2026/content/founders/li-si.zh.md")
        )
    );
}

#[test]
fn the_indexes_offer_a_new_profile_prefilled_with_the_archetype() {
    let site = site_with("repository: octo/dir\n");
    site.build_ok(&[]);
    let archetype = |name: &str, slug: &str| {
        site.read(&format!("themes/default/archetypes/{name}"))
            .replace("__SLUG__", slug)
    };
    for (page, text) in [
        ("output/founders/index.html", "添加创业者"),
        ("output/en/founders/index.html", "Add a founder"),
    ] {
        assert_eq!(
            source_links(&site.read(page))[0],
            link(
                text,
                format!(
                    "{REPO}/new/main/content/founders?filename=new-founder.zh.md&value={}",
                    enc(&archetype("founder.zh.md", "new-founder"))
                )
            ),
            "{page}"
        );
    }
    let companies = source_links(&site.read("output/en/companies/index.html"));
    assert_eq!(
        companies[0],
        link(
            "Add a company",
            format!(
                "{REPO}/new/main/content/companies?filename=new-company.zh.md&value={}",
                enc(&archetype("company.zh.md", "new-company"))
            )
        )
    );
    assert_eq!(
        companies[1],
        link(
            "Report a correction",
            report(
                "Companies · Test Directory",
                "https://owner.github.io/repo/en/companies/"
            )
        )
    );
    // The other indexes and pages: a correction, nothing to add or edit.
    for page in [
        "output/sectors/index.html",
        "output/en/employers/index.html",
        "output/index.html",
        "output/en/search/index.html",
    ] {
        let links = source_links(&site.read(page));
        assert_eq!(links.len(), 1, "{page}: {links:?}");
        assert!(links[0].1.starts_with(&format!("{REPO}/issues/new?")));
    }
    // A missing page has no source and nothing to correct.
    assert!(source_links(&site.read("output/404.html")).is_empty());
}

#[test]
fn the_page_address_follows_the_base_url_with_or_without_a_project_path() {
    let site = site_with("repository: octo/dir\n");
    for (base, page) in [
        (
            "https://dir.example.org/",
            "https://dir.example.org/en/founders/zhang-san/",
        ),
        (
            "https://octo.github.io/dir/",
            "https://octo.github.io/dir/en/founders/zhang-san/",
        ),
    ] {
        site.build_ok(&["--base-url", base]);
        let links = source_links(&site.read("output/en/founders/zhang-san/index.html"));
        assert_eq!(
            links,
            [
                link(
                    "Edit this page",
                    format!("{REPO}/edit/main/content/founders/zhang-san.en.md")
                ),
                link(
                    "Report a correction",
                    report("Zhang San · Test Directory", page)
                ),
            ],
            "{base}"
        );
    }
}

#[test]
fn without_a_repository_no_page_links_to_a_source() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    for entry in walkdir::WalkDir::new(site.path("output")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !html.contains("source-links") && !html.contains("github.com/"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_repository_that_is_not_one_is_an_error_at_its_line() {
    let site = site_with("repository: gitlab.com/octo/dir/x\n");
    let err = site.build_err();
    let line = site.read("site.yaml").lines().count();
    assert!(
        err.contains(&format!(
            "site.yaml:{line}:1: error: repository `gitlab.com/octo/dir/x` is not a GitHub repository such as OWNER/NAME"
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: write `repository: OWNER/NAME`"),
        "{err}"
    );
    let site = site_with("repository: octo/dir\nbranch: \"a b\"\n");
    let err = site.build_err();
    assert!(
        err.contains("error: branch `a b` is not a valid git branch name"),
        "{err}"
    );
}

/// The `value` of an "Add" link, decoded.
fn carried_archetype(url: &str) -> String {
    let value = url.split("&value=").nth(1).expect("a value");
    let bytes: Vec<u8> = {
        let b = value.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        out
    };
    String::from_utf8(bytes).unwrap()
}

/// Fills in what an editor fills in: every `TODO`, the references, `draft: true` gone.
fn fill(text: &str, fields: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let key = line.split(':').next().unwrap_or("");
        if line.starts_with("draft:") {
            continue;
        }
        match fields.iter().find(|(k, _)| *k == key) {
            Some((k, v)) => out.push_str(&format!("{k}: {v}")),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.replace(
        "{zh: TODO 文章标题, en: TODO article title}",
        "{zh: 一篇报道, en: A report}",
    )
    .replace("TODO：", "")
    .replace("TODO: ", "")
    .replace("\nTODO\n", "\n待补充。\n")
}

#[test]
fn the_archetype_an_add_link_carries_builds_and_passes_the_check_once_filled_in() {
    let site = site_with("repository: octo/dir\n");
    site.build_ok(&[]);
    let add = |page: &str| source_links(&site.read(page))[0].1.clone();
    let founder = carried_archetype(&add("output/founders/index.html"));
    let company = carried_archetype(&add("output/en/companies/index.html"));
    // Saved under the name the link gives it, and filled in.
    site.write(
        "content/founders/new-founder.zh.md",
        &fill(
            &founder,
            &[
                ("name", "王五"),
                ("former_title", "总监"),
                ("former_employer", "acme"),
                ("company", "new-company"),
                ("sector", "agents"),
            ],
        ),
    );
    site.write(
        "content/companies/new-company.zh.md",
        &fill(
            &company,
            &[
                ("name", "新公司"),
                ("sector", "agents"),
                ("founders", "[new-founder]"),
            ],
        ),
    );
    // The translations, as `dossier new --lang en` writes them, filled in.
    for (kind, slug, name) in [
        ("founder", "new-founder", "Wang Wu"),
        ("company", "new-company", "New Co"),
    ] {
        let out = site.run(&["new", kind, slug, "--lang", "en"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let section = if kind == "company" {
            "companies"
        } else {
            "founders"
        };
        let path = format!("content/{section}/{slug}.en.md");
        let text = fill(
            &site.read(&path),
            &[("name", name), ("former_title", "Director")],
        );
        site.write(&path, &text);
    }
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "check:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    site.build_ok(&[]);
    assert!(site
        .read("output/founders/new-founder/index.html")
        .contains("王五"));
    assert!(site
        .read("output/en/companies/new-company/index.html")
        .contains("New Co"));
}

#[test]
fn the_correction_form_asks_for_the_fields_the_links_fill_in() {
    let text = std::fs::read_to_string(crate::repo().join(".github/ISSUE_TEMPLATE/correction.yml"))
        .unwrap();
    let form: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    for key in ["name", "description", "body"] {
        assert!(form.get(key).is_some(), "the form lacks `{key}`");
    }
    let ids: Vec<&str> = form["body"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert_eq!(ids, ["page", "wrong", "correction", "source"]);
    // Every field the reader fills in has a label in both languages.
    for f in form["body"].as_sequence().unwrap() {
        if let Some(label) = f["attributes"]["label"].as_str() {
            assert!(
                label.contains(" / ") && label.chars().any(|c| c > '\u{2e80}'),
                "{label}"
            );
        }
    }
}
