//! The build: URL layout, alternates, inheritance, base path, feeds, minification.

use crate::{searchable_pages, Site};

#[test]
fn url_layout_in_both_languages() {
    let site = Site::fixture("basic");
    let stdout = site.build_ok(&[]);
    for page in [
        "index.html",
        "founders/index.html",
        "founders/zhang-san/index.html",
        "companies/index.html",
        "companies/widget/index.html",
        "sectors/index.html",
        "sectors/agents/index.html",
        "employers/index.html",
        "employers/acme/index.html",
        "about/index.html",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "atom.xml",
        "search/index.html",
        "pagefind/pagefind.js",
        "static/style.css",
    ] {
        assert!(site.path("output").join(page).is_file(), "missing {page}");
        if !page.starts_with("static")
            && page != "sitemap.xml"
            && page != "robots.txt"
            && page != "404.html"
            && !page.starts_with("pagefind")
        {
            let en = format!("en/{page}");
            assert!(site.path("output").join(&en).is_file(), "missing {en}");
        }
    }
    // Home, search, changes, data, 4 indexes, 2 founders, a company, a sector, an employer
    // and a page, per language.
    assert!(
        stdout.starts_with("built 28 pages (zh 14, en 14) in "),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("-> output"), "{stdout}");
    // The search index lists both languages, each with every profile and free page.
    let entry: serde_json::Value =
        serde_json::from_str(&site.read("output/pagefind/pagefind-entry.json")).unwrap();
    let langs = entry["languages"].as_object().expect("languages");
    assert_eq!(langs.keys().collect::<Vec<_>>(), ["en", "zh"], "{entry}");
    let pages = searchable_pages(site.dir.path());
    assert!(pages.contains("founders/zhang-san/") && pages.contains("about/"));
    for page in &pages {
        for lang in ["", "en/"] {
            let built = site.path("output").join(format!("{lang}{page}index.html"));
            assert!(built.is_file(), "missing {}", built.display());
        }
    }
    let expected = pages.len();
    for (lang, index) in langs {
        assert_eq!(
            index["page_count"].as_u64(),
            Some(expected as u64),
            "{lang}: {index}"
        );
    }
}

