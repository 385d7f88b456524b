//! Links: `@/section/slug` targets resolved to the page in the same language; any
//! scheme other than http, https and mailto refused (for images: http and https).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::event::Located;

/// Receives a problem: the byte range of the link, the message and a hint.
pub type Report<'a> = dyn FnMut(Range<usize>, String, String) + 'a;

const UNKNOWN_HINT: &str = "write @/founders/<slug>, @/companies/<slug>, @/sectors/<slug>, @/employers/<slug> or @/pages/<slug> for a file that exists, or @/data or @/changes";

/// The scheme of a URL (`javascript` in ` Java\tScript:x`), lower case, after dropping
/// what browsers ignore (whitespace and control characters); None for a relative URL.
fn scheme(dest: &str) -> Option<String> {
    let clean: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let end = clean.find([':', '/', '?', '#'])?;
    let (name, rest) = clean.split_at(end);
    let valid = rest.starts_with(':')
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| name.to_ascii_lowercase())
}

/// Whether a destination may be followed from a page: relative, http(s), or mailto for
/// links.
fn allowed(dest: &str, image: bool) -> bool {
    match scheme(dest).as_deref() {
        None | Some("http") | Some("https") => true,
        Some("mailto") => !image,
        Some(_) => false,
    }
}

/// Resolves internal links (collecting their targets) and neutralizes script links.
pub fn resolve<'a>(
    events: Vec<Located<'a>>,
    resolve: &dyn Fn(&str) -> Option<String>,
    targets: &mut Vec<String>,
    report: &mut Report<'_>,
) -> Vec<Located<'a>> {
    events
        .into_iter()
        .map(|(e, r)| match e {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = destination(dest_url, false, &r, resolve, targets, report);
                (
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }),
                    r,
                )
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = destination(dest_url, true, &r, resolve, targets, report);
                (
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }),
                    r,
                )
            }
            e => (e, r),
        })
        .collect()
}

fn destination<'a>(
    dest: CowStr<'a>,
    image: bool,
    range: &Range<usize>,
    resolve: &dyn Fn(&str) -> Option<String>,
    targets: &mut Vec<String>,
    report: &mut Report<'_>,
) -> CowStr<'a> {
    if let Some(target) = dest.strip_prefix("@/") {
        targets.push(target.to_owned());
        return match resolve(target) {
            Some(url) => url.into(),
            None => {
                report(
                    range.clone(),
                    format!("unknown internal link `{dest}`"),
                    UNKNOWN_HINT.into(),
                );
                "#".into()
            }
        };
    }
    if !allowed(&dest, image) {
        let scheme = scheme(&dest).unwrap_or_default();
        let (what, hint) = if matches!(scheme.as_str(), "javascript" | "vbscript" | "data") {
            ("a script URL", "links must point to pages or files")
        } else if image {
            (
                "an image address that is not http(s)",
                "use an https:// address or a path",
            )
        } else {
            (
                "an address that is not http(s) or mailto",
                "use an https:// or mailto: address, or a path",
            )
        };
        report(
            range.clone(),
            format!("link to {what} `{dest}`"),
            hint.into(),
        );
        return "#".into();
    }
    dest
}
