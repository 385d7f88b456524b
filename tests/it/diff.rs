//! `dossier diff OLD NEW` on two builds of a fixture: the pages added, changed and removed,
//! by address, and the fields of a changed profile; a clear error for a directory that is
//! not a build.

use crate::Site;

/// Builds the site into `dir` (relative to its root).
fn build_into(site: &Site, dir: &str) {
    site.build_ok(&["--output", dir]);
}

/// `dossier diff OLD NEW` in the site: (exit code, stdout, stderr).
fn diff(site: &Site, old: &str, new: &str) -> (Option<i32>, String, String) {
    let out = site.run(&["diff", old, new]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The addresses listed under a `### Added/Changed/Removed` heading.
fn listed(md: &str, heading: &str) -> Vec<String> {
    let Some(start) = md.find(&format!("### {heading} (")) else {
        return vec![];
    };
    md[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("- `"))
        .map(|l| l.split('`').next().unwrap().to_owned())
        .collect()
}

#[test]
fn an_edited_fact_names_exactly_its_pages_and_the_field() {
    let site = Site::fixture("basic");
    build_into(&site, "old");
    // A link to the company's site: a neutral field, shown on the founder's page only, so
    // exactly that page changes, in both languages.
    let path = "content/founders/zhang-san.zh.md";
    let text = site.read(path);
    site.write(
        path,
        &text.replace(
            "city: hangzhou\n",
            "city: hangzhou\nlinks:\n  - {title: 官网, url: \"https://widget.example.com/\"}\n",
        ),
    );
    build_into(&site, "new");
    let (code, md, err) = diff(&site, "old", "new");
    assert_eq!(code, Some(0), "{err}");
    assert!(
        md.starts_with("## Pages: 0 added, 2 changed, 0 removed\n"),
        "{md}"
    );
    assert_eq!(
        listed(&md, "Changed"),
        ["/en/founders/zhang-san/", "/founders/zhang-san/"],
        "{md}"
    );
    assert!(listed(&md, "Added").is_empty() && listed(&md, "Removed").is_empty());
    // Each page with its title and the one field that changed, old and new.
    let field =
        "  - `links`: `[]` → `[{\"title\":\"官网\",\"url\":\"https://widget.example.com/\"}]`";
    let field_lines: Vec<&str> = md.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(field_lines, [field, field], "{md}");
    assert!(md.contains("- `/founders/zhang-san/` 张三\n"), "{md}");
    assert!(
        md.contains("- `/en/founders/zhang-san/` Zhang San\n"),
        "{md}"
    );
}

#[test]
fn a_field_of_one_language_changes_that_language_only() {
    let site = Site::fixture("basic");
    build_into(&site, "old");
    let path = "content/founders/zhang-san.en.md";
    let text = site.read(path);
    site.write(
        path,
        &text.replace(
            "former_title: Vice President",
            "former_title: Senior Vice President",
        ),
    );
    build_into(&site, "new");
    let (code, md, _) = diff(&site, "old", "new");
    assert_eq!(code, Some(0));
    let changed = listed(&md, "Changed");
    assert!(
        changed.contains(&"/en/founders/zhang-san/".to_owned()),
        "{md}"
    );
    assert!(
        changed.iter().all(|p| p.starts_with("/en/")),
        "a change in the English file changed a Chinese page: {md}"
    );
    assert!(
        md.contains("  - `former_title`: `Vice President` → `Senior Vice President`\n"),
        "{md}"
    );
    // The index lists the founder with the title, but has no record of its own.
    assert!(md.contains("- `/en/founders/` Founders\n"), "{md}");
}

#[test]
fn added_and_removed_profiles_are_listed_by_address() {
    let site = Site::fixture("basic");
    build_into(&site, "old");
    site.write(
        "content/founders/wang-wu.zh.md",
        "---\nname: 王五\nformer_title: 产品总监\nformer_employer: acme\nsector: agents\nsources:\n  - title: 一篇文章\nsummary: 王五离开了 Acme。\n---\n\n王五的公司尚未披露。\n",
    );
    site.remove("content/founders/li-si.zh.md");
    site.remove("content/founders/li-si.en.md");
    build_into(&site, "new");
    let (code, md, _) = diff(&site, "old", "new");
    assert_eq!(code, Some(0));
    assert_eq!(
        listed(&md, "Added"),
        ["/en/founders/wang-wu/", "/founders/wang-wu/"],
        "{md}"
    );
    assert_eq!(
        listed(&md, "Removed"),
        ["/en/founders/li-si/", "/founders/li-si/"],
        "{md}"
    );
    assert!(md.contains("- `/founders/wang-wu/` 王五\n"), "{md}");
    assert!(md.contains("- `/founders/li-si/` 李四\n"), "{md}");
}

#[test]
fn two_builds_of_the_same_site_change_nothing() {
    let site = Site::fixture("basic");
    build_into(&site, "old");
    build_into(&site, "new");
    let (code, md, _) = diff(&site, "old", "new");
    assert_eq!(code, Some(0));
    let pages = walkdir::WalkDir::new(site.path("new"))
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "html")
        })
        .count();
    assert_eq!(
        md,
        format!("## Pages: 0 added, 0 changed, 0 removed\n\nNo page changed ({pages} pages).\n")
    );
}

#[test]
fn a_directory_that_is_not_a_build_is_a_clear_error() {
    let site = Site::fixture("basic");
    build_into(&site, "old");
    let (code, out, err) = diff(&site, "old", "missing");
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert_eq!(
        err,
        "error: NEW `missing` does not exist: give the output directory of a build (`dossier build --output DIR`)\n"
    );
    // The site's sources are not a build.
    let (code, _, err) = diff(&site, "content", "old");
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: OLD `content` is not a built site (it has no index.html): give the output directory of a build (`dossier build --output DIR`)\n"
    );
    let (code, _, err) = diff(&site, "site.yaml", "old");
    assert_eq!(code, Some(2));
    assert!(err.contains("OLD `site.yaml` is not a directory"), "{err}");
}