#[test]
fn pages_declare_language_canonical_and_alternates() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let zh = site.read("output/founders/zhang-san/index.html");
    let en = site.read("output/en/founders/zhang-san/index.html");
    assert!(zh.contains(r#"<html lang="zh""#), "zh page lacks lang");
    assert!(en.contains(r#"<html lang="en""#), "en page lacks lang");
    for page in [&zh, &en] {
        assert!(page
            .contains(r#"hreflang="zh" href="https://owner.github.io/repo/founders/zhang-san/""#));
        assert!(page.contains(
            r#"hreflang="en" href="https://owner.github.io/repo/en/founders/zhang-san/""#
        ));
        assert!(page.contains(
            r#"hreflang="x-default" href="https://owner.github.io/repo/founders/zhang-san/""#
        ));
    }
    assert!(en.contains(
        r#"<link rel="canonical" href="https://owner.github.io/repo/en/founders/zhang-san/""#
    ));
    assert!(en.contains(
        r#"property="og:url" content="https://owner.github.io/repo/en/founders/zhang-san/""#
    ));
    // The language switcher leads to the counterpart.
    assert!(zh.contains(r#"href="/repo/en/founders/zhang-san/""#));
    assert!(en.contains(r#"href="/repo/founders/zhang-san/""#));
}

#[test]
fn json_ld_ids_are_stable_across_languages() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let id = r#""@id":"https://owner.github.io/repo/founders/zhang-san/#person""#;
    assert!(site
        .read("output/founders/zhang-san/index.html")
        .contains(id));
    assert!(site
        .read("output/en/founders/zhang-san/index.html")
        .contains(id));
    let org = r#""@id":"https://owner.github.io/repo/companies/widget/#organization""#;
    assert!(site
        .read("output/en/companies/widget/index.html")
        .contains(org));
    assert!(site
        .read("output/en/companies/widget/index.html")
        .contains(r#""@type":"Organization""#));
}

#[test]
fn sitemap_lists_every_page_with_alternates() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let sm = site.read("output/sitemap.xml");
    assert!(sm.contains("<loc>https://owner.github.io/repo/en/companies/widget/</loc>"));
    assert!(sm.contains(r#"<xhtml:link rel="alternate" hreflang="zh" href="https://owner.github.io/repo/companies/widget/"/>"#));
    assert!(sm.contains(r#"<xhtml:link rel="alternate" hreflang="x-default" href="https://owner.github.io/repo/companies/widget/"/>"#));
    assert_eq!(sm.matches("<url>").count(), 26);
    assert!(site
        .read("output/robots.txt")
        .contains("Sitemap: https://owner.github.io/repo/sitemap.xml"));
    let feed = site.read("output/en/atom.xml");
    assert!(
        feed.contains("<title>Zhang San</title>")
            && feed.contains(r#"href="https://owner.github.io/repo/en/founders/zhang-san/""#)
    );
    assert!(site.read("output/atom.xml").contains("<title>张三</title>"));
}

#[test]
fn translations_inherit_neutral_fields() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let en = site.read("output/en/founders/zhang-san/index.html");
    // Sector, company, employer and city come from the zh file, named in English.
    for s in [
        "AI agents",
        "Widget Tech",
        "Acme",
        "Hangzhou",
        "March 2023",
        "/repo/en/companies/widget/",
    ] {
        assert!(en.contains(s), "English page lacks {s}");
    }
    let zh = site.read("output/founders/zhang-san/index.html");
    for s in ["智能体", "小部件科技", "阿克米", "杭州", "2023年3月"] {
        assert!(zh.contains(s), "Chinese page lacks {s}");
    }
    // Backlinks: the company lists its founder; the sector and employer list theirs.
    assert!(site
        .read("output/en/companies/widget/index.html")
        .contains("/repo/en/founders/zhang-san/"));
    let sector = site.read("output/en/sectors/agents/index.html");
    assert!(
        sector.contains("/repo/en/founders/li-si/")
            && sector.contains("/repo/en/companies/widget/")
    );
    assert!(site
        .read("output/employers/acme/index.html")
        .contains("/repo/founders/li-si/"));
}

#[test]
fn internal_links_resolve_to_the_page_language() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(site
        .read("output/founders/zhang-san/index.html")
        .contains(r#"href="/repo/sectors/agents/#%E6%A6%82%E5%86%B5""#));
    assert!(site
        .read("output/en/founders/zhang-san/index.html")
        .contains(r#"<a href="/repo/en/companies/widget/">Widget</a>"#));
}

#[test]
fn base_url_flag_overrides_and_every_link_respects_the_path() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://me.github.io/other-repo"]);
    let mut checked = 0;
    for (path, bytes) in site.output_snapshot() {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).unwrap();
            for href in dossier::check::scan::scan(html.as_bytes()).links {
                checked += 1;
                assert!(
                    href.starts_with("/other-repo/")
                        || href.starts_with("https://")
                        || href.starts_with('#'),
                    "{}: link {href} ignores the base path",
                    path.display()
                );
            }
        }
    }
    assert!(checked > 100);
    assert!(site
        .read("output/sitemap.xml")
        .contains("<loc>https://me.github.io/other-repo/founders/</loc>"));
}

#[test]
fn minified_output_keeps_the_content() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let plain = site.read("output/en/founders/zhang-san/index.html");
    let yaml = site
        .read("site.yaml")
        .replace("minify: false", "minify: true");
    site.write("site.yaml", &yaml);
    site.build_ok(&[]);
    let small = site.read("output/en/founders/zhang-san/index.html");
    assert!(
        small.len() < plain.len(),
        "{} >= {}",
        small.len(),
        plain.len()
    );
    assert!(small.contains("Zhang San") && small.contains("application/ld+json"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("basic");
    let text = site
        .read("content/founders/li-si.zh.md")
        .replace("summary:", "draft: true\nsummary:");
    site.write("content/founders/li-si.zh.md", &text);
    site.build_ok(&[]);
    assert!(!site.path("output/founders/li-si").exists());
    assert!(!site.read("output/founders/index.html").contains("李四"));
    site.build_ok(&["--drafts"]);
    assert!(site.path("output/founders/li-si/index.html").exists());
}

#[test]
fn crlf_and_bom_files_build_like_their_plain_twins() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = site.read("output/en/founders/zhang-san/index.html");
    let zh = site.read("content/founders/zhang-san.zh.md");
    site.write(
        "content/founders/zhang-san.zh.md",
        &format!("\u{feff}{}", zh.replace('\n', "\r\n")),
    );
    let en = site.read("content/founders/zhang-san.en.md");
    site.write(
        "content/founders/zhang-san.en.md",
        &en.replace('\n', "\r\n"),
    );
    site.build_ok(&[]);
    assert_eq!(site.read("output/en/founders/zhang-san/index.html"), before);
}

#[test]
fn a_missing_translation_falls_back_to_the_original_text() {
    let site = Site::fixture("basic");
    site.remove("content/pages/about.en.md");
    site.build_ok(&[]);
    let en = site.read("output/en/about/index.html");
    assert!(
        en.contains("本站是测试"),
        "fallback page should show the original text"
    );
    assert!(
        en.contains(r#"lang="zh""#),
        "fallback text should be marked as Chinese"
    );
}

#[test]
fn a_section_intro_file_is_shown_on_its_index_page() {
    let site = Site::fixture("basic");
    site.write("content/employers/_index.zh.md", "---\ntitle: 前东家们\nsummary: 他们从哪里来。\n---\n\n大多来自 [阿克米](@/employers/acme)。\n");
    site.write(
        "content/employers/_index.en.md",
        "---\ntitle: Where they came from\n---\n\nMostly from [Acme](@/employers/acme).\n",
    );
    site.build_ok(&[]);
    let zh = site.read("output/employers/index.html");
    assert!(
        zh.contains("<h1>前东家们</h1>")
            && zh.contains(r#"<a href="/repo/employers/acme/">阿克米</a>"#),
        "{zh}"
    );
    assert!(zh.contains(r#"<meta name="description" content="他们从哪里来。">"#));
    let en = site.read("output/en/employers/index.html");
    assert!(
        en.contains("<h1>Where they came from</h1>")
            && en.contains(r#"<a href="/repo/en/employers/acme/">Acme</a>"#)
    );
    // It is an introduction, not a profile.
    assert!(!site.path("output/employers/_index").exists());
}

#[test]
fn a_custom_domain_is_written_to_cname() {
    let site = Site::fixture("basic");
    let yaml = site.read("site.yaml").replace(
        "base_url: https://owner.github.io/repo/",
        "base_url: https://dossier.example.org/\ncustom_domain: dossier.example.org",
    );
    site.write("site.yaml", &yaml);
    site.build_ok(&[]);
    assert_eq!(site.read("output/CNAME"), "dossier.example.org\n");
    assert!(site
        .read("output/founders/index.html")
        .contains(r#"href="/founders/zhang-san/""#));
}

/// Moved here from the tests of the real site, which must not pin its content: how a
/// company's funding reads when the source gives a magnitude, an order or no total, and
/// where a founder appears whose company has a sector but who has none.
#[test]
fn amounts_read_as_the_source_gives_them_and_added_fields_are_marked() {
    let site = Site::fixture("basic");
    site.write(
        "content/companies/widget.zh.md",
        "---\nname: 小部件科技\nsector: agents\nfounders: [zhang-san]\nfounded: 2023-04\ncity: beijing\nadded: [city]\n\
         funding:\n  - {date: 2022-05, stage: angel, amount: 10000000, currency: CNY, qualifier: several, investors: []}\n\
         sources:\n  - title: 一篇文章\n---\n\n小部件科技做智能体。\n",
    );
    site.write(
        "content/companies/gadget.zh.md",
        "---\nname: 小工具\nsector: agents\nfounders: [li-si]\nfounded: 2023-05\ncity: beijing\n\
         funding:\n  - {stage: a1, amount: 100000000, currency: CNY, qualifier: order, investors: []}\n\
         sources:\n  - title: 一篇文章\n---\n\n小工具。\n",
    );
    site.write(
        "content/companies/gadget.en.md",
        "---\nname: Gadget\nadded: [name]\n---\n\nGadget.\n",
    );
    site.build_ok(&[]);
    // 数千万元人民币 stays a magnitude, not a figure; 亿级 reads 亿元级.
    let zh = site.read("output/companies/widget/index.html");
    assert!(zh.contains("数千万元人民币"), "the angel round");
    assert!(!zh.contains("1000万元人民币"));
    let en = site.read("output/en/companies/widget/index.html");
    assert!(en.contains("tens of millions of yuan"), "{en}");
    let zh = site.read("output/companies/gadget/index.html");
    assert!(zh.contains("亿元级人民币") && !zh.contains("亿级元"));
    // A listed round without a total is not a flat "not disclosed".
    assert!(zh.contains("列出1轮融资，总额未披露"));
    let en = site.read("output/en/companies/gadget/index.html");
    assert!(en.contains("1 round listed, total not disclosed"));
    // What the site adds is marked: the original's field in every language, the English
    // name in English.
    assert_eq!(en.matches("(added by the site)</small>").count(), 1, "name");
    let en = site.read("output/en/companies/widget/index.html");
    assert_eq!(en.matches("(added by the site)</small>").count(), 1, "city");
}

/// Regression: "14 位" in site.yaml and the about page went stale when a founder was added.
/// `{{ count.founders }}` counts the published profiles instead.
#[test]
fn counts_in_the_description_and_free_pages_follow_the_profiles() {
    let site = Site::fixture("basic");
    let yaml = site.read("site.yaml");
    let yaml = yaml.replacen(
        "description: {zh: 一个测试站点。, en: A test site.}",
        "description:\n  zh: \"{{ count.founders }} 位创业者\"\n  en: \"{{count.founders}} founders in {{ count.companies }} companies\"",
        1,
    );
    site.write("site.yaml", &yaml);
    let about = site.read("content/pages/about.en.md");
    site.write(
        "content/pages/about.en.md",
        &format!("{about}\nThe site lists {{{{ count.founders }}}} founders.\n"),
    );
    let out = site.run(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site
        .read("output/en/index.html")
        .contains("2 founders in 1 companies"));
    assert!(site.read("output/index.html").contains("2 位创业者"));
    assert!(site
        .read("output/en/about/index.html")
        .contains("The site lists 2 founders."));
    // A third founder: every count follows.
    let li = site.read("content/founders/li-si.zh.md");
    site.write(
        "content/founders/wang-wu.zh.md",
        &li.replace("李四", "王五"),
    );
    let li = site.read("content/founders/li-si.en.md");
    site.write(
        "content/founders/wang-wu.en.md",
        &li.replace("Li Si", "Wang Wu"),
    );
    site.build_ok(&[]);
    assert!(site
        .read("output/en/index.html")
        .contains("3 founders in 1 companies"));
    assert!(site
        .read("output/en/about/index.html")
        .contains("The site lists 3 founders."));
    // A name that counts nothing is an error at its line.
    site.write(
        "content/pages/about.en.md",
        &format!("{about}\nThe site lists {{{{ count.fonders }}}} founders.\n"),
    );
    let err = site.build_err();
    assert!(
        err.contains("about.en.md:") && err.contains("`{{ count.fonders }}` counts nothing"),
        "{err}"
    );
}

/// Regression: the footer linked `data/` and `changes/` whatever the theme, so a theme
/// without those templates (which makes no such pages) had a broken link on every page.
#[test]
fn the_footer_links_only_the_pages_the_theme_makes() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let home = site.read("output/en/index.html");
    for link in [r#"href="/repo/en/data/""#, r#"href="/repo/en/changes/""#] {
        assert!(home.contains(link), "the default theme links {link}");
    }
    site.remove("themes/default/templates/data.html");
    site.remove("themes/default/templates/changes.html");
    site.build_ok(&[]);
    assert!(!site.path("output/data/index.html").exists());
    assert!(!site.path("output/changes/index.html").exists());
    for page in [
        "output/index.html",
        "output/en/index.html",
        "output/en/about/index.html",
    ] {
        let html = site.read(page);
        assert!(
            !html.contains("/data/\"") && !html.contains("/changes/\""),
            "{page} links a page the theme does not make"
        );
    }
    // The site's own link check agrees.
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
