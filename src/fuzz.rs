//! Entry points for fuzzing (`fuzz/`) and property tests: each runs stages of the
//! pipeline on arbitrary input and returns what a user would see. None may panic, hang
//! or overflow the stack, whatever the bytes.

use std::path::Path;

use crate::config::LangId;
use crate::content::parse::parse_bytes;
use crate::content::split::split;
use crate::content::{Kind, SourceFile};
use crate::error::Diagnostic;
use crate::markdown::{self, HighlightCache};

/// The front matter splitter, the YAML parser and the schema of every kind, on the bytes
/// of one file. Returns the diagnostics; an accepted file gives none.
pub fn front_matter(bytes: &[u8]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for kind in [
        Kind::Founder,
        Kind::Company,
        Kind::Sector,
        Kind::Employer,
        Kind::Page,
    ] {
        let shown = Path::new("content/x/fuzz.md");
        match parse_bytes(kind, "fuzz", LangId::DEFAULT, shown, bytes.to_vec()) {
            Ok(_) => {}
            Err(d) => diags.extend(d),
        }
    }
    diags
}

/// Markdown rendering of a body (with internal links resolved to a fixed URL), then the
/// compaction of the page and the HTML scan of `check`. Returns the HTML.
pub fn markdown(bytes: &[u8]) -> String {
    let body = String::from_utf8_lossy(bytes);
    let text = crate::text::normalize(&format!("---\ntitle: x\n---\n{body}"));
    let Ok(parts) = split(&text) else {
        return String::new();
    };
    let src = SourceFile {
        path: "content/pages/fuzz.md".into(),
        text,
        split: parts,
    };
    let mut diags = Vec::new();
    let resolve = |t: &str| Some(format!("/{t}/"));
    let body = markdown::render(
        &src,
        &resolve,
        &HighlightCache::default(),
        false,
        &mut diags,
    );
    let page = format!(
        "<!doctype html><html><body><main>{}</main></body></html>",
        body.html
    );
    let compact = crate::finish::compact(page.as_bytes());
    let _ = crate::check::scan::scan(&compact);
    body.html
}

/// The images stage on the bytes of one source, as a raster portrait and as an SVG logo,
/// within the budget every build uses (its time cut to 8 s, under the fuzzer's
/// timeout). Returns what is wrong with what came out: an SVG that does not parse or
/// keeps a script, an embedded image that is not a re-encoded PNG, a file that does not
/// decode or keeps EXIF.
pub fn image(bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    for o in crate::images::fuzz_source(bytes) {
        match o.ext.as_str() {
            "svg" => {
                let Ok(text) = std::str::from_utf8(&o.bytes) else {
                    problems.push("the SVG written is not UTF-8".into());
                    continue;
                };
                if let Err(e) = roxmltree::Document::parse(text) {
                    problems.push(format!("the SVG written is not XML: {e}"));
                }
                for bad in ["<script", "javascript:", "foreignObject", "onload"] {
                    if text.contains(bad) {
                        problems.push(format!("the SVG written keeps {bad}"));
                    }
                }
                for part in text.split("data:").skip(1) {
                    if !part.starts_with("image/png;base64,") {
                        problems.push(format!(
                            "an embedded image is not a re-encoded PNG: data:{}",
                            &part[..part.len().min(30)]
                        ));
                    }
                }
            }
            crate::images::WARNING => {}
            ext => {
                if let Err(e) = image::load_from_memory(&o.bytes) {
                    problems.push(format!("a .{ext} written does not decode: {e}"));
                }
                if o.bytes.windows(4).any(|w| w == b"Exif") {
                    problems.push(format!("a .{ext} written keeps EXIF"));
                }
            }
        }
    }
    problems
}

/// A site to render front matter in: the basic fixture and the default theme, copied
/// once per process to a temporary directory, loaded once.
struct RenderSite {
    cfg: crate::Config,
    theme: crate::render::Theme,
    /// The file each first byte of an input replaces, and its text.
    files: Vec<(std::path::PathBuf, Vec<u8>)>,
}

thread_local! {
    static RENDER_SITE: Option<RenderSite> = render_site();
}

