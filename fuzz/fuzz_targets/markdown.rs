//! Markdown rendering, compaction and the HTML scan of `check`, on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = dossier::fuzz::markdown(data);
    assert!(!html.contains("<script"), "raw HTML got through: {html}");
});
