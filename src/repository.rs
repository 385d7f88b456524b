//! The GitHub repository a site lives in (`repository:` and `branch:` in `site.yaml`), and
//! the addresses of its editor, its new-file page and its issue form, each part encoded for
//! where it lands in the URL.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters: a value in a query string, or one
/// segment of a path.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The issue form that "Report a correction" opens (`.github/ISSUE_TEMPLATE/<this>`).
pub const CORRECTION_FORM: &str = "correction.yml";

/// A GitHub repository and the branch that the site is built from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Repository {
    pub owner: String,
    pub name: String,
    pub branch: String,
}

impl Repository {
    /// Parses `OWNER/NAME` or `https://github.com/OWNER/NAME` (a trailing `/` or `.git` is
    /// allowed) and a branch name.
    pub fn parse(repo: &str, branch: &str) -> Result<Repository, String> {
        let s = repo.trim();
        let path = s
            .strip_prefix("https://github.com/")
            .or_else(|| s.strip_prefix("http://github.com/"))
            .or_else(|| s.strip_prefix("https://www.github.com/"))
            .unwrap_or(s);
        let path = path.trim_end_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let shape = || {
            if s.contains("://") && !s.contains("github.com/") {
                format!(
                    "repository `{s}` is not on GitHub: links to the source work with GitHub only"
                )
            } else {
                format!("repository `{s}` is not a GitHub repository such as OWNER/NAME")
            }
        };
        let (owner, name) = path.split_once('/').ok_or_else(shape)?;
        if !valid_owner(owner) || !valid_name(name) {
            return Err(shape());
        }
        let branch = branch.trim();
        if !valid_branch(branch) {
            return Err(format!("branch `{branch}` is not a valid git branch name"));
        }
        Ok(Repository {
            owner: owner.to_owned(),
            name: name.to_owned(),
            branch: branch.to_owned(),
        })
    }

    /// Whether `url` is one of the links to the source this repository makes (edit, new
    /// file, report a correction): `check --external` leaves them alone, since they need a
    /// GitHub login and every page has several.
    pub fn made(&self, url: &str) -> bool {
        let web = self.web();
        ["edit/", "new/", "issues/new"]
            .iter()
            .any(|p| url.starts_with(&format!("{web}/{p}")))
    }

    fn web(&self) -> String {
        format!("https://github.com/{}/{}", self.owner, self.name)
    }

    /// The branch as it appears in a path (a `/` in it stays a `/`).
    fn branch_path(&self) -> String {
        path(&self.branch)
    }

    /// GitHub's editor for file `file` (a path from the repository's root, `/`-separated).
    pub fn edit(&self, file: &str) -> String {
        format!("{}/edit/{}/{}", self.web(), self.branch_path(), path(file))
    }

    /// GitHub's page for a new file `filename` in folder `dir`, prefilled with `value`.
    pub fn new_file(&self, dir: &str, filename: &str, value: Option<&str>) -> String {
        let mut url = format!(
            "{}/new/{}/{}?filename={}",
            self.web(),
            self.branch_path(),
            path(dir),
            component(filename)
        );
        if let Some(v) = value {
            url.push_str("&value=");
            url.push_str(&component(v));
        }
        url
    }

    /// A new issue through the correction form, with its title and its `page` field filled in.
    pub fn correction(&self, title: &str, page: &str) -> String {
        format!(
            "{}/issues/new?template={}&title={}&page={}",
            self.web(),
            component(CORRECTION_FORM),
            component(title),
            component(page)
        )
    }
}

/// Percent-encodes a query value or a path segment.
pub fn component(s: &str) -> Cow<'_, str> {
    utf8_percent_encode(s, COMPONENT).into()
}

/// Percent-encodes each segment of a `/`-separated path.
fn path(p: &str) -> String {
    p.split('/').map(component).collect::<Vec<_>>().join("/")
}

/// A GitHub user or organization: letters, digits and single inner hyphens, at most 39.
fn valid_owner(s: &str) -> bool {
    (1..=39).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A repository's name: letters, digits, `-`, `_` and `.`, at most 100, not `.` or `..`.
fn valid_name(s: &str) -> bool {
    (1..=100).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && s != "."
        && s != ".."
}

/// A branch name as `git check-ref-format --branch` takes it, limited to what a URL path
/// carries unchanged: no spaces, control characters, `~^:?*[\`, `..`, `@{`, no empty
/// segment, no segment that starts with `.` or ends with `.lock`, not starting with `-`.
fn valid_branch(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.contains("..")
        && !s.contains("@{")
        && s != "@"
        && !s
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\#%".contains(c))
        && s.split('/')
            .all(|seg| !seg.is_empty() && !seg.starts_with('.') && !seg.ends_with(".lock"))
        && !s.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_links_it_makes_are_known_and_no_others() {
        let r = Repository::parse("owner/site", "main").unwrap();
        assert!(r.made(&r.edit("content/founders/a.zh.md")));
        assert!(r.made(&r.new_file("content/founders", "x.zh.md", None)));
        assert!(r.made(&r.correction("T", "https://x/")));
        assert!(!r.made("https://github.com/owner/site"));
        assert!(!r.made("https://github.com/owner/other/edit/main/a"));
    }

    #[test]
    fn a_repository_is_written_as_owner_name_or_its_address() {
        let want = Repository {
            owner: "owner".into(),
            name: "my.site_2".into(),
            branch: "main".into(),
        };
        for s in [
            "owner/my.site_2",
            "https://github.com/owner/my.site_2",
            "https://github.com/owner/my.site_2/",
            "https://github.com/owner/my.site_2.git",
            " owner/my.site_2 ",
        ] {
            assert_eq!(Repository::parse(s, "main").as_ref(), Ok(&want), "{s}");
        }
        for s in [
            "owner",
            "owner/",
            "/name",
            "owner/name/tree/main",
            "-owner/name",
            "ow ner/name",
            "owner/..",
            "https://gitlab.com/owner/name",
            "owner/name?x=1",
        ] {
            assert!(Repository::parse(s, "main").is_err(), "{s}");
        }
        assert!(Repository::parse("https://gitlab.com/o/n", "main")
            .unwrap_err()
            .contains("not on GitHub"));
    }

    #[test]
    fn branch_names_that_git_refuses_are_refused() {
        for ok in ["main", "gh-pages", "release/2026", "v1.0"] {
            assert!(Repository::parse("o/n", ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "a b", "a..b", "-x", "a/", "x.lock", "a:b", "a?b", "a#b", ".x",
        ] {
            assert!(Repository::parse("o/n", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_part_of_a_link_is_encoded_for_its_place() {
        let r = Repository::parse("o/n", "release/2026").unwrap();
        assert_eq!(
            r.edit("content/founders/zhang-san.en.md"),
            "https://github.com/o/n/edit/release/2026/content/founders/zhang-san.en.md"
        );
        assert_eq!(
            r.new_file("content/founders", "new-founder.zh.md", Some("name: \"a&b\"\n# 中")),
            "https://github.com/o/n/new/release/2026/content/founders?filename=new-founder.zh.md&value=name%3A%20%22a%26b%22%0A%23%20%E4%B8%AD"
        );
        assert_eq!(
            r.correction("张三 · A&B", "https://x.github.io/repo/founders/zhang-san/"),
            "https://github.com/o/n/issues/new?template=correction.yml&title=%E5%BC%A0%E4%B8%89%20%C2%B7%20A%26B&page=https%3A%2F%2Fx.github.io%2Frepo%2Ffounders%2Fzhang-san%2F"
        );
    }
}
