//! The dev server never serves a stale page: after every scripted change, the site it
//! updated change by change equals a site built from scratch from the same sources, and
//! an edit re-renders only what it touches.

use std::path::{Path, PathBuf};

use dossier::serve::Session;
use dossier::{Mode, Options};

use crate::Site;

/// The basic fixture with a second sector, so founders can move between sectors.
pub(crate) fn two_sectors() -> Site {
    let site = Site::fixture("basic");
    site.write(
        "content/sectors/devices.zh.md",
        "---\nname: 终端\norder: 2\n---\n\n终端赛道。\n",
    );
    site.write(
        "content/sectors/devices.en.md",
        "---\nname: Devices\n---\n\nThe devices sector.\n",
    );
    site
}

/// A session updated incrementally, next to the sources it reads.
struct Live {
    site: Site,
    root: PathBuf,
    session: Session,
}

fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111/repo/".into()),
        mode: Mode::Serve,
        ..Options::default()
    }
}

impl Live {
    fn start() -> Live {
        Live::on(two_sectors())
    }

    /// A session on `site`, built once.
    fn on(site: Site) -> Live {
        let root = site.dir.path().canonicalize().unwrap();
        let mut session = Session::new(&options(&root)).unwrap();
        session.rebuild_all().unwrap();
        Live {
            site,
            root,
            session,
        }
    }

    /// A session on `site` that renders each output only when asked for
    /// ([`Session::on_request`]): built once, nothing rendered yet.
    fn lazy(site: Site) -> Live {
        let root = site.dir.path().canonicalize().unwrap();
        let mut session = Session::new(&options(&root)).unwrap().on_request();
        let outcome = session.rebuild_all().unwrap();
        assert_eq!(outcome.rendered, 0);
        assert!(outcome.reset);
        assert_eq!(outcome.unrendered.len(), session.unrendered());
        Live {
            site,
            root,
            session,
        }
    }

    /// Renders every output not rendered yet, as the background does (the open data a
    /// file at a time); returns their paths.
    fn render_rest(&mut self) -> Vec<String> {
        let mut done = Vec::new();
        while self.session.unrendered() > 0 {
            let chunk = self.session.render_next(usize::MAX).unwrap();
            assert!(!chunk.changed.is_empty(), "nothing rendered");
            done.extend(chunk.changed.iter().map(|p| p.to_string()));
        }
        done
    }

    /// The file the session serves at `path`.
    fn file(&self, path: &str) -> Option<Vec<u8>> {
        let p = dossier::output::SitePath::new(path).unwrap();
        self.session.file(&p).map(|b| b.to_vec())
    }

    /// Every file rendered so far is the clean build's file at its path, and the outputs
    /// not rendered yet are the clean build's other files.
    fn rendered_as_clean(&self, what: &str) {
        let mut clean = Session::new(&options(&self.root)).unwrap();
        clean.rebuild_all().unwrap();
        let clean: std::collections::BTreeMap<String, _> = clean
            .files()
            .into_iter()
            .map(|(p, b)| (p.to_string(), b))
            .collect();
        let mut seen: Vec<String> = Vec::new();
        for (p, bytes) in self.session.files() {
            let p = p.to_string();
            let want = clean
                .get(&p)
                .unwrap_or_else(|| panic!("{what}: {p} is not planned"));
            assert!(
                bytes == *want,
                "{what}: {p} is stale\n--- served:\n{}\n--- clean:\n{}",
                String::from_utf8_lossy(&bytes),
                String::from_utf8_lossy(want)
            );
            seen.push(p);
        }
        let waiting = self.session.unrendered_paths();
        seen.extend(waiting.iter().map(|p| p.to_string()));
        seen.sort();
        let all: Vec<&String> = clean.keys().collect();
        assert_eq!(
            seen.iter().collect::<Vec<_>>(),
            all,
            "{what}: the files rendered and waiting are not the site's"
        );
    }

    /// Writes files (None removes one), applies them as one batch, and checks the result
    /// against a clean build. Returns how many pages were rendered.
    fn change(&mut self, what: &str, edits: &[(&str, Option<&str>)]) -> usize {
        self.change_files(what, edits).0
    }

    /// [`Live::change`], returning also the paths of the files it rendered before the
    /// open data.
    fn change_files(&mut self, what: &str, edits: &[(&str, Option<&str>)]) -> (usize, Vec<String>) {
        let mut paths = Vec::new();
        for (rel, text) in edits {
            match text {
                Some(t) => self.site.write(rel, t),
                None => self.site.remove(rel),
            }
            paths.push(self.root.join(rel));
        }
        let outcome = self
            .session
            .apply(&paths)
            .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        // The dev server renders the open data after the browser reloads.
        let later = self
            .session
            .render_deferred()
            .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert_eq!(later.changed.len(), outcome.deferred, "{what}");
        self.same_as_clean(what);
        let files = outcome.changed.iter().map(|p| p.to_string()).collect();
        (outcome.rendered, files)
    }

    /// Edits one file by replacing text in it.
    fn edit(&mut self, what: &str, rel: &str, from: &str, to: &str) -> usize {
        self.edit_files(what, rel, from, to).0
    }

    /// [`Live::edit`], returning also the paths of the files it rendered before the open
    /// data.
    fn edit_files(&mut self, what: &str, rel: &str, from: &str, to: &str) -> (usize, Vec<String>) {
        let text = self.site.read(rel);
        assert!(text.contains(from), "{what}: {rel} lacks {from:?}");
        let new = text.replacen(from, to, 1);
        self.change_files(what, &[(rel, Some(&new))])
    }

