//! Portraits, logos and share cards: images the tests make themselves (odd sizes, EXIF
//! orientation and GPS, CMYK, a truncated file, one pixel), each problem reported at its
//! front matter line, no metadata in any output, the processing cache used on the next
//! build, and a share card for every profile whose URL resolves under a project path.

use std::path::Path;

use image::{ImageEncoder, RgbImage};

use crate::Site;

/// A photograph-like image (a gradient, so the encoders have something to do).
fn picture(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            ((x + y) % 256) as u8,
        ])
    })
}

fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// The text hidden in the EXIF of test images; no output may contain it.
const SECRET: &[u8] = b"DOSSIER-SECRET-PLACE";

/// An EXIF block (TIFF, little-endian): orientation `o`, a description and a GPS IFD
/// whose latitude reference is set.
fn exif(o: u16) -> Vec<u8> {
    let mut t = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    // IFD0: 3 entries at 8; its data after it.
    let ifd0_len = 2 + 3 * 12 + 4;
    let desc_at = 8 + ifd0_len as u32;
    let gps_at = desc_at + SECRET.len() as u32 + 1;
    t.extend(3u16.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_le_bytes());
        t.extend(typ.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value);
    };
    entry(
        &mut t,
        0x010e,
        2,
        SECRET.len() as u32 + 1,
        desc_at.to_le_bytes(),
    );
    let ov = o.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [ov[0], ov[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, gps_at.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    t.extend(SECRET);
    t.push(0);
    // GPS IFD: latitude reference "N".
    t.extend(1u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    t.extend(0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(t);
    app1
}

/// A JPEG with an EXIF block of orientation `o`.
fn jpeg_with_exif(img: &RgbImage, o: u16) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 90);
    e.add_app_segment(1, exif(o)).unwrap();
    e.encode(
        img.as_raw(),
        img.width() as u16,
        img.height() as u16,
        jpeg_encoder::ColorType::Rgb,
    )
    .unwrap();
    out
}

/// A CMYK JPEG, as print workflows save them.
fn cmyk_jpeg(w: u16, h: u16) -> Vec<u8> {
    let px: Vec<u8> = (0..w as usize * h as usize)
        .flat_map(|i| [(i % 200) as u8, 40, 90, 10])
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&px, w, h, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    out
}

const PHOTO: &str = "photo:\n  src: zhang-san.jpg\n  alt: {zh: 张三的照片, en: A photo of Zhang San}\n  credit: 测试摄影师\n  license: CC BY 4.0\n";

/// The basic fixture with `front` added to zhang-san's front matter.
fn with_photo(front: &str) -> Site {
    let site = Site::fixture("basic");
    let rel = "content/founders/zhang-san.zh.md";
    let text = site
        .read(rel)
        .replacen("---\n", &format!("---\n{front}"), 1);
    site.write(rel, &text);
    site
}

fn write_bytes(site: &Site, rel: &str, bytes: &[u8]) {
    std::fs::write(site.path(rel), bytes).unwrap();
}

/// Every file under `dir` whose name ends in one of `exts`.
fn files(dir: &Path, exts: &[&str]) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| exts.contains(&e.to_string_lossy().as_ref()))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_portrait_is_resized_upright_with_srcset_and_no_metadata() {
    // 500×700 with EXIF orientation 6 (turn 90° clockwise): upright it is 700 wide, 500 high.
    let site = with_photo(PHOTO);
    write_bytes(
        &site,
        "content/founders/zhang-san.jpg",
        &jpeg_with_exif(&picture(500, 700), 6),
    );
    site.build_ok(&[]);
    let html = site.read("output/en/founders/zhang-san/index.html");
    // The profile's figure: every width in srcset, WebP first, the intrinsic size, the credit.
    assert!(
        html.contains(r#"<source type="image/webp" srcset="/repo/images/"#),
        "{html}"
    );
    let img = html
        .split("<figure class=\"profile-picture\">")
        .nth(1)
        .expect("a figure");
    let img = &img[..img.find("</figure>").unwrap()];
    for w in ["96w", "192w", "384w"] {
        assert!(img.contains(w), "{w}: {img}");
    }
    assert!(img.contains(r#"sizes="160px""#), "{img}");
    assert!(img.contains(r#"width="160" height="160""#), "{img}");
    assert!(img.contains(r#"alt="A photo of Zhang San""#), "{img}");
    assert!(
        img.contains("测试摄影师") && img.contains("CC BY 4.0"),
        "{img}"
    );
    // The translation inherits the photo with its own alt.
    let zh = site.read("output/founders/zhang-san/index.html");
    assert!(zh.contains(r#"alt="张三的照片""#));
    // In the table, the thumbnail comes first in the row's header cell; in one of the first
    // rows, it loads at once (tests/browser/images.test.mjs checks the fold).
    let table = site.read("output/en/founders/index.html");
    let th = table
        .split(r#"<th scope="row" role="rowheader" data-sort="Zhang San">"#)
        .nth(1)
        .expect("zhang-san's row");
    assert!(th.starts_with("<picture>"), "{}", &th[..200]);
    let first = &th[..th.find("</picture>").unwrap()];
    assert!(
        first.contains(r#"class="thumb""#) && !first.contains(r#"loading="lazy""#),
        "{first}"
    );
    // Li Si has no photo: a monogram, also first.
    let li = table
        .split(r#"data-sort="Li Si">"#)
        .nth(1)
        .expect("li-si's row");
    assert!(
        li.starts_with(r#"<svg class="thumb monogram""#),
        "{}",
        &li[..200]
    );

    let out = site.path("output/images");
    let made = files(&out, &["webp", "jpg"]);
    assert_eq!(made.len(), 6, "{made:?}");
    for f in &made {
        let bytes = std::fs::read(f).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif")
                && !bytes.windows(SECRET.len()).any(|w| w == SECRET),
            "{} keeps EXIF",
            f.display()
        );
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!(img.width(), img.height(), "{}: cropped square", f.display());
        // Content-hashed names: images/<16 hex>-<width>.<ext>.
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let (hash, rest) = name.split_once('-').unwrap();
        assert!(hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(rest.starts_with(&img.width().to_string()), "{name}");
    }
}

#[test]
fn exif_orientation_turns_a_logo_upright() {
    // A logo keeps its shape: 600×400 stored, orientation 6, so 400×600 upright.
    let site = Site::fixture("basic");
    let rel = "content/companies/widget.zh.md";
    let text = site.read(rel).replacen(
        "---\n",
        "---\nlogo: {src: widget.jpg, alt: 小部件标志, credit: 小部件科技, license: 商标}\n",
        1,
    );
    site.write(rel, &text);
    write_bytes(
        &site,
        "content/companies/widget.jpg",
        &jpeg_with_exif(&picture(600, 400), 6),
    );
    site.build_ok(&[]);
    let big = files(&site.path("output/images"), &["jpg"])
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with("-256.jpg"))
        .expect("a 256×384 fallback");
    let img = image::open(big).unwrap();
    assert_eq!((img.width(), img.height()), (256, 384));
    let html = site.read("output/en/companies/widget/index.html");
    assert!(html.contains(r#"width="160" height="240""#), "{html}");
}

#[test]
fn a_cmyk_jpeg_is_converted() {
    let site = with_photo(PHOTO);
    write_bytes(
        &site,
        "content/founders/zhang-san.jpg",
        &cmyk_jpeg(401, 433),
    );
    site.build_ok(&[]);
    let jpg = files(&site.path("output/images"), &["jpg"]);
    assert_eq!(jpg.len(), 3);
    let img = image::open(&jpg[0]).unwrap();
    assert_eq!(img.color(), image::ColorType::Rgb8);
}

#[test]
fn bad_images_are_errors_at_their_front_matter_line() {
    let site = with_photo(PHOTO);
    // Truncated: half of a PNG.
    let whole = png(&picture(400, 400));
    write_bytes(
        &site,
        "content/founders/zhang-san.jpg",
        &whole[..whole.len() / 2],
    );
    let err = site.build_err();
    assert!(
        err.contains("content/founders/zhang-san.zh.md:3:8: error: the image cannot be read"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    // One pixel.
    write_bytes(
        &site,
        "content/founders/zhang-san.jpg",
        &png(&picture(1, 1)),
    );
    let err = site.build_err();
    assert!(
        err.contains("zhang-san.zh.md:3:8: error: the image is 1×1 pixels, smaller than the 384×384 pixels the theme shows"),
        "{err}"
    );
    // Not an image at all.
    write_bytes(&site, "content/founders/zhang-san.jpg", b"hello");
    let err = site.build_err();
    assert!(err.contains("zhang-san.zh.md:3:8: error:"), "{err}");
    // A missing file.
    site.remove("content/founders/zhang-san.jpg");
    let err = site.build_err();
    assert!(
        err.contains("zhang-san.zh.md:3:8: error: no image file content/founders/zhang-san.jpg"),
        "{err}"
    );
}

#[test]
fn a_photo_needs_alt_credit_and_license() {
    let site = with_photo("photo:\n  src: zhang-san.png\n  alt: {zh: 张三}\n");
    write_bytes(
        &site,
        "content/founders/zhang-san.png",
        &png(&picture(400, 400)),
    );
    let err = site.build_err();
    for want in [
        "`photo.alt` has no text for `en`",
        "`photo` has no `credit`",
        "`photo` has no `license`",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert!(
        err.contains("zhang-san.zh.md:2:1: error: `photo` has no `credit`"),
        "{err}"
    );
}

#[test]
fn an_unchanged_image_is_processed_once() {
    let site = with_photo(PHOTO);
    write_bytes(
        &site,
        "content/founders/zhang-san.jpg",
        &jpeg_with_exif(&picture(640, 480), 1),
    );
    let stats = |site: &Site, args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .env("DOSSIER_TIMINGS", "1")
            .current_dir(site.dir.path())
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let first = stats(&site, &["build"]);
    assert!(
        first.contains("images: 1 made, 0 from the cache"),
        "{first}"
    );
    let before = site.output_snapshot();
    // A clean build (an incremental one would not look at the image at all): the
    // processing cache has it.
    let second = stats(&site, &["build", "--clean"]);
    assert!(
        second.contains("images: 0 made, 1 from the cache"),
        "{second}"
    );
    assert!(second.contains("cards: 0 made,"), "{second}");
    assert_eq!(site.output_snapshot(), before);
    // The cache is where CI can keep it; the output may not go there.
    assert!(site.path(".dossier-cache/images").is_dir());
    let o = site.run(&["build", "--output", ".dossier-cache/site"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("processing cache"));
    // A changed focus point is a new entry.
    let rel = "content/founders/zhang-san.zh.md";
    let text = site.read(rel).replace(
        "license: CC BY 4.0\n",
        "license: CC BY 4.0\n  focus: [0.2, 0.5]\n",
    );
    site.write(rel, &text);
    let third = stats(&site, &["build"]);
    assert!(
        third.contains("images: 1 made, 0 from the cache"),
        "{third}"
    );
}

#[test]
fn an_svg_logo_is_sanitised() {
    let site = Site::fixture("basic");
    let rel = "content/companies/widget.zh.md";
    let text = site.read(rel).replacen(
        "---\n",
        "---\nlogo: {src: widget.svg, alt: 小部件标志, credit: 小部件科技, license: 商标}\n",
        1,
    );
    site.write(rel, &text);
    site.write(
        "content/companies/widget.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" onload="alert(1)"><script>alert(2)</script><rect width="120" height="60" fill="#336699"/><image href="https://evil.example/t.png" width="5" height="5"/><foreignObject width="5" height="5"><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>"##,
    );
    site.build_ok(&[]);
    let svgs = files(&site.path("output/images"), &["svg"]);
    assert_eq!(svgs.len(), 1);
    let svg = std::fs::read_to_string(&svgs[0]).unwrap();
    for bad in ["script", "alert", "onload", "evil", "foreignObject"] {
        assert!(!svg.contains(bad), "{bad}: {svg}");
    }
    assert!(svg.contains("#336699"), "{svg}");
    let html = site.read("output/en/companies/widget/index.html");
    assert!(html.contains(r#"width="160" height="80""#), "{html}");
}

/// The `content` of `<meta property="NAME">` in a page.
fn meta<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(r#"property="{name}" content=""#);
    let rest = &html[html.find(&needle)? + needle.len()..];
    Some(&rest[..rest.find('"')?])
}

#[test]
fn every_profile_has_a_share_card_that_resolves_under_the_project_path() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let mut cards = Vec::new();
    for page in [
        "index.html",
        "en/index.html",
        "founders/zhang-san/index.html",
        "en/founders/zhang-san/index.html",
        "en/founders/li-si/index.html",
        "en/companies/widget/index.html",
        "en/sectors/agents/index.html",
        "en/founders/index.html",
    ] {
        let html = site.read(&format!("output/{page}"));
        let url = meta(&html, "og:image").unwrap_or_else(|| panic!("{page}: no og:image"));
        let rel = url
            .strip_prefix("https://owner.github.io/repo/")
            .unwrap_or_else(|| panic!("{page}: {url} is not absolute under the project path"));
        assert_eq!(meta(&html, "og:image:width"), Some("1200"));
        assert_eq!(meta(&html, "og:image:height"), Some("630"));
        assert!(meta(&html, "og:image:alt").is_some_and(|a| !a.is_empty()));
        assert!(html.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
        let png = std::fs::read(site.path(&format!("output/{rel}")))
            .unwrap_or_else(|e| panic!("{page}: {url}: {e}"));
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (1200, 630));
        cards.push((page, img));
    }
    // The name goes at the left, about y 180..260: there is text there.
    let (_, zhang) = &cards[3];
    let bg = *zhang.get_pixel(1190, 300);
    let inked = (80..700)
        .flat_map(|x| (170..265).map(move |y| (x, y)))
        .filter(|&(x, y)| *zhang.get_pixel(x, y) != bg)
        .count();
    assert!(inked > 2000, "only {inked} pixels of the name");
    // Two profiles, two cards; the zh and en cards of one profile differ too.
    assert_ne!(cards[3].1, cards[4].1);
    assert_ne!(cards[2].1, cards[3].1);
    // A list page shows the home page's card.
    assert_eq!(
        meta(&site.read("output/en/founders/index.html"), "og:image"),
        Some("https://owner.github.io/repo/en/card.png")
    );
}

#[test]
fn cards_come_from_the_cache_as_files_and_are_drawn_without_one() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let card = "output/en/founders/zhang-san/card.png";
    let drawn = std::fs::read(site.path(card)).unwrap();
    // A card is a copy of its cache entry, not a link to it: rewriting the output in place
    // leaves the cache alone.
    let entry = std::fs::read_dir(site.path(".dossier-cache/cards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read(p).ok().as_deref() == Some(&drawn[..]))
        .expect("the card in the cache");
    std::fs::write(site.path(card), b"edited").unwrap();
    assert_eq!(std::fs::read(&entry).unwrap(), drawn);
    // From the cache, the same bytes.
    site.build_ok(&[]);
    assert_eq!(std::fs::read(site.path(card)).unwrap(), drawn);
    // A cache that cannot be written (here a file where its directory goes) only costs
    // time: the cards are drawn and written all the same.
    std::fs::remove_dir_all(site.path(".dossier-cache")).unwrap();
    std::fs::write(site.path(".dossier-cache"), b"not a directory").unwrap();
    site.build_ok(&[]);
    assert_eq!(std::fs::read(site.path(card)).unwrap(), drawn);
}

#[test]
fn cards_can_be_turned_off() {
    let site = Site::fixture("basic");
    let cfg = site.read("site.yaml") + "cards: false\n";
    site.write("site.yaml", &cfg);
    site.build_ok(&[]);
    let html = site.read("output/en/founders/zhang-san/index.html");
    assert!(!html.contains("og:image"), "{html}");
    assert!(html.contains(r#"<meta name="twitter:card" content="summary">"#));
    assert!(!site.path("output/en/founders/zhang-san/card.png").exists());
}

#[test]
fn without_a_cjk_font_cards_are_drawn_without_chinese_and_a_warning_names_the_package() {
    let site = Site::fixture("basic");
    // A fontconfig file that knows only DejaVu (Latin), if the system has it.
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu");
    if !dejavu.is_dir() {
        eprintln!("skipped: no DejaVu fonts");
        return;
    }
    site.write(
        "fonts.conf",
        &format!(
            "<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir></fontconfig>\n",
            dejavu.display()
        ),
    );
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .env("FONTCONFIG_FILE", site.path("fonts.conf"))
        .current_dir(site.dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    // One warning, naming the package.
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(err.contains("install the fonts-noto-cjk package"), "{err}");
    // The zh card is still a card, but where the name 张三 would be there are no boxes
    // (tofu): nothing is drawn.
    let png = std::fs::read(site.path("output/founders/zhang-san/card.png")).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1200, 630));
    let bg = *img.get_pixel(1190, 300);
    let inked = (80..700)
        .flat_map(|x| (170..265).map(move |y| (x, y)))
        .filter(|&(x, y)| *img.get_pixel(x, y) != bg)
        .count();
    assert_eq!(inked, 0, "the Chinese name was drawn without its font");
}

/// The basic fixture with an SVG logo `svg` for the company widget (front matter line 2).
fn with_logo(svg: &str) -> Site {
    let site = Site::fixture("basic");
    let rel = "content/companies/widget.zh.md";
    let text = site.read(rel).replacen(
        "---\n",
        "---\nlogo: {src: widget.svg, alt: 小部件标志, credit: 小部件科技, license: 商标}\n",
        1,
    );
    site.write(rel, &text);
    site.write("content/companies/widget.svg", svg);
    site
}

/// The one SVG file the build wrote.
fn written_svg(site: &Site) -> String {
    let svgs = files(&site.path("output/images"), &["svg"]);
    assert_eq!(svgs.len(), 1, "{svgs:?}");
    std::fs::read_to_string(&svgs[0]).unwrap()
}

/// Standard base64, as `data:` URLs carry it (the tests decode what the logos embed).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|b| !b" \n\r\t=".contains(b)).collect();
    let mut out = Vec::new();
    for c in clean.chunks(4) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (val(b) as u32) << (18 - 6 * i));
        for i in 0..c.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

// Regression: half a JPEG built with exit 0 and a portrait whose lower half was flat grey;
// a truncated or corrupt raster of any format is an error at its line.
#[test]
fn a_truncated_or_corrupt_raster_of_any_format_is_an_error_at_its_line() {
    let site = with_photo(PHOTO);
    let jpeg = jpeg_with_exif(&picture(400, 400), 1);
    let webp = webp::Encoder::from_rgb(picture(400, 400).as_raw(), 400, 400)
        .encode(80.0)
        .to_vec();
    let mut corrupt = jpeg.clone();
    // The entropy-coded data past the headers, overwritten with a marker no scan holds.
    let mid = corrupt.len() / 2;
    corrupt[mid..mid + 64].fill(0xFF);
    for (what, bytes) in [
        ("half a JPEG", &jpeg[..jpeg.len() / 2]),
        ("a JPEG without its last bytes", &jpeg[..jpeg.len() - 40]),
        ("a corrupt JPEG", &corrupt[..]),
        ("half a WebP", &webp[..webp.len() / 2]),
    ] {
        write_bytes(&site, "content/founders/zhang-san.jpg", bytes);
        let err = site.build_err();
        assert!(
            err.contains("content/founders/zhang-san.zh.md:3:8: error: the image cannot be read"),
            "{what}: {err}"
        );
        assert!(err.contains("hint:"), "{what}: {err}");
    }
}

// Regression: a 30 KB PNG of 10,000 × 10,000 grey pixels decoded to 100 MB, then 300 MB as
// RGB: the pixel budget is counted after every conversion and refused at the line.
#[test]
fn a_small_file_that_decodes_to_too_many_pixels_is_refused_with_the_limit_named() {
    let site = with_photo(PHOTO);
    let (w, h) = (10_000u32, 10_000u32);
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Grayscale);
        e.set_depth(png::BitDepth::One);
        let mut wr = e.write_header().unwrap();
        wr.write_image_data(&vec![0u8; (w as usize).div_ceil(8) * h as usize])
            .unwrap();
    }
    assert!(out.len() < 100_000, "{} bytes", out.len());
    write_bytes(&site, "content/founders/zhang-san.jpg", &out);
    let err = site.build_err();
    assert!(
        err.contains("zhang-san.zh.md:3:8: error: the image is 10000×10000 pixels (100.0 megapixels), more than the 40.0 megapixels dossier decodes"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
}

// Regression: one 10 KB entity referenced 20,000 times at the top level took 200 MB (the
// nested billion laughs was refused, this was not). Entity expansion has a budget, named
// in the error at the `logo:` line.
#[test]
fn an_svg_whose_entities_expand_too_far_is_refused_at_its_line() {
    let big = "A".repeat(10_000);
    let refs = "&e;".repeat(20_000);
    let svg = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY e \"{big}\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><desc>{refs}</desc><rect width=\"10\" height=\"10\"/></svg>"
    );
    let site = with_logo(&svg);
    let (code, err) = site.run_bounded(&["build"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("content/companies/widget.zh.md:2:")
            && err.contains("error: the SVG's entities expand to"),
        "{err}"
    );
    assert!(err.contains("more than the 1 MiB budget"), "{err}");
    // `<use>` fan-out is counted the same way: 10 uses of 10 uses of ... 7 levels deep.
    let mut defs = String::from("<g id=\"l0\"><rect width=\"1\" height=\"1\"/></g>");
    for i in 1..8 {
        defs += &format!("<g id=\"l{i}\">");
        for _ in 0..10 {
            defs += &format!("<use href=\"#l{}\"/>", i - 1);
        }
        defs += "</g>";
    }
    let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><defs>{defs}</defs><use href=\"#l7\"/></svg>");
    site.write("content/companies/widget.svg", &svg);
    let (code, err) = site.run_bounded(&["build"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("widget.zh.md:2:")
            && err.contains("elements, more than the 100000 dossier reads"),
        "{err}"
    );
}

// Regression: a raster embedded in an SVG logo kept its EXIF and GPS data byte for byte.
#[test]
fn a_raster_embedded_in_an_svg_logo_loses_its_metadata() {
    let jpeg = jpeg_with_exif(&picture(64, 48), 1);
    let png_ = png(&picture(20, 20));
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"120\" height=\"60\"><image width=\"64\" height=\"48\" xlink:href=\"data:image/jpeg;base64,{}\"/><image x=\"70\" width=\"20\" height=\"20\" href=\"data:image/png;base64,{}\"/></svg>",
        base64(&jpeg),
        base64(&png_)
    );
    let site = with_logo(&svg);
    site.build_ok(&[]);
    let out = written_svg(&site);
    let mut images = 0;
    for part in out.split("base64,").skip(1) {
        let data = unbase64(&part[..part.find('"').unwrap()]);
        images += 1;
        assert!(
            !data.windows(4).any(|w| w == b"Exif")
                && !data.windows(SECRET.len()).any(|w| w == SECRET),
            "an embedded image keeps its EXIF"
        );
        let img = image::load_from_memory(&data).expect("an image");
        assert!(img.width() == 64 || img.width() == 20);
    }
    assert_eq!(images, 2, "{out}");
    assert!(!out.contains("image/jpeg"), "{out}");
}

// Regression: text asking for a generic family (sans-serif, serif, none) or a common web
// font (Helvetica, Arial) came out as nothing, without a word.
#[test]
fn svg_logo_text_in_generic_and_common_families_is_drawn() {
    for family in [
        " font-family=\"sans-serif\"",
        " font-family=\"serif\"",
        "",
        " font-family=\"Helvetica, Arial\"",
        " font-family=\"'Helvetica Neue'\"",
        " style=\"font-family: Arial\"",
    ] {
        let site = with_logo(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"60\"><text x=\"10\" y=\"40\" font-size=\"30\"{family}>Widget 小部件</text></svg>"
        ));
        let (code, err) = site.run_bounded(&["build"]);
        assert_eq!(code, Some(0), "{family}: {err}");
        assert!(!err.contains("warning"), "{family}: {err}");
        let out = written_svg(&site);
        assert!(out.contains("<path"), "{family}: no text drawn: {out}");
    }
    // Text no installed font can draw: a warning at the `logo:` line.
    let site = with_logo(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"60\"><text x=\"10\" y=\"40\" font-size=\"30\">\u{13000}\u{13001}</text></svg>",
    );
    let (code, err) = site.run_bounded(&["build"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("content/companies/widget.zh.md:2:")
            && err.contains("warning: the logo's text cannot all be drawn"),
        "{err}"
    );
}
