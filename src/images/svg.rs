//! SVG logos, parsed by usvg and written out again: what comes out is shapes, gradients
//! and embedded images only, so no script, event handler, `foreignObject`, style sheet
//! import or reference outside the file survives. Text is turned into paths with the
//! system's fonts.

use std::sync::Arc;

use resvg::usvg;

use super::{Failed, Output};
use crate::render::theme::ImageSizes;

/// The options every SVG is parsed with: no file or URL is read, only `data:` images.
pub fn options(fonts: Arc<usvg::fontdb::Database>) -> usvg::Options<'static> {
    usvg::Options {
        resources_dir: None,
        fontdb: fonts,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

/// Parses and re-writes a logo; its size is that of the largest width the theme shows.
pub fn logo(bytes: &[u8], sizes: &ImageSizes) -> Result<Vec<Output>, Failed> {
    let clean = sanitize(bytes, crate::cards::fonts::system())?;
    let (w, h) = clean.1;
    let largest = sizes.largest() as f64;
    let scale = largest / w.max(h);
    Ok(vec![Output {
        width: ((w * scale).round() as u32).max(1),
        height: ((h * scale).round() as u32).max(1),
        ext: "svg".into(),
        bytes: clean.0.into_bytes(),
    }])
}

/// The SVG re-written from its parse, and its size.
pub fn sanitize(
    bytes: &[u8],
    fonts: Arc<usvg::fontdb::Database>,
) -> Result<(String, (f64, f64)), Failed> {
    let tree = usvg::Tree::from_data(bytes, &options(fonts)).map_err(|e| {
        (
            format!("the SVG cannot be read: {e}"),
            "save it again from a vector editor as plain SVG".to_owned(),
        )
    })?;
    let size = tree.size();
    let text = tree.to_string(&usvg::WriteOptions::default());
    Ok((text, (size.width() as f64, size.height() as f64)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let (out, size) = sanitize(svg, Arc::new(usvg::fontdb::Database::new())).unwrap();
        assert_eq!(size, (200.0, 100.0));
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
        assert!(sanitize(b"<svg", Arc::new(usvg::fontdb::Database::new())).is_err());
    }
}