    fn same_as_clean(&self, what: &str) {
        let mut clean = Session::new(&options(&self.root)).unwrap();
        clean.rebuild_all().unwrap();
        let mut a = self.session.files();
        let mut b = clean.files();
        a.sort();
        b.sort();
        let names = |v: &[(dossier::output::SitePath, std::sync::Arc<Vec<u8>>)]| {
            v.iter().map(|(p, _)| p.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b), "{what}: the set of files differs");
        for ((p, x), (_, y)) in a.iter().zip(&b) {
            assert!(
                x == y,
                "{what}: {p} is stale\n--- served:\n{}\n--- clean:\n{}",
                String::from_utf8_lossy(x),
                String::from_utf8_lossy(y)
            );
        }
    }
}

#[test]
fn every_kind_of_change_gives_the_same_site_as_a_clean_build() {
    let mut live = Live::start();
    let f = "content/founders/zhang-san.zh.md";
    // A body edit in one language re-renders that page alone.
    let n = live.edit(
        "en body",
        "content/founders/zhang-san.en.md",
        "founded",
        "started",
    );
    assert_eq!(n, 1, "an English body edit renders only its page");
    // An alias: a redirect in each language, which shows the name edited next.
    live.edit("alias", f, "left: 2023-03", "left: 2023-03\naliases: [zs]");
    // A language-specific field: every page that shows the name.
    live.edit("zh name", f, "name: 张三", "name: 张三丰");
    // A language-specific field of the original, of a profile translated into English:
    // of the English pages only the profile's own reads it (its search terms include the
    // Chinese summary); the lists show its Chinese name alone. A neutral field in the same
    // file reaches the English lists.
    let zh = live.site.read(f);
    let summary = zh.replace("summary: 张三离开", "summary: 张三在 2023 年离开");
    let (_, files) = live.change_files("zh summary", &[(f, Some(&summary))]);
    assert!(
        files.iter().any(|p| p.starts_with("founders/zhang-san/")),
        "the edited page is rendered: {files:?}"
    );
    assert!(
        !files
            .iter()
            .any(|p| p.starts_with("en/") && !p.starts_with("en/founders/zhang-san/")),
        "a Chinese summary edit rendered English lists: {files:?}"
    );
    let neutral = summary.replace("left: 2023-03", "left: 2023-04");
    let (_, files) = live.change_files("zh left", &[(f, Some(&neutral))]);
    assert!(
        files.iter().any(|p| p == "en/founders/index.html"),
        "a neutral field edit did not render the English list: {files:?}"
    );
    live.change("zh left back", &[(f, Some(&summary))]);
    live.edit("alias renamed", f, "aliases: [zs]", "aliases: [z-s]");
    // A date in the translation: both pages' dates, the changes page and feed, the sitemap.
    live.edit(
        "updated",
        "content/founders/zhang-san.en.md",
        "---\n\n",
        "updated: 2024-05-01\n---\n\n",
    );
    // Neutral fields: the founder moves to another sector and city.
    live.edit("sector", f, "sector: agents", "sector: devices");
    live.edit("city", f, "city: hangzhou", "city: beijing");
    // A company's city is its founders' city when they state none.
    live.edit(
        "company city",
        "content/companies/widget.zh.md",
        "city: beijing",
        "city: hangzhou",
    );
    // A new profile in both languages, then its removal.
    live.change(
        "new founder",
        &[
            (
                "content/founders/wang-wu.zh.md",
                Some("---\nname: 王五\nformer_title: 总监\nformer_employer: acme\ncompany: widget\nsector: agents\nleft: 2024\nsources:\n  - title: 一篇文章\n---\n\n王五加入了 [张三](@/founders/zhang-san)。\n"),
            ),
            (
                "content/founders/wang-wu.en.md",
                Some("---\nname: Wang Wu\nformer_title: Director\n---\n\nWang Wu.\n"),
            ),
        ],
    );
    // Renamed: both files move in one batch, as `git mv` or an editor does it.
    let zh = live.site.read("content/founders/wang-wu.zh.md");
    let en = live.site.read("content/founders/wang-wu.en.md");
    live.change(
        "a profile renamed",
        &[
            ("content/founders/wang-wu.zh.md", None),
            ("content/founders/wang-wu.en.md", None),
            ("content/founders/wang-liu.zh.md", Some(&zh)),
            ("content/founders/wang-liu.en.md", Some(&en)),
        ],
    );
    live.change(
        "a translation removed",
        &[("content/founders/wang-liu.en.md", None)],
    );
    live.change(
        "a profile removed",
        &[("content/founders/wang-liu.zh.md", None)],
    );
    // A draft disappears from every list.
    live.edit(
        "draft",
        "content/founders/li-si.zh.md",
        "---\n",
        "---\ndraft: true\n",
    );
    live.edit(
        "undraft",
        "content/founders/li-si.zh.md",
        "draft: true\n",
        "",
    );
    // A rename by hand: as many founders as before, one at another address. (Regression:
    // the dev server kept the old pages and wrote no new ones, since the outputs were as
    // many as before and numbered alike; so did a renamed alias.)
    let zh = live.site.read("content/founders/li-si.zh.md");
    let en = live.site.read("content/founders/li-si.en.md");
    live.change(
        "renamed",
        &[
            ("content/founders/li-si.zh.md", None),
            ("content/founders/li-si.en.md", None),
            ("content/founders/li-wu.zh.md", Some(&zh)),
            ("content/founders/li-wu.en.md", Some(&en)),
        ],
    );
    // A free page's title is in every page's navigation.
    live.edit("nav", "content/pages/about.en.md", "title:", "title: New");
    // A section introduction.
    live.change(
        "intro",
        &[(
            "content/founders/_index.zh.md",
            Some("---\ntitle: 创业者们\nsummary: 全部。\n---\n\n介绍。\n"),
        )],
    );
    // Theme: a partial, an interface string, the language names, a static file.
    live.edit(
        "partial",
        "themes/default/templates/partials/macros.html",
        "{#- Small helpers",
        "{#- The small helpers",
    );
    let en = "themes/default/i18n/en.yaml";
    live.edit("string", en, "nav_founders: ", "nav_founders: The ");
    live.edit(
        "language name",
        en,
        "language_name: ",
        "language_name: Eng ",
    );
    live.edit(
        "static",
        "themes/default/static/style.css",
        "",
        "/* edited */\n",
    );
    live.change(
        "static added",
        &[("themes/default/static/extra.txt", Some("extra\n"))],
    );
    live.change(
        "static removed",
        &[("themes/default/static/extra.txt", None)],
    );
    // site.yaml: a city's name, then the title.
    live.edit(
        "city name",
        "site.yaml",
        "beijing: {zh: 北京, en: Beijing}",
        "beijing: {zh: 北京市, en: Beijing City}",
    );
    live.edit(
        "title",
        "site.yaml",
        "en: Test Directory",
        "en: A Test Directory",
    );
    // A burst: content, template and config in one batch.
    let sy = live.site.read("site.yaml").replace(
        "hangzhou: {zh: 杭州, en: Hangzhou}",
        "hangzhou: {zh: 杭州市, en: Hangzhou}",
    );
    let tpl = live
        .site
        .read("themes/default/templates/founder.html")
        .replace("<article", "<article data-x=\"1\"");
    let body = live.site.read(f).replace("## 背景", "## 经历");
    live.change(
        "burst",
        &[
            ("site.yaml", Some(&sy)),
            ("themes/default/templates/founder.html", Some(&tpl)),
            (f, Some(&body)),
        ],
    );
}

