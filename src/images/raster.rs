//! Raster images: decoding with limits, EXIF orientation, the crop around the focus
//! point, resizing and encoding; and the cache entry that holds a source's files.

use std::io::Cursor;

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::budget::Budget;
use super::outcome::{Encoded, Failed};
use crate::render::theme::ImageSizes;

/// Largest source accepted, in pixels per side.
const MAX_SIDE: u32 = 16_384;

/// JPEG and WebP quality: photographs at this quality show no artefacts at their size.
const QUALITY: u8 = 82;

fn unreadable(e: impl std::fmt::Display) -> Failed {
    Failed::new(
        format!("the image cannot be read: {e}"),
        "save it again as JPEG, PNG or WebP; the file may be truncated or not an image".into(),
    )
}

/// Decodes a source within `budget`, upright, as 8-bit RGB or RGBA. A truncated or
/// corrupt file is an error whatever its format: JPEG is read by zune-jpeg in its strict
/// mode (the lenient mode `image` uses paints missing data grey), the others by decoders
/// that fail on a short or damaged file.
pub fn decode(bytes: &[u8], budget: &Budget) -> Result<DynamicImage, Failed> {
    budget.input(bytes.len())?;
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(unreadable)?;
    let Some(format) = reader.format() else {
        return Err(Failed::new(
            "the file is not an image dossier reads".into(),
            "save it as JPEG, PNG or WebP".into(),
        ));
    };
    if format == image::ImageFormat::Jpeg {
        return jpeg_decode(bytes, budget);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(budget.decoded_bytes);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (w, h) = decoder.dimensions();
    let color = decoder.color_type();
    let alpha = color.has_alpha();
    budget.raster(
        w,
        h,
        color.bytes_per_pixel() as u64,
        if alpha { 4 } else { 3 },
    )?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    // `into_rgb8` keeps the buffer when it is 8-bit RGB already; the budget counts a copy.
    let mut img = if alpha {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    };
    img.apply_orientation(orientation);
    Ok(img)
}

/// A JPEG, in zune-jpeg's strict mode: any truncation or damage to the data is an error.
fn jpeg_decode(bytes: &[u8], budget: &Budget) -> Result<DynamicImage, Failed> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let opts = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(MAX_SIDE as usize)
        .set_max_height(MAX_SIDE as usize)
        .jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), opts);
    d.decode_headers().map_err(unreadable)?;
    let (w, h) = d
        .dimensions()
        .ok_or_else(|| unreadable("no image size in the headers"))?;
    let (w, h) = (w as u32, h as u32);
    let components = d
        .input_colorspace()
        .map_or(4, |c| c.num_components() as u64);
    budget.raster(w, h, components, 3)?;
    let orientation = d
        .exif()
        .and_then(|e| image::metadata::Orientation::from_exif_chunk(e))
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let px = d.decode().map_err(unreadable)?;
    if !ends_with_eoi(bytes) {
        return Err(unreadable("the file ends before the image does"));
    }
    let rgb = image::RgbImage::from_raw(w, h, px)
        .ok_or_else(|| unreadable("the decoder returned fewer pixels than the image has"))?;
    let mut img = DynamicImage::ImageRgb8(rgb);
    img.apply_orientation(orientation);
    Ok(img)
}

