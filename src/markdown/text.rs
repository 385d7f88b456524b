//! The plain text of a body, for the search index: words of every text and code span,
//! blocks separated by a space.

use pulldown_cmark::{Event, TagEnd};

use super::event::Located;

/// The text of `events`, without markup.
pub fn plain(events: &[Located]) -> String {
    let mut out = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}
