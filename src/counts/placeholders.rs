//! Finding `{{ count.NAME }}` placeholders in a text, and the names they may give. Apart
//! from `counts` (which fills them in at render time) so that the config and the content
//! loader, which report unknown names, need nothing of the rendered site.

use crate::content::kind::Kind;

/// The names a placeholder may count, and their kinds.
pub const NAMES: [(&str, Kind); 4] = [
    ("founders", Kind::Founder),
    ("companies", Kind::Company),
    ("sectors", Kind::Sector),
    ("employers", Kind::Employer),
];

/// One `{{ count.NAME }}` in a text: where it is (byte range) and the name it gives.
pub struct Placeholder<'t> {
    pub start: usize,
    pub end: usize,
    pub name: &'t str,
}

/// Every `{{ count.… }}` in `text`, in order. Other `{{ … }}` are left alone.
pub fn placeholders(text: &str) -> impl Iterator<Item = Placeholder<'_>> {
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
