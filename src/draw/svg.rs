//! How every SVG is read, share cards' templates and logos alike: no file or URL is
//! read, and the font families asked for resolve to fonts that are installed.

use std::sync::Arc;

use resvg::usvg;
use usvg::fontdb;

/// The options every SVG is parsed with: no file or URL is read, only `data:` images,
/// and font families resolve to installed fonts ([`select_font`]).
pub fn options<'a>(fonts: Arc<fontdb::Database>) -> usvg::Options<'a> {
    usvg::Options {
        resources_dir: None,
        fontdb: fonts,
        font_family: "sans-serif".into(),
        font_resolver: usvg::FontResolver {
            select_font: Box::new(select_font),
            select_fallback: usvg::FontResolver::default_fallback_selector(),
        },
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

/// Names of common fonts a logo may ask for that are often not installed, and the
/// generic family that stands in for them.
const COMMON: &[(&str, fontdb::Family<'static>)] = &[
    ("times", fontdb::Family::Serif),
    ("times new roman", fontdb::Family::Serif),
    ("georgia", fontdb::Family::Serif),
    ("garamond", fontdb::Family::Serif),
    ("palatino", fontdb::Family::Serif),
    ("palatino linotype", fontdb::Family::Serif),
    ("book antiqua", fontdb::Family::Serif),
    ("baskerville", fontdb::Family::Serif),
    ("cambria", fontdb::Family::Serif),
    ("simsun", fontdb::Family::Serif),
    ("songti sc", fontdb::Family::Serif),
    ("ui-serif", fontdb::Family::Serif),
    ("courier", fontdb::Family::Monospace),
    ("courier new", fontdb::Family::Monospace),
    ("consolas", fontdb::Family::Monospace),
    ("menlo", fontdb::Family::Monospace),
    ("monaco", fontdb::Family::Monospace),
    ("lucida console", fontdb::Family::Monospace),
    ("ui-monospace", fontdb::Family::Monospace),
];

/// usvg's font selection with families that exist: a named family that is installed is
/// used; one that is not stands for its generic family (serif and monospace names from
/// [`COMMON`], sans-serif for every other: Helvetica, Arial, Segoe UI...). The generic
/// families are set to installed fonts in [`crate::draw::fonts::system`].
fn select_font(font: &usvg::Font, db: &mut Arc<fontdb::Database>) -> Option<fontdb::ID> {
    let mut families: Vec<fontdb::Family> = Vec::new();
    for f in font.families() {
        families.push(match f {
            usvg::FontFamily::Serif => fontdb::Family::Serif,
            usvg::FontFamily::Monospace => fontdb::Family::Monospace,
            usvg::FontFamily::SansSerif | usvg::FontFamily::Cursive | usvg::FontFamily::Fantasy => {
                fontdb::Family::SansSerif
            }
            usvg::FontFamily::Named(n) => {
                let installed = db
                    .faces()
                    .any(|face| face.families.iter().any(|(f, _)| f.eq_ignore_ascii_case(n)));
                if installed {
                    fontdb::Family::Name(n)
                } else {
                    let lower = n.to_ascii_lowercase();
                    COMMON
                        .iter()
                        .find(|(name, _)| *name == lower)
                        .map_or(fontdb::Family::SansSerif, |(_, g)| *g)
                }
            }
        });
    }
    families.push(fontdb::Family::SansSerif);
    let style = match font.style() {
        usvg::FontStyle::Normal => fontdb::Style::Normal,
        usvg::FontStyle::Italic => fontdb::Style::Italic,
        usvg::FontStyle::Oblique => fontdb::Style::Oblique,
    };
    let q = fontdb::Query {
        families: &families,
        weight: fontdb::Weight(font.weight()),
        stretch: fontdb::Stretch::Normal,
        style,
    };
    db.query(&q).or_else(|| {
        // No face of that style or weight: any face of the families.
        db.query(&fontdb::Query {
            families: &families,
            ..fontdb::Query::default()
        })
    })
}
