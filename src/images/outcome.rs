//! What processing one source gives: its files (or a warning about it), or why it
//! failed. A leaf, so that the decoders (`budget`, `raster`, `svg`) need nothing of their
//! parent.

/// Why a source could not be processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl Failed {
    pub fn new(message: String, hint: String) -> Failed {
        Failed { message, hint }
    }
}

/// One file made from a source: its size and format.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    /// `webp`, `jpg`, `png` or `svg`.
    pub ext: String,
    pub bytes: Vec<u8>,
}

/// The kind of an [`Encoded`] that is a warning about the source, not a file: kept in
/// the cache with the files, so that a cached logo warns on every build.
pub const WARNING: &str = "warning";
