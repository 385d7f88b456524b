//! Raw HTML in Markdown is shown as text, as Hugo does by default: content cannot inject
//! markup.

use pulldown_cmark::Event;

use super::event::Located;

/// Turns every HTML event into text (escaped when written).
pub fn escape(events: Vec<Located>) -> Vec<Located> {
    events
        .into_iter()
        .map(|(e, r)| match e {
            Event::Html(h) | Event::InlineHtml(h) => (Event::Text(h), r),
            e => (e, r),
        })
        .collect()
}
