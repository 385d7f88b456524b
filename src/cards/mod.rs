//! Share cards: the 1200×630 PNG a page shows when it is shared (`og:image`), drawn at
//! build time from the theme's SVG template `templates/card.svg` after Tera has filled in
//! its text.
//!
//! Drawing a card costs a few tenths of a millisecond of CPU, because most of it is done
//! once (docs/performance.md, "Share cards drawn cold"):
//!
//! - Everything in the template but its `<text>` elements (the background) is drawn by
//!   resvg once per distinct background, that is once per language in the default theme,
//!   and reduced to a palette of flat colours.
//! - Each `<text>` element is laid out by [`text::layout`] (wrapping, CJK line breaking,
//!   truncation with `…`), and its glyphs are drawn from a cache of coverage masks, each
//!   rasterised once per font, size and quarter-pixel position (so a directory with more
//!   distinct characters rasterises more), blending only each mask row's ink.
//! - The card is written as an indexed-colour PNG (each text colour blended with the
//!   background in a few levels), the `Up` filter and fast compression; the rows the text
//!   does not reach are compressed once per background and copied ([`encode`]).
//! - Cards are kept in the processing cache, keyed by the filled-in SVG and the fonts.
//!
//! A `<text>` element's box comes from its attributes: `x`, `y` (the first baseline),
//! `font-size`, `font-weight`, `font-family`, `fill` (`#rgb` or `#rrggbb`), `text-anchor`,
//! and `data-width` (the line length, default: to the right edge), `data-lines` (at most
//! so many lines, default 1) and `data-line-height` (default 1.25 × the size).

mod encode;
pub mod text;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::cache::Cache;
use crate::draw::fonts::{self, Fonts, Mask, LEVELS};
use crate::draw::svg;
use crate::output::Body;
use text::{Anchor, Block, Found};

/// The size of a share card, as Open Graph and Twitter expect.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Bumped when drawing changes, so that cached cards of older code are not used.
const VERSION: &[u8] = b"dossier-cards-1";

/// Colours a background may keep; more are mapped to the nearest of these.
const MAX_BACKGROUND_COLOURS: usize = 192;

/// A background drawn once: palette indices, the palette and its rows compressed.
struct Background {
    idx: Vec<u8>,
    palette: Vec<[u8; 3]>,
    rows: encode::Rows,
}

/// Draws cards; kept for a whole run (the dev server keeps it across rebuilds), with its
/// fonts, glyphs and backgrounds.
pub struct Renderer {
    cache: Arc<Cache>,
    fonts: OnceLock<Fonts>,
    backgrounds: Mutex<HashMap<String, Arc<Background>>>,
    missing_cjk: AtomicBool,
}

impl Renderer {
    pub fn new(cache: Arc<Cache>) -> Renderer {
        Renderer {
            cache,
            fonts: OnceLock::new(),
            backgrounds: Mutex::new(HashMap::new()),
            missing_cjk: AtomicBool::new(false),
        }
    }

    fn fonts(&self) -> &Fonts {
        self.fonts.get_or_init(|| Fonts::new(fonts::system()))
    }

    /// A hash of the fonts installed for cards: a card drawn with other fonts differs.
    pub fn fonts_fingerprint(&self) -> &str {
        &self.fonts().fingerprint
    }

    /// Whether a card had Chinese (or other CJK) text that no installed font has.
    pub fn missing_cjk(&self) -> bool {
        self.missing_cjk.load(Ordering::Relaxed)
    }

