//! `min_dossier_version:` in `site.yaml`: the oldest dossier that can build the site (as
//! Hugo's `module.hugoVersion.min`). An older binary refuses the site with the line of the
//! setting and how to get a newer one, before anything else in `site.yaml` is read: a
//! site that needs a newer dossier may use keys that this one does not know.

use std::path::Path;

use semver::Version;

use crate::error::Diagnostic;
use crate::yaml;

/// The key in `site.yaml`.
pub const KEY: &str = "min_dossier_version";

/// This binary's version (Cargo.toml's).
pub const CURRENT: &str = env!("CARGO_PKG_VERSION");

/// How to get another dossier, as README's Install section says.
pub const INSTALL_HINT: &str = "install a newer dossier: download it for your platform from the releases page of dossier's repository, or run `cargo binstall dossier` (or `cargo install --locked dossier`); README, \"Install\", has each way";

/// Checks `min_dossier_version:` in the text of `site.yaml` (shown as `shown`) against
/// this binary's version. Without the key, nothing to check.
pub fn check(text: &str, shown: &Path) -> Result<(), Diagnostic> {
    check_against(text, shown, CURRENT)
}

fn check_against(text: &str, shown: &Path, current: &str) -> Result<(), Diagnostic> {
    let Some(line) = yaml::key_line(text, KEY) else {
        return Ok(());
    };
    let source = text.lines().nth(line - 1).unwrap_or("");
    let (raw, col) = value_of(source);
    let at = |message: String, hint: &str| {
        Diagnostic::new(shown, line, col, message)
            .with_source(text)
            .with_hint(hint)
    };
    let Some(min) = parse(raw) else {
        let shown_raw = if raw.is_empty() {
            "nothing".to_owned()
        } else {
            format!("`{raw}`")
        };
        return Err(at(
            format!("`{KEY}` must be a version such as \"0.2\" or \"0.2.1\", not {shown_raw}"),
            "write the oldest dossier release that builds this site, as MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. `min_dossier_version: \"0.2\"`",
        ));
    };
    let current = Version::parse(current).map_err(|e| {
        Diagnostic::new(
            shown,
            line,
            col,
            format!("this dossier's own version `{current}`: {e}"),
        )
    })?;
    if current.cmp_precedence(&min).is_lt() {
        return Err(at(
            format!("this site needs dossier {min} or later; this is dossier {current}"),
            INSTALL_HINT,
        ));
    }
    Ok(())
}

/// The value of a `key: value` line, without quotes or a trailing comment, and its
/// 1-based column (in characters).
fn value_of(line: &str) -> (&str, usize) {
    let Some(colon) = line.find(':') else {
        return ("", 1);
    };
    let after = &line[colon + 1..];
    let start = colon + 1 + (after.len() - after.trim_start().len());
    let mut value = line[start..].trim_end();
    if let Some(hash) = value.find(" #") {
        value = value[..hash].trim_end();
    } else if value.starts_with('#') {
        value = "";
    }
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
        .unwrap_or(value);
    let col = line[..start].chars().count() + 1;
    (unquoted, col)
}

/// `0.2` (as `0.2.0`) or a full version (`0.2.1`, `1.0.0-rc.1`); None for anything else.
fn parse(raw: &str) -> Option<Version> {
    let parts: Vec<&str> = raw.split('.').collect();
    if parts.len() == 2 && parts.iter().all(|p| numeric(p)) {
        return Version::parse(&format!("{raw}.0")).ok();
    }
    let core = raw.split(['-', '+']).next().unwrap_or("");
    if core.split('.').count() != 3 || !core.split('.').all(numeric) {
        return None;
    }
    Version::parse(raw).ok()
}

fn numeric(p: &str) -> bool {
    !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "title: {zh: 标题}\nbase_url: https://x.org/\n";

    fn run(value: &str, current: &str) -> Result<(), Diagnostic> {
        let text = format!("{SITE}{KEY}: {value}\nlanguages: [zh]\n");
        check_against(&text, Path::new("site.yaml"), current)
    }

    #[test]
    fn a_site_without_the_key_builds_with_any_dossier() {
        assert!(check_against(SITE, Path::new("site.yaml"), "0.0.1").is_ok());
    }

    #[test]
    fn the_same_or_a_newer_dossier_builds_the_site() {
        for (value, current) in [
            ("\"0.2\"", "0.2.0"),
            ("0.2", "0.2.5"),
            ("'0.2.1'", "0.3.0"),
            ("0.2.1 # the charts", "0.2.1"),
            ("\"0.2\"", "0.3.0-rc.1"),
            ("1.0.0-rc.1", "1.0.0-rc.2"),
        ] {
            assert!(run(value, current).is_ok(), "{value} with {current}");
        }
    }

    #[test]
    fn an_older_dossier_refuses_at_the_line_and_column_of_the_value() {
        let e = run("\"0.3\"", "0.2.9").unwrap_err();
        assert_eq!((e.line, e.col), (3, 22));
        assert_eq!(
            e.message,
            "this site needs dossier 0.3.0 or later; this is dossier 0.2.9"
        );
        assert_eq!(e.hint.as_deref(), Some(INSTALL_HINT));
        // A release candidate comes before its release.
        assert!(run("0.3", "0.3.0-rc.1").is_err());
        // 0.10 is ten, not one (unquoted, YAML would read the number 0.1).
        assert!(run("0.10", "0.9.0").is_err());
    }

    #[test]
    fn a_requirement_that_is_not_a_version_is_an_error() {
        for value in [
            "\">= 0.2\"",
            "0",
            "latest",
            "0.2.x",
            "",
            "[0, 2]",
            "v0.2",
            "0.2.0.1",
        ] {
            let e = run(value, "0.2.0").unwrap_err();
            assert!(
                e.message
                    .starts_with("`min_dossier_version` must be a version"),
                "{value}: {}",
                e.message
            );
        }
    }
}
