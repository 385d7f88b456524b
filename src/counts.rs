//! `{{ count.founders }}` (and `companies`, `sectors`, `employers`) in the site's
//! description and in free pages: the number of published profiles of a kind, filled in at
//! render time, so that copy such as "14 位" cannot go stale when an editor adds a founder.

use std::borrow::Cow;

use crate::config::{Config, LangId};
use crate::content::Kind;
use crate::deps::{self, Dep};
use crate::resolve::Site;

/// The names a placeholder may count, and their kinds.
pub const NAMES: [(&str, Kind); 4] = [
    ("founders", Kind::Founder),
    ("companies", Kind::Company),
    ("sectors", Kind::Sector),
    ("employers", Kind::Employer),
];

/// One `{{ count.NAME }}` in a text: where it is (byte range) and the name it gives.
struct Placeholder<'t> {
    start: usize,
    end: usize,
    name: &'t str,
}

/// Every `{{ count.… }}` in `text`, in order. Other `{{ … }}` are left alone.
fn placeholders(text: &str) -> impl Iterator<Item = Placeholder<'_>> {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let open = from + text[from..].find("{{")?;
        let close = open + 2 + text[open + 2..].find("}}")?;
        from = open + 2;
        let inner = text[open + 2..close].trim();
        if let Some(name) = inner.strip_prefix("count.") {
            from = close + 2;
            return Some(Placeholder {
                start: open,
                end: close + 2,
                name: name.trim(),
            });
        }
    })
}

/// The first placeholder in `text` that names nothing countable: its byte offset and name.
pub fn unknown(text: &str) -> Option<(usize, String)> {
    placeholders(text)
        .find(|p| !NAMES.iter().any(|(n, _)| *n == p.name))
        .map(|p| (p.start, p.name.to_owned()))
}

/// `text` with each placeholder replaced by `count(kind)`; each kind counted is recorded
/// as read (its set of profiles), so the dev server renders the page again when an editor
/// adds or removes one.
pub fn fill<'t>(text: &'t str, site: &Site) -> Cow<'t, str> {
    let mut out = String::new();
    let mut last = 0;
    for p in placeholders(text) {
        let Some((_, kind)) = NAMES.iter().find(|(n, _)| *n == p.name) else {
            continue;
        };
        deps::read(|| Dep::Members(*kind));
        out.push_str(&text[last..p.start]);
        out.push_str(&site.count(*kind).to_string());
        last = p.end;
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The site's description in `lang`, counts filled in.
pub fn description<'c>(cfg: &'c Config, site: &Site, lang: LangId) -> Cow<'c, str> {
    fill(&cfg.description[lang], site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_with_any_spacing_and_others_are_left_alone() {
        let names: Vec<&str> =
            placeholders("{{count.founders}} and {{ count.companies }}, {{ x }}")
                .map(|p| p.name)
                .collect();
        assert_eq!(names, ["founders", "companies"]);
        assert_eq!(
            unknown("{{ count.founders }} {{ count.fonders }}").map(|u| u.1),
            Some("fonders".to_owned())
        );
        assert_eq!(unknown("{{ x }} {{ count.sectors }}"), None);
    }
}