fn render_site() -> Option<RenderSite> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = std::env::temp_dir().join(format!("dossier-fuzz-render-{}", std::process::id()));
    let copy = |from: &Path, to: &Path| -> Option<()> {
        for e in walkdir::WalkDir::new(from) {
            let e = e.ok()?;
            let target = to.join(e.path().strip_prefix(from).ok()?);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&target).ok()?;
            } else {
                std::fs::copy(e.path(), &target).ok()?;
            }
        }
        Some(())
    };
    copy(&repo.join("tests/fixtures/basic"), &root)?;
    copy(&repo.join("themes/default"), &root.join("themes/default"))?;
    let yaml = std::fs::read_to_string(root.join("site.yaml")).ok()? + "search: false\n";
    std::fs::write(root.join("site.yaml"), yaml).ok()?;
    let cfg = crate::Config::load(&crate::Options {
        root: root.clone(),
        mode: crate::Mode::Check,
        ..crate::Options::default()
    })
    .ok()?;
    let theme = crate::render::Theme::load(&cfg).ok()?;
    let mut files = Vec::new();
    for f in [
        "founders/zhang-san",
        "companies/widget",
        "sectors/agents",
        "employers/acme",
        "pages/about",
    ] {
        for lang in ["zh", "en"] {
            let p = root.join(format!("content/{f}.{lang}.md"));
            let text = std::fs::read(&p).ok()?;
            files.push((p, text));
        }
    }
    Some(RenderSite { cfg, theme, files })
}

/// Front matter of every kind rendered to every output format: the first byte picks a
/// file of the basic fixture (a founder, company, sector, employer or page, in Chinese
/// or English), the rest replaces it, and the site is rendered in memory. Input the
/// content stages refuse gives no problems (the `front_matter` target checks those
/// errors); accepted input must render to outputs that parse as what they are: XML
/// (feeds, sitemap, share-card SVG), JSON, CSV, and no output may hold a character
/// [`crate::text::forbidden`] refuses. Returns the problems.
pub fn render(bytes: &[u8]) -> Vec<String> {
    let Some((&pick, body)) = bytes.split_first() else {
        return Vec::new();
    };
    RENDER_SITE.with(|s| {
        let Some(s) = s else {
            return vec!["the fixture site cannot be set up".to_owned()];
        };
        let (path, original) = &s.files[pick as usize % s.files.len()];
        if std::fs::write(path, body).is_err() {
            return Vec::new();
        }
        let problems = render_in(s);
        let _ = std::fs::write(path, original);
        problems
    })
}

fn render_in(s: &RenderSite) -> Vec<String> {
    use crate::render::OutputId;
    let cfg = &s.cfg;
    let Ok(content) = crate::content::load(cfg) else {
        return Vec::new();
    };
    let (history, cache) = (
        crate::history::History::default(),
        crate::cache::Cache::none(),
    );
    let inputs = crate::pipeline::Inputs {
        cfg,
        theme: &s.theme,
        history: &history,
        cache: &cache,
        cards: None,
        previous: None,
    };
    // Each page, with a card's filled-in SVG in place of its (undrawn) picture.
    let rendered = crate::pipeline::front(inputs, content, &mut |_| {}, |_, env| {
        let pages = crate::render::outputs(env, &env.plan, false)?;
        Ok(pages
            .into_iter()
            .map(|p| {
                let svg = match p.id {
                    OutputId::Card(of, lang) => Some(crate::render::views::card::render(
                        &crate::render::access::Reader::new(env, lang),
                        of,
                    )),
                    _ => None,
                };
                (p, svg)
            })
            .collect::<Vec<_>>())
    });
    let Ok((_, pages)) = rendered else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for (p, svg) in &pages {
        let path = p.file.path.as_str();
        let text = if let Some(svg) = svg {
            match svg {
                Ok(svg) => svg.clone(),
                Err(d) => {
                    problems.push(format!("{path}: the card's SVG: {d}"));
                    continue;
                }
            }
        } else {
            match std::str::from_utf8(p.file.in_memory()) {
                Ok(t) => t.to_owned(),
                Err(e) => {
                    problems.push(format!("{path} is not UTF-8: {e}"));
                    continue;
                }
            }
        };
        problems.extend(well_formed(path, p.id, &text));
    }
    problems
}

/// What is wrong with the text of output `id` at `path`: a forbidden character, or not
/// being the XML, JSON, CSV or whole HTML page its name says.
fn well_formed(path: &str, id: crate::render::OutputId, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some((_, c)) = crate::text::first_forbidden(text) {
        problems.push(format!("{path} holds {}", crate::text::code_point(c)));
    }
    let ext = path.rsplit('.').next().unwrap_or("");
    let is_xml = ext == "xml" || matches!(id, crate::render::OutputId::Card(..));
    if is_xml {
        if let Err(e) = roxmltree::Document::parse(text) {
            problems.push(format!("{path} is not XML: {e}"));
        }
    } else if ext == "json" {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
            problems.push(format!("{path} is not JSON: {e}"));
        }
    } else if ext == "csv" {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut r = csv::ReaderBuilder::new().from_reader(body.as_bytes());
        if let Some(e) = r.records().find_map(|r| r.err()) {
            problems.push(format!("{path} is not CSV: {e}"));
        }
    } else if ext == "html" && !text.trim_end().ends_with("</html>") {
        problems.push(format!("{path} is not a whole page"));
    }
    problems
}