    /// The PNG of a filled-in card template: the file in the processing cache that holds
    /// it (drawn now if it was not there), or its bytes when there is no cache. An error says
    /// what is wrong with the SVG.
    pub fn draw(&self, svg: &str) -> Result<Body, String> {
        let fonts = self.fonts();
        let key = crate::cache::key(&[VERSION, fonts.fingerprint.as_bytes(), svg.as_bytes()]);
        if let Some(file) = self.cache.file("cards", &key) {
            return Ok(Body::Cached(file));
        }
        let (background, blocks) = split(svg)?;
        let bg = self.background(&background)?;
        let mut found = Found::default();
        let runs: Vec<_> = blocks
            .iter()
            .map(|(b, colour)| (text::layout(fonts, b, &mut found), *colour, b.size))
            .collect();
        if found.missing_cjk {
            self.missing_cjk.store(true, Ordering::Relaxed);
        }
        let png = composite(fonts, &bg, &runs).map_err(|e| format!("cannot write the PNG: {e}"))?;
        Ok(match self.cache.put("cards", &key, &png) {
            Some(file) => Body::Cached(file),
            None => Body::Bytes(png),
        })
    }

    fn background(&self, svg: &str) -> Result<Arc<Background>, String> {
        let key = crate::cache::key(&[svg.as_bytes()]);
        if let Some(bg) = self
            .backgrounds
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return Ok(bg);
        }
        let opts = svg::options(fonts::system());
        let tree = usvg::Tree::from_str(svg, &opts).map_err(|e| e.to_string())?;
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the card")?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        let bg = Arc::new(palette(&pixmap));
        if let Ok(mut m) = self.backgrounds.lock() {
            m.insert(key, bg.clone());
        }
        Ok(bg)
    }
}

/// A text box's colour.
type Rgb = [u8; 3];

/// Splits a filled-in template into the SVG without its `<text>` elements and the text
/// boxes.
fn split(svg: &str) -> Result<(String, Vec<(Block, Rgb)>), String> {
    let doc = roxmltree::Document::parse(svg)
        .map_err(|e| format!("card.svg is not well-formed XML after filling in: {e}"))?;
    let root = doc.root_element();
    let size = |name: &str| {
        root.attribute(name)
            .and_then(|v| v.trim().parse::<f32>().ok())
    };
    if root.tag_name().name() != "svg"
        || size("width") != Some(WIDTH as f32)
        || size("height") != Some(HEIGHT as f32)
    {
        return Err(format!(
            "card.svg must be an <svg> element {WIDTH} wide and {HEIGHT} high"
        ));
    }
    let mut blocks = Vec::new();
    let mut cut = Vec::new();
    for node in root.descendants().filter(|n| n.has_tag_name("text")) {
        if node.ancestors().skip(1).any(|a| a.has_tag_name("text")) {
            continue;
        }
        cut.push(node.range());
        let attr = |name: &str| node.ancestors().find_map(|a| a.attribute(name));
        let num = |name: &str| {
            attr(name).and_then(|v| v.trim().trim_end_matches("px").parse::<f32>().ok())
        };
        let size = num("font-size").unwrap_or(16.0);
        let x = num("x").unwrap_or(0.0);
        let weight = match attr("font-weight").map(str::trim) {
            Some("bold") | Some("bolder") => 700,
            Some(w) => w.parse().unwrap_or(400),
            None => 400,
        };
        let text: String = node
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        let block = Block {
            text,
            x,
            y: num("y").unwrap_or(size),
            size,
            weight,
            family: attr("font-family").unwrap_or("sans-serif").to_owned(),
            width: num("data-width").unwrap_or(WIDTH as f32 - x),
            lines: num("data-lines").map_or(1, |n| n.max(1.0) as usize),
            line_height: num("data-line-height").unwrap_or(size * 1.25),
            anchor: match attr("text-anchor") {
                Some("middle") => Anchor::Middle,
                Some("end") => Anchor::End,
                _ => Anchor::Start,
            },
        };
        blocks.push((block, colour(attr("fill").unwrap_or("#000"))));
    }
    let mut background = String::with_capacity(svg.len());
    let mut at = 0;
    for r in cut {
        background.push_str(&svg[at..r.start]);
        at = r.end;
    }
    background.push_str(&svg[at..]);
    Ok((background, blocks))
}

/// `#rgb` or `#rrggbb` (black otherwise).
fn colour(v: &str) -> Rgb {
    let hex = v.trim().trim_start_matches('#');
    let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
    match hex.len() {
        3 => [0, 1, 2].map(|i| digit(i, 1).map_or(0, |d| d * 17)),
        6 => [0, 2, 4].map(|i| digit(i, 2).unwrap_or(0)),
        _ => [0, 0, 0],
    }
}

