//! The real directory in content/: what must stay true while editors add, rename and remove
//! profiles. Every expectation is read from the content files (`profiles`), never written
//! here as a number, and every test runs on the real site and on a copy grown the way an
//! editor grows it (`real_sites`: a founder and a company added, a founder renamed).

use std::collections::BTreeSet;

use crate::{profiles, real_sites, Site};

const SECTIONS: [&str; 4] = ["founders", "companies", "sectors", "employers"];
const LANGS: [(&str, &str); 2] = [("zh", ""), ("en", "en/")];

/// The fourteen executives of the article, by their Chinese names.
const ARTICLE: [&str; 14] = [
    "姜大昕",
    "吕骋",
    "王长虎",
    "贾扬清",
    "吴翰清",
    "张毅",
    "梁军",
    "梅涛",
    "姚星",
    "李硕",
    "罗文",
    "胡鲁辉",
    "陈亮",
    "景鲲",
];

/// The directories under `output/<lang>/<section>/` that hold a page.
fn page_dirs(site: &Site, lang: &str, section: &str) -> BTreeSet<String> {
    std::fs::read_dir(site.path(&format!("output/{lang}{section}")))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("index.html").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "page")
        .collect()
}

#[test]
fn every_profile_has_a_page_in_each_language_and_every_other_page_is_a_redirect() {
    for site in real_sites() {
        for section in SECTIONS {
            let profiles = profiles(site.root(), section);
            assert!(!profiles.is_empty(), "no {section} in the content");
            for (code, lang) in LANGS {
                let dirs = page_dirs(site, lang, section);
                let slugs: BTreeSet<String> = profiles.iter().map(|p| p.slug.clone()).collect();
                assert!(
                    slugs.is_subset(&dirs),
                    "{code}: {section} without a page: {:?}",
                    slugs.difference(&dirs).collect::<Vec<_>>()
                );
                // What is left are the old addresses of renamed profiles: each redirects.
                for old in dirs.difference(&slugs) {
                    let owner = profiles
                        .iter()
                        .find(|p| p.aliases().contains(old))
                        .unwrap_or_else(|| {
                            panic!("{code}: {section}/{old}/ is neither a profile nor an alias")
                        });
                    let html = site.read(&format!("output/{lang}{section}/{old}/index.html"));
                    assert!(
                        html.contains("http-equiv=\"refresh\"")
                            && html.contains(&format!("/{lang}{section}/{}/", owner.slug)),
                        "{code}: {section}/{old}/ does not redirect to {}",
                        owner.slug
                    );
                }
            }
        }
    }
}

#[test]
fn every_founder_is_in_the_table_under_their_name_in_each_language() {
    for site in real_sites() {
        let founders = profiles(site.root(), "founders");
        for (code, lang) in LANGS {
            let table = site.read(&format!("output/{lang}founders/index.html"));
            for f in &founders {
                let name = crate::escape_html(f.name(code));
                assert!(table.contains(&name), "{code}: the table lacks {name}");
                assert!(
                    table.contains(&format!("/{lang}founders/{}/", f.slug)),
                    "{code}: the table does not link {}",
                    f.slug
                );
            }
        }
    }
}

#[test]
fn the_articles_fourteen_are_on_the_site_while_their_files_exist() {
    for site in real_sites() {
        let founders = profiles(site.root(), "founders");
        let table = site.read("output/founders/index.html");
        for name in ARTICLE {
            // An editor may rename a profile (the slug changes, the name stays) or remove
            // one; while a file names them, they are on the site.
            if let Some(f) = founders.iter().find(|f| f.name("zh") == name) {
                assert!(table.contains(name), "the founders table lacks {name}");
                let page = site.read(&format!("output/founders/{}/index.html", f.slug));
                assert!(page.contains(name), "{}: the page lacks {name}", f.slug);
            }
        }
    }
    // On the real site itself, all fourteen have a file.
    let real = profiles(&crate::repo(), "founders");
    for name in ARTICLE {
        assert!(
            real.iter().any(|f| f.name("zh") == name),
            "content/founders/ has no file for {name} of the article"
        );
    }
}

#[test]
fn every_sector_page_lists_the_founders_and_companies_that_name_it() {
    for site in real_sites() {
        let founders = profiles(site.root(), "founders");
        let companies = profiles(site.root(), "companies");
        for sector in profiles(site.root(), "sectors") {
            for (code, lang) in LANGS {
                let html = site.read(&format!("output/{lang}sectors/{}/index.html", sector.slug));
                let members = founders
                    .iter()
                    .map(|f| ("founders", f))
                    .chain(companies.iter().map(|c| ("companies", c)))
                    .filter(|(_, p)| p.field("sector") == Some(sector.slug.as_str()));
                for (section, p) in members {
                    assert!(
                        html.contains(&format!("/{lang}{section}/{}/", p.slug)),
                        "{code}: sector {} lacks {section}/{}",
                        sector.slug,
                        p.slug
                    );
                }
                // Its founders table holds its founders and no one else (the article
                // places Jing Kun in no sector, though a page may mention him).
                let start = html
                    .find("sector-founders-table")
                    .expect("a sector page has a founders table");
                let table = html[start..].split("</table>").next().unwrap_or("");
                for f in &founders {
                    let listed = table.contains(&format!("/{lang}founders/{}/", f.slug));
                    let member = f.field("sector") == Some(sector.slug.as_str());
                    assert_eq!(
                        listed, member,
                        "{code}: {} in the table of sector {}",
                        f.slug, sector.slug
                    );
                }
            }
        }
    }
}

#[test]
fn every_page_has_its_twin_in_the_other_language_and_the_check_passes() {
    for site in real_sites() {
        let out = site.path("output");
        let mut zh = Vec::new();
        let mut en = Vec::new();
        for e in walkdir::WalkDir::new(&out) {
            let e = e.unwrap();
            let rel = e
                .path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if !rel.ends_with("index.html") {
                continue;
            }
            match rel.strip_prefix("en/") {
                Some(r) => en.push(r.to_owned()),
                None => zh.push(rel),
            }
        }
        zh.sort();
        en.sort();
        assert_eq!(zh, en);
        // Every content file has its translation (nothing falls back to the original), and
        // the check that CI runs passes: the same `dossier check` an editor runs.
        let check = site.run(&["check"]);
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

#[test]
fn the_counts_the_site_states_follow_the_content() {
    for site in real_sites() {
        let founders = profiles(site.root(), "founders").len();
        for (code, lang) in LANGS {
            let home = site.read(&format!("output/{lang}index.html"));
            let lede = home
                .split("<p class=\"lede\">")
                .nth(1)
                .and_then(|s| s.split("</p>").next())
                .expect("the home page has a lede");
            assert!(
                lede.contains(&founders.to_string()),
                "{code}: the description does not give {founders} founders: {lede}"
            );
        }
        // No placeholder is left unfilled anywhere.
        for e in walkdir::WalkDir::new(site.path("output")) {
            let e = e.unwrap();
            if e.path()
                .extension()
                .is_some_and(|x| x == "html" || x == "xml" || x == "json")
            {
                let text = std::fs::read_to_string(e.path()).unwrap();
                assert!(!text.contains("{{ count."), "{}", e.path().display());
            }
        }
    }
}
