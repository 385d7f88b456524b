//! The real directory in content/: counts, twins, and a clean build.

use crate::Site;

fn count_dirs(site: &Site, rel: &str) -> usize {
    std::fs::read_dir(site.path(rel))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count()
}

#[test]
fn the_real_site_builds_without_warnings_and_is_complete() {
    let site = Site::real();
    let out = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.trim().is_empty(),
        "build printed warnings:\n{stderr}"
    );
    assert_eq!(count_dirs(&site, "output/founders"), 14);
    assert_eq!(count_dirs(&site, "output/sectors"), 5);
    assert_eq!(count_dirs(&site, "output/companies"), 11);
    assert_eq!(count_dirs(&site, "output/employers"), 10);
    // Every founder named in the article has a page.
    let table = site.read("output/founders/index.html");
    for name in [
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
    ] {
        assert!(table.contains(name), "founders table lacks {name}");
    }
    for name in ["Jia Yangqing", "Jiang Daxin", "Lyu Cheng"] {
        assert!(
            site.read("output/en/founders/index.html").contains(name),
            "English table lacks {name}"
        );
    }
}

#[test]
fn every_page_has_its_twin_in_the_other_language() {
    let site = Site::real();
    site.build_ok(&[]);
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
    // Every content file has its translation: nothing falls back to the original.
    let check = site.run(&["check", "--strict"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn every_sector_page_lists_its_founders_and_companies() {
    let site = Site::real();
    site.build_ok(&[]);
    let expect = [
        (
            "image-video",
            &["wang-changhu", "mei-tao"][..],
            &["aisphere", "hidream-ai"][..],
        ),
        (
            "ai-agents",
            &["zhang-yi", "liang-jun"],
            &["betteryeah", "jiyuan-shuke"],
        ),
        (
            "ai-devices",
            &["lyu-cheng", "wu-hanqing"],
            &["rabbit", "kmind"],
        ),
        (
            "vertical-models",
            &["li-shuo", "luo-wen"],
            &["liyang-shenzhou", "lifepilot"],
        ),
        (
            "infrastructure",
            &["jiang-daxin", "yao-xing", "jia-yangqing"],
            &["stepfun", "xverse", "lepton-ai"],
        ),
    ];
    for (sector, founders, companies) in expect {
        for lang in ["", "en/"] {
            let html = site.read(&format!("output/{lang}sectors/{sector}/index.html"));
            for f in founders {
                assert!(
                    html.contains(&format!("/{lang}founders/{f}/")),
                    "{lang}{sector} lacks {f}"
                );
            }
            for c in companies {
                assert!(
                    html.contains(&format!("/{lang}companies/{c}/")),
                    "{lang}{sector} lacks {c}"
                );
            }
        }
    }
}

#[test]
fn amounts_and_provenance_read_as_the_article_gives_them() {
    let site = Site::real();
    site.build_ok(&[]);
    // 数千万元人民币 stays a magnitude, not a figure; 亿级 reads 亿元级.
    let zh = site.read("output/companies/betteryeah/index.html");
    assert!(zh.contains("数千万元人民币"), "BetterYeah's angel round");
    assert!(!zh.contains("1000万元人民币"));
    let en = site.read("output/en/companies/betteryeah/index.html");
    assert!(en.contains("tens of millions of yuan"));
    let zh = site.read("output/companies/aisphere/index.html");
    assert!(zh.contains("亿元级人民币") && !zh.contains("亿级元"));
    // A listed round without a total is not a flat "not disclosed".
    assert!(zh.contains("列出1轮融资，总额未披露"));
    let en = site.read("output/en/companies/jiyuan-shuke/index.html");
    assert!(en.contains("1 round listed, total not disclosed"));
    // What the site adds is marked.
    let en = site.read("output/en/companies/stepfun/index.html");
    assert_eq!(
        en.matches("(added by the site)</small>").count(),
        2,
        "name and city"
    );
    // The article places Jing Kun in no sector; neither does the site.
    for lang in ["", "en/"] {
        let html = site.read(&format!("output/{lang}sectors/ai-devices/index.html"));
        let start = html
            .find("sector-founders-table")
            .expect("the sector page has a founders table");
        let table = html[start..].split("</table>").next().unwrap_or("");
        assert!(table.contains("founders/lyu-cheng/"));
        assert!(
            !table.contains("founders/jing-kun/"),
            "{lang}: Jing Kun in the table"
        );
    }
}
