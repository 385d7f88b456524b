//! Front matter of every kind rendered to every output format: the first byte picks a
//! file of the basic fixture, the rest replaces it. Accepted input must render to feeds,
//! sitemaps and share-card SVG that parse as XML, JSON that parses, CSV that parses, and
//! no output may hold a character XML or HTML cannot carry (see `dossier::fuzz::render`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let problems = dossier::fuzz::render(data);
    assert!(problems.is_empty(), "{problems:#?}");
});
