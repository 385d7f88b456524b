//! The shape `docs/architecture.md` promises, checked by `scripts/arch-check` from the
//! source text: no import circle between modules, no function over 80 lines, no file over
//! 500 (tests aside).

use std::path::Path;
use std::process::Command;

use crate::repo;

fn arch_check(src: &Path) -> (bool, String) {
    let out = Command::new("python3")
        .arg(repo().join("scripts/arch-check"))
        .arg(src)
        .output()
        .expect("python3 runs scripts/arch-check");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn dossiers_own_source_keeps_the_rules() {
    let (ok, text) = arch_check(&repo().join("src"));
    assert!(ok, "scripts/arch-check src failed:\n{text}");
}

#[test]
fn a_circle_a_long_function_and_a_long_file_are_each_named() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |rel: &str, text: &str| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("lib.rs", "mod a;\nmod b;\nmod c;\nmod d;\nmod e;\n");
    // a -> b -> c -> a, one through a `use` group and one through an inline path.
    write("a.rs", "use crate::b::{self, B};\npub struct A;\n");
    write("b.rs", "pub struct B;\nfn f() { crate::c::g(); }\n");
    write("c.rs", "use super::a::A;\npub fn g() {}\n");
    // A parent and its child that import each other; a visibility is no import.
    write("d/mod.rs", "mod child;\npub use child::X;\npub struct P;\n");
    write("d/child.rs", "use super::P;\npub(in crate::d) struct X;\n");
    let body = "    let x = 1;\n".repeat(85);
    write(
        "e.rs",
        &format!("// \"{{\" in a comment\nfn long() {{\n{body}}}\n"),
    );
    write("f.rs", &"// filler\n".repeat(501));
    let (ok, text) = arch_check(src);
    assert!(!ok, "arch-check passed a tree with a circle:\n{text}");
    assert!(
        text.contains("import circle between 3 modules: a.rs, b.rs, c.rs"),
        "{text}"
    );
    assert!(
        text.contains("import circle between 2 modules: d/child.rs, d/mod.rs"),
        "{text}"
    );
    assert!(text.contains("e.rs:2: fn long is 87 lines"), "{text}");
    assert!(text.contains("f.rs:1: 502 lines"), "{text}");
}
