//! A card's PNG: byte for byte what the `png` crate writes for it (an indexed image, the
//! `Up` filter, `Compression::Fast`, which is fdeflate's fixed-code encoder), without going
//! over every row of every card.
//!
//! fdeflate encodes each row (one `write_data` call: the filter byte, then the row) on its
//! own: literal bytes from a fixed code, and runs of zero bytes as matches at distance 1 that
//! never reach into the row before. A row's bits therefore depend on its bytes alone, so a
//! card row that is the background's, below a row that is the background's too, has the bits
//! it has in the background: those are encoded once per background ([`Rows`]) and copied.
//! Only the rows the text touches (and the row below each, whose `Up` filter reads them) are
//! encoded per card. The Adler-32 of the stream is combined from the rows' own.
//!
//! The code lengths and the stream's header are fdeflate 0.3's (MIT or Apache-2.0, the
//! image-rs developers), and [`Bits::row`] follows its `Compressor::write_data`. The tests
//! compare the result with the `png` crate's on rows of every kind, so an upgrade of `png`
//! or `fdeflate` that changes their bytes fails them rather than going unnoticed.

use std::io::Write;

/// fdeflate's code lengths: literal bytes 0 to 255, end of block (256), lengths (257–285).
const LENGTHS: [u8; 286] = [
    2, 3, 4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 11, 11, 11, 11, 11, 11, 11,
    11, 11, 11, 10, 11, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9, 9, 9, 9, 9, 8, 9, 8, 8, 8, 8, 8, 7,
    7, 7, 6, 6, 6, 5, 4, 3, 12, 12, 12, 9, 9, 11, 10, 11, 11, 10, 11, 11, 11, 11, 11, 11, 12, 11,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 9,
];

/// fdeflate's zlib header and dynamic-block header for [`LENGTHS`]: 53 bytes and 5 bits.
const HEADER: [u8; 54] = [
    120, 1, 237, 192, 3, 160, 36, 89, 150, 198, 241, 255, 119, 238, 141, 200, 204, 167, 114, 75,
    99, 174, 109, 219, 182, 109, 219, 182, 109, 219, 182, 109, 105, 140, 158, 150, 74, 175, 158,
    50, 51, 34, 238, 249, 118, 183, 106, 122, 166, 135, 59, 107, 213, 15,
];

/// The canonical codes of [`LENGTHS`], bit-reversed as deflate writes them.
const CODES: [u16; 286] = codes(&LENGTHS);

/// The length symbol and its count of extra bits, by match length minus 3 (deflate's table).
const LENGTH_SYMBOLS: [(u16, u8); 256] = length_symbols();

/// The `Up` filter's type byte, which starts every row.
const UP: u8 = 2;

/// Adler-32's modulus.
const MOD: u64 = 65521;

const fn codes(lengths: &[u8; 286]) -> [u16; 286] {
    let mut codes = [0u16; 286];
    let mut code = 0u32;
    let mut len = 1;
    while len <= 16 {
        let mut i = 0;
        while i < lengths.len() {
            if lengths[i] == len {
                codes[i] = (code as u16).reverse_bits() >> (16 - len);
                code += 1;
            }
            i += 1;
        }
        code <<= 1;
        len += 1;
    }
    codes
}

