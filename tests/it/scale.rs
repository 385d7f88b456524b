//! Bounded pages: at 2,000 founders no page, feed or sitemap file grows with the site.
//! Lists are paginated (every founder on exactly one page of the index), feeds keep the
//! newest entries, the sitemap is split into parts, and the charts summarise.

use std::collections::BTreeSet;

use crate::Site;

const FOUNDERS: usize = 2000;
const COMPANIES: usize = 1000;
const EMPLOYERS: usize = 30;

/// The basic fixture grown to 2,000 founders, 1,000 companies and 30 employers.
fn big_site() -> Site {
    let site = Site::fixture("basic");
    // Search and share cards are tested elsewhere; here they would only cost time.
    let yaml = site.read("site.yaml") + "search: false\ncards: false\nsitemap_limit: 2500\n";
    site.write("site.yaml", &yaml);
    for e in 0..EMPLOYERS {
        site.write(
            &format!("content/employers/big-{e}.zh.md"),
            &format!("---\nname: 大厂{e}\n---\n"),
        );
        site.write(
            &format!("content/employers/big-{e}.en.md"),
            &format!("---\nname: Big {e}\n---\n"),
        );
    }
    for c in 0..COMPANIES {
        let founders: Vec<String> = (c..FOUNDERS)
            .step_by(COMPANIES)
            .map(|f| format!("f-{f}"))
            .collect();
        site.write(
            &format!("content/companies/c-{c}.zh.md"),
            &format!(
                "---\nname: 公司{c}\nsector: agents\nfounders: [{}]\nfounded: {}-{:02}\ncity: beijing\nsources:\n  - title: 来源\n    date: 2024-{:02}-01\n---\n\n公司{c}。\n",
                founders.join(", "),
                2018 + c % 6,
                c % 12 + 1,
                c % 12 + 1
            ),
        );
    }
    for f in 0..FOUNDERS {
        site.write(
            &format!("content/founders/f-{f}.zh.md"),
            &format!(
                "---\nname: 创业者{f}\nformer_title: 总监\nformer_employer: big-{}\ncompany: c-{}\nsector: agents\nleft: 2023\nsources:\n  - title: 来源\n    date: 2024-03-{:02}\nupdated: 2024-05-{:02}\n---\n\n创业者{f}的故事。\n",
                f % EMPLOYERS,
                f % COMPANIES,
                f % 28 + 1,
                f % 28 + 1
            ),
        );
        site.write(
            &format!("content/founders/f-{f}.en.md"),
            &format!("---\nname: Founder {f}\nformer_title: Director\n---\n\nThe story of founder {f}.\n"),
        );
    }
    site
}

#[test]
fn no_file_grows_with_the_site() {
    let site = big_site();
    site.build_ok(&[]);
    let out = site.path("output");
    // No HTML file near the size an unbounded list reaches here (the founders index
    // alone would be over 1 MB).
    for (path, bytes) in site.output_snapshot() {
        if path.extension().is_some_and(|e| e == "html") {
            assert!(
                bytes.len() < 300_000,
                "{} is {} bytes",
                path.display(),
                bytes.len()
            );
        }
    }
    // The founders index: 100 a page, every founder on exactly one page.
    let pages = (FOUNDERS + 2).div_ceil(100);
    let mut seen = BTreeSet::new();
    for n in 1..=pages {
        let file = if n == 1 {
            "output/founders/index.html".to_owned()
        } else {
            format!("output/founders/page/{n}/index.html")
        };
        let html = site.read(&file);
        let rows = html.matches("<tr data-sector=").count();
        assert!(rows <= 100, "{file}: {rows} rows");
        for part in html.split("href=\"/repo/founders/").skip(1) {
            let slug = part.split('/').next().unwrap_or("");
            if slug.starts_with("f-")
                && html.contains(&format!("<a href=\"/repo/founders/{slug}/\">创业者"))
            {
                seen.insert(slug.to_owned());
            }
        }
        if n > 1 {
            assert!(
                html.contains(&format!("<title>创业者 · 第 {n} 页 ·")),
                "{file} has no page title"
            );
        }
    }
    assert_eq!(
        seen.len(),
        FOUNDERS,
        "every founder is listed once across the index pages"
    );
    assert!(!out
        .join(format!("founders/page/{}/index.html", pages + 1))
        .exists());
    // The changes page lists the latest 100 of 2,000 dated changes.
    let changes = site.read("output/en/changes/index.html");
    assert_eq!(changes.matches("<th scope=\"row\">").count(), 100);
    // Feeds keep the newest 50; a sector has its own, and so do the changes.
    for feed in [
        "atom.xml",
        "en/atom.xml",
        "sectors/agents/atom.xml",
        "en/sectors/agents/atom.xml",
        "changes/atom.xml",
        "en/changes/atom.xml",
    ] {
        let xml = site.read(&format!("output/{feed}"));
        assert_eq!(xml.matches("<entry>").count(), 50, "{feed}");
    }
    // The sitemap: an index of parts of at most 2,500 URLs that together list every page once.
    let index = site.read("output/sitemap.xml");
    assert!(index.contains("<sitemapindex"), "{index}");
    let mut urls = Vec::new();
    for part in index.split("<loc>").skip(1) {
        let url = part.split("</loc>").next().unwrap_or("");
        let file = url.rsplit('/').next().unwrap_or("");
        let xml = site.read(&format!("output/{file}"));
        let locs: Vec<String> = xml
            .split("<loc>")
            .skip(1)
            .map(|l| l.split("</loc>").next().unwrap_or("").to_owned())
            .collect();
        assert!(locs.len() <= 2500, "{file}: {} URLs", locs.len());
        urls.extend(locs);
    }
    let unique: BTreeSet<&String> = urls.iter().collect();
    assert_eq!(unique.len(), urls.len(), "a URL is listed twice");
    assert!(
        urls.len() > 2 * (FOUNDERS + COMPANIES),
        "{} URLs",
        urls.len()
    );
    // Charts summarise: months instead of a point per company, employers to sectors.
    let home = site.read("output/index.html");
    assert!(home.contains("class=\"chart-month\"") && !home.contains("class=\"chart-point\""));
    let employers = site.read("output/employers/index.html");
    assert!(
        !employers.contains("flow-company"),
        "the flow has a box per company"
    );
    // A card names a dozen founders, then how many more.
    assert!(
        employers.contains("另有 55 个"),
        "an employer card lists every founder"
    );
}