#[test]
fn switching_themes_in_site_yaml_renders_everything_with_the_new_theme() {
    let mut live = Live::start();
    // A copy of the theme with a visible difference.
    let from = live.root.join("themes/default");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&from).unwrap();
        let to = live.root.join("themes/other").join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    live.site.write(
        "themes/other/templates/page.html",
        &live.site.read("themes/other/templates/page.html").replace(
            "{% block content %}",
            "{% block content %}<p>other theme</p>",
        ),
    );
    live.edit("theme", "site.yaml", "theme: default", "theme: other");
    let about = live
        .session
        .file(&dossier::output::SitePath::new("about/index.html").unwrap())
        .unwrap();
    assert!(String::from_utf8_lossy(&about).contains("other theme"));
}

#[test]
fn a_failed_change_keeps_the_last_good_site_and_the_fix_catches_up() {
    let mut live = Live::start();
    let f = "content/founders/zhang-san.zh.md";
    // Two edits, the second broken: the first must still show once the second is fixed.
    live.edit("name", f, "name: 张三", "name: 张三丰");
    let text = live
        .site
        .read(f)
        .replace("sector: agents", "sector: nowhere");
    live.site.write(f, &text);
    let err = live.session.apply(&[live.root.join(f)]);
    assert!(err.is_err(), "an unknown sector must fail");
    let text = text
        .replace("summary: 张三", "summary: 张三丰")
        .replace("sector: nowhere", "sector: agents");
    live.change("fix", &[(f, Some(&text))]);
}

/// The dev server skips the check for outputs written at one path when the plan is the
/// one it last found clear; an edit that adds a clashing alias changes the plan and is
/// still refused, at its line, and the edit that removes it is served.
#[test]
fn an_alias_that_clashes_is_refused_after_edits_that_kept_the_plan() {
    let mut live = Live::start();
    let f = "content/founders/zhang-san.zh.md";
    live.edit("summary", f, "summary: 张三", "summary: 张三丰");
    let clean = live.site.read(f);
    let clash = clean.replacen("---\n", "---\naliases: [index.html]\n", 1);
    live.site.write(f, &clash);
    let err = live.session.apply(&[live.root.join(f)]).unwrap_err();
    let said = format!("{err:?}");
    assert!(
        said.contains(
            "alias `index.html` would write the redirect where the site writes founders/index.html"
        ),
        "{said}"
    );
    live.change("alias removed", &[(f, Some(&clean))]);
}

/// The basic fixture with more founders than an output may record one by one
/// ([`dossier::deps::MANY`]), each in both languages.
fn crowded() -> Site {
    let site = Site::fixture("basic");
    // Search and share cards are tested elsewhere; here they would only cost time. The
    // lists on one page each, so that pages (not only the open data) show every founder.
    let yaml = site.read("site.yaml") + "search: false\ncards: false\npaginate: 1000\n";
    site.write("site.yaml", &yaml);
    for f in 0..dossier::deps::MANY + 10 {
        site.write(
            &format!("content/founders/f-{f}.zh.md"),
            &format!("---\nname: 创业者{f}\nformer_title: 总监\nformer_employer: acme\nsector: agents\nleft: 2023\nsources:\n  - title: 来源\n---\n\n创业者{f}的故事。\n"),
        );
        site.write(
            &format!("content/founders/f-{f}.en.md"),
            &format!("---\nname: Founder {f}\nformer_title: Director\n---\n\nThe story of founder {f}.\n"),
        );
    }
    site
}

