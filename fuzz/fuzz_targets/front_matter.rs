//! The front matter splitter, YAML and the schema of every kind, on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for d in dossier::fuzz::front_matter(data) {
        // Every problem is located inside the file (or names the whole file). Lines are
        // counted as dossier and editors count them: a lone CR ends a line too.
        let text = dossier::text::normalize(&String::from_utf8_lossy(data));
        let lines = text.lines().count().max(1);
        assert!(d.line <= lines + 1, "{d}");
    }
});
