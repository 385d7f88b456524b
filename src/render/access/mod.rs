//! How views read the site: a [`Reader`] per page and language, whose every accessor
//! records what it hands out (`deps`). The environment behind it is private to this
//! module, so a view that reads the site without recording does not compile.
//!
//! The recorder is per thread: a page renders on one thread from start to end (rayon
//! runs pages in parallel, never the parts of one page), so every read lands in that
//! page's list. Nothing here may spawn work onto other threads.

mod picture;
mod reader;
mod rows;

pub use picture::{colour, initials, monogram, Monogram, PictureView};
pub use reader::{Intro, OfKind, Profile, Reader};
pub use rows::{
    field_names, CompanyRow, DateView, DatesView, FounderRow, LinkView, NamedNote, Ref, SourceView,
};
