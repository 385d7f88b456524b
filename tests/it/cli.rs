//! The command line: exit statuses, `new`, `schema`, `check`.

use crate::Site;

#[test]
fn bad_arguments_exit_with_2() {
    let site = Site::fixture("basic");
    assert_eq!(
        site.run(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(site.run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(site.run(&["new", "planet", "x"]).status.code(), Some(2));
    // A bad --base-url is a bad command line too.
    assert_eq!(
        site.run(&["build", "--base-url", "not a url"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn new_writes_skeletons_that_build_and_refuses_to_overwrite() {
    let site = Site::fixture("basic");
    for kind in ["founder", "company", "sector", "employer", "page"] {
        let out = site.run(&["new", kind, "fresh-one"]);
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let section = match kind {
            "company" => "companies".to_owned(),
            k => format!("{k}s"),
        };
        assert!(site
            .path(&format!("content/{section}/fresh-one.zh.md"))
            .is_file());
        assert!(site
            .path(&format!("content/{section}/fresh-one.en.md"))
            .is_file());
    }
    site.build_ok(&[]);
    let again = site.run(&["new", "founder", "fresh-one"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(
        site.run(&["new", "founder", "../escape"]).status.code(),
        Some(2)
    );
    assert!(!site.path("content/escape.zh.md").exists());
}

#[test]
fn schema_is_generated_from_the_types() {
    let site = Site::fixture("basic");
    let out = site.run(&["schema", "founder"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let props = v["properties"].as_object().unwrap();
    for key in [
        "name",
        "former_title",
        "former_employer",
        "sector",
        "company",
        "left",
        "city",
        "links",
        "sources",
        "draft",
    ] {
        assert!(props.contains_key(key), "schema lacks {key}");
    }
    assert_eq!(v["additionalProperties"], false);
}

#[test]
fn check_passes_a_good_site_and_writes_nothing() {
    let site = Site::fixture("basic");
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 errors"));
    assert!(!site.path("output").exists());
}

/// Regression: `dossier check` passed with "1 warnings" where CI's `check --strict`
/// failed, so an editor's clean check could still turn CI red. There is one check now.
#[test]
fn check_fails_on_a_missing_translation_as_ci_does_and_lenient_only_warns() {
    let site = Site::fixture("basic");
    site.remove("content/pages/about.en.md");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("content/pages/about.zh.md: error: missing translation: content/pages/about.en.md does not exist"), "{err}");
    // --strict, which CI used to pass, is the same check.
    assert_eq!(site.run(&["check", "--strict"]).status.code(), Some(1));
    let out = site.run(&["check", "--lenient"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/pages/about.zh.md: warning: missing translation"),
        "{err}"
    );
}

#[test]
fn check_catches_a_broken_anchor_in_markdown() {
    let site = Site::fixture("basic");
    let t = site
        .read("content/founders/zhang-san.zh.md")
        .replace("@/sectors/agents#概况", "@/sectors/agents#nowhere");
    site.write("content/founders/zhang-san.zh.md", &t);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken anchor `/repo/sectors/agents/#nowhere`"),
        "{err}"
    );
}

#[test]
fn check_catches_a_broken_link_in_a_template() {
    let site = Site::fixture("basic");
    let t = site.read("themes/default/templates/page.html").replacen(
        "{% block content %}",
        "{% block content %}<a href=\"{{ site.base_path }}no/such/page/\">x</a>",
        1,
    );
    site.write("themes/default/templates/page.html", &t);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("output/about/index.html: error: broken link `/repo/no/such/page/`"),
        "{err}"
    );
    assert!(
        err.contains("hint: the link comes from a template of the theme"),
        "{err}"
    );
}

#[test]
fn check_external_reports_dead_links_from_a_local_server() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        // Answer a bounded number of requests: 200 for /ok, 404 otherwise.
        for _ in 0..6 {
            let Ok((mut s, _)) = listener.accept() else {
                break;
            };
            let mut buf = [0u8; 2048];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let status = if req.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = s.write_all(
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    let site = Site::fixture("basic");
    let t = site.read("content/pages/about.en.md")
        + &format!("\n[ok](http://127.0.0.1:{port}/ok) [dead](http://127.0.0.1:{port}/dead)\n");
    site.write("content/pages/about.en.md", &t);
    let out = site.run(&["check", "--external"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "external link `http://127.0.0.1:{port}/dead` failed: HTTP 404"
        )),
        "{err}"
    );
    assert!(!err.contains("/ok`"), "{err}");
    drop(server);
}

#[test]
fn on_github_actions_errors_become_annotations_on_the_line() {
    let site = Site::fixture("basic");
    let t = site
        .read("content/founders/li-si.zh.md")
        .replace("sector: agents", "sector: agent");
    site.write("content/founders/li-si.zh.md", &t);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("check")
        .env("GITHUB_ACTIONS", "true")
        .current_dir(site.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "::error file=content/founders/li-si.zh.md,line=5,col=9::unknown sector `agent`"
        ),
        "{stdout}"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    // `dossier schema founder | head -1`: the pipe closes before the output is written.
    let site = Site::fixture("basic");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["schema", "founder"])
        .current_dir(site.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{err}");
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Regression: a skeleton from `dossier new` with one field set and `draft: true` removed
/// passed `check --strict`, and the page said "TODO". A placeholder is an error at its line.
#[test]
fn an_untouched_skeleton_cannot_be_published() {
    let site = Site::fixture("basic");
    assert!(site.run(&["new", "founder", "li"]).status.success());
    let zh = site
        .read("content/founders/li.zh.md")
        .replace("former_employer: example", "former_employer: acme")
        .replace("draft: true", "");
    site.write("content/founders/li.zh.md", &zh);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    let line = zh
        .lines()
        .position(|l| l.starts_with("former_title: TODO"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "content/founders/li.zh.md:{line}:15: error: placeholder `TODO` left in a field"
        )),
        "{err}"
    );
    assert!(
        err.contains("content/founders/li.en.md:") && err.contains("left in the text"),
        "{err}"
    );
    // The build refuses it too.
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
}

/// Regression: `check` said "0 errors" while it skipped a draft, and a published founder
/// naming a draft company was told to create a file that existed.
#[test]
fn drafts_are_listed_and_checked_and_a_reference_to_one_says_how_to_publish_it() {
    let site = Site::fixture("basic");
    assert!(site.run(&["new", "company", "gadget"]).status.success());
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "a draft's problems do not fail the check"
    );
    let err = stderr_of(&out);
    assert!(
        err.contains("content/companies/gadget.zh.md: note: a draft, not published"),
        "{err}"
    );
    assert!(
        err.contains("warning: in a draft: placeholder `TODO`"),
        "{err}"
    );
    let summary = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        summary.contains("1 draft not published, with")
            && summary.contains("to fix before publishing"),
        "{summary}"
    );
    // A published founder names the draft.
    let z = site
        .read("content/founders/zhang-san.zh.md")
        .replace("company: widget", "company: gadget");
    site.write("content/founders/zhang-san.zh.md", &z);
    let err = site.build_err();
    assert!(
        err.contains("error: company `gadget` is a draft, not published"),
        "{err}"
    );
    assert!(
        err.contains(
            "hint: publish it by removing `draft: true` from content/companies/gadget.zh.md"
        ),
        "{err}"
    );
}

#[test]
fn a_draft_is_shown_with_a_banner_in_a_preview() {
    let site = Site::fixture("basic");
    let li = site.read("content/founders/li-si.zh.md");
    site.write(
        "content/founders/li-si.zh.md",
        &li.replace("---\n\n", "draft: true\n---\n\n"),
    );
    site.build_ok(&[]);
    assert!(!site.path("output/founders/li-si/index.html").exists());
    site.build_ok(&["--drafts"]);
    for (page, label) in [("", "草稿。"), ("en/", "Draft.")] {
        let html = site.read(&format!("output/{page}founders/li-si/index.html"));
        assert!(
            html.contains("draft-notice") && html.contains(label),
            "{page}"
        );
        let other = site.read(&format!("output/{page}founders/zhang-san/index.html"));
        assert!(
            !other.contains("draft-notice"),
            "{page}: a published page has no banner"
        );
    }
}

/// Regression: `company: phantom-ai` suggested `lepton-ai`, another real company, and
/// unknown employers got a list cut at eight.
#[test]
fn did_you_mean_only_for_a_near_miss() {
    let site = Site::fixture("basic");
    let z = site.read("content/founders/zhang-san.zh.md");
    site.write(
        "content/founders/zhang-san.zh.md",
        &z.replace("former_employer: acme", "former_employer: acm"),
    );
    let err = site.build_err();
    assert!(err.contains("hint: did you mean `acme`?"), "{err}");
    site.write(
        "content/founders/zhang-san.zh.md",
        &z.replace("company: widget", "company: widgetron"),
    );
    let err = site.build_err();
    assert!(
        err.contains("hint: no company is called `widgetron`: create it with `dossier new company widgetron`"),
        "{err}"
    );
    assert!(!err.contains("did you mean"), "{err}");
}

/// Regression: `dossier new` could not add a missing translation ("already exists").
#[test]
fn new_with_lang_adds_a_missing_translation() {
    let site = Site::fixture("basic");
    site.remove("content/founders/li-si.en.md");
    let out = site.run(&["new", "founder", "li-si"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out)
            .contains("to add its missing en translation: `dossier new founder li-si --lang en`"),
        "{}",
        stderr_of(&out)
    );
    let out = site.run(&["new", "founder", "li-si", "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created content/founders/li-si.en.md"));
    assert!(site
        .read("content/founders/li-si.en.md")
        .contains("## Background"));
    assert!(site.read("content/founders/li-si.zh.md").contains("李四"));
    // Only the missing file is written; an existing one is never overwritten.
    assert_eq!(
        site.run(&["new", "founder", "li-si", "--lang", "en"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        site.run(&["new", "founder", "nobody", "--lang", "en"])
            .status
            .code(),
        Some(2)
    );
}

/// Regression: moving a founder's departure date meant one field and about ten mentions in
/// prose across six files, and after changing the field alone nothing flagged the rest.
#[test]
fn mentions_finds_a_date_in_every_form_the_languages_write_it() {
    let site = Site::fixture("basic");
    let en = site.read("content/founders/zhang-san.en.md");
    site.write(
        "content/founders/zhang-san.en.md",
        &format!("{en}\nZhang San left in March 2023.\n"),
    );
    let zh = site.read("content/founders/zhang-san.zh.md");
    site.write(
        "content/founders/zhang-san.zh.md",
        &format!("{zh}\n张三于2023年3月离职。\n"),
    );
    let out = site.run(&["mentions", "2023-03"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let zh = site.read("content/founders/zhang-san.zh.md");
    let en = site.read("content/founders/zhang-san.en.md");
    for expected in [
        format!(
            "content/founders/zhang-san.zh.md:{}:7: left: 2023-03",
            line_of(&zh, "left:")
        ),
        format!(
            "content/founders/zhang-san.zh.md:{}:4: 张三于2023年3月离职。",
            line_of(&zh, "离职。")
        ),
        format!(
            "content/founders/zhang-san.en.md:{}:19: Zhang San left in March 2023.",
            line_of(&en, "left in")
        ),
    ] {
        assert!(said.contains(&expected), "{expected}\n{said}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 mentions of `2023-03`"));
}

/// Regression: docs/configuration.md claimed every key but left out `cards` and
/// `data_license`. Every field of site.yaml's schema (`RawConfig`) has its row.
#[test]
fn every_key_of_site_yaml_is_documented() {
    let src = std::fs::read_to_string(crate::repo().join("src/config.rs")).unwrap();
    let body = src
        .split("struct RawConfig {")
        .nth(1)
        .and_then(|s| s.split("\n}").next())
        .expect("RawConfig in src/config.rs");
    let keys: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with("//"))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
        .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    assert!(keys.len() > 10, "{keys:?}");
    let docs = std::fs::read_to_string(crate::repo().join("docs/configuration.md")).unwrap();
    for key in keys {
        assert!(
            docs.contains(&format!("| `{key}` |")),
            "docs/configuration.md lacks `{key}`"
        );
    }
}
