//! Portraits and logos: arbitrary bytes through the raster pipeline and the SVG one, with
//! the budget every build uses. Nothing may panic, overflow the stack or blow the memory
//! limit; what comes out must be clean (see `dossier::fuzz::image`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let problems = dossier::fuzz::image(data);
    assert!(problems.is_empty(), "{problems:#?}");
});
