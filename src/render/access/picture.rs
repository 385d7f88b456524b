//! Portraits and logos as templates see them, and the monogram shown without one: the
//! initials (or the first character of a Chinese name) on a colour derived from the slug.

use serde::Serialize;

use super::reader::Reader;
use crate::content::Picture;
use crate::images::Processed;

/// A processed image with its texts in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct PictureView<'a> {
    /// The largest fallback file (JPEG, PNG or SVG).
    pub src: &'a str,
    /// Every width of the fallback files (`url 96w, ...`; empty for SVG).
    pub srcset: &'a str,
    /// Every width as WebP (empty for SVG).
    pub srcset_webp: &'a str,
    /// The intrinsic size of `src`.
    pub width: u32,
    pub height: u32,
    /// Height / width, for the size attributes at a shown width.
    pub ratio: f64,
    pub mime: &'a str,
    pub alt: &'a str,
    pub credit: &'a str,
    pub license: &'a str,
}

/// Initials on a colour, for a profile without an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Monogram {
    pub text: String,
    /// Background colour, `#rrggbb`.
    pub bg: String,
    /// Text colour.
    pub fg: &'static str,
}

/// The initials of a name: the first character of a CJK name, else the first letters
/// of its first two words (`Jia Yangqing` → `JY`, `01.AI` → `0`).
pub fn initials(name: &str) -> String {
    let first = name.chars().find(|c| c.is_alphanumeric());
    match first {
        None => "·".into(),
        Some(c) if crate::cards::text::is_cjk(c) => c.to_string(),
        Some(_) => name
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
            .take(2)
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

/// A colour derived from the slug (FNV-1a hash → hue), dark enough for white text
/// (contrast above 4.5:1 at every hue).
pub fn colour(slug: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in slug.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    let hue = (h % 360) as f64;
    // HSL(hue, 45%, 30%) in RGB.
    let (s, l) = (0.45, 0.30);
    let c = (1.0 - (2.0 * l - 1.0f64).abs()) * s;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (hue / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let to = |v: f64| ((v + m) * 255.0).round() as u8;
    format!("#{:02x}{:02x}{:02x}", to(r), to(g), to(b))
}

pub fn monogram(name: &str, slug: &str) -> Monogram {
    Monogram {
        text: initials(name),
        bg: colour(slug),
        fg: "#ffffff",
    }
}

impl<'v, 'a> Reader<'v, 'a> {
    /// A processed image with the texts of `picture` in this language, recording that the
    /// page shows the file.
    pub fn picture(
        &self,
        processed: Option<&'a std::sync::Arc<Processed>>,
        picture: Option<&'a Picture>,
    ) -> Option<PictureView<'a>> {
        let (p, pic) = (processed?, picture?);
        crate::deps::read(|| crate::deps::Dep::Image(p.shown.clone()));
        let text =
            |t: &'a Option<crate::content::LocalText>| t.as_ref().map_or("", |t| self.local(t));
        Some(PictureView {
            src: &p.src,
            srcset: &p.srcset,
            srcset_webp: &p.srcset_webp,
            width: p.width,
            height: p.height,
            ratio: p.height as f64 / p.width.max(1) as f64,
            mime: p.mime,
            alt: text(&pic.alt),
            credit: text(&pic.credit),
            license: text(&pic.license),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_names_in_both_scripts() {
        assert_eq!(initials("贾扬清"), "贾");
        assert_eq!(initials("Jia Yangqing"), "JY");
        assert_eq!(initials("Lepton AI"), "LA");
        assert_eq!(initials("zhang"), "Z");
        assert_eq!(initials("“MiniMax”"), "M");
        assert_eq!(initials(""), "·");
    }

    /// Relative luminance contrast with white, per WCAG.
    fn contrast_with_white(hex: &str) -> f64 {
        let ch = |i: usize| {
            let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = 0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5);
        1.05 / (l + 0.05)
    }

    #[test]
    fn every_colour_is_dark_enough_for_white_text() {
        for n in 0..2000 {
            let slug = format!("founder-{n}");
            let c = colour(&slug);
            assert!(contrast_with_white(&c) >= 4.5, "{slug}: {c}");
        }
        assert_ne!(colour("a"), colour("b"));
    }
}