const fn length_symbols() -> [(u16, u8); 256] {
    const BASE: [u16; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const EXTRA: [u8; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    let mut table = [(0u16, 0u8); 256];
    let (mut len, mut s) = (3u16, 0);
    while len <= 258 {
        while s + 1 < BASE.len() && BASE[s + 1] <= len {
            s += 1;
        }
        table[(len - 3) as usize] = (257 + s as u16, EXTRA[s]);
        len += 1;
    }
    table
}

/// A deflate bit stream being written, least significant bit first, as fdeflate does.
struct Bits {
    out: Vec<u8>,
    buffer: u64,
    nbits: u8,
}

impl Bits {
    fn new(out: Vec<u8>) -> Bits {
        Bits {
            out,
            buffer: 0,
            nbits: 0,
        }
    }

    /// Appends the low `n` bits of `bits` (at most 64; the bits above `n` are zero).
    #[inline]
    fn put(&mut self, bits: u64, n: u8) {
        self.buffer |= bits << self.nbits;
        self.nbits += n;
        if self.nbits >= 64 {
            self.out.extend_from_slice(&self.buffer.to_le_bytes());
            self.nbits -= 64;
            self.buffer = bits.checked_shr((n - self.nbits) as u32).unwrap_or(0);
        }
    }

    #[inline]
    fn literal(&mut self, b: u8) {
        self.put(CODES[b as usize] as u64, LENGTHS[b as usize]);
    }

    /// Eight literals, four to a write, as fdeflate packs them.
    #[inline]
    fn literals8(&mut self, chunk: &[u8]) {
        for four in chunk.chunks_exact(4) {
            let (mut bits, mut n) = (0u64, 0u8);
            for &b in four {
                bits |= (CODES[b as usize] as u64) << n;
                n += LENGTHS[b as usize];
            }
            self.put(bits, n);
        }
    }

    /// A run of `run` zero bytes: a literal zero, then matches at distance 1.
    fn run(&mut self, mut run: u32) {
        self.literal(0);
        run -= 1;
        while run >= 258 {
            // The length symbol for 258 and a 1-bit distance code of 0 (distance 1).
            self.put(CODES[285] as u64, LENGTHS[285] + 1);
            run -= 258;
        }
        if run > 4 {
            let (sym, extra) = LENGTH_SYMBOLS[run as usize - 3];
            self.put(CODES[sym as usize] as u64, LENGTHS[sym as usize]);
            // The extra bits, then the distance code.
            self.put(((run - 3) & ((1 << extra) - 1)) as u64, extra + 1);
        } else {
            // A few zeros are cheaper as literals (the code of 0 is all zero bits).
            self.put(0, run as u8 * LENGTHS[0]);
        }
    }

    /// One row as fdeflate's `write_data` encodes it: eight bytes at a time, zero words
    /// counted into runs, a run never carried into the next call. Returns the row's
    /// Adler-32, counted along: over n zero bytes the second sum grows by n times the first.
    fn row(&mut self, data: &[u8]) -> u32 {
        let mut adler = Adler::default();
        let word =
            |i: usize| u64::from_le_bytes(data[i * 8..i * 8 + 8].try_into().unwrap_or_default());
        let words = data.len() / 8;
        let mut run = 0;
        let mut i = 0;
        while i < words {
            let chunk = &data[i * 8..i * 8 + 8];
            let w = word(i);
            i += 1;
            if w == 0 {
                // The zero words that follow, four at a time while there are four.
                let from = i;
                while i + 4 <= words && (word(i) | word(i + 1) | word(i + 2) | word(i + 3)) == 0 {
                    i += 4;
                }
                while i < words && word(i) == 0 {
                    i += 1;
                }
                run += 8 * (i - from + 1) as u32;
                adler.zeros(8 * (i - from + 1));
                continue;
            }
            adler.bytes(chunk);
            if run > 0 {
                let extra = w.trailing_zeros() / 8;
                self.run(run + extra);
                run = 0;
                if extra > 0 {
                    run = w.leading_zeros() / 8;
                    for &b in &chunk[extra as usize..8 - run as usize] {
                        self.literal(b);
                    }
                    continue;
                }
            }
            let start = w.leading_zeros() / 8;
            if start > 0 {
                for &b in &chunk[..8 - start as usize] {
                    self.literal(b);
                }
                run = start;
                continue;
            }
            self.literals8(chunk);
        }
        if run > 0 {
            self.run(run);
        }
        for &b in &data[words * 8..] {
            self.literal(b);
        }
        adler.bytes(&data[words * 8..]);
        adler.value()
    }

    /// Appends a row encoded on its own.
    fn append(&mut self, row: &Row) {
        for &w in &row.words {
            self.put(w, 64);
        }
        if row.tail_bits > 0 {
            self.put(row.tail, row.tail_bits);
        }
    }

    /// Pads to a whole byte and writes what is left.
    fn flush(&mut self) {
        if !self.nbits.is_multiple_of(8) {
            self.put(0, 8 - self.nbits % 8);
        }
        let bytes = self.buffer.to_le_bytes();
        self.out
            .extend_from_slice(&bytes[..self.nbits as usize / 8]);
        self.buffer = 0;
        self.nbits = 0;
    }
}

/// One filtered row's bits and its Adler-32.
struct Row {
    words: Vec<u64>,
    tail: u64,
    tail_bits: u8,
    adler: u32,
}

/// A background's rows, `Up`-filtered and encoded once.
pub struct Rows {
    width: usize,
    rows: Vec<Row>,
}

impl Rows {
    /// The rows of an image of palette indices, `width` to a row.
    pub fn new(idx: &[u8], width: usize) -> Rows {
        let mut line = vec![0u8; width + 1];
        let rows = (0..idx.len() / width.max(1))
            .map(|y| {
                filter(&mut line, |y| &idx[y * width..(y + 1) * width], y);
                let mut bits = Bits::new(Vec::new());
                let adler = bits.row(&line);
                let words = bits
                    .out
                    .chunks_exact(8)
                    .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
                    .collect();
                Row {
                    words,
                    tail: bits.buffer,
                    tail_bits: bits.nbits,
                    adler,
                }
            })
            .collect();
        Rows { width, rows }
    }
}

/// Writes row `y`, `Up`-filtered, into `line` (the filter byte first).
fn filter<'a>(line: &mut [u8], row: impl Fn(usize) -> &'a [u8], y: usize) {
    line[0] = UP;
    let cur = row(y);
    if y == 0 {
        line[1..].copy_from_slice(cur);
    } else {
        for ((o, &c), &p) in line[1..].iter_mut().zip(cur).zip(row(y - 1)) {
            *o = c.wrapping_sub(p);
        }
    }
}

/// An Adler-32 being counted: the first sum (1 and the bytes) and the second (the sum of
/// the first after each byte), reduced at the end (a row is far too short to overflow).
struct Adler {
    a: u64,
    b: u64,
}

impl Default for Adler {
    fn default() -> Adler {
        Adler { a: 1, b: 0 }
    }
}

impl Adler {
    fn bytes(&mut self, data: &[u8]) {
        for &x in data {
            self.a += x as u64;
            self.b += self.a;
        }
    }

    fn zeros(&mut self, n: usize) {
        self.b += n as u64 * self.a;
    }

    fn value(&self) -> u32 {
        (((self.b % MOD) << 16) | (self.a % MOD)) as u32
    }
}

/// The Adler-32 of two streams one after the other, from theirs and the second's length.
fn combine(first: u32, second: u32, len: usize) -> u32 {
    let (a1, b1) = ((first & 0xffff) as u64, (first >> 16) as u64);
    let (a2, b2) = ((second & 0xffff) as u64, (second >> 16) as u64);
    let rem = len as u64 % MOD;
    let a = (a1 + a2 + MOD - 1) % MOD;
    let b = (b1 + b2 + rem * a1 % MOD + MOD - rem) % MOD;
    ((b << 16) | a) as u32
}

/// The zlib stream of an image whose row `y` is `row(y)`: the background's but where
/// `changed[y]` says it may differ.
pub fn zlib<'a>(bg: &Rows, row: impl Fn(usize) -> &'a [u8], changed: &[bool]) -> Vec<u8> {
    let mut bits = Bits::new(Vec::with_capacity(64 * 1024));
    bits.out.extend_from_slice(&HEADER[..53]);
    bits.put(HEADER[53] as u64, 5);
    let mut adler = 1;
    let mut line = vec![0u8; bg.width + 1];
    for (y, own) in bg.rows.iter().enumerate() {
        if changed[y] || (y > 0 && changed[y - 1]) {
            filter(&mut line, &row, y);
            let own = bits.row(&line);
            adler = combine(adler, own, line.len());
        } else {
            bits.append(own);
            adler = combine(adler, own.adler, line.len());
        }
    }
    bits.put(CODES[256] as u64, LENGTHS[256]);
    bits.flush();
    bits.out.extend_from_slice(&adler.to_be_bytes());
    bits.out
}

