//! `dossier schema KIND`, the JSON Schema editors wire into their editor: every real
//! content file's front matter validates against it, and the known mistakes do not.

use std::path::Path;

use serde_json::Value;

use crate::{repo, Site};

/// The schema `dossier schema KIND` prints.
fn schema(kind: &str) -> Value {
    let out = Site::fixture("basic").run(&["schema", kind]);
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A Markdown file's front matter as JSON, as an editor's YAML tooling reads it.
fn front_matter(text: &str) -> Value {
    let head = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---"))
        .map_or("", |(h, _)| h);
    let yaml: serde_yaml::Value = serde_yaml::from_str(head).unwrap();
    serde_json::to_value(yaml).unwrap()
}

fn problems(schema: &Value, fm: &Value) -> Vec<String> {
    jsonschema::validator_for(schema)
        .unwrap()
        .iter_errors(fm)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Regression: every kind marked `updated` as required, so all 28 real founder files
/// failed the schema that docs/editing.md recommends.
#[test]
fn every_content_file_of_the_real_site_validates_against_its_kinds_schema() {
    let mut files = 0;
    for (section, kind) in [
        ("founders", "founder"),
        ("companies", "company"),
        ("sectors", "sector"),
        ("employers", "employer"),
        ("pages", "page"),
    ] {
        let schema = schema(kind);
        for entry in std::fs::read_dir(repo().join("content").join(section)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if !name.ends_with(".md") || name.starts_with('_') {
                continue;
            }
            let fm = front_matter(&std::fs::read_to_string(&path).unwrap());
            let found = problems(&schema, &fm);
            assert!(found.is_empty(), "{}: {found:?}", shown(&path));
            files += 1;
        }
    }
    assert!(files > 0);
}

fn shown(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn the_schema_rejects_the_known_mistakes() {
    let founder = schema("founder");
    let company = schema("company");
    let ok = front_matter("---\nname: 李四\nformer_employer: acme\nleft: 2023-03\n---\n");
    assert_eq!(problems(&founder, &ok), Vec::<String>::new());
    for (schema, text, what) in [
        (&founder, "---\nnmae: 李四\n---\n", "a misspelt field"),
        (
            &founder,
            "---\nname: 李四\nleft: 2023/03\n---\n",
            "a date with slashes",
        ),
        (
            &founder,
            "---\nname: 李四\nleft: March 2023\n---\n",
            "a date in words",
        ),
        (
            &founder,
            "---\nname: 李四\nsector: AI Agents\n---\n",
            "a name where a slug goes",
        ),
        (
            &founder,
            "---\nname: 李四\ndraft: \"yes\"\n---\n",
            "draft as text",
        ),
        (
            &founder,
            "---\nname: 李四\nupdated: 2024-03\n---\n",
            "updated without a day",
        ),
        (
            &company,
            "---\nname: 小部件\nfounders: zhang-san\n---\n",
            "founders not a list",
        ),
    ] {
        assert!(
            !problems(schema, &front_matter(text)).is_empty(),
            "{what} passes"
        );
    }
}
