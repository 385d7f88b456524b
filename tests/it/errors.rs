//! Every kind of bad input gets a located message with a snippet and a hint (exact text).

use crate::Site;

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn unknown_sector_reference() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/founders/zhang-san.zh.md",
        "sector: agents",
        "sector: agent",
    );
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn unknown_company_employer_and_founder_are_reported_together() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/founders/zhang-san.zh.md",
        "company: widget",
        "company: gadget",
    );
    edit(
        &site,
        "content/founders/li-si.zh.md",
        "former_employer: acme",
        "former_employer: initech",
    );
    edit(
        &site,
        "content/companies/widget.zh.md",
        "founders: [zhang-san]",
        "founders: [zhang-san, wang-wu]",
    );
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn unknown_city_code() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/companies/widget.zh.md",
        "city: beijing",
        "city: shanghai",
    );
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/founders/zhang-san.zh.md",
        "former_title:",
        "formr_title:",
    );
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn yaml_errors_count_lines_from_the_top_of_the_file() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/founders/zhang-san.en.md",
        "former_title: Vice President",
        "former_title: [Vice President",
    );
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn translation_restating_a_neutral_field_differently() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/founders/zhang-san.en.md",
        "name: Zhang San",
        "name: Zhang San\nsector: other",
    );
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn translation_restating_a_neutral_field_identically_is_fine() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/founders/zhang-san.en.md",
        "name: Zhang San",
        "name: Zhang San\nsector: agents",
    );
    site.build_ok(&[]);
}

#[test]
fn unknown_internal_link_in_markdown() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/founders/li-si.en.md",
        "has not been disclosed.",
        "has not been disclosed; see [Wang](@/founders/wang-wu).",
    );
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn missing_required_field() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "content/founders/li-si.zh.md",
        "former_employer: acme\n",
        "",
    );
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn duplicate_slugs_differing_by_case_or_normalization() {
    let site = Site::fixture("basic");
    // "é" precomposed (NFC) and decomposed (NFD) name the same page.
    let page = "---\ntitle: x\n---\n";
    site.write("content/pages/caf\u{e9}.zh.md", page);
    site.write("content/pages/cafe\u{301}.zh.md", page);
    let err = site.build_err();
    assert!(err.contains("duplicate slug"), "{err}");
    assert!(err.contains("content/pages/caf"), "{err}");
    // Upper case is refused outright: URLs are case-sensitive.
    let site = Site::fixture("basic");
    site.write("content/pages/About.zh.md", page);
    let err = site.build_err();
    assert!(err.contains("slug `About` must be lower case"), "{err}");
}

#[test]
fn translation_without_original() {
    let site = Site::fixture("basic");
    site.write("content/pages/contact.en.md", "---\ntitle: Contact\n---\n");
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn unknown_language_suffix() {
    let site = Site::fixture("basic");
    site.write("content/pages/contact.fr.md", "---\ntitle: Contact\n---\n");
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn missing_front_matter() {
    let site = Site::fixture("basic");
    site.write("content/pages/contact.zh.md", "# Contact\n");
    insta::assert_snapshot!(site.build_err());
}

#[test]
fn template_error_names_the_template() {
    let site = Site::fixture("basic");
    edit(
        &site,
        "themes/default/templates/page.html",
        "{% block",
        "{% blok",
    );
    let err = site.build_err();
    assert!(err.contains("themes/default/templates/page.html"), "{err}");
}

#[test]
fn missing_interface_string_is_reported_at_build_time() {
    let site = Site::fixture("basic");
    let en = site.read("themes/default/i18n/en.yaml");
    let kept: String = en
        .lines()
        .filter(|l| !l.starts_with("nav_companies:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("themes/default/i18n/en.yaml", &kept);
    let err = site.build_err();
    assert!(
        err.contains(
            "themes/default/i18n/en.yaml: error: missing interface string `nav_companies`"
        ),
        "{err}"
    );
}

#[test]
fn a_theme_without_a_funding_stage_label_is_reported() {
    let site = Site::fixture("basic");
    for lang in ["zh", "en"] {
        let path = format!("themes/default/i18n/{lang}.yaml");
        let kept: String = site
            .read(&path)
            .lines()
            .filter(|l| !l.starts_with("stage_angel:"))
            .map(|l| format!("{l}\n"))
            .collect();
        site.write(&path, &kept);
    }
    let err = site.build_err();
    assert!(
        err.contains("themes/default/i18n/zh.yaml: error: missing interface string `stage_angel`"),
        "{err}"
    );
}

#[test]
fn an_alias_that_takes_a_live_address_is_an_error_at_its_line() {
    let site = Site::fixture("basic");
    let f = "content/founders/zhang-san.zh.md";
    site.write(
        f,
        &site
            .read(f)
            .replace("sector: agents", "sector: agents\naliases: [zs, li-si]"),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/founders/zhang-san.zh.md:7:15: error: alias `li-si` is the slug of another founder: its page would be replaced by a redirect\n  |\n7 | aliases: [zs, li-si]\n  |               ^\n  = hint: content/founders/li-si.*.md is live at that address; remove the alias or rename that profile"),
        "{err}"
    );
    let g = "content/founders/li-si.zh.md";
    site.write(f, &site.read(f).replace("[zs, li-si]", "[zs]"));
    site.write(
        g,
        &site
            .read(g)
            .replace("sector: agents", "sector: agents\naliases:\n  - zs"),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/founders/zhang-san.zh.md:7:11: error: alias `zs` is already an alias in content/founders/li-si.zh.md"),
        "{err}"
    );
}