/// Whether the `png` crate would store `raw` bytes rather than keep a compressed stream of
/// `zlib` bytes (it does when compressing made them bigger).
pub fn stored(zlib: usize, raw: usize) -> bool {
    let max = u16::MAX as usize;
    zlib > (raw.saturating_sub(1) / max) * (max + 5) + (raw % max + 5) + 6
}

/// The `png` crate's encoder as cards use it.
fn encoder<W: Write>(w: W, width: u32, height: u32, palette: &[u8]) -> png::Encoder<'_, W> {
    let mut e = png::Encoder::new(w, width, height);
    e.set_color(png::ColorType::Indexed);
    e.set_depth(png::BitDepth::Eight);
    e.set_palette(palette);
    e.set_compression(png::Compression::Fast);
    // Rows the text does not reach repeat the row above: `Up` turns them into zeros.
    e.set_filter(png::Filter::Up);
    e
}

/// The PNG of an indexed image from its zlib stream ([`zlib`]).
pub fn png(
    width: u32,
    height: u32,
    palette: &[u8],
    zlib: &[u8],
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(zlib.len() + palette.len() + 64);
    let mut wr = encoder(&mut out, width, height, palette).write_header()?;
    wr.write_chunk(png::chunk::IDAT, zlib)?;
    wr.finish()?;
    Ok(out)
}

