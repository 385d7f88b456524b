//! Heading ids that keep Chinese characters, unique within a page.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::event::Located;

/// A heading id: `## 创业背景` -> `创业背景`, `## Early life` -> `early-life`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Gives every heading an id (unless `{#id}` set one), unique within the page.
pub fn ids(mut events: Vec<Located>) -> Vec<Located> {
    let mut seen = HashSet::new();
    for i in 0..events.len() {
        if !matches!(events[i].0, Event::Start(Tag::Heading { .. })) {
            continue;
        }
        let text: String = events[i + 1..]
            .iter()
            .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            let base = id
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_else(|| slugify(&text));
            let mut unique = base.clone();
            let mut n = 1;
            while !seen.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            *id = Some(unique.into());
        }
    }
    events
}
