//! SVG logos, parsed by usvg and written out again: what comes out is shapes, gradients
//! and embedded images only, so no script, event handler, `foreignObject`, style sheet
//! import or reference outside the file survives. Text is turned into paths with the
//! system's fonts, generic and common web families mapped to fonts that are installed.
//!
//! Parsing works within the images' [`Budget`]: the file's size, the bytes its entities
//! expand to and the elements it draws (each `<use>` counted as what it copies) are
//! checked before usvg sees it. A raster embedded in the logo is decoded and re-encoded
//! as PNG through the photo pipeline, within the same budget, so none of its metadata
//! (EXIF, GPS) survives; an embedded SVG is removed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use resvg::usvg;
use usvg::fontdb;
use usvg::roxmltree;

use super::budget::{size, Budget};
use super::outcome::{Encoded, Failed, WARNING};
use crate::draw::svg::options;
use crate::render::theme::ImageSizes;

/// Deepest element nesting read (usvg walks the tree recursively).
const MAX_DEPTH: usize = 256;

/// Parses and re-writes a logo; its size is that of the largest width the theme shows.
/// A warning (text no installed font can draw) comes as an [`Encoded`] of kind `warning`.
pub fn logo(bytes: &[u8], sizes: &ImageSizes, budget: &Budget) -> Result<Vec<Encoded>, Failed> {
    let clean = sanitize(bytes, crate::draw::fonts::system(), budget)?;
    let (w, h) = clean.size;
    let largest = sizes.largest() as f64;
    let scale = largest / w.max(h);
    let mut out = vec![Encoded {
        width: ((w * scale).round() as u32).max(1),
        height: ((h * scale).round() as u32).max(1),
        ext: "svg".into(),
        bytes: clean.text.into_bytes(),
    }];
    out.extend(clean.warnings.into_iter().map(|w| Encoded {
        width: 0,
        height: 0,
        ext: WARNING.into(),
        bytes: w.into_bytes(),
    }));
    Ok(out)
}

/// A logo re-written from its parse.
#[derive(Debug)]
pub struct Clean {
    pub text: String,
    pub size: (f64, f64),
    /// What could not be drawn, as messages.
    pub warnings: Vec<String>,
}

fn unreadable(e: impl std::fmt::Display) -> Failed {
    Failed::new(
        format!("the SVG cannot be read: {e}"),
        "save it again from a vector editor as plain SVG".to_owned(),
    )
}

/// The SVG re-written from its parse, its size and its warnings.
pub fn sanitize(
    bytes: &[u8],
    fonts: Arc<fontdb::Database>,
    budget: &Budget,
) -> Result<Clean, Failed> {
    budget.input(bytes.len())?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(Failed::new(
            "the SVG is compressed (SVGZ), which dossier does not read".into(),
            "save it as plain SVG".into(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| unreadable(format!("not UTF-8 ({e})")))?;
    let expanded = entity_expansion(text);
    if expanded > budget.entity_bytes {
        return Err(Failed::new(
            format!(
                "the SVG's entities expand to {}, more than the {} budget",
                size(expanded),
                size(budget.entity_bytes)
            ),
            "write the text out instead of through `<!ENTITY>` references, or save the logo again from a vector editor".into(),
        ));
    }
    let xml = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: u32::try_from(budget.elements.saturating_mul(4)).unwrap_or(u32::MAX),
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, xml).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => too_many(budget, budget.elements * 4),
        e => unreadable(e),
    })?;
    let drawn = elements(&doc, budget)?;
    if drawn > budget.elements {
        return Err(too_many(budget, drawn));
    }
    let state = Arc::new(Mutex::new(Embedded::default()));
    let mut opts = options(fonts.clone());
    let resolver_state = state.clone();
    let resolver_budget = *budget;
    opts.image_href_resolver.resolve_data =
        Box::new(move |_mime: &str, data: Arc<Vec<u8>>, _: &usvg::Options| {
            embedded(&data, &resolver_budget, &resolver_state)
        });
    let tree = usvg::Tree::from_xmltree(&doc, &opts).map_err(unreadable)?;
    if let Some(failed) = state.lock().ok().and_then(|mut s| s.failed.take()) {
        return Err(failed);
    }
    let size = tree.size();
    let text = tree.to_string(&usvg::WriteOptions::default());
    Ok(Clean {
        text,
        size: (size.width() as f64, size.height() as f64),
        warnings: undrawable(&doc).into_iter().collect(),
    })
}

