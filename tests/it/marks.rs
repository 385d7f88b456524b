//! `dossier check` holds English names to the glossary and `inferred:` / `added:`
//! to the fields a profile has. Each rule fails on `tests/fixtures/broken_marks`, which
//! breaks it on purpose, and passes once the fixture is mended.

use crate::Site;

/// Runs `dossier check` (`--strict`, which CI scripts may still pass, is the same check); returns the exit code and stderr.
fn check_strict(site: &Site) -> (Option<i32>, String) {
    let out = site.run(&["check", "--strict"]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `path:line:col: error: message` lines of a check's stderr.
fn errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(": error: ")).collect()
}

// Regression: Nvidia, Apple, Google, Taobao, Alipay, Android and the Ministry of Science
// and Technology were on English pages with no glossary entry, and no check saw it.
#[test]
fn an_english_name_missing_from_the_glossary_fails_strict() {
    let site = Site::fixture("broken_marks");
    let (code, stderr) = check_strict(&site);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "content/companies/widget.en.md:7:44: error: `Nvidia` is a name the glossary does not list\n  |\n7 | Widget Tech builds agents, with money from Nvidia.\n  |                                            ^\n  = hint: the Chinese page does not write `Nvidia`, so it is the site's English for a Chinese name: add it to content/glossary.yaml (`added: true` if it is an official name from outside the article)"
        ),
        "{stderr}"
    );

    // With the entry, the name is known; the mark errors are still there.
    let glossary = site.read("content/glossary.yaml");
    site.write(
        "content/glossary.yaml",
        &format!("{glossary}- zh: 英伟达\n  en: Nvidia\n  added: true\n"),
    );
    let (_, stderr) = check_strict(&site);
    assert!(!stderr.contains("Nvidia"), "{stderr}");
}

#[test]
fn a_name_the_chinese_page_writes_as_is_needs_no_entry() {
    let site = Site::fixture("broken_marks");
    // The article writes some names in Latin letters (OpenAI, Lepton AI): the Chinese page
    // then carries the same word, and the English page owes the glossary nothing.
    let zh = site.read("content/companies/widget.zh.md");
    site.write(
        "content/companies/widget.zh.md",
        &zh.replace("获得英伟达投资", "获得 Nvidia 投资"),
    );
    let (_, stderr) = check_strict(&site);
    assert!(!stderr.contains("Nvidia"), "{stderr}");
}

#[test]
fn a_mark_on_a_field_the_profile_lacks_is_an_error_at_its_line() {
    let site = Site::fixture("broken_marks");
    let (code, stderr) = check_strict(&site);
    assert_eq!(code, Some(1), "{stderr}");
    let errs = errors(&stderr);
    assert!(
        errs.contains(
            &"content/founders/li-si.zh.md:7:20: error: `inferred:` names `left`, which this profile does not have"
        ),
        "{stderr}"
    );
    assert!(
        errs.contains(
            &"content/companies/widget.en.md:4:15: error: `added:` names `team`, which this profile does not have"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("= hint: give `left` a value, or take `left` out of `inferred:`"),
        "{stderr}"
    );

    // Marks on fields the profiles have (li-si's sector, widget's name) pass.
    let li = site.read("content/founders/li-si.zh.md");
    site.write(
        "content/founders/li-si.zh.md",
        &li.replace("inferred: [sector, left]", "inferred: [sector]"),
    );
    let w = site.read("content/companies/widget.en.md");
    site.write(
        "content/companies/widget.en.md",
        &w.replace("added: [name, team]", "added: [name]"),
    );
    let (_, stderr) = check_strict(&site);
    assert!(
        !stderr.contains("which this profile does not have"),
        "{stderr}"
    );
}

#[test]
fn a_mark_is_an_error_without_strict_too() {
    let site = Site::fixture("broken_marks");
    // --lenient: the glossary rule only warns, but a mark naming an empty field still fails.
    let out = site.run(&["check", "--lenient"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/companies/widget.en.md:7:44: warning: `Nvidia`"),
        "{stderr}"
    );
}