/// The coarse path of the dependency map, which only a site this large takes: an output
/// that shows more than MANY founders records "any founder" instead of each (the founders
/// lists, the open data), and an edit of one founder must still reach it.
#[test]
fn past_the_coarsening_threshold_an_edit_of_one_founder_reaches_every_list() {
    use dossier::content::Kind;
    use dossier::deps::Dep;
    let mut live = Live::on(crowded());
    let coarse: Vec<String> = live
        .session
        .files()
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            live.session
                .reads(p)
                .contains(&Dep::AnyFields(Kind::Founder))
        })
        .map(|p| p.to_string())
        .collect();
    // Without these the test would not reach the coarse path at all: pages, rendered at
    // once, and the open data, rendered after.
    for p in [
        "founders/index.html",
        "en/founders/index.html",
        "sectors/agents/index.html",
        "employers/acme/index.html",
        "data/founders.json",
        "en/data/founders.csv",
    ] {
        assert!(
            coarse.iter().any(|c| c == p),
            "{p} is not coarse: {coarse:?}"
        );
    }
    let f = "content/founders/f-123.zh.md";
    // A neutral field (both languages' lists), an original's name (the English lists show
    // it beside the English one), an English name, a new founder and its removal.
    live.edit("title", f, "former_title: 总监", "former_title: 副总裁");
    live.edit("zh name", f, "name: 创业者123", "name: 创业者一二三");
    live.edit(
        "en name",
        "content/founders/f-45.en.md",
        "name: Founder 45",
        "name: Founder Forty-Five",
    );
    let new = "---\nname: 新人\nformer_title: 总监\nformer_employer: acme\nsector: agents\nleft: 2024\nsources:\n  - title: 来源\n---\n\n新人。\n";
    live.change("added", &[("content/founders/f-new.zh.md", Some(new))]);
    live.change("removed", &[("content/founders/f-new.zh.md", None)]);
}

/// The basic fixture with a founders list of many pages: 300 more founders (more than
/// [`dossier::deps::MANY`]), without a city of their own, 20 to a page.
fn long_list() -> Site {
    let site = Site::fixture("basic");
    let yaml = site.read("site.yaml") + "search: false\ncards: false\npaginate: 20\n";
    site.write("site.yaml", &yaml);
    for f in 0..300 {
        site.write(
            &format!("content/founders/f-{f:03}.zh.md"),
            &format!("---\nname: 创业者{f}\nformer_title: 总监\nformer_employer: acme\nsector: agents\nleft: 2023\nsummary: 创业者{f}。\nsources:\n  - title: 来源\n---\n\n创业者{f}的故事。\n"),
        );
        site.write(
            &format!("content/founders/f-{f:03}.en.md"),
            &format!("---\nname: Founder {f}\nformer_title: Director\n---\n\nThe story of founder {f}.\n"),
        );
    }
    site
}

/// The pages of the founders list among `paths`, in both languages.
fn list_pages(paths: &[String]) -> Vec<&str> {
    let mut pages: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| {
            let p = p.strip_prefix("en/").unwrap_or(p);
            p == "founders/index.html" || p.starts_with("founders/page/")
        })
        .collect();
    pages.sort_unstable();
    pages
}

/// The founders list's filters offer what every founder has (the sectors, the employers
/// someone left, the cities), yet each page of the list shows only its slice: an edit of
/// one founder's summary renders the one page of the list that shows it (the Chinese one:
/// the English list shows the English summary), not all 32 of both languages, while an
/// edit that changes the cities offered (a founder's own city, or the city of the company
/// a founder takes theirs from) renders every page of the list with the new choices.
#[test]
fn an_edit_of_one_founder_renders_one_page_of_the_list_unless_the_filters_change() {
    let mut live = Live::on(long_list());
    let all = list_pages(
        &live
            .session
            .files()
            .iter()
            .map(|(p, _)| p.to_string())
            .collect::<Vec<_>>(),
    )
    .len();
    assert_eq!(all, 2 * 16);
    let city = |live: &Live, code: &str| {
        let page = live.file("en/founders/page/3/index.html").unwrap();
        String::from_utf8(page)
            .unwrap()
            .contains(&format!("<option value=\"{code}\">"))
    };
    assert!(city(&live, "hangzhou") && !city(&live, "beijing"));
    // f-123 is on page 7 (rows 121 to 140). Its own pages, and the pages of its sector's
    // and employer's lists that show it, render too.
    let (n, files) = live.edit_files(
        "summary",
        "content/founders/f-123.zh.md",
        "summary: 创业者123。",
        "summary: 改了。",
    );
    assert_eq!(
        list_pages(&files),
        ["founders/page/7/index.html"],
        "{files:?}"
    );
    assert!(n <= 6, "{n} pages rendered: {files:?}");
    // Zhang San's own city goes: Widget's (Beijing) is theirs now, and Hangzhou no one's.
    let (_, files) = live.edit_files(
        "own city",
        "content/founders/zhang-san.zh.md",
        "city: hangzhou\n",
        "",
    );
    assert_eq!(list_pages(&files).len(), all, "{files:?}");
    assert!(city(&live, "beijing") && !city(&live, "hangzhou"));
    // Widget moves: so does Zhang San.
    let (_, files) = live.edit_files(
        "company's city",
        "content/companies/widget.zh.md",
        "city: beijing",
        "city: hangzhou",
    );
    assert_eq!(list_pages(&files).len(), all, "{files:?}");
    assert!(city(&live, "hangzhou") && !city(&live, "beijing"));
}

