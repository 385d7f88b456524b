//! Fonts for share cards and SVG logos: the system's fonts found through fontdb
//! (fontconfig's directories on Linux), read once; glyphs looked up, measured and
//! rasterised once per size and kept for every later card.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use resvg::tiny_skia;
use resvg::usvg::fontdb;
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::prelude::{FontRef, LocationRef, Size};
use skrifa::{GlyphId, MetadataProvider};

/// The system's fonts, found once per process, with the generic families (sans-serif,
/// serif, monospace, cursive, fantasy) set to installed fonts: fontdb's defaults (Arial,
/// Times New Roman...) are often not installed, and text asking for them would vanish.
pub fn system() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        set_generic_families(&mut db);
        Arc::new(db)
    })
    .clone()
}

/// The fonts share cards use first (the default theme's `card.svg`), then common
/// fallbacks, per generic family; the first installed one is the family's font.
const GENERIC: [(&str, &[&str]); 3] = [
    (
        "sans-serif",
        &[
            "Noto Sans CJK SC",
            "Noto Sans CJK JP",
            "Source Han Sans SC",
            "WenQuanYi Micro Hei",
            "DejaVu Sans",
            "Noto Sans",
            "Liberation Sans",
            "Arial",
            "Helvetica",
        ],
    ),
    (
        "serif",
        &[
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "DejaVu Serif",
            "Noto Serif",
            "Liberation Serif",
            "Times New Roman",
        ],
    ),
    (
        "monospace",
        &[
            "Noto Sans Mono CJK SC",
            "DejaVu Sans Mono",
            "Noto Sans Mono",
            "Liberation Mono",
            "Courier New",
        ],
    ),
];

fn set_generic_families(db: &mut fontdb::Database) {
    let installed = |db: &fontdb::Database, name: &str| {
        db.faces()
            .any(|f| f.families.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)))
    };
    let any = db
        .faces()
        .find_map(|f| f.families.first().map(|(n, _)| n.clone()));
    let mut chosen: Vec<Option<String>> = GENERIC
        .iter()
        .map(|(_, names)| {
            names
                .iter()
                .find(|n| installed(db, n))
                .map(|n| n.to_string())
        })
        .collect();
    // A family with none of its fonts falls back to sans-serif's, then to any font.
    let sans = chosen[0].clone().or(any);
    for c in &mut chosen {
        if c.is_none() {
            c.clone_from(&sans);
        }
    }
    if let [Some(sans), Some(serif), Some(mono)] = &chosen[..] {
        db.set_sans_serif_family(sans.as_str());
        db.set_serif_family(serif.as_str());
        db.set_monospace_family(mono.as_str());
        db.set_cursive_family(sans.as_str());
        db.set_fantasy_family(sans.as_str());
    }
}

/// The system's fonts with their glyph cache, shared by every reader that only asks
/// whether a character can be drawn (SVG logos).
pub fn shared() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::new(system()))
}

/// One font face's data and what was looked up in it.
struct Face {
    data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    index: u32,
    /// Character -> glyph and advance (in ems), or None when the face lacks it.
    chars: RwLock<HashMap<char, Option<(u32, f32)>>>,
}

impl Face {
    fn font(&self) -> Option<FontRef<'_>> {
        FontRef::from_index((*self.data).as_ref(), self.index).ok()
    }

    fn glyph(&self, c: char) -> Option<(u32, f32)> {
        if let Some(hit) = self.chars.read().ok().and_then(|m| m.get(&c).copied()) {
            return hit;
        }
        let found = self.font().and_then(|font| {
            let gid = font.charmap().map(c).filter(|g| g.to_u32() != 0)?;
            let adv = font
                .glyph_metrics(Size::new(1.0), LocationRef::default())
                .advance_width(gid)
                .unwrap_or(0.0);
            Some((gid.to_u32(), adv))
        });
        if let Ok(mut m) = self.chars.write() {
            m.insert(c, found);
        }
        found
    }
}

/// Levels of coverage a glyph's edge is drawn in (besides none and full).
pub const LEVELS: u32 = 6;

/// The level a glyph's coverage (0 to 255) is drawn at: 0 (not drawn) to `LEVELS`.
pub fn level(coverage: u8) -> u8 {
    ((coverage as u32 * LEVELS + 127) / 255) as u8
}