/// A drawn background as palette indices.
fn palette(p: &tiny_skia::Pixmap) -> Background {
    let rgb: Vec<Rgb> = p
        .pixels()
        .iter()
        .map(|px| {
            let c = px.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    let mut counts: HashMap<Rgb, usize> = HashMap::new();
    for c in &rgb {
        *counts.entry(*c).or_default() += 1;
    }
    let mut colours: Vec<(Rgb, usize)> = counts.into_iter().collect();
    colours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    colours.truncate(MAX_BACKGROUND_COLOURS);
    let palette: Vec<Rgb> = colours.iter().map(|c| c.0).collect();
    let index: HashMap<Rgb, u8> = palette
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i as u8))
        .collect();
    let idx: Vec<u8> = rgb
        .iter()
        .map(|c| {
            index
                .get(c)
                .copied()
                .unwrap_or_else(|| nearest(&palette, *c))
        })
        .collect();
    let rows = encode::Rows::new(&idx, p.width() as usize);
    Background { idx, palette, rows }
}

fn nearest(palette: &[Rgb], c: Rgb) -> u8 {
    let d = |p: &Rgb| {
        (0..3)
            .map(|k| (p[k] as i32 - c[k] as i32).pow(2))
            .sum::<i32>()
    };
    palette
        .iter()
        .enumerate()
        .min_by_key(|(_, p)| d(p))
        .map_or(0, |(i, _)| i as u8)
}

/// The palette index of `colour` over background index `bg` at coverage `level`, added to
/// the palette if there is room, else the nearest there is.
#[cold]
fn blend(pal: &mut Vec<Rgb>, lookup: &mut HashMap<Rgb, u8>, bg: u8, colour: Rgb, level: u8) -> u8 {
    let a = level as f32 / LEVELS as f32;
    let b = pal[bg as usize];
    let c = [0, 1, 2].map(|k| (b[k] as f32 * (1.0 - a) + colour[k] as f32 * a).round() as u8);
    match lookup.get(&c) {
        Some(&i) => i,
        None if pal.len() < 256 => {
            pal.push(c);
            lookup.insert(c, (pal.len() - 1) as u8);
            (pal.len() - 1) as u8
        }
        None => nearest(pal, c),
    }
}

