// Times AVIF (ravif on rav1e, one thread) against lossy WebP (libwebp, the quality dossier
// uses) for the portrait widths of the default theme (96, 192, 384 px squares), on a
// synthetic photo-like image. `cargo run --release` here; rav1e needs nasm.
use std::time::Instant;

fn image(w: usize) -> Vec<rgb::RGBA8> {
    (0..w * w)
        .map(|i| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            let n = ((x * 12.9898 + y * 78.233).sin() * 43758.547).fract() * 24.0;
            rgb::RGBA8::new(
                (x / w as f32 * 200.0 + n) as u8,
                (y / w as f32 * 180.0 + n) as u8,
                (((x + y) / (2.0 * w as f32)) * 160.0 + 40.0 + n) as u8,
                255,
            )
        })
        .collect()
}

fn main() {
    for speed in [10u8, 8, 6] {
        let mut total = 0.0;
        let mut bytes = 0;
        for w in [96usize, 192, 384] {
            let px = image(w);
            let enc = ravif::Encoder::new().with_quality(70.0).with_speed(speed).with_num_threads(Some(1));
            let t = Instant::now();
            let out = enc.encode_rgba(ravif::Img::new(&px[..], w, w)).unwrap();
            total += t.elapsed().as_secs_f64();
            bytes += out.avif_file.len();
        }
        println!("avif speed {speed}: {:.1} ms for 96+192+384, {bytes} bytes", total * 1000.0);
    }
    let mut total = 0.0;
    let mut bytes = 0;
    for w in [96usize, 192, 384] {
        let px: Vec<u8> = image(w).iter().flat_map(|p| [p.r, p.g, p.b]).collect();
        let t = Instant::now();
        let out = webp::Encoder::from_rgb(&px, w as u32, w as u32).encode(82.0);
        total += t.elapsed().as_secs_f64();
        bytes += out.len();
    }
    println!("webp q82: {:.1} ms for 96+192+384, {bytes} bytes", total * 1000.0);
}
