//! `dossier build`, incremental: a build keeps its state in `.dossier-cache/build/` (what
//! every output read and the value each source had, the files of the output and of the
//! spare tree, the search index's shards), and the next build renders only the outputs
//! whose recorded sources have another value now, re-indexes only the search shards
//! whose records changed, and writes the new site into the spare tree, which it then
//! exchanges with the output in one step. See `docs/architecture.md`, "The incremental
//! build".
//!
//! Why a stale state cannot make a wrong site: an output is taken from the previous site
//! only when every source it read (recorded by construction, `render::access`) has the
//! same value now, the file on disk is the one the state names (hash, length and
//! modification time), and the state was written by this very binary for the same
//! settings (the salt); anything else is rendered. A state that is missing, corrupt,
//! truncated or foreign is discarded with a note.

pub mod state;
pub mod tree;
pub mod values;

mod index;
mod outputs;
mod prev;
mod run;
mod unchanged;

pub use run::build;
