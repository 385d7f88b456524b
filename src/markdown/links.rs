//! Links: `@/section/slug` targets resolved to the page in the same language; script URLs
//! refused.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::Located;

/// Receives a problem: the byte range of the link, the message and a hint.
pub type Report<'a> = dyn FnMut(Range<usize>, String, String) + 'a;

const UNKNOWN_HINT: &str = "write @/founders/<slug>, @/companies/<slug>, @/sectors/<slug>, @/employers/<slug> or @/pages/<slug> for a file that exists, or @/data or @/changes";

/// Whether a link destination runs code when followed.
fn is_script(dest: &str) -> bool {
    let lower: String = dest
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:")
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
                let dest_url = destination(dest_url, &r, resolve, targets, report);
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
            e => (e, r),
        })
        .collect()
}

fn destination<'a>(
    dest: CowStr<'a>,
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
    if is_script(&dest) {
        report(
            range.clone(),
            format!("link to a script URL `{dest}`"),
            "links must point to pages or files".into(),
        );
        return "#".into();
    }
    dest
}