fn too_many(budget: &Budget, n: u64) -> Failed {
    Failed::new(
        format!(
            "the SVG draws {n} elements, more than the {} dossier reads",
            budget.elements
        ),
        "simplify the logo (a `<use>` counts as every element it copies), or save it again from a vector editor".into(),
    )
}

/// What the rasters embedded in one SVG have used of the budget, and the first failure.
#[derive(Default)]
struct Embedded {
    pixels: u64,
    failed: Option<Failed>,
}

/// An embedded raster through the photo pipeline: decoded within the budget (all the
/// SVG's rasters together), upright, re-encoded as PNG. Anything else is removed.
fn embedded(data: &[u8], budget: &Budget, state: &Mutex<Embedded>) -> Option<usvg::ImageKind> {
    let mut s = state.lock().ok()?;
    if s.failed.is_some() {
        return None;
    }
    let left = Budget {
        pixels: budget.pixels.saturating_sub(s.pixels),
        ..*budget
    };
    let is_raster = matches!(
        image::guess_format(data),
        Ok(image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::WebP)
    );
    if !is_raster {
        // An embedded SVG, a GIF or anything else: left out.
        return None;
    }
    let img = match super::raster::decode(data, &left) {
        Ok(img) => img,
        Err(Failed { message: msg, hint }) => {
            s.failed = Some(Failed::new(
                format!("an image embedded in the SVG: {msg}"),
                hint,
            ));
            return None;
        }
    };
    s.pixels += img.width() as u64 * img.height() as u64;
    match super::raster::reencode_png(&img) {
        Ok(png) => Some(usvg::ImageKind::PNG(Arc::new(png))),
        Err(f) => {
            s.failed = Some(f);
            None
        }
    }
}

/// How many bytes the entity references of `text` expand to (0 without entities).
/// Each declared entity's expansion is computed once, references inside it included;
/// references in the document then add up.
fn entity_expansion(text: &str) -> u64 {
    if !text.contains("<!ENTITY") {
        return 0;
    }
    // Name -> replacement text.
    let mut decls: HashMap<&str, &str> = HashMap::new();
    let mut body_start = 0;
    let mut rest = 0;
    while let Some(i) = text[rest..].find("<!ENTITY") {
        let mut at = rest + i + "<!ENTITY".len();
        let s = &text[at..];
        let s2 = s.trim_start();
        at += s.len() - s2.len();
        let parameter = s2.starts_with('%');
        let s3 = if parameter { s2[1..].trim_start() } else { s2 };
        at += s2.len() - s3.len();
        let name_len = s3
            .find(|c: char| c.is_whitespace() || c == '>' || c == '"' || c == '\'')
            .unwrap_or(s3.len());
        let name = &s3[..name_len];
        at += name_len;
        let s4 = text[at..].trim_start();
        at = text.len() - s4.len();
        let mut end = at;
        if let Some(q) = s4.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if let Some(close) = s4[1..].find(q) {
                if !parameter {
                    decls.entry(name).or_insert(&s4[1..1 + close]);
                }
                end = at + 1 + close + 1;
            }
        }
        end = text[end..].find('>').map_or(text.len(), |j| end + j + 1);
        body_start = end;
        rest = end;
    }
    let mut memo: HashMap<&str, u64> = HashMap::new();
    let mut total: u64 = 0;
    for name in references(&text[body_start..]) {
        total = total.saturating_add(expand(name, &decls, &mut memo));
    }
    total
}