#[test]
fn a_template_edit_renders_only_the_pages_that_use_it() {
    let mut live = Live::start();
    // page.html renders the free page `about`, in two languages.
    let n = live.edit(
        "page.html",
        "themes/default/templates/page.html",
        "{% block content %}",
        "{% block content %}<!-- x -->",
    );
    assert_eq!(n, 2);
    // A stylesheet re-renders nothing.
    let n = live.edit("css", "themes/default/static/style.css", "", "/* x */\n");
    assert_eq!(n, 0);
}

/// A small deterministic random source (xorshift), so a failing sequence can be replayed
/// from its seed.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The first line of a site file that starts with `prefix`, if the file exists.
pub(crate) fn line_of(site: &Site, rel: &str, prefix: &str) -> Option<String> {
    let text = std::fs::read_to_string(site.dir.path().join(rel)).ok()?;
    text.lines()
        .find(|l| l.starts_with(prefix))
        .map(str::to_owned)
}

/// The kinds of change the random sequences draw from, each as likely as any other.
pub(crate) const ARMS: [&str; 17] = [
    "body",
    "name",
    "sector",
    "add",
    "remove",
    "rename",
    "template",
    "string",
    "site.yaml",
    "founded",
    "zh summary",
    "zh name",
    "translation",
    "added",
    "en summary",
    "draft",
    "city",
];

/// Where a random sequence stands: the founders it added (by slug), the number the next
/// one takes, and the kinds of change left to draw in this round.
#[derive(Default)]
pub(crate) struct Sequence {
    pub(crate) added: Vec<String>,
    pub(crate) next: usize,
    deck: Vec<usize>,
}

impl Sequence {
    /// The next kind of change: the kinds come in rounds, each kind once a round in a
    /// random order, so that every kind is drawn as often as any other.
    pub(crate) fn draw(&mut self, rng: &mut Rng) -> usize {
        self.draw_of(rng, ARMS.len())
    }

    /// [`Sequence::draw`] among `n` kinds.
    pub(crate) fn draw_of(&mut self, rng: &mut Rng, n: usize) -> usize {
        if self.deck.is_empty() {
            self.deck = (0..n).collect();
        }
        self.deck.swap_remove(rng.below(self.deck.len()))
    }

    /// Draws among `n` kinds until `make` can make one now (it returns false, having
    /// changed nothing, when it cannot). Returns the kind made, and those drawn before it
    /// that could not be made then.
    pub(crate) fn make_one(
        &mut self,
        rng: &mut Rng,
        n: usize,
        mut make: impl FnMut(usize, &mut Rng, &mut Sequence) -> bool,
    ) -> (usize, Vec<usize>) {
        let mut not_now = Vec::new();
        loop {
            let arm = self.draw_of(rng, n);
            if make(arm, rng, self) {
                return (arm, not_now);
            }
            not_now.push(arm);
        }
    }
}