/// A rasterised glyph: its coverage in levels (0, nothing, to `LEVELS`, full; see
/// [`level`]), and its offset from the pen position on the baseline.
pub struct Mask {
    pub w: u32,
    pub h: u32,
    pub left: i32,
    pub top: i32,
    pub data: Vec<u8>,
    /// Per row, where its coverage starts and ends (`start..end`, empty for none): a
    /// card's drawing skips the zeros outside.
    pub ink: Vec<(u32, u32)>,
}

impl Mask {
    fn new(w: u32, h: u32, left: i32, top: i32, data: Vec<u8>) -> Mask {
        let ink = data
            .chunks(w.max(1) as usize)
            .map(|row| {
                let start = row.iter().position(|&c| c != 0).unwrap_or(0);
                let end = row.iter().rposition(|&c| c != 0).map_or(0, |e| e + 1);
                (start as u32, end.max(start) as u32)
            })
            .collect();
        Mask {
            w,
            h,
            left,
            top,
            data,
            ink,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    face: u16,
    gid: u32,
    /// Size in quarter pixels.
    size: u16,
    /// Pen position's fraction of a pixel, in quarters.
    subpx: u8,
}

/// A glyph placed on a card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub face: u16,
    pub gid: u32,
    pub advance: f32,
}

#[derive(Default)]
struct Loaded {
    faces: Vec<Arc<Face>>,
    by_id: HashMap<fontdb::ID, u16>,
    files: HashMap<PathBuf, Arc<dyn AsRef<[u8]> + Send + Sync>>,
    chains: HashMap<(String, u16), Arc<Vec<u16>>>,
    /// Any face with a character, for characters the named families lack.
    fallback: HashMap<(char, u16), Option<u16>>,
}

/// The fonts of a run of cards and their glyph cache.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    /// Every face file's path and size: part of each card's cache key.
    pub fingerprint: String,
    loaded: Mutex<Loaded>,
    faces: RwLock<Vec<Arc<Face>>>,
    masks: RwLock<HashMap<GlyphKey, Arc<Mask>>>,
}

struct Pen<'a>(&'a mut tiny_skia::PathBuilder, f32);

impl OutlinePen for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x + self.1, -y)
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x + self.1, -y)
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0 + self.1, -cy0, x + self.1, -y)
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0
            .cubic_to(cx0 + self.1, -cy0, cx1 + self.1, -cy1, x + self.1, -y)
    }
    fn close(&mut self) {
        self.0.close()
    }
}

impl Fonts {
    pub fn new(db: Arc<fontdb::Database>) -> Fonts {
        let mut files: Vec<String> = db
            .faces()
            .map(|f| match &f.source {
                fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => {
                    let len = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
                    format!("{}:{}:{len}", p.display(), f.index)
                }
                fontdb::Source::Binary(b) => format!("binary:{}", (**b).as_ref().len()),
            })
            .collect();
        files.sort();
        Fonts {
            fingerprint: crate::cache::key(&[files.join("\n").as_bytes()]),
            db,
            loaded: Mutex::new(Loaded::default()),
            faces: RwLock::new(Vec::new()),
            masks: RwLock::new(HashMap::new()),
        }
    }

    fn load(&self, l: &mut Loaded, id: fontdb::ID) -> Option<u16> {
        if let Some(&i) = l.by_id.get(&id) {
            return Some(i);
        }
        let info = self.db.face(id)?;
        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = match &info.source {
            fontdb::Source::Binary(b) => b.clone(),
            fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => match l.files.get(p) {
                Some(d) => d.clone(),
                None => {
                    let d: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(std::fs::read(p).ok()?);
                    l.files.insert(p.clone(), d.clone());
                    d
                }
            },
        };
        let face = Arc::new(Face {
            data,
            index: info.index,
            chars: RwLock::new(HashMap::new()),
        });
        face.font()?;
        l.faces.push(face);
        let i = (l.faces.len() - 1) as u16;
        l.by_id.insert(id, i);
        if let Ok(mut f) = self.faces.write() {
            *f = l.faces.clone();
        }
        Some(i)
    }

