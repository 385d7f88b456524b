//! `dossier mv`: a profile renamed in every language; every reference and `@/` link
//! rewritten and nothing else touched; the old address redirecting to the new page in a
//! built site, under a project path; refusals that change nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::Site;

/// Every content file and its bytes.
fn content(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    crate::tree(&site.path("content"))
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The file the redirect at `from` (a page of the output) sends the browser to, with the
/// project path `base` taken off.
fn follow(site: &Site, from: &str, base: &str) -> String {
    let html = site.read(&format!("output/{from}"));
    let url = html
        .split("http-equiv=\"refresh\" content=\"0; url=")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("{from} is no redirect:\n{html}"));
    let rel = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{from} redirects outside {base}: {url}"));
    format!("{rel}index.html")
}

#[test]
fn a_renamed_founder_keeps_its_old_address_in_both_languages_under_a_project_path() {
    let site = Site::real();
    let before = content(&site);
    let out = site.run(&["mv", "founder", "jia-yangqing", "yangqing-jia"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(
            "renamed content/founders/jia-yangqing.zh.md -> content/founders/yangqing-jia.zh.md"
        ) && said.contains("updated content/companies/lepton-ai.zh.md: 1 reference, 1 link"),
        "{said}"
    );
    let after = content(&site);
    // The old files are gone; every file differs from before only where it named the slug.
    for (path, old) in &before {
        let old = String::from_utf8(old.clone()).unwrap();
        let name = path.to_string_lossy().into_owned();
        if let Some(lang) = name
            .strip_prefix("founders/jia-yangqing.")
            .and_then(|r| r.strip_suffix(".md"))
        {
            assert!(!after.contains_key(path), "{name} is still there");
            let new = PathBuf::from(format!("founders/yangqing-jia.{lang}.md"));
            let text = String::from_utf8(after[&new].clone()).unwrap();
            let expected = if lang == "zh" {
                // The original gains the alias as the last line of its front matter.
                let end = old[4..].find("\n---\n").unwrap() + 4;
                format!("{}\naliases: [jia-yangqing]{}", &old[..end], &old[end..])
            } else {
                old.clone()
            };
            assert_eq!(text, expected, "{name}");
            continue;
        }
        let text = String::from_utf8(after[path].clone()).unwrap();
        let expected = old
            .replace("@/founders/jia-yangqing)", "@/founders/yangqing-jia)")
            .replace("founders: [jia-yangqing]", "founders: [yangqing-jia]");
        assert_eq!(text, expected, "{name}");
    }
    // The site is clean: every reference resolves, every alias redirects.
    let check = site.run(&["check", "--strict"]);
    assert!(check.status.success(), "{}", stderr(&check));

    let base = "/dossier/";
    site.build_ok(&["--base-url", "https://owner.github.io/dossier/"]);
    for (lang, name) in [("", "贾扬清"), ("en/", "Jia Yangqing")] {
        let old = format!("{lang}founders/jia-yangqing/index.html");
        let target = follow(&site, &old, base);
        assert_eq!(target, format!("{lang}founders/yangqing-jia/index.html"));
        let page = site.read(&format!("output/{target}"));
        assert!(
            page.contains(&format!("<h1 id=\"profile-title\">{name}")),
            "{target}"
        );
        let redirect = site.read(&format!("output/{old}"));
        assert!(
            redirect.contains(&format!(
                "<link rel=\"canonical\" href=\"https://owner.github.io/dossier/{lang}founders/yangqing-jia/\">"
            )) && redirect.contains(&format!(
                "<a href=\"/dossier/{lang}founders/yangqing-jia/\">{name}</a>"
            )) && redirect.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{redirect}"
        );
    }
    // Neither in the sitemap nor in the search index.
    assert!(!site.read("output/sitemap.xml").contains("jia-yangqing"));
    let pages = crate::search_index::indexed_urls(&site.path("output/pagefind"));
    assert!(pages.iter().any(|u| u.contains("founders/yangqing-jia/")));
    assert!(
        !pages.iter().any(|u| u.contains("jia-yangqing")),
        "{pages:?}"
    );
}

#[test]
fn a_renamed_company_and_a_rename_taken_back() {
    let site = Site::fixture("basic");
    // Layouts an editor may use: a BOM, CRLF line ends, a comment, a block list.
    let f = "content/founders/zhang-san.zh.md";
    let text = format!(
        "\u{feff}{}",
        site.read(f)
            .replace("company: widget", "company: \"widget\" # since 2023")
            .replace('\n', "\r\n")
    );
    site.write(f, &text);
    let c = "content/companies/widget.zh.md";
    site.write(
        c,
        &site.read(c).replace(
            "sector: agents",
            "sector: agents\naliases:\n  - gadget # 2022",
        ),
    );
    let out = site.run(&["mv", "company", "widget", "widgets"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        site.read(f),
        text.replace("company: \"widget\"", "company: \"widgets\"")
            .replace("(@/companies/widget)", "(@/companies/widgets)")
    );
    let zh = site.read("content/companies/widgets.zh.md");
    assert!(
        zh.contains("aliases:\n  - gadget # 2022\n  - widget\n"),
        "{zh}"
    );
    assert!(site.run(&["check"]).status.success());
    // Back to the old name: `widget` is no longer an alias, `widgets` becomes one.
    let out = site.run(&["mv", "company", "widgets", "widget"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let zh = site.read("content/companies/widget.zh.md");
    assert!(
        zh.contains("aliases:\n  - gadget # 2022\n  - widgets\n"),
        "{zh}"
    );
    assert_eq!(
        site.read(f),
        text,
        "the founder's file is back to its bytes"
    );
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    site.build_ok(&[]);
    assert_eq!(
        follow(&site, "en/companies/widgets/index.html", "/repo/"),
        "en/companies/widget/index.html"
    );
    assert_eq!(
        follow(&site, "companies/gadget/index.html", "/repo/"),
        "companies/widget/index.html"
    );
}

#[test]
fn mv_refuses_and_changes_nothing() {
    let site = Site::fixture("basic");
    let before = content(&site);
    let refuse = |args: &[&str], code: i32, says: &str| {
        let out = site.run(args);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(content(&site), before, "{args:?} changed the content");
    };
    refuse(
        &["mv", "founder", "zhang-san", "li-si"],
        2,
        "error: content/founders/li-si.en.md already exists: not renaming `zhang-san` to `li-si`",
    );
    refuse(
        &["mv", "founder", "wang-wu", "zhao-liu"],
        2,
        "error: there is no founder `wang-wu`: content/founders/wang-wu.zh.md does not exist",
    );
    refuse(
        &["mv", "founder", "zhang-san", "../x"],
        2,
        "NEW: slug `../x`",
    );
    refuse(&["mv", "planet", "a", "b"], 2, "unknown kind `planet`");
    refuse(
        &["mv", "page", "about", "changes"],
        2,
        "a free page cannot be called `changes`",
    );
    // A new name that another profile keeps as an alias.
    let f = "content/founders/li-si.zh.md";
    site.write(
        f,
        &site
            .read(f)
            .replace("sector: agents", "sector: agents\naliases: [old-li]"),
    );
    let before = content(&site);
    let out = site.run(&["mv", "founder", "zhang-san", "old-li"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`old-li` is an alias in content/founders/li-si.zh.md"));
    assert_eq!(content(&site), before);
    // A file that does not parse might hold a reference: nothing is renamed.
    let w = "content/companies/widget.en.md";
    site.write(w, &site.read(w).replace("name:", "name: [unclosed"));
    let before = content(&site);
    let out = site.run(&["mv", "founder", "zhang-san", "zhang-sanfeng"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/companies/widget.en.md:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(content(&site), before);
}

// Regression: `mv` to a long but valid slug failed with "File name too long": its
// temporary file's name added 20 bytes to the final one.
#[test]
fn mv_to_a_long_slug_that_fits_succeeds() {
    let site = Site::fixture("basic");
    // `<slug>.zh.md` is 250 bytes, under the 255 a file name may have.
    let long = "z".repeat(244);
    let out = site.run(&["mv", "founder", "zhang-san", &long]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site
        .path(&format!("content/founders/{long}.zh.md"))
        .is_file());
    site.build_ok(&[]);
}