/// Makes one change of kind `ARMS[arm]` to the site at `step`, adding the files it wrote
/// or removed to `paths`. Returns false, having changed nothing, when the change cannot
/// be made now: the translation it edits is away (arm "translation" removed it), or no
/// founder was added that it could remove or rename.
pub(crate) fn random_change(
    site: &Site,
    arm: usize,
    rng: &mut Rng,
    step: usize,
    seq: &mut Sequence,
    paths: &mut Vec<(String, Option<String>)>,
) -> bool {
    let root = site.dir.path().canonicalize().unwrap();
    let away = |rel: &str| !site.dir.path().join(rel).exists();
    // Replaces `from` by `to` in `rel`; false when `rel` is away or lacks `from`.
    let mut edit = |rel: &str, from: &str, to: &str| -> bool {
        if away(rel) {
            return false;
        }
        let text = site.read(rel);
        if !text.contains(from) {
            return false;
        }
        let new = text.replacen(from, to, 1);
        site.write(rel, &new);
        paths.push((rel.to_owned(), Some(new)));
        true
    };
    match ARMS[arm] {
        "body" => {
            let f = ["zhang-san.zh", "zhang-san.en", "li-si.zh", "li-si.en"][rng.below(4)];
            let rel = format!("content/founders/{f}.md");
            if away(&rel) {
                return false;
            }
            let text = site.read(&rel) + &format!("\nStep {step}.\n");
            site.write(&rel, &text);
            paths.push((rel, Some(text)));
            true
        }
        "name" => {
            // Li Si's English name, or Zhang San's while that translation is away (arm
            // "translation"), so that a name can always change.
            let (rel, who) = match away("content/founders/li-si.en.md") {
                false => ("content/founders/li-si.en.md", "Li Si"),
                true => ("content/founders/zhang-san.en.md", "Zhang San"),
            };
            match line_of(site, rel, "name:") {
                Some(name) => edit(rel, &name, &format!("name: {who} {step}")),
                None => false,
            }
        }
        "sector" => {
            let rel = "content/founders/li-si.zh.md";
            edit(rel, "sector: agents", "sector: devices")
                || edit(rel, "sector: devices", "sector: agents")
        }
        "add" => {
            seq.next += 1;
            let next = seq.next;
            let slug = format!("new-{next}");
            let sector = ["agents", "devices"][rng.below(2)];
            let zh = format!("---\nname: 新人{next}\nformer_title: 总监\nformer_employer: acme\nsector: {sector}\nleft: 2024-0{}\nsources:\n  - title: 来源\n---\n\n见[张三](@/founders/zhang-san)。\n", 1 + rng.below(9));
            let en = format!("---\nname: Newcomer {next}\nformer_title: Director\n---\n\nNew.\n");
            for (lang, text) in [("zh", zh), ("en", en)] {
                let rel = format!("content/founders/{slug}.{lang}.md");
                site.write(&rel, &text);
                paths.push((rel, Some(text)));
            }
            seq.added.push(slug);
            true
        }
        "remove" if !seq.added.is_empty() => {
            let slug = seq.added.remove(rng.below(seq.added.len()));
            for lang in ["zh", "en"] {
                let rel = format!("content/founders/{slug}.{lang}.md");
                site.remove(&rel);
                paths.push((rel, None));
            }
            true
        }
        "rename" if !seq.added.is_empty() => {
            let i = rng.below(seq.added.len());
            seq.next += 1;
            let to = format!("new-{}", seq.next);
            for lang in ["zh", "en"] {
                let from_rel = format!("content/founders/{}.{lang}.md", seq.added[i]);
                let to_rel = format!("content/founders/{to}.{lang}.md");
                let text = site.read(&from_rel);
                site.remove(&from_rel);
                site.write(&to_rel, &text);
                paths.push((from_rel, None));
                paths.push((to_rel, Some(text)));
            }
            seq.added[i] = to;
            true
        }
        "remove" | "rename" => false,
        "template" => {
            let tpl = [
                "founder.html",
                "base.html",
                "sector.html",
                "partials/founder_table.html",
            ][rng.below(4)];
            let rel = format!("themes/default/templates/{tpl}");
            let text = site.read(&rel);
            let new = match text.strip_suffix("\n{# step #}\n") {
                Some(t) => t.to_owned() + "\n",
                None => text.trim_end().to_owned() + "\n{# step #}\n",
            };
            site.write(&rel, &new);
            paths.push((rel, Some(new)));
            true
        }
        "string" => {
            let rel = "themes/default/i18n/en.yaml";
            let line = line_of(site, rel, "nav_founders:").unwrap();
            edit(rel, &line, &format!("nav_founders: Founders {step}"))
        }
        "site.yaml" => {
            let line = line_of(site, "site.yaml", "  beijing:").unwrap();
            edit(
                "site.yaml",
                &line,
                &format!("  beijing: {{zh: 北京{step}, en: Beijing {step}}}"),
            )
        }
        "founded" => {
            // A company's neutral field, which the timeline chart and the lists show.
            let rel = "content/companies/widget.zh.md";
            let line = line_of(site, rel, "founded:").unwrap();
            edit(
                rel,
                &line,
                &format!(
                    "founded: 20{:02}-{:02}",
                    15 + rng.below(9),
                    1 + rng.below(12)
                ),
            )
        }
        "zh summary" => {
            // A language-specific field of an original: read by its own pages in every
            // language (search terms), by lists in its own.
            let rel = [
                "content/founders/li-si.zh.md",
                "content/companies/widget.zh.md",
                "content/sectors/agents.zh.md",
            ][rng.below(3)];
            match line_of(site, rel, "summary:") {
                Some(line) => edit(rel, &line, &format!("summary: 第 {step} 步。")),
                None => edit(rel, "---\n", &format!("---\nsummary: 第 {step} 步。\n")),
            }
        }
        "zh name" => {
            // An original's name: what the other language's lists show beside their own.
            let rel = [
                "content/founders/li-si.zh.md",
                "content/companies/widget.zh.md",
                "content/employers/acme.zh.md",
            ][rng.below(3)];
            let line = line_of(site, rel, "name:").unwrap();
            edit(rel, &line, &format!("name: 名{step}"))
        }
        "translation" => {
            // A translation removed or restored: its pages fall back to the original, or
            // stop.
            let rel = [
                "content/founders/li-si.en.md",
                "content/companies/widget.en.md",
            ][rng.below(2)];
            let kept = root.join(format!("{rel}.kept"));
            if kept.exists() {
                let text = std::fs::read_to_string(&kept).unwrap();
                std::fs::remove_file(&kept).unwrap();
                site.write(rel, &text);
                paths.push((rel.to_owned(), Some(text)));
            } else {
                std::fs::write(&kept, site.read(rel)).unwrap();
                site.remove(rel);
                paths.push((rel.to_owned(), None));
            }
            true
        }
        "added" => {
            // A field whose values pages merge across languages.
            let rel = "content/founders/li-si.zh.md";
            edit(rel, "added: [summary]\n", "") || edit(rel, "---\n", "---\nadded: [summary]\n")
        }
        "en summary" => {
            let rel = [
                "content/founders/zhang-san.en.md",
                "content/employers/acme.en.md",
            ][rng.below(2)];
            match line_of(site, rel, "summary:") {
                Some(line) => edit(rel, &line, &format!("summary: Step {step}.")),
                None => false,
            }
        }
        "draft" => {
            let rel = "content/founders/li-si.zh.md";
            edit(rel, "draft: true\n", "") || edit(rel, "---\n", "---\ndraft: true\n")
        }
        "city" => {
            // A founder's city, their own or the company's they take it from when they
            // have none: what the founders list's city filter offers.
            match rng.below(2) {
                0 => {
                    let rel = "content/founders/zhang-san.zh.md";
                    edit(rel, "city: hangzhou\n", "") || edit(rel, "---\n", "---\ncity: hangzhou\n")
                }
                _ => {
                    let rel = "content/companies/widget.zh.md";
                    edit(rel, "city: beijing", "city: hangzhou")
                        || edit(rel, "city: hangzhou", "city: beijing")
                }
            }
        }
        other => unreachable!("no change of kind {other}"),
    }
}

