//! Dates from git: a temporary repository with commits at known dates; what each profile
//! page, the sitemap, the feeds and the changes page then say; a new file, a shallow clone.

use std::path::Path;
use std::process::Command;

use crate::Site;

/// Runs git in `dir` with a fixed identity and, when given, the date of the commit.
pub fn git(dir: &Path, args: &[&str], date: Option<&str>) {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    if let Some(d) = date {
        c.env("GIT_AUTHOR_DATE", d).env("GIT_COMMITTER_DATE", d);
    }
    let out = c.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Commits everything in `dir` at `date`.
pub fn commit_all(dir: &Path, message: &str, date: &str) {
    git(dir, &["add", "-A"], None);
    git(dir, &["commit", "-q", "-m", message], Some(date));
}

const ADDED: &str = "2024-01-10T09:00:00+08:00";
const EDITED: &str = "2024-02-20T10:30:00+08:00";

/// The basic fixture as a repository: everything added on 10 January 2024, then Zhang
/// San's English translation edited on 20 February.
fn repo() -> Site {
    let site = Site::fixture("basic");
    git(site.dir.path(), &["init", "-q"], None);
    commit_all(site.dir.path(), "Add the directory", ADDED);
    let en = "content/founders/zhang-san.en.md";
    site.write(
        en,
        &site
            .read(en)
            .replace("Zhang San left", "Zhang San, formerly of Acme, left"),
    );
    commit_all(site.dir.path(), "Zhang San: clearer summary", EDITED);
    site
}

/// The `<p class="profile-dates">` of a page, if any.
fn dates(html: &str) -> Option<&str> {
    let start = html.find("<p class=\"profile-dates\">")?;
    Some(&html[start..start + html[start..].find("</p>")?])
}

#[test]
fn profiles_show_when_they_were_added_and_last_updated() {
    let site = repo();
    site.build_ok(&[]);
    // An edit of the translation updates the profile, in both languages.
    let zh = site.read("output/founders/zhang-san/index.html");
    let d = dates(&zh).expect("Zhang San's page shows dates");
    assert!(
        d.contains("收录于 <time datetime=\"2024-01-10T09:00:00+08:00\">2024年1月10日</time>"),
        "{d}"
    );
    assert!(
        d.contains("更新于 <time datetime=\"2024-02-20T10:30:00+08:00\">2024年2月20日</time>"),
        "{d}"
    );
    let en = site.read("output/en/founders/zhang-san/index.html");
    let d = dates(&en).expect("the English page shows dates");
    assert!(
        d.contains(
            "First added <time datetime=\"2024-01-10T09:00:00+08:00\">10 January 2024</time>"
        ),
        "{d}"
    );
    assert!(
        d.contains(
            "Last updated <time datetime=\"2024-02-20T10:30:00+08:00\">20 February 2024</time>"
        ),
        "{d}"
    );
    // Never changed since it was added: one date.
    let li = site.read("output/en/founders/li-si/index.html");
    let d = dates(&li).expect("Li Si's page shows a date");
    assert!(
        d.contains("10 January 2024") && !d.contains("Last updated"),
        "{d}"
    );

    // The sitemap carries the last change of every profile.
    let sitemap = site.read("output/sitemap.xml");
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://owner.github.io/repo/founders/zhang-san/</loc>"))
        .expect("Zhang San in the sitemap");
    assert!(
        entry.contains("<lastmod>2024-02-20T10:30:00+08:00</lastmod>"),
        "{entry}"
    );

    // The feed uses the real date, newest first.
    let atom = site.read("output/en/atom.xml");
    let first = atom.split("<entry>").nth(1).unwrap();
    assert!(first.contains("en/founders/zhang-san/"), "{first}");
    assert!(
        first.contains("<updated>2024-02-20T10:30:00+08:00</updated>"),
        "{first}"
    );

    // The changes page: Zhang San updated, the rest added, newest first.
    let changes = site.read("output/en/changes/index.html");
    let rows: Vec<&str> = changes.split("<tr>").skip(2).collect();
    assert!(
        rows[0].contains("20 February 2024")
            && rows[0].contains("Updated")
            && rows[0].contains("/repo/en/founders/zhang-san/"),
        "{}",
        rows[0]
    );
    assert!(rows[1..].iter().all(|r| r.contains("Added")));
    // Its feed, in Chinese too.
    let feed = site.read("output/changes/atom.xml");
    let first = feed.split("<entry>").nth(1).unwrap();
    assert!(
        first.contains("<category term=\"updated\" label=\"更新\"/>")
            && first.contains("/repo/founders/zhang-san/"),
        "{first}"
    );
}

#[test]
fn a_file_not_yet_committed_shows_its_updated_field_or_nothing() {
    let site = repo();
    let zh = site
        .read("content/founders/li-si.zh.md")
        .replace("name: 李四", "name: 王五");
    site.write("content/founders/wang-wu.zh.md", &zh);
    site.write(
        "content/founders/zhao-liu.zh.md",
        &zh.replace("name: 王五", "name: 赵六\nupdated: 2024-03-01"),
    );
    site.build_ok(&[]);
    let wang = site.read("output/founders/wang-wu/index.html");
    assert_eq!(dates(&wang), None, "no history, no `updated:`: no dates");
    let zhao = site.read("output/founders/zhao-liu/index.html");
    let d = dates(&zhao).expect("the `updated:` field shows");
    assert!(
        d.contains("更新于 <time datetime=\"2024-03-01T00:00:00Z\">2024年3月1日</time>")
            && !d.contains("收录于"),
        "{d}"
    );
}

#[test]
fn an_updated_field_must_name_a_day() {
    let site = Site::fixture("basic");
    let f = "content/founders/li-si.en.md";
    site.write(
        f,
        &site.read(f).replace("---\n\n", "updated: 2024-03\n---\n\n"),
    );
    let err = site.build_err();
    assert!(
        err.contains(
            "content/founders/li-si.en.md:4:10: error: `updated: 2024-03` is not a day\n  |\n4 | updated: 2024-03\n  |          ^\n  = hint: write the day of the last change: YYYY-MM-DD"
        ),
        "{err}"
    );
}

#[test]
fn a_shallow_clone_builds_and_says_what_it_cannot_know() {
    let site = repo();
    let clone = tempfile::tempdir().unwrap();
    let from = format!("file://{}", site.dir.path().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &from, "site"],
        None,
    );
    let root = clone.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: the git history is shallow") && stderr.contains("fetch-depth: 0"),
        "{stderr}"
    );
    // The one commit fetched stands for the whole history: it dates nothing.
    let zh = std::fs::read_to_string(root.join("output/founders/zhang-san/index.html")).unwrap();
    assert_eq!(dates(&zh), None);
}

#[test]
fn a_profile_renamed_with_mv_keeps_the_date_it_was_first_added() {
    let site = repo();
    let out = site.run(&["mv", "founder", "zhang-san", "zhang-sanfeng"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    commit_all(
        site.dir.path(),
        "Rename Zhang San",
        "2024-03-05T08:00:00+08:00",
    );
    site.build_ok(&[]);
    let zh = site.read("output/founders/zhang-sanfeng/index.html");
    let d = dates(&zh).expect("the renamed profile shows dates");
    assert!(
        d.contains("收录于 <time datetime=\"2024-01-10T09:00:00+08:00\">")
            && d.contains("更新于 <time datetime=\"2024-03-05T08:00:00+08:00\">"),
        "{d}"
    );
}
