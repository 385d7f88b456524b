//! The open data under `data/`: JSON that validates against its schema, CSV that parses
//! back to the same rows, the real site's founders with the same facts as their pages,
//! hostile values that stay text, and the page, sitemap and about page that point to it.

use std::collections::BTreeSet;

use dossier::content::PartialDate;
use serde_json::Value;

use crate::{profiles, real_sites, Site};

const TABLES: [&str; 4] = ["founders", "companies", "sectors", "employers"];

fn json(site: &Site, rel: &str) -> Value {
    serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The rows of a CSV file as read back: the header and every record's cells.
fn csv_rows(site: &Site, rel: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(site.path(rel)).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{rel} has no byte-order mark"
    );
    let mut r = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// What a cell holds, by the rules the data page states: empty for no value, JSON for a
/// list or an object, one leading apostrophe taken off a text.
pub(crate) fn read_cell(cell: &str, like: &Value) -> Value {
    match like {
        Value::Null if cell.is_empty() => Value::Null,
        Value::Array(_) | Value::Object(_) => serde_json::from_str(cell).unwrap(),
        Value::Bool(_) => Value::Bool(cell == "true"),
        Value::Number(_) => serde_json::from_str(cell).unwrap(),
        _ => Value::String(cell.strip_prefix('\'').unwrap_or(cell).to_owned()),
    }
}

#[test]
fn the_json_of_every_table_validates_against_its_schema() {
    for site in real_sites() {
        for lang in ["", "en/"] {
            for t in TABLES {
                let schema = json(site, &format!("output/{lang}data/{t}.schema.json"));
                let data = json(site, &format!("output/{lang}data/{t}.json"));
                let v = jsonschema::validator_for(&schema).unwrap();
                let errors: Vec<String> = v.iter_errors(&data).map(|e| e.to_string()).collect();
                assert!(errors.is_empty(), "{lang}{t}: {errors:?}");
                assert!(!data.as_array().unwrap().is_empty(), "{lang}{t} is empty");
                // The schema says something: a record without its slug does not validate.
                let mut broken = data.clone();
                broken[0].as_object_mut().unwrap().remove("slug");
                assert!(
                    !v.is_valid(&broken),
                    "{lang}{t}: the schema accepts a record without a slug"
                );
            }
        }
    }
}

#[test]
fn the_csv_of_every_table_parses_back_to_the_rows_of_its_json() {
    for site in real_sites() {
        for lang in ["", "en/"] {
            for t in TABLES {
                let data = json(site, &format!("output/{lang}data/{t}.json"));
                let records = data.as_array().unwrap();
                let (header, rows) = csv_rows(site, &format!("output/{lang}data/{t}.csv"));
                let keys: Vec<&String> = records[0].as_object().unwrap().keys().collect();
                assert_eq!(
                    header.iter().collect::<BTreeSet<_>>(),
                    keys.into_iter().collect::<BTreeSet<_>>(),
                    "{lang}{t}: the columns are the record's fields"
                );
                assert_eq!(&header[..2], ["slug", "url"], "{lang}{t}");
                assert_eq!(rows.len(), records.len(), "{lang}{t}");
                for (row, record) in rows.iter().zip(records) {
                    for (cell, col) in row.iter().zip(&header) {
                        let want = &record[col.as_str()];
                        assert_eq!(
                            &read_cell(cell, want),
                            want,
                            "{lang}{t}: {col} of {}",
                            record["slug"]
                        );
                    }
                }
            }
        }
        // The package names every file and the licence of site.yaml.
        let p = json(site, "output/en/data/datapackage.json");
        let paths: BTreeSet<&str> = p["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["path"].as_str().unwrap())
            .collect();
        for t in TABLES {
            assert!(
                paths.contains(format!("{t}.csv").as_str())
                    && paths.contains(format!("{t}.json").as_str())
            );
        }
        assert_eq!(p["licenses"][0]["name"], "CC-BY-4.0");
        assert!(
            p["sources"][0]["title"].as_str().unwrap().contains("Zhidx"),
            "{}",
            p["sources"]
        );
    }
}

/// The facts of a founder's fact box: each `<dt>` label with the text of its `<dd>`.
fn factbox(html: &str) -> Vec<(String, String)> {
    let start = html.find("<aside class=\"factbox\"").expect("a fact box");
    let aside = &html[start..start + html[start..].find("</aside>").unwrap()];
    let strip = |s: &str| {
        let mut out = String::new();
        let mut tag = false;
        for c in s.chars() {
            match c {
                '<' => tag = true,
                '>' => tag = false,
                c if !tag => out.push(c),
                _ => {}
            }
        }
        html_escape::decode_html_entities(out.trim()).into_owned()
    };
    aside
        .split("<dt>")
        .skip(1)
        .map(|part| {
            let (dt, rest) = part.split_once("</dt>").unwrap();
            let dd = rest.split("</dd>").next().unwrap();
            (strip(dt), strip(dd))
        })
        .collect()
}

#[test]
fn every_founder_page_of_the_real_site_is_in_the_data_with_the_same_facts() {
    for site in real_sites() {
        for (lang, code, na) in [("", "zh", "未披露"), ("en/", "en", "Not disclosed")] {
            let data = json(site, &format!("output/{lang}data/founders.json"));
            let records = data.as_array().unwrap();
            let pages: BTreeSet<String> =
                std::fs::read_dir(site.path(&format!("output/{lang}founders")))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.join("index.html").is_file())
                    // The old address of a renamed profile is a redirect, not a founder.
                    .filter(|p| {
                        !std::fs::read_to_string(p.join("index.html"))
                            .unwrap()
                            .contains("http-equiv=\"refresh\"")
                    })
                    .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                    .collect();
            let slugs: BTreeSet<String> = records
                .iter()
                .map(|r| r["slug"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(
                pages, slugs,
                "{code}: the founders with a page are the founders in the data"
            );
            let content: BTreeSet<String> = profiles(site.root(), "founders")
                .into_iter()
                .map(|p| p.slug)
                .collect();
            assert_eq!(
                slugs, content,
                "{code}: the founders in the data are those in content/"
            );
            for r in records {
                let slug = r["slug"].as_str().unwrap();
                let html = site.read(&format!("output/{lang}founders/{slug}/index.html"));
                let facts = factbox(&html);
                let fact = |i: usize| facts[i].1.as_str();
                let text = |k: &str| r[k].as_str().unwrap_or(na).to_owned();
                // Name (and the name in the other language), employer, title, company, sector,
                // city and when they left, in the fact box's order.
                assert!(
                    fact(0).starts_with(r["name"].as_str().unwrap()),
                    "{code} {slug}: {}",
                    fact(0)
                );
                let rest: Vec<&(String, String)> =
                    facts.iter().filter(|(dt, _)| !dt.is_empty()).collect();
                let by = |label: &str| {
                    rest.iter()
                        .find(|(dt, _)| dt == label)
                        .map(|(_, dd)| dd.clone())
                        .unwrap_or_else(|| panic!("{code} {slug}: no {label} in {facts:?}"))
                };
                let labels = match code {
                    "zh" => ["前东家", "原职务", "创办公司", "赛道", "城市", "离职时间"],
                    _ => [
                        "Former employer",
                        "Former title",
                        "Company",
                        "Sector",
                        "City",
                        "Left",
                    ],
                };
                let left = r["left"]
                    .as_str()
                    .map(|d| PartialDate::parse(d).unwrap().human(code))
                    .unwrap_or_else(|| na.to_owned());
                let strip_marks =
                    |s: String| s.split(['（', '(']).next().unwrap_or("").trim().to_owned();
                for (label, want) in labels.iter().zip([
                    text("former_employer_name"),
                    text("former_title"),
                    text("company_name"),
                    text("sector_name"),
                    text("city_name"),
                    left,
                ]) {
                    assert_eq!(
                        strip_marks(by(label)),
                        strip_marks(want),
                        "{code} {slug}: {label}"
                    );
                }
                // The references lead where the page's links lead.
                for key in ["company_url", "sector_url", "former_employer_url"] {
                    if let Some(url) = r[key].as_str() {
                        let path = url.strip_prefix("https://example.github.io").unwrap();
                        assert!(
                            html.contains(&format!("href=\"{path}\"")),
                            "{code} {slug}: {key}"
                        );
                    }
                }
                assert_eq!(
                    r["url"].as_str().unwrap(),
                    format!("https://example.github.io/dossier/{lang}founders/{slug}/")
                );
            }
        }
    }
}

#[test]
fn hostile_values_stay_text_in_the_csv() {
    let site = Site::fixture("basic");
    let f = "content/founders/zhang-san.en.md";
    let hostile_name = "=cmd|' /C calc'!A0";
    let hostile_summary = "He said \"no\", twice,\nthen left; -2+3";
    site.write(
        f,
        &site
            .read(f)
            .replace("name: Zhang San", "name: \"=cmd|' /C calc'!A0\"")
            .replace(
                "summary: Zhang San left Acme to found Widget.",
                "summary: \"He said \\\"no\\\", twice,\\nthen left; -2+3\"",
            )
            .replace(
                "former_title: Vice President",
                "former_title: \"@SUM(1+1)\"",
            ),
    );
    site.build_ok(&[]);
    let (header, rows) = csv_rows(&site, "output/en/data/founders.csv");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows.iter().find(|r| r[0] == "zhang-san").unwrap();
    assert_eq!(row[col("name")], format!("'{hostile_name}"));
    assert_eq!(row[col("former_title")], "'@SUM(1+1)");
    // Quotes and the line break survive; a text that does not start like a formula is kept as is.
    assert_eq!(row[col("summary")], hostile_summary);
    // No cell of any table starts the way a spreadsheet formula does.
    for lang in ["", "en/"] {
        for t in TABLES {
            let (_, rows) = csv_rows(&site, &format!("output/{lang}data/{t}.csv"));
            for cell in rows.iter().flatten() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{lang}{t}: {cell:?}"
                );
            }
        }
    }
    // The JSON keeps the value itself.
    let data = json(&site, "output/en/data/founders.json");
    let z = data
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slug"] == "zhang-san")
        .unwrap();
    assert_eq!(z["name"], hostile_name);
    assert_eq!(z["summary"], hostile_summary);
}

#[test]
fn the_data_page_the_sitemap_and_the_about_page_point_to_the_data() {
    for site in real_sites() {
        for lang in ["", "en/"] {
            let page = site.read(&format!("output/{lang}data/index.html"));
            for t in TABLES {
                for file in [
                    format!("{t}.csv"),
                    format!("{t}.json"),
                    format!("{t}.schema.json"),
                ] {
                    assert!(
                        page.contains(&format!("href=\"/dossier/{lang}data/{file}\"")),
                        "{lang}data/ does not link {file}"
                    );
                }
            }
            assert!(page.contains(&format!("href=\"/dossier/{lang}data/datapackage.json\"")));
            assert!(page.contains("rel=\"license\""), "{lang}: no licence link");
            let about = site.read(&format!("output/{lang}about/index.html"));
            assert!(
                about.contains(&format!("href=\"/dossier/{lang}data/\"")),
                "{lang}about/ does not link the data"
            );
        }
        let sitemap = site.read("output/sitemap.xml");
        for url in ["data/", "en/data/", "changes/", "en/changes/"] {
            assert!(
                sitemap.contains(&format!(
                    "<loc>https://example.github.io/dossier/{url}</loc>"
                )),
                "the sitemap lacks {url}"
            );
        }
    }
}

#[test]
fn without_a_licence_the_data_says_so_and_a_bad_licence_is_an_error_at_its_line() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let p = json(&site, "output/en/data/datapackage.json");
    assert_eq!(p["licenses"], serde_json::json!([]));
    let page = site.read("output/en/data/index.html");
    assert!(
        page.contains("The site states no licence for its data")
            && !page.contains("rel=\"license\""),
        "{page}"
    );
    // A licence whose address is not a web address would be a link that runs code.
    let yaml = site.read("site.yaml")
        + "data_license:\n  name: CC-BY-4.0\n  path: \"javascript:alert(1)\"\n";
    site.write("site.yaml", &yaml);
    let err = site.build_err();
    assert!(
        err.contains(
            "site.yaml:11:1: error: the licence's `path` `javascript:alert(1)` is not a web address"
        ),
        "{err}"
    );
    site.write(
        "site.yaml",
        &yaml.replace("name: CC-BY-4.0", "name: \"<b>CC</b>\""),
    );
    let err = site.build_err();
    assert!(
        err.contains("error: `<b>CC</b>` is not a licence identifier such as CC-BY-4.0"),
        "{err}"
    );
}
