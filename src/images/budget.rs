//! The one budget every image decoder works within: raster portraits and logos, SVG
//! logos and the rasters embedded in them. Each limit is checked before the work it
//! bounds, and a source over any of them is refused at its `photo:` or `logo:` line with
//! the limit named, so that no file of a few kilobytes can take gigabytes or minutes.

use std::sync::mpsc;
use std::time::Duration;

use super::outcome::Failed;

/// The limits on one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Largest source file, in bytes.
    pub input_bytes: u64,
    /// Most pixels a raster may have (width × height, upright).
    pub pixels: u64,
    /// Most bytes a raster's pixels may take while decoded, counted after every
    /// conversion: the decoder's own buffer and the 8-bit RGB(A) copy made from it, or two
    /// such copies when it is turned upright.
    pub decoded_bytes: u64,
    /// Most bytes an SVG's entity references may expand to.
    pub entity_bytes: u64,
    /// Most elements an SVG may draw, each `<use>` counted as the elements it copies.
    pub elements: u64,
    /// Longest time one source may take, decoding to encoding.
    pub time: Duration,
}

const MIB: u64 = 1 << 20;

impl Budget {
    /// What a build allows: a 40-megapixel photograph (a full-frame camera's) decodes
    /// within it; a logo of a hundred thousand shapes does too.
    pub const DEFAULT: Budget = Budget {
        input_bytes: 32 * MIB,
        pixels: 40_000_000,
        decoded_bytes: 512 * MIB,
        entity_bytes: MIB,
        elements: 100_000,
        time: Duration::from_secs(30),
    };

    /// Refuses a source larger than [`Budget::input_bytes`].
    pub fn input(&self, len: usize) -> Result<(), Failed> {
        if len as u64 <= self.input_bytes {
            return Ok(());
        }
        Err(Failed::new(
            format!(
                "the file is {}, more than the {} dossier reads",
                size(len as u64),
                size(self.input_bytes)
            ),
            "save a smaller file: a portrait or logo needs no more than a few megabytes".into(),
        ))
    }

    /// Refuses a raster of `w`×`h` whose decoder holds `native` bytes a pixel and whose
    /// 8-bit copy holds `out` bytes a pixel (3 for RGB, 4 for RGBA).
    pub fn raster(&self, w: u32, h: u32, native: u64, out: u64) -> Result<(), Failed> {
        let pixels = w as u64 * h as u64;
        let hint = "scale it down: a few thousand pixels on its longest side is plenty for any size the theme shows";
        if pixels > self.pixels {
            return Err(Failed::new(
                format!(
                    "the image is {w}×{h} pixels ({:.1} megapixels), more than the {:.1} megapixels dossier decodes",
                    pixels as f64 / 1e6,
                    self.pixels as f64 / 1e6
                ),
                hint.into(),
            ));
        }
        let bytes = pixels.saturating_mul((native + out).max(2 * out));
        if bytes > self.decoded_bytes {
            return Err(Failed::new(
                format!(
                    "the image is {w}×{h} pixels of {native} bytes each: decoded and converted it takes {}, more than the {} budget",
                    size(bytes),
                    size(self.decoded_bytes)
                ),
                hint.into(),
            ));
        }
        Ok(())
    }

    /// Runs `work` on a thread of its own and gives up after [`Budget::time`]: a decoder
    /// cannot be interrupted, but the build need not wait for it.
    pub fn timed<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, Failed> + Send + 'static,
    ) -> Result<T, Failed> {
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("dossier-image".into())
            .spawn(move || {
                let _ = tx.send(work());
            });
        if spawned.is_err() {
            return Err(Failed::new(
                "cannot start a thread to decode the image".into(),
                "the system is out of threads or memory; try again".into(),
            ));
        }
        match rx.recv_timeout(self.time) {
            Ok(r) => r,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(Failed::new(
                format!(
                    "decoding the image took longer than the {} s budget",
                    self.time.as_secs_f64()
                ),
                "save it again, simpler or smaller (a logo with fewer shapes, a photograph with fewer pixels)".into(),
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(Failed::new(
                "the image decoder stopped without an answer".into(),
                "save the file again as JPEG, PNG, WebP or plain SVG".into(),
            )),
        }
    }
}

/// `1.5 MiB`, `32 MiB`, `800 bytes`.
pub fn size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < MIB {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    } else if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_is_named_in_its_refusal() {
        let b = Budget::DEFAULT;
        assert!(b.input(1000).is_ok());
        assert_eq!(
            b.input(40 << 20).unwrap_err().message,
            "the file is 40 MiB, more than the 32 MiB dossier reads"
        );
        assert!(b.raster(6000, 4000, 3, 3).is_ok());
        assert_eq!(
            b.raster(10_000, 10_000, 1, 3).unwrap_err().message,
            "the image is 10000×10000 pixels (100.0 megapixels), more than the 40.0 megapixels dossier decodes"
        );
        // Floating-point RGBA: 16 bytes decoded, 4 converted, a pixel.
        assert!(b.raster(7000, 5000, 8, 4).is_ok());
        assert_eq!(
            b.raster(7000, 5000, 16, 4).unwrap_err().message,
            "the image is 7000×5000 pixels of 16 bytes each: decoded and converted it takes 667.6 MiB, more than the 512 MiB budget"
        );
        let quick = Budget {
            time: Duration::from_millis(10),
            ..b
        };
        let Failed { message: msg, .. } = quick
            .timed(|| {
                std::thread::sleep(Duration::from_millis(500));
                Ok(())
            })
            .unwrap_err();
        assert_eq!(msg, "decoding the image took longer than the 0.01 s budget");
        assert_eq!(b.timed(|| Ok(7)), Ok(7));
    }
}
