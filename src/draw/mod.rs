//! Drawing shared by share cards (`cards`) and SVG logos (`images`): the system's fonts
//! with their glyph cache, and the options every SVG is parsed with. Below both, so that
//! neither imports the other.

pub mod fonts;
pub mod svg;