/// Whether a JPEG's segments, followed from the start, reach the end-of-image marker:
/// a file cut short does not. What comes after the marker (a camera's trailer, a motion
/// photo's video) is not read.
fn ends_with_eoi(bytes: &[u8]) -> bool {
    let mut at = 0;
    while at + 1 < bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        match marker {
            0xD9 => return true,
            // Fill bytes before a marker.
            0xFF => at += 1,
            0xD8 | 0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let Some(len) = bytes.get(at + 2..at + 4) else {
                    return false;
                };
                at += 2 + u16::from_be_bytes([len[0], len[1]]) as usize;
                if marker == 0xDA {
                    // Entropy-coded data: up to the next marker that is not a stuffed
                    // 0xFF or a restart.
                    loop {
                        let Some(i) = bytes
                            .get(at..)
                            .and_then(|b| b.iter().position(|&b| b == 0xFF))
                        else {
                            return false;
                        };
                        at += i;
                        match bytes.get(at + 1) {
                            None => return false,
                            Some(0x00 | 0xD0..=0xD7) => at += 2,
                            Some(_) => break,
                        }
                    }
                }
            }
        }
    }
    false
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
    budget: &Budget,
) -> Result<Vec<Encoded>, Failed> {
    let img = decode(bytes, budget)?;
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
        out.push(Encoded {
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
        out.push(Encoded {
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

/// Re-encodes a raster as PNG: only its pixels (upright, 8-bit) are kept, no metadata.
pub fn reencode_png(img: &DynamicImage) -> Result<Vec<u8>, Failed> {
    let rgba = img.to_rgba8();
    png_rgba(rgba.as_raw(), rgba.width(), rgba.height())
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
pub fn pack(outputs: &[Encoded]) -> Vec<u8> {
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
pub fn unpack(bytes: &[u8]) -> Option<Vec<Encoded>> {
    let nl = bytes.iter().position(|&b| b == b'\n')?;
    let header: Vec<(u32, u32, String, usize)> = serde_json::from_slice(&bytes[..nl]).ok()?;
    let mut at = nl + 1;
    let mut out = Vec::new();
    for (width, height, ext, len) in header {
        let body = bytes.get(at..at.checked_add(len)?)?;
        at += len;
        out.push(Encoded {
            width,
            height,
            ext,
            bytes: body.to_vec(),
        });
    }
    (at == bytes.len()).then_some(out)
}

/// The size of each file for a source of `w`×`h`: cropped to the ratio, or bounded on
/// its longest side.
fn plan(w: u32, h: u32, sizes: &ImageSizes) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = sizes
        .widths
        .iter()
        .map(|&s| match sizes.ratio {
            Some(r) => (s, ((s as f64 / r).round() as u32).max(1)),
            None => {
                let scale = s as f64 / w.max(h) as f64;
                (
                    ((w as f64 * scale).round() as u32).max(1),
                    ((h as f64 * scale).round() as u32).max(1),
                )
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Rejects a source smaller than the largest size asked for.
fn big_enough(w: u32, h: u32, sizes: &ImageSizes) -> std::result::Result<(), Failed> {
    let largest = sizes.largest();
    let (need_w, need_h, what) = match sizes.ratio {
        Some(r) => {
            // The crop of the largest width must fit inside the source.
            let need_h = (largest as f64 / r).round() as u32;
            (largest, need_h, format!("{largest}×{need_h}"))
        }
        None => (largest, largest, format!("{largest} on its longest side")),
    };
    let ok = match sizes.ratio {
        Some(r) => {
            let crop_w = (w as f64).min(h as f64 * r);
            crop_w + 0.5 >= need_w as f64 && (crop_w / r) + 0.5 >= need_h as f64
        }
        None => w.max(h) >= largest,
    };
    if ok {
        Ok(())
    } else {
        Err(Failed::new(
            format!("the image is {w}×{h} pixels, smaller than the {what} pixels the theme shows"),
            format!("use a larger original (at least {what} pixels); the theme's sizes are in its theme.yaml"),
        ))
    }
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
    fn a_jpeg_is_whole_when_its_segments_reach_the_end_marker() {
        let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut jpeg = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut jpeg, 80);
        e.set_progressive(true);
        e.encode(img.as_raw(), 64, 48, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        assert!(ends_with_eoi(&jpeg));
        let mut trailer = jpeg.clone();
        trailer.extend(b"ftypmp42 a video after the image \xFF\xD8");
        assert!(ends_with_eoi(&trailer));
        for cut in [2, 20, jpeg.len() / 2, jpeg.len() - 2] {
            assert!(!ends_with_eoi(&jpeg[..cut]), "{cut}");
        }
        let budget = Budget::DEFAULT;
        assert!(decode(&jpeg, &budget).is_ok());
        assert!(decode(&trailer, &budget).is_ok());
        let Failed { message: msg, .. } = decode(&jpeg[..jpeg.len() - 2], &budget).unwrap_err();
        assert!(msg.starts_with("the image cannot be read"), "{msg}");
    }

    #[test]
    fn a_damaged_png_or_webp_is_an_error() {
        let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let budget = Budget::DEFAULT;
        let mut png = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut png),
            img.as_raw(),
            64,
            48,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
        assert!(decode(&png, &budget).is_ok());
        // A byte of the compressed pixels changed: the chunk's checksum no longer holds.
        let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
        let mut damaged = png.clone();
        damaged[idat + 8] ^= 0x55;
        assert!(decode(&damaged, &budget).is_err());
        assert!(decode(&png[..png.len() - 12], &budget).is_err());
        let webp = webp::Encoder::from_rgb(img.as_raw(), 64, 48)
            .encode(80.0)
            .to_vec();
        assert!(decode(&webp, &budget).is_ok());
        assert!(decode(&webp[..webp.len() - 10], &budget).is_err());
    }

    #[test]
    fn cache_entries_round_trip() {
        let o = vec![Encoded {
            width: 2,
            height: 1,
            ext: "jpg".into(),
            bytes: vec![1, 2, 3],
        }];
        assert_eq!(unpack(&pack(&o)), Some(o));
        assert_eq!(unpack(b"[[2,1,\"jpg\",9]]\n12"), None);
    }

    fn sizes(ratio: Option<f64>) -> ImageSizes {
        ImageSizes {
            widths: vec![100, 50],
            ratio,
        }
    }

    #[test]
    fn sizes_follow_the_ratio_or_the_longest_side() {
        assert_eq!(plan(400, 300, &sizes(Some(1.0))), [(50, 50), (100, 100)]);
        assert_eq!(plan(400, 200, &sizes(None)), [(50, 25), (100, 50)]);
        assert!(big_enough(100, 100, &sizes(Some(1.0))).is_ok());
        assert!(big_enough(100, 99, &sizes(Some(1.0))).is_err());
        assert!(big_enough(30, 100, &sizes(None)).is_ok());
        let Failed { message: msg, .. } = big_enough(1, 1, &sizes(Some(1.0))).unwrap_err();
        assert_eq!(
            msg,
            "the image is 1×1 pixels, smaller than the 100×100 pixels the theme shows"
        );
    }
}