#[test]
fn random_sequences_of_edits_match_clean_builds() {
    // How often each kind of change was made, and how often it was drawn when it could
    // not be made (another is drawn then): every kind must have been made.
    let mut made = [0usize; ARMS.len()];
    let mut not_now = [0usize; ARMS.len()];
    for seed in [7u64, 99_991, 2_024] {
        let mut rng = Rng(seed);
        let mut live = Live::start();
        let mut seq = Sequence::default();
        // Founders to remove or rename from the start.
        let mut paths = Vec::new();
        for _ in 0..2 {
            let add = ARMS.iter().position(|a| *a == "add").unwrap();
            assert!(random_change(
                &live.site, add, &mut rng, 0, &mut seq, &mut paths
            ));
        }
        let batch: Vec<PathBuf> = paths.iter().map(|(rel, _)| live.root.join(rel)).collect();
        live.session.apply(&batch).unwrap();
        for step in 1..15 {
            // One to three changes, applied as one batch.
            let mut paths: Vec<(String, Option<String>)> = Vec::new();
            let mut names = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let (arm, skipped) = seq.make_one(&mut rng, ARMS.len(), |arm, rng, seq| {
                    random_change(&live.site, arm, rng, step, seq, &mut paths)
                });
                made[arm] += 1;
                names.push(ARMS[arm]);
                for a in skipped {
                    not_now[a] += 1;
                }
            }
            let what = format!("seed {seed}, step {step}: {}", names.join(" + "));
            let batch: Vec<PathBuf> = paths.iter().map(|(rel, _)| live.root.join(rel)).collect();
            live.session
                .apply(&batch)
                .unwrap_or_else(|e| panic!("{what}: {e:?}"));
            live.session.render_deferred().unwrap();
            live.same_as_clean(&what);
        }
    }
    let tally: Vec<String> = ARMS
        .iter()
        .zip(made.iter().zip(&not_now))
        .map(|(name, (m, n))| format!("{name} {m} (+{n} not possible then)"))
        .collect();
    eprintln!("changes made: {}", tally.join(", "));
    for (arm, name) in ARMS.iter().enumerate() {
        assert!(
            made[arm] > 0,
            "no change of kind {name:?} was made: {}",
            tally.join(", ")
        );
    }
}

