//! The one type every adapter takes and gives: parser events with their place in the body.
//! A leaf, so that the adapters need nothing of their parent.

use std::ops::Range;

use pulldown_cmark::Event;

/// An event with its byte range in the body.
pub type Located<'a> = (Event<'a>, Range<usize>);