/// The PNG of an indexed image as the `png` crate encodes it, every row.
pub fn reference(
    width: u32,
    height: u32,
    palette: &[u8],
    idx: &[u8],
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(48 * 1024);
    let mut wr = encoder(&mut out, width, height, palette).write_header()?;
    wr.write_image_data(idx)?;
    wr.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The PNG [`zlib`] and [`png`] make of `img` over background `bg`, rows `changed`
    /// redrawn; None when the `png` crate would store it instead.
    fn fast(w: usize, pal: &[u8], bg: &[u8], img: &[u8], changed: &[bool]) -> Option<Vec<u8>> {
        let rows = Rows::new(bg, w);
        let row = |y: usize| &img[y * w..(y + 1) * w];
        let h = changed.len();
        let z = zlib(&rows, row, changed);
        (!stored(z.len(), (w + 1) * h)).then(|| png(w as u32, h as u32, pal, &z).unwrap())
    }

    /// Whether the `png` crate stored the image data of `png` uncompressed (deflate's
    /// block type 0 in its first block) rather than keep fdeflate's stream.
    fn is_stored(png: &[u8]) -> bool {
        let mut at = 8;
        while at + 8 <= png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            if &png[at + 4..at + 8] == b"IDAT" {
                return png[at + 8 + 2] & 0b110 == 0;
            }
            at += 12 + len;
        }
        panic!("no IDAT")
    }

    fn palette(n: usize) -> Vec<u8> {
        (0..n * 3).map(|i| (i * 37 % 256) as u8).collect()
    }

    /// Rows of every kind fdeflate treats apart: all zero, the same as the row above, one
    /// byte at each place in an 8-byte word, runs of zeros of every length (across words and
    /// past 258), dense bytes of every value, and a remainder after the last whole word.
    fn every_kind(w: usize) -> Vec<Vec<u8>> {
        let mut rows = vec![vec![0u8; w], vec![0u8; w], vec![7u8; w], vec![7u8; w]];
        for at in 0..w.min(17) {
            let mut r = vec![3u8; w];
            r[at] = 200;
            rows.push(r);
        }
        for run in (1..w).step_by(1 + w / 97) {
            let mut r: Vec<u8> = (0..w).map(|x| (x * 7 % 251) as u8).collect();
            let start = run % 13;
            for x in start..(start + run).min(w) {
                r[x] = rows.last().map_or(0, |l: &Vec<u8>| l[x]);
            }
            rows.push(r);
        }
        rows.push((0..w).map(|x| (x % 256) as u8).collect());
        rows.push((0..w).map(|x| (255 - x % 256) as u8).collect());
        // Rows like the one above but at one place (or two, far apart): a lone byte after
        // zero words of every count, at every place in its word.
        for at in 0..w.min(160) {
            let mut r = rows[rows.len() - 1].clone();
            r[at] = r[at].wrapping_add(1 + at as u8);
            if at % 3 == 0 {
                r[(at * 7 + 40) % w] ^= 0x40;
            }
            rows.push(r);
        }
        rows
    }

    #[test]
    fn rows_of_every_kind_are_written_as_the_png_crate_writes_them() {
        for w in [1, 7, 8, 9, 63, 300, 1200] {
            let img: Vec<u8> = every_kind(w).concat();
            let h = img.len() / w;
            let pal = palette(256);
            let want = reference(w as u32, h as u32, &pal, &img).unwrap();
            // Narrow images may compress worse than stored; wide ones do not.
            assert!(w < 300 || !is_stored(&want), "{w}");
            let want = (!is_stored(&want)).then_some(want);
            // Drawn from scratch (every row changed), and as its own background.
            assert_eq!(
                fast(w, &pal, &vec![0; img.len()], &img, &vec![true; h]),
                want,
                "{w}"
            );
            assert_eq!(fast(w, &pal, &img, &img, &vec![false; h]), want, "{w}");
        }
    }

    #[test]
    fn adler32_combines_as_over_the_whole() {
        let data: Vec<u8> = (0..20_000)
            .map(|i| if i % 9 < 5 { 0 } else { (i * 31 % 256) as u8 })
            .collect();
        let whole = {
            let (mut a, mut b) = (1u64, 0u64);
            for &x in &data {
                a = (a + x as u64) % MOD;
                b = (b + a) % MOD;
            }
            ((b << 16) | a) as u32
        };
        let adler32 = |d: &[u8]| Bits::new(Vec::new()).row(d);
        assert_eq!(adler32(&data), whole);
        for cut in [0, 1, 8, 4095, 4096, 12_345, 20_000] {
            let (x, y) = data.split_at(cut);
            assert_eq!(combine(adler32(x), adler32(y), y.len()), whole, "{cut}");
        }
    }

    #[test]
    fn noise_is_stored_by_the_png_crate_and_said_to_be() {
        let (w, h) = (64, 64);
        let mut s = 1u32;
        let img: Vec<u8> = (0..w * h)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s >> 24) as u8
            })
            .collect();
        let z = zlib(
            &Rows::new(&img, w),
            |y| &img[y * w..(y + 1) * w],
            &vec![false; h],
        );
        assert!(stored(z.len(), (w + 1) * h));
        // So `composite` leaves it to the `png` crate, which stores it.
        assert!(is_stored(
            &reference(w as u32, h as u32, &palette(256), &img).unwrap()
        ));
    }

    proptest! {
        /// A card: a background, some of its rows drawn over (with few values, as text in a
        /// few levels of a few colours is; densely or sparsely), the others left as they were.
        #[test]
        fn a_background_with_rows_redrawn_is_written_as_the_png_crate_writes_it(
            w in 1usize..80,
            h in 1usize..40,
            seed in any::<u64>(),
            colours in 1usize..=256,
            sparse in 1u64..64,
        ) {
            let mut s = seed | 1;
            let mut next = move |n: u64| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                s % n
            };
            let bg: Vec<u8> = (0..h)
                .flat_map(|_| {
                    let v = next(4) as u8;
                    (0..w).map(|_| v).collect::<Vec<u8>>()
                })
                .collect();
            let mut img = bg.clone();
            let mut changed = vec![false; h];
            for (y, c) in changed.iter_mut().enumerate() {
                if next(3) == 0 {
                    *c = true;
                    for x in 0..w {
                        if next(sparse) == 0 {
                            img[y * w + x] = next(colours as u64) as u8;
                        }
                    }
                }
            }
            let pal = palette(colours);
            let want = reference(w as u32, h as u32, &pal, &img).unwrap();
            let z = zlib(&Rows::new(&bg, w), |y| &img[y * w..(y + 1) * w], &changed);
            prop_assert_eq!(stored(z.len(), (w + 1) * h), is_stored(&want));
            let got = if stored(z.len(), (w + 1) * h) {
                reference(w as u32, h as u32, &pal, &img).unwrap()
            } else {
                png(w as u32, h as u32, &pal, &z).unwrap()
            };
            prop_assert_eq!(got, want);
        }
    }
}
