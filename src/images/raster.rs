//! Raster images: decoding with limits, EXIF orientation, the crop around the focus
//! point, resizing and encoding; and the cache entry that holds a source's files.

use std::io::Cursor;

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::{big_enough, plan, Failed, Output, MAX_SIDE};
use crate::render::theme::ImageSizes;

/// JPEG and WebP quality: photographs at this quality show no artefacts at their size.
const QUALITY: u8 = 82;

fn unreadable(e: impl std::fmt::Display) -> Failed {
    (
        format!("the image cannot be read: {e}"),
        "save it again as JPEG, PNG or WebP; the file may be truncated or not an image".into(),
    )
}

/// Decodes a source, upright, as 8-bit RGB or RGBA.
fn decode(bytes: &[u8]) -> Result<DynamicImage, Failed> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(unreadable)?;
    if reader.format().is_none() {
        return Err((
            "the file is not an image dossier reads".into(),
            "save it as JPEG, PNG or WebP".into(),
        ));
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    img.apply_orientation(orientation);
    Ok(if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    })
}

/// The largest region of ratio `r` around the focus point.
fn crop(w: u32, h: u32, ratio: Option<f64>, focus: Option<(u16, u16)>) -> (f64, f64, f64, f64) {
    let Some(r) = ratio else {
        return (0.0, 0.0, w as f64, h as f64);
    };
    let (w, h) = (w as f64, h as f64);
    let (cw, ch) = if w / h > r { (h * r, h) } else { (w, w / r) };
    let (fx, fy) = focus.map_or((0.5, 0.5), |(x, y)| (x as f64 / 1000.0, y as f64 / 1000.0));
    let left = (fx * w - cw / 2.0).clamp(0.0, w - cw);
    let top = (fy * h - ch / 2.0).clamp(0.0, h - ch);
    (left, top, cw, ch)
}

/// Every file of a raster source: each size as WebP and as JPEG (PNG with transparency).
pub fn variants(
    bytes: &[u8],
    sizes: &ImageSizes,
    focus: Option<(u16, u16)>,
) -> Result<Vec<Output>, Failed> {
    let img = decode(bytes)?;
    let (w, h) = (img.width(), img.height());
    big_enough(w, h, sizes)?;
    let alpha = img.color().has_alpha();
    let (cl, ct, cw, ch) = crop(w, h, sizes.ratio, focus);
    let pixel = if alpha {
        fr::PixelType::U8x4
    } else {
        fr::PixelType::U8x3
    };
    let src = fr::images::Image::from_vec_u8(w, h, img.into_bytes(), pixel).map_err(unreadable)?;
    let targets = match sizes.ratio {
        Some(_) => plan(cw as u32, ch as u32, sizes),
        None => plan(w, h, sizes),
    };
    let mut resizer = fr::Resizer::new();
    let mut out = Vec::new();
    for (tw, th) in targets {
        let mut dst = fr::images::Image::new(tw, th, pixel);
        let opts = fr::ResizeOptions::new()
            .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
            .crop(cl, ct, cw, ch);
        resizer.resize(&src, &mut dst, &opts).map_err(unreadable)?;
        let px = dst.buffer();
        let enc = if alpha {
            webp::Encoder::from_rgba(px, tw, th)
        } else {
            webp::Encoder::from_rgb(px, tw, th)
        };
        let webp = enc
            .encode_simple(false, QUALITY as f32)
            .map_err(|e| unreadable(format!("{e:?}")))?;
        out.push(Output {
            width: tw,
            height: th,
            ext: "webp".into(),
            bytes: webp.to_vec(),
        });
        let (ext, bytes) = if alpha {
            ("png", png_rgba(px, tw, th)?)
        } else {
            ("jpg", jpeg(px, tw, th)?)
        };
        out.push(Output {
            width: tw,
            height: th,
            ext: ext.into(),
            bytes,
        });
    }
    Ok(out)
}

fn jpeg(px: &[u8], w: u32, h: u32) -> Result<Vec<u8>, Failed> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, QUALITY);
    e.set_progressive(true);
    e.encode(px, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .map_err(unreadable)?;
    Ok(out)
}

fn png_rgba(px: &[u8], w: u32, h: u32) -> Result<Vec<u8>, Failed> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgba);
    e.set_depth(png::BitDepth::Eight);
    e.set_compression(png::Compression::Balanced);
    let mut wr = e.write_header().map_err(unreadable)?;
    wr.write_image_data(px).map_err(unreadable)?;
    wr.finish().map_err(unreadable)?;
    Ok(out)
}

/// A cache entry: a JSON header line (size and format of each file), then the files.
pub fn pack(outputs: &[Output]) -> Vec<u8> {
    let header: Vec<(u32, u32, &str, usize)> = outputs
        .iter()
        .map(|o| (o.width, o.height, o.ext.as_str(), o.bytes.len()))
        .collect();
    let mut out = serde_json::to_vec(&header).unwrap_or_default();
    out.push(b'\n');
    for o in outputs {
        out.extend_from_slice(&o.bytes);
    }
    out
}

/// Reads a cache entry back (None if it is damaged).
pub fn unpack(bytes: &[u8]) -> Option<Vec<Output>> {
    let nl = bytes.iter().position(|&b| b == b'\n')?;
    let header: Vec<(u32, u32, String, usize)> = serde_json::from_slice(&bytes[..nl]).ok()?;
    let mut at = nl + 1;
    let mut out = Vec::new();
    for (width, height, ext, len) in header {
        let body = bytes.get(at..at.checked_add(len)?)?;
        at += len;
        out.push(Output {
            width,
            height,
            ext,
            bytes: body.to_vec(),
        });
    }
    (at == bytes.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crop_keeps_the_focus_inside() {
        // A tall image cropped square around a point near the top.
        assert_eq!(
            crop(100, 300, Some(1.0), Some((500, 100))),
            (0.0, 0.0, 100.0, 100.0)
        );
        assert_eq!(crop(100, 300, Some(1.0), None), (0.0, 100.0, 100.0, 100.0));
        assert_eq!(
            crop(300, 100, Some(1.0), Some((1000, 0))),
            (200.0, 0.0, 100.0, 100.0)
        );
    }

    #[test]
    fn cache_entries_round_trip() {
        let o = vec![Output {
            width: 2,
            height: 1,
            ext: "jpg".into(),
            bytes: vec![1, 2, 3],
        }];
        assert_eq!(unpack(&pack(&o)), Some(o));
        assert_eq!(unpack(b"[[2,1,\"jpg\",9]]\n12"), None);
    }
}