/// A portrait as a PNG, 400 pixels square, its colour set by `shade`.
pub(crate) fn portrait(shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(400, 400, |x, y| {
        image::Rgb([shade, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn serve_processes_a_changed_image_only() {
    let mut live = Live::start();
    let images = |live: &Live| {
        live.session
            .cache_stats()
            .into_iter()
            .find(|(g, ..)| g == "images")
            .map_or((0, 0), |(_, found, made)| (found, made))
    };
    let mut paths = Vec::new();
    for (slug, shade) in [("zhang-san", 10), ("li-si", 20)] {
        let img = format!("content/founders/{slug}.png");
        std::fs::write(live.site.path(&img), portrait(shade)).unwrap();
        let md = format!("content/founders/{slug}.zh.md");
        let text = live.site.read(&md).replacen(
            "---\n",
            &format!("---\nphoto: {{src: {slug}.png, alt: {{zh: 照片, en: A photo}}, credit: 测试, license: CC0}}\n"),
            1,
        );
        live.site.write(&md, &text);
        paths.extend([live.root.join(img), live.root.join(md)]);
    }
    live.session.apply(&paths).unwrap();
    live.session.render_deferred().unwrap();
    live.same_as_clean("two portraits");
    assert_eq!(images(&live), (0, 2));
    // A new version of one portrait: it alone is processed.
    let page = |live: &Live| {
        live.session
            .file(&dossier::output::SitePath::new("founders/zhang-san/index.html").unwrap())
    };
    let before = page(&live).unwrap();
    std::fs::write(
        live.site.path("content/founders/zhang-san.png"),
        portrait(99),
    )
    .unwrap();
    live.session
        .apply(&[live.root.join("content/founders/zhang-san.png")])
        .unwrap();
    live.session.render_deferred().unwrap();
    live.same_as_clean("a changed portrait");
    assert_eq!(images(&live), (0, 3), "only the changed image is processed");
    assert_ne!(page(&live).unwrap(), before, "the page shows the new file");
    // An edit elsewhere processes no image and reads none from the cache.
    live.edit(
        "en body",
        "content/founders/li-si.en.md",
        "not been disclosed",
        "not yet been disclosed",
    );
    assert_eq!(images(&live), (0, 3));
}

#[test]
fn an_edit_serves_its_pages_before_the_open_data() {
    let mut live = Live::start();
    let rel = "content/founders/zhang-san.zh.md";
    let text = live
        .site
        .read(rel)
        .replacen("name: 张三", "name: 张三丰", 1);
    live.site.write(rel, &text);
    let outcome = live.session.apply(&[live.root.join(rel)]).unwrap();
    let read = |live: &Live, p: &str| {
        let p = dossier::output::SitePath::new(p).unwrap();
        String::from_utf8(live.session.file(&p).unwrap().to_vec()).unwrap()
    };
    // The page has the edit at once; the open data, which lists every founder, follows.
    assert!(read(&live, "founders/zhang-san/index.html").contains("张三丰"));
    assert!(outcome.deferred > 0);
    assert!(!read(&live, "data/founders.json").contains("张三丰"));
    let later = live.session.render_deferred().unwrap();
    assert!(later
        .changed
        .iter()
        .any(|p| p.as_str() == "data/founders.json"));
    assert!(read(&live, "data/founders.json").contains("张三丰"));
    live.same_as_clean("after the open data");
}

/// The thread rule of `deps.rs`: a page's reads are recorded on the thread that renders
/// it. Were any part of a page handed to rayon, its reads would land in another page's
/// list (or none) when pages render in parallel, and the lists would differ from those of
/// pages rendered one at a time.
#[test]
fn pages_record_the_same_reads_in_parallel_as_alone() {
    let site = Site::real();
    let opts = Options {
        mode: Mode::Serve,
        ..options(site.root())
    };
    let cfg = dossier::Config::load(&opts).unwrap();
    let loaded = dossier::pipeline::load(&cfg, &mut |_| {}).unwrap();
    let cache = dossier::cache::Cache::none();
    let inputs = dossier::pipeline::Inputs {
        cfg: &cfg,
        theme: &loaded.theme,
        history: &loaded.history,
        cache: &cache,
        cards: None,
        previous: None,
    };
    let (_, (parallel, alone)) =
        dossier::pipeline::front(inputs, loaded.content, &mut |_| {}, |f, env| {
            let plan = dossier::render::plan(&cfg, &f.site, &loaded.theme);
            // Many rayon threads, so that pages run side by side.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(8)
                .build()
                .unwrap();
            let parallel = pool.install(|| dossier::render::outputs(env, &plan, true))?;
            // One thread: whatever a page hands to rayon runs on the thread that records.
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap();
            let alone: Vec<_> = one.install(|| {
                plan.iter()
                    .map(|&id| dossier::render::output(env, id, true).unwrap())
                    .collect()
            });
            Ok((parallel, alone))
        })
        .unwrap();
    assert_eq!(parallel.len(), alone.len());
    let mut compared = 0;
    for (p, a) in parallel.iter().zip(&alone) {
        assert_eq!(p.id, a.id);
        assert!(
            !a.deps.is_empty() || !a.id.is_html(),
            "{:?} recorded no read at all",
            a.id
        );
        assert_eq!(p.deps, a.deps, "{:?} read differently in parallel", p.id);
        compared += 1;
    }
    assert!(compared > 50, "only {compared} pages compared");
}

/// A page rendered on request, before the background reaches it, is byte for byte the
/// page rendered with the rest, and the page of a session that renders everything at once;
/// it is rendered once. A change to the config while the background is part done starts
/// over: nothing rendered before it is served after it.
#[test]
fn a_page_rendered_on_request_is_the_page_rendered_with_the_rest() {
    let mut live = Live::lazy(Site::fixture("basic"));
    let page = "en/founders/zhang-san/index.html";
    let total = live.session.unrendered();
    assert!(live.file(page).is_none());
    let outcome = live.session.render_path(page).unwrap().unwrap();
    assert_eq!(outcome.rendered, 1);
    assert_eq!(live.session.unrendered(), total - 1);
    assert!(live.session.render_path(page).is_none(), "rendered twice");
    assert!(live.session.render_path("no/such/index.html").is_none());
    let early = live.file(page).unwrap();
    live.rendered_as_clean("one page rendered on request");
    let rest = live.render_rest();
    assert_eq!(rest.len(), total - 1);
    assert!(rest.iter().all(|p| p != page));
    assert_eq!(live.session.unrendered(), 0);
    assert_eq!(live.file(page).unwrap(), early);
    live.same_as_clean("everything rendered");

    // The site's title: every page changes, and all are rendered anew, on request.
    live.session.render_path("index.html");
    let text = live
        .site
        .read("site.yaml")
        .replace("测试名录", "测试名录二");
    live.site.write("site.yaml", &text);
    let outcome = live.session.apply(&[live.root.join("site.yaml")]).unwrap();
    assert!(outcome.reset && outcome.rendered == 0);
    assert_eq!(live.session.unrendered(), total);
    live.rendered_as_clean("after a new title");
    live.render_rest();
    live.same_as_clean("after a new title, everything rendered");
}

/// Changes arrive while the background render is part done, and between them a request
/// renders a page the background has not reached: after each, every output rendered is
/// exactly the clean build's (those that read what changed were rendered again) and the
/// others wait to be rendered from the build current when they are; once everything is
/// rendered, the site is the clean build.
#[test]
fn random_edits_during_the_background_render_leave_every_page_exact() {
    for seed in [5u64, 77_777] {
        let mut rng = Rng(seed);
        let mut live = Live::lazy(two_sectors());
        let mut seq = Sequence::default();
        for step in 1..12 {
            live.session.render_next(rng.below(6)).unwrap();
            let waiting = live.session.unrendered_paths();
            if !waiting.is_empty() {
                let p = waiting[rng.below(waiting.len())].as_str();
                live.session.render_path(p).unwrap().unwrap();
            }
            let mut paths: Vec<(String, Option<String>)> = Vec::new();
            let mut names = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let (arm, _) = seq.make_one(&mut rng, ARMS.len(), |arm, rng, seq| {
                    random_change(&live.site, arm, rng, step, seq, &mut paths)
                });
                names.push(ARMS[arm]);
            }
            let what = format!("seed {seed}, step {step}: {}", names.join(" + "));
            let batch: Vec<PathBuf> = paths.iter().map(|(rel, _)| live.root.join(rel)).collect();
            live.session
                .apply(&batch)
                .unwrap_or_else(|e| panic!("{what}: {e:?}"));
            live.session.render_deferred().unwrap();
            live.rendered_as_clean(&what);
        }
        live.render_rest();
        live.same_as_clean(&format!("seed {seed}, everything rendered"));
    }
}
