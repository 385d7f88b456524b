//! `content/glossary.yaml`: `dossier check` holds English texts to one name per thing.

use crate::Site;

const GLOSSARY: &str = "\
- zh: 某资本
  en: Some Capital
  variants: [Certain Capital]
- zh: 小部件科技
  en: Widget Tech
- zh: 李四
  en: Li Si
- zh: 张三
  en: Zhang San
";

/// Runs `dossier check ARGS`; returns the exit code and stderr with the temp dir removed.
fn check(site: &Site, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = site.run(&all);
    let stderr = String::from_utf8_lossy(&out.stderr)
        .replace(&site.dir.path().display().to_string(), "[SITE]");
    (out.status.code(), stderr)
}

fn site_with_glossary() -> Site {
    let site = Site::fixture("basic");
    site.write("content/glossary.yaml", GLOSSARY);
    site
}

#[test]
fn a_clean_site_passes() {
    let site = site_with_glossary();
    let (code, stderr) = check(&site, &["--strict"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn a_variant_is_flagged_at_its_line_and_column() {
    let site = site_with_glossary();
    site.write(
        "content/founders/li-si.en.md",
        "---\nname: Li Si\nformer_title: Technical Director\n---\n\nLi Si is backed by Certain Capital.\n",
    );
    let (code, stderr) = check(&site, &["--lenient"]);
    assert_eq!(code, Some(0), "a warning does not fail the check");
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_untranslated_term_is_flagged() {
    let site = site_with_glossary();
    site.write(
        "content/founders/li-si.en.md",
        "---\nname: Li Si\nformer_title: Technical Director\nsummary: Backed by 某资本.\n---\n\nNothing more.\n",
    );
    let (code, stderr) = check(&site, &["--lenient"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!(stderr);
}

#[test]
fn english_wording_in_a_chinese_file_is_read_too() {
    let site = site_with_glossary();
    let zh = site.read("content/companies/widget.zh.md");
    site.write(
        "content/companies/widget.zh.md",
        &zh.replace("en: Some Capital", "en: Certain Capital"),
    );
    let (_, stderr) = check(&site, &["--lenient"]);
    assert!(
        stderr.contains(
            "content/companies/widget.zh.md:11:108: warning: `Certain Capital` is not this site's name for 某资本"
        ),
        "{stderr}"
    );
}

#[test]
fn strict_turns_glossary_warnings_into_errors() {
    let site = site_with_glossary();
    site.write(
        "content/founders/li-si.en.md",
        "---\nname: Li Si\nformer_title: Technical Director\n---\n\nLi Si is backed by Certain Capital.\n",
    );
    let (code, stderr) = check(&site, &["--strict"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("content/founders/li-si.en.md:6:20: error: `Certain Capital`"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_glossary_is_a_located_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/glossary.yaml",
        "- zh: 某资本\n  en: Some Capital\n  varaints: [Certain Capital]\n",
    );
    let (code, stderr) = check(&site, &["--lenient"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(stderr);
}

#[test]
fn the_real_site_passes_check_strict_without_a_warning() {
    let site = Site::real();
    assert!(site.path("content/glossary.yaml").is_file());
    let (code, stderr) = check(&site, &["--strict"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "", "check --strict printed problems");
}