/// The names of the `&name;` references in `s` (character references excluded).
fn references(s: &str) -> impl Iterator<Item = &str> {
    s.match_indices('&').filter_map(move |(i, _)| {
        let r = &s[i + 1..];
        let end = r.find(';')?;
        let name = &r[..end];
        (!name.is_empty()
            && !name.starts_with('#')
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
        .then_some(name)
    })
}

/// The bytes entity `name` expands to, iteratively (a chain of ten thousand entities is
/// no deeper for this than one); unknown and looping references count as nothing.
fn expand<'a>(
    name: &'a str,
    decls: &HashMap<&'a str, &'a str>,
    memo: &mut HashMap<&'a str, u64>,
) -> u64 {
    if let Some(&n) = memo.get(name) {
        return n;
    }
    let mut stack: Vec<(&str, bool)> = vec![(name, false)];
    let mut open: std::collections::HashSet<&str> = std::collections::HashSet::new();
    while let Some((n, done)) = stack.pop() {
        if memo.contains_key(n) {
            continue;
        }
        let Some(value) = decls.get(n) else {
            memo.insert(n, 0);
            continue;
        };
        if done {
            let mut len = value.len() as u64;
            for r in references(value) {
                // `&r;` itself is replaced by what it expands to.
                len = len
                    .saturating_sub(r.len() as u64 + 2)
                    .saturating_add(memo.get(r).copied().unwrap_or(0));
            }
            open.remove(n);
            memo.insert(n, len);
        } else if open.insert(n) {
            stack.push((n, true));
            for r in references(value) {
                if !memo.contains_key(r) && !open.contains(r) {
                    stack.push((r, false));
                }
            }
        }
    }
    memo.get(name).copied().unwrap_or(0)
}

/// How many elements the document draws, each `<use>` counted as the elements it
/// copies (and theirs), computed once per element; refuses nesting deeper than
/// [`MAX_DEPTH`].
fn elements(doc: &roxmltree::Document, budget: &Budget) -> Result<u64, Failed> {
    let by_id: HashMap<&str, roxmltree::NodeId> = doc
        .descendants()
        .filter_map(|n| n.attribute("id").map(|id| (id, n.id())))
        .collect();
    let target = |n: roxmltree::Node| -> Option<roxmltree::NodeId> {
        if n.tag_name().name() != "use" {
            return None;
        }
        let href = n
            .attribute("href")
            .or_else(|| n.attribute(("http://www.w3.org/1999/xlink", "href")))?;
        by_id.get(href.strip_prefix('#')?).copied()
    };
    // Post-order over elements and the targets of `use`, with a memo: a DAG of uses
    // costs its size, not its expansion. A `use` that loops counts as one element.
    let mut memo: HashMap<roxmltree::NodeId, u64> = HashMap::new();
    let mut open: std::collections::HashSet<roxmltree::NodeId> = Default::default();
    let root = doc.root_element();
    let mut stack = vec![(root.id(), false, 1usize)];
    while let Some((id, done, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(Failed::new(
                format!("the SVG nests elements more than {MAX_DEPTH} deep"),
                "save it again from a vector editor, with its groups flattened".into(),
            ));
        }
        if memo.contains_key(&id) {
            continue;
        }
        let Some(node) = doc.get_node(id) else {
            continue;
        };
        let next: Vec<roxmltree::NodeId> = node
            .children()
            .filter(|c| c.is_element())
            .map(|c| c.id())
            .chain(target(node))
            .collect();
        if done {
            let mut n: u64 = 1;
            for c in next {
                n = n.saturating_add(memo.get(&c).copied().unwrap_or(0));
            }
            open.remove(&id);
            memo.insert(id, n);
            if n > budget.elements {
                return Ok(n);
            }
        } else if open.insert(id) {
            stack.push((id, true, depth));
            for c in next {
                if !memo.contains_key(&c) && !open.contains(&c) {
                    stack.push((c, false, depth + 1));
                }
            }
        }
    }
    Ok(memo.get(&root.id()).copied().unwrap_or(1))
}