    /// The faces of a CSS `font-family` list at a weight, in order.
    pub fn chain(&self, families: &str, weight: u16) -> Arc<Vec<u16>> {
        let Ok(mut l) = self.loaded.lock() else {
            return Arc::new(Vec::new());
        };
        let key = (families.to_owned(), weight);
        if let Some(c) = l.chains.get(&key) {
            return c.clone();
        }
        let mut out = Vec::new();
        for name in families.split(',') {
            let name = name.trim().trim_matches(['"', '\'']);
            let family = match name {
                "sans-serif" => fontdb::Family::SansSerif,
                "serif" => fontdb::Family::Serif,
                "monospace" => fontdb::Family::Monospace,
                n => fontdb::Family::Name(n),
            };
            let q = fontdb::Query {
                families: &[family],
                weight: fontdb::Weight(weight),
                ..Default::default()
            };
            if let Some(i) = self.db.query(&q).and_then(|id| self.load(&mut l, id)) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        let c = Arc::new(out);
        l.chains.insert(key, c.clone());
        c
    }

    fn face(&self, i: u16) -> Option<Arc<Face>> {
        self.faces.read().ok()?.get(i as usize).cloned()
    }

    /// The glyph for `c` from the first face of `chain` that has it, else from any
    /// system face (the closest weight first); None when no font has it.
    pub fn glyph(&self, chain: &[u16], weight: u16, c: char) -> Option<Glyph> {
        for &f in chain {
            if let Some((gid, advance)) = self.face(f).and_then(|face| face.glyph(c)) {
                return Some(Glyph {
                    face: f,
                    gid,
                    advance,
                });
            }
        }
        let f = self.fallback(c, weight)?;
        let (gid, advance) = self.face(f)?.glyph(c)?;
        Some(Glyph {
            face: f,
            gid,
            advance,
        })
    }

    fn fallback(&self, c: char, weight: u16) -> Option<u16> {
        let mut l = self.loaded.lock().ok()?;
        if let Some(hit) = l.fallback.get(&(c, weight)) {
            return *hit;
        }
        let mut ids: Vec<(u16, String, fontdb::ID)> = self
            .db
            .faces()
            .filter(|f| f.style == fontdb::Style::Normal)
            .map(|f| {
                let family = f.families.first().map(|x| x.0.clone()).unwrap_or_default();
                (f.weight.0.abs_diff(weight), family, f.id)
            })
            .collect();
        ids.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut found = None;
        for (_, _, id) in ids {
            let Some(i) = self.load(&mut l, id) else {
                continue;
            };
            if l.faces[i as usize].glyph(c).is_some() {
                found = Some(i);
                break;
            }
        }
        l.fallback.insert((c, weight), found);
        found
    }

    /// The coverage mask of a glyph at `size` pixels, its pen at `x` (the fraction of a
    /// pixel matters, in quarters).
    pub fn mask(&self, g: Glyph, size: f32, x: f32) -> Arc<Mask> {
        let key = GlyphKey {
            face: g.face,
            gid: g.gid,
            size: (size * 4.0).round() as u16,
            subpx: ((x - x.floor()) * 4.0) as u8,
        };
        if let Some(m) = self.masks.read().ok().and_then(|m| m.get(&key).cloned()) {
            return m;
        }
        let m = Arc::new(self.raster(key));
        if let Ok(mut masks) = self.masks.write() {
            masks.insert(key, m.clone());
        }
        m
    }

    fn raster(&self, key: GlyphKey) -> Mask {
        let empty = Mask::new(0, 0, 0, 0, Vec::new());
        let Some(face) = self.face(key.face) else {
            return empty;
        };
        let Some(font) = face.font() else {
            return empty;
        };
        let Some(glyph) = font.outline_glyphs().get(GlyphId::new(key.gid)) else {
            return empty;
        };
        let size = key.size as f32 / 4.0;
        let mut pb = tiny_skia::PathBuilder::new();
        let settings = DrawSettings::unhinted(Size::new(size), LocationRef::default());
        if glyph
            .draw(settings, &mut Pen(&mut pb, key.subpx as f32 / 4.0))
            .is_err()
        {
            return empty;
        }
        let Some(path) = pb.finish() else {
            return empty;
        };
        let b = path.bounds();
        let left = b.left().floor() as i32 - 1;
        let top = b.top().floor() as i32 - 1;
        let w = (b.right().ceil() as i32 + 1 - left).max(1) as u32;
        let h = (b.bottom().ceil() as i32 + 1 - top).max(1) as u32;
        let Some(mut mask) = tiny_skia::Mask::new(w, h) else {
            return empty;
        };
        mask.fill_path(
            &path,
            tiny_skia::FillRule::Winding,
            true,
            tiny_skia::Transform::from_translate(-left as f32, -top as f32),
        );
        Mask::new(
            w,
            h,
            left,
            top,
            mask.data().iter().map(|&c| level(c)).collect(),
        )
    }
}