thread_local! {
    /// The card being drawn, one per thread and reused (a fresh 756 KB buffer per card
    /// cost as much in page faults as drawing its text), and which of its rows hold text:
    /// only those are copied from the background and drawn on; the others are the
    /// background's, read from it.
    static CANVAS: std::cell::RefCell<(Vec<u8>, Vec<bool>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// A glyph's mask where it lands, and the part of it on the card.
struct Spot {
    mask: Arc<Mask>,
    ox: i32,
    oy: i32,
    x0: i32,
    x1: i32,
    y0: i32,
    y1: i32,
}

/// The glyphs of a text run where they land; those wholly off the card are left out.
fn spots(fonts: &Fonts, placed: &[text::Placed], size: f32) -> Vec<Spot> {
    let (w, h) = (WIDTH as i32, HEIGHT as i32);
    placed
        .iter()
        .filter_map(|p| {
            let mask = fonts.mask(p.glyph, size, p.x);
            let ox = p.x.floor() as i32 + mask.left;
            let oy = p.y.round() as i32 + mask.top;
            let (x0, x1) = (ox.max(0), (ox + mask.w as i32).min(w));
            let (y0, y1) = (oy.max(0), (oy + mask.h as i32).min(h));
            (x0 < x1).then_some(Spot {
                mask,
                ox,
                oy,
                x0,
                x1,
                y0,
                y1,
            })
        })
        .collect()
}

/// Draws the text runs over the background and writes the PNG. Only the rows the text
/// reaches are copied from the background, drawn on and compressed.
fn composite(
    fonts: &Fonts,
    bg: &Background,
    runs: &[(Vec<text::Placed>, Rgb, f32)],
) -> Result<Vec<u8>, png::EncodingError> {
    let spots: Vec<(Vec<Spot>, Rgb)> = runs
        .iter()
        .map(|(placed, colour, size)| (spots(fonts, placed, *size), *colour))
        .collect();
    let w = WIDTH as usize;
    CANVAS.with(|canvas| {
        let (idx, text) = &mut *canvas.borrow_mut();
        idx.resize(bg.idx.len(), 0);
        text.clear();
        text.resize(HEIGHT as usize, false);
        for s in spots.iter().flat_map(|(s, _)| s) {
            for y in s.y0 as usize..s.y1 as usize {
                if !text[y] {
                    text[y] = true;
                    idx[y * w..(y + 1) * w].copy_from_slice(&bg.idx[y * w..(y + 1) * w]);
                }
            }
        }
        let pal = draw_text(bg, &spots, idx);
        let pal: Vec<u8> = pal.iter().flatten().copied().collect();
        let row = |y: usize| &(if text[y] { &idx[..] } else { &bg.idx[..] })[y * w..(y + 1) * w];
        let zlib = encode::zlib(&bg.rows, row, text);
        if encode::stored(zlib.len(), (w + 1) * HEIGHT as usize) {
            // Text so busy that compressing does not pay: the `png` crate stores it.
            for y in (0..HEIGHT as usize).filter(|&y| !text[y]) {
                idx[y * w..(y + 1) * w].copy_from_slice(&bg.idx[y * w..(y + 1) * w]);
            }
            return encode::reference(WIDTH, HEIGHT, &pal, idx);
        }
        encode::png(WIDTH, HEIGHT, &pal, &zlib)
    })
}

/// Draws the glyphs on `idx` (the background where they land) in their colours: the
/// palette, with the blends of text and background that were needed added.
fn draw_text(bg: &Background, runs: &[(Vec<Spot>, Rgb)], idx: &mut [u8]) -> Vec<Rgb> {
    let w = WIDTH as i32;
    let levels = LEVELS as usize + 1;
    let mut pal = bg.palette.clone();
    let mut lookup: HashMap<Rgb, u8> = pal.iter().enumerate().map(|(i, c)| (*c, i as u8)).collect();
    for (spots, colour) in runs {
        // Palette index of (background index, coverage level) in this colour, found when
        // first needed; no coverage (level 0) leaves the pixel as it is.
        let mut mix = vec![u16::MAX; 256 * levels];
        for i in 0..256 {
            mix[i * levels] = i as u16;
        }
        for s in spots {
            let m = &s.mask;
            for y in s.y0..s.y1 {
                let r = (y - s.oy) as usize;
                // The row's ink, on the card.
                let (ink0, ink1) = m.ink[r];
                let x0 = s.x0.max(s.ox + ink0 as i32);
                let x1 = s.x1.min(s.ox + ink1 as i32);
                if x0 >= x1 {
                    continue;
                }
                let (from, at) = (
                    r * m.w as usize + (x0 - s.ox) as usize,
                    (y * w + x0) as usize,
                );
                let span = (x1 - x0) as usize;
                let (dst, src) = (&mut idx[at..at + span], &m.data[from..from + span]);
                for (px, &level) in dst.iter_mut().zip(src) {
                    let slot = *px as usize * levels + level as usize;
                    if mix[slot] == u16::MAX {
                        mix[slot] = blend(&mut pal, &mut lookup, *px, *colour, level) as u16;
                    }
                    *px = mix[slot] as u8;
                }
            }
        }
    }
    pal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_boxes_come_out_of_the_template() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#fff"/><g font-family="Noto Sans CJK SC" fill="#112233"><text x="80" y="200" font-size="64" font-weight="bold" data-width="900" data-lines="2">贾扬清 &amp; <tspan>Co</tspan></text></g></svg>"##;
        let (bg, blocks) = split(svg).unwrap();
        assert!(
            !bg.contains("<text") && bg.contains("<rect") && bg.contains("</g>"),
            "{bg}"
        );
        let (b, c) = &blocks[0];
        assert_eq!(
            (b.text.as_str(), b.x, b.y, b.size, b.weight),
            ("贾扬清 & Co", 80.0, 200.0, 64.0, 700)
        );
        assert_eq!(
            (b.width, b.lines, b.family.as_str()),
            (900.0, 2, "Noto Sans CJK SC")
        );
        assert_eq!(*c, [0x11, 0x22, 0x33]);
        assert!(split(r#"<svg width="100" height="100"/>"#).is_err());
        assert!(split("<svg").is_err());
    }

    /// A card drawn the plain way: every pixel of every glyph's mask on a copy of the whole
    /// background (as cards were drawn before), the image encoded by the `png` crate.
    fn plain(r: &Renderer, svg: &str) -> Vec<u8> {
        let fonts = r.fonts();
        let (background, blocks) = split(svg).unwrap();
        let bg = r.background(&background).unwrap();
        let (mut idx, mut pal) = (bg.idx.clone(), bg.palette.clone());
        let mut lookup: HashMap<Rgb, u8> =
            pal.iter().enumerate().map(|(i, c)| (*c, i as u8)).collect();
        let (w, h) = (WIDTH as i32, HEIGHT as i32);
        for (b, colour) in &blocks {
            let mut mix: HashMap<(u8, u8), u8> = HashMap::new();
            for p in text::layout(fonts, b, &mut Found::default()) {
                let m = fonts.mask(p.glyph, b.size, p.x);
                let (ox, oy) = (p.x.floor() as i32 + m.left, p.y.round() as i32 + m.top);
                for (i, &level) in m.data.iter().enumerate() {
                    let (x, y) = (
                        ox + (i % m.w as usize) as i32,
                        oy + (i / m.w as usize) as i32,
                    );
                    if level == 0 || x < 0 || y < 0 || x >= w || y >= h {
                        continue;
                    }
                    let px = &mut idx[(y * w + x) as usize];
                    let (was, c) = (*px, *colour);
                    *px = *mix
                        .entry((was, level))
                        .or_insert_with(|| blend(&mut pal, &mut lookup, was, c, level));
                }
            }
        }
        encode::reference(WIDTH, HEIGHT, &pal.concat(), &idx).unwrap()
    }

    #[test]
    fn a_card_is_the_png_of_its_whole_image_drawn_pixel_by_pixel() {
        // Text in CJK and Latin, in several sizes and colours, over a background with bands;
        // some of it runs off the card at the top, the right and the foot.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#fbfaf7"/><rect width="1200" height="16" fill="#0a58a3"/><rect x="80" y="510" width="1040" height="2" fill="#d3cdc1"/><g font-family="Noto Sans CJK SC, DejaVu Sans, sans-serif"><text x="80" y="20" font-size="48" fill="#585e66">顶部 Top, cut off</text><text x="80" y="245" font-size="84" font-weight="bold" fill="#1d2125">贾扬清 Jia Yangqing</text><text x="80" y="340" font-size="36" fill="#1d2125" data-lines="2" data-line-height="54">阿里巴巴前副总裁，2023 年创办 Lepton AI，做 AI 基础设施。A long line that wraps and then wraps again until it is cut short with an ellipsis.</text><text x="900" y="450" font-size="60" fill="#0a58a3" data-width="2000">Off the right edge 右边</text><text x="80" y="640" font-size="34" font-weight="bold" fill="#0a58a3">底部 → Foot</text></g></svg>"##;
        let r = Renderer::new(Arc::new(Cache::none()));
        let Ok(Body::Bytes(drawn)) = r.draw(svg) else {
            panic!("no card drawn")
        };
        assert_eq!(drawn, plain(&r, svg));
        // And again with the glyphs and the background already known, as for later cards.
        let Ok(Body::Bytes(again)) = r.draw(svg) else {
            panic!("no card drawn")
        };
        assert_eq!(again, drawn);
    }
}