/// A warning when the logo's `<text>` has characters no installed font has (they would
/// be left out or drawn as boxes).
fn undrawable(doc: &roxmltree::Document) -> Option<String> {
    let fonts = crate::draw::fonts::shared();
    let mut missing: Vec<char> = Vec::new();
    for t in doc.descendants().filter(|n| n.tag_name().name() == "text") {
        for c in t
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .flat_map(str::chars)
        {
            if !c.is_whitespace()
                && !c.is_control()
                && !missing.contains(&c)
                && fonts.glyph(&[], 400, c).is_none()
            {
                missing.push(c);
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    let shown: String = missing.iter().take(12).collect();
    Some(format!(
        "the logo's text cannot all be drawn: no installed font has {shown}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sanitize(svg: &[u8]) -> Result<Clean, Failed> {
        super::sanitize(
            svg,
            Arc::new(usvg::fontdb::Database::new()),
            &Budget::DEFAULT,
        )
    }

    #[test]
    fn scripts_handlers_and_outside_references_are_gone() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" onload="alert(1)">
          <script>alert(2)</script>
          <style>@import url(https://evil.example/x.css);</style>
          <rect width="200" height="100" fill="#123456" onclick="alert(3)"/>
          <image href="https://evil.example/track.png" width="10" height="10"/>
          <image xlink:href="/etc/passwd" width="10" height="10"/>
          <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
          <a href="javascript:alert(4)"><circle r="5" cx="5" cy="5"/></a>
        </svg>"##;
        let clean = sanitize(svg).unwrap();
        assert_eq!(clean.size, (200.0, 100.0));
        let out = clean.text;
        for bad in [
            "script",
            "alert",
            "onload",
            "onclick",
            "evil",
            "passwd",
            "foreignObject",
            "javascript",
            "@import",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("#123456"), "{out}");
        assert!(sanitize(b"<svg").is_err());
    }

    #[test]
    fn entities_are_counted_as_they_expand() {
        assert_eq!(entity_expansion("<svg>&amp;&#65;</svg>"), 0);
        let flat = format!(
            "<!DOCTYPE svg [<!ENTITY e \"{}\">]><svg>{}</svg>",
            "A".repeat(1000),
            "&e;".repeat(50)
        );
        assert_eq!(entity_expansion(&flat), 50_000);
        // Nested: 10 × 10 × 10 of 3 bytes, referenced twice.
        let nested = "<!DOCTYPE svg [<!ENTITY a 'abc'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><svg>&d;&d;</svg>";
        assert_eq!(entity_expansion(nested), 6000);
        // A loop counts as nothing (the XML parser refuses it).
        assert_eq!(
            entity_expansion("<!DOCTYPE svg [<!ENTITY a '&b;'><!ENTITY b '&a;'>]><svg>&a;</svg>"),
            0
        );
        let bomb = format!(
            "<!DOCTYPE svg [<!ENTITY e \"{}\">]><svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>",
            "A".repeat(10_000),
            "&e;".repeat(200)
        );
        assert_eq!(
            sanitize(bomb.as_bytes()).unwrap_err().message,
            "the SVG's entities expand to 1.9 MiB, more than the 1 MiB budget"
        );
    }

    #[test]
    fn uses_count_as_what_they_copy() {
        let mut defs = String::from("<g id=\"l0\"><rect width=\"1\" height=\"1\"/></g>");
        for i in 1..7 {
            defs += &format!("<g id=\"l{i}\">");
            for _ in 0..10 {
                defs += &format!("<use href=\"#l{}\"/>", i - 1);
            }
            defs += "</g>";
        }
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><defs>{defs}</defs><use href=\"#l6\"/></svg>");
        let Failed { message: msg, .. } = sanitize(svg.as_bytes()).unwrap_err();
        assert!(
            msg.ends_with("elements, more than the 100000 dossier reads"),
            "{msg}"
        );
        // A use of itself is one element, not a loop forever.
        let looped = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><g id=\"a\"><use href=\"#a\"/></g></svg>";
        assert!(sanitize(looped.as_bytes()).is_ok());
        let deep = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
            "<g>".repeat(300),
            "</g>".repeat(300)
        );
        assert_eq!(
            sanitize(deep.as_bytes()).unwrap_err().message,
            "the SVG nests elements more than 256 deep"
        );
    }
}
