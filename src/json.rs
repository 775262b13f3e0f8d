//! JSON strings written fast, byte for byte as `serde_json` writes them.
//!
//! Push plaintexts are long strings dense with characters JSON escapes
//! (CRLF, tabs, quotes and backslashes: about one byte in ten of what
//! BINARY content carries), so the escaper is the hot loop of
//! `decode --json`. Sixteen bytes at a time, into room made once: a block
//! with nothing to escape (a SWAR test) is copied whole; any other is
//! written byte by byte from a table whose entries carry their own length,
//! with no branch per byte. On that text it runs at about 0.5 ns a byte,
//! on plain text 0.13 (`benches/crypto.rs`: 2.0 and 4.6 times as fast as
//! `serde_json`).

use std::ops::Range;

/// Appends `s` as a JSON string (with its quotes), as `serde_json` writes
/// it: `"` and `\` escaped, control characters as `\n`-style or `\u00xx`
/// escapes, everything else as is.
pub fn str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escape(out, s.as_bytes());
    out.push(b'"');
}

/// Appends `n` in decimal, as `serde_json` writes an integer (the
/// formatting machinery of `write!` costs more than the digits).
pub fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A long string written as JSON, whose parts can be written again as
/// strings of their own by copying what was written: escaping is byte by
/// byte, so a part's escaped form is the matching part of the whole's.
/// (A push's RAW lines and literals are parts of its plaintext.)
pub struct Written<'a> {
    text: &'a [u8],
    /// Each cut: its offset in `text`, and in the output; sorted.
    cuts: Vec<(usize, usize)>,
    /// Where the last lookup ended: parts are mostly asked for in order,
    /// and a binary search per part costs more than copying it.
    next: std::cell::Cell<usize>,
}

impl<'a> Written<'a> {
    /// Appends `text` as a JSON string, remembering where each offset of
    /// `points` (in any order; those past the end are ignored) lands.
    pub fn str(out: &mut Vec<u8>, text: &'a str, mut points: Vec<usize>) -> Self {
        let text = text.as_bytes();
        if !points.is_sorted() {
            points.sort_unstable();
        }
        // Sorted: those past the end are last, and repeats are neighbours.
        let end = points.partition_point(|&p| p <= text.len());
        let points = &points[..end];
        out.push(b'"');
        let start = out.len();
        out.resize(start + text.len() + text.len() / 2 + ROOM, 0);
        let mut cuts: Vec<(usize, usize)> = Vec::with_capacity(points.len());
        let n = if points.len() * DENSE > text.len() {
            // Many cuts (text that is not IMAP: a RAW line each): the
            // text is escaped in one go, noting where each block's output
            // starts, and a cut's place is its block's plus the escaped
            // length of the bytes before it in the block, counted without
            // a branch. Escaping line by line would end a loop the CPU
            // cannot predict twice a line.
            let mut marks = vec![0; text.len() / 16 + 1];
            let n = escape_marking(out, start, text, |i, m| marks[i] = m);
            for &p in points {
                let at = match cuts.last() {
                    Some(&(q, _)) if q == p => continue,
                    // After a line's CRLF, cut at both ends: four bytes on.
                    Some(&(q, at)) if q + 2 == p && &text[q..p] == b"\r\n" => at + 4,
                    _ => marks[p / 16] + p % 16 + escaped_extra(text, p),
                };
                cuts.push((p, at));
            }
            n
        } else {
            let mut n = start;
            let mut at = 0;
            for &p in points {
                if cuts.last().is_some_and(|&(q, _)| q == p) {
                    continue;
                }
                n = escape_at(out, n, &text[at..p]);
                cuts.push((p, n));
                at = p;
            }
            escape_at(out, n, &text[at..])
        };
        out.truncate(n);
        out.push(b'"');
        Self {
            text,
            cuts,
            next: std::cell::Cell::new(0),
        }
    }

    /// Whether `part` is the text at `range`: what [`Written::again`]
    /// takes on trust, for callers that cannot vouch for it.
    pub fn holds(&self, range: Range<usize>, part: &str) -> bool {
        self.text.get(range) == Some(part.as_bytes())
    }

    /// Appends `part` as a JSON string by copying, if `range` is where it
    /// lies in the text and both ends were cuts; says whether it did.
    /// `out` is the buffer [`Written::str`] wrote into, untruncated. The
    /// caller vouches that `part` is the text at `range` when their
    /// lengths agree (a [`Spans`](crate::push::content::Spans) entry is,
    /// by construction): comparing would read the part a second time.
    pub fn again(&self, out: &mut Vec<u8>, part: &str, range: Range<usize>) -> bool {
        let Some(at) = self.escaped(part, range) else {
            return false;
        };
        out.push(b'"');
        out.extend_from_within(at);
        out.push(b'"');
        true
    }

    /// Where `part`'s escaped form (without quotes) lies in the output,
    /// on the terms of [`Written::again`].
    pub fn escaped(&self, part: &str, range: Range<usize>) -> Option<Range<usize>> {
        if part.len() != range.len() || range.end > self.text.len() {
            return None;
        }
        debug_assert_eq!(&self.text[range.clone()], part.as_bytes());
        let find = |p: usize| {
            let hint = self.next.get();
            let i = match self.cuts.get(hint) {
                Some(&(t, _)) if t == p => hint,
                _ => self.cuts.binary_search_by_key(&p, |&(t, _)| t).ok()?,
            };
            self.next.set(i + 1);
            Some(self.cuts[i].1)
        };
        Some(find(range.start)?..find(range.end)?)
    }
}

/// Room past the output that one block of [`escape_at`] may need: sixteen
/// bytes, each escaped to at most six, plus the last unconditional
/// eight-byte write.
const ROOM: usize = 16 * 6 + 8;

/// Appends the inside of a JSON string holding `b` (UTF-8 bytes).
pub fn escape(out: &mut Vec<u8>, b: &[u8]) {
    // Short strings with nothing to escape (keys, names, numbers as
    // text) are copied as they are, without making room for escapes.
    if b.len() <= 64 && plain(b) {
        out.extend_from_slice(b);
        return;
    }
    let n = out.len();
    out.resize(n + b.len() + b.len() / 2 + ROOM, 0);
    let n = escape_at(out, n, b);
    out.truncate(n);
}

/// Writes `b` escaped at `out[n..]` and returns where it ends; `out` is
/// longer than that (the caller truncates), and must be at least
/// `n + ROOM` long. Room is made as escapes need it, never per call, so
/// that many short strings cost no more than one long one.
fn escape_at(out: &mut Vec<u8>, n: usize, b: &[u8]) -> usize {
    escape_marking(out, n, b, |_, _| {})
}

/// [`escape_at`], telling `mark` where the output of each sixteen-byte
/// block starts, and of the shorter last one, even if empty: `mark(i, m)`
/// when `b[16 * i]` is written at `m`.
#[inline(always)]
fn escape_marking(
    out: &mut Vec<u8>,
    mut n: usize,
    b: &[u8],
    mut mark: impl FnMut(usize, usize),
) -> usize {
    let mut blocks = b.chunks_exact(16);
    for (i, block) in (&mut blocks).enumerate() {
        mark(i, n);
        if out.len() < n + ROOM {
            let rest = b.len() - 16 * i;
            out.resize(n + ROOM + rest * 2, 0);
        }
        let o = &mut out[n..n + ROOM];
        o[..16].copy_from_slice(block);
        let lo = u64::from_le_bytes(block[..8].try_into().expect("8 bytes"));
        let hi = u64::from_le_bytes(block[8..].try_into().expect("8 bytes"));
        if specials(lo) | specials(hi) == 0 {
            n += 16;
            continue;
        }
        n += put(o, block);
    }
    mark(b.len() / 16, n);
    if out.len() < n + ROOM {
        out.resize(n + ROOM, 0);
    }
    n + put(&mut out[n..n + ROOM], blocks.remainder())
}

/// Cuts per byte of text above which [`Written::str`] escapes the text
/// whole and places the cuts afterwards: one per 64 bytes (a RAW line is
/// about forty, an IMAP push has a handful of cuts in 4 KB).
const DENSE: usize = 64;

/// How many bytes more than one each byte of `b` before `p` in its
/// sixteen-byte block is written as (1 for `\n`-style escapes, 5 for
/// `\u00xx`): the sum of [`ESCAPES`]' lengths less one, without a branch.
#[inline(always)]
fn escaped_extra(b: &[u8], p: usize) -> usize {
    let first = p & !15;
    let mut block = [0u8; 16];
    match b.get(first..first + 16) {
        Some(whole) => block.copy_from_slice(whole),
        None => block[..b.len() - first].copy_from_slice(&b[first..]),
    }
    let j = p - first;
    let below = |k: usize| ((1u128 << (8 * k)) - 1) as u64;
    let lo = u64::from_le_bytes(block[..8].try_into().expect("8 bytes"));
    let hi = u64::from_le_bytes(block[8..].try_into().expect("8 bytes"));
    let lanes = (extra(lo) & below(j.min(8))) + (extra(hi) & below(j.saturating_sub(8)));
    // Each lane is at most 10, so their sum fits the top lane.
    (lanes.wrapping_mul(ONES) >> 56) as usize
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// Per byte of `x`, how many bytes more than one it is written as: 0, 1
/// (`"`, `\`, and `\b \t \n \f \r`) or 5 (other control characters).
/// Exact per lane, unlike [`specials`]: no carry crosses a lane.
#[inline(always)]
fn extra(x: u64) -> u64 {
    let low = x & LOW7;
    // Below 0x20: neither the low seven bits reach it nor the top bit is set.
    let control = !((low + ONES * 0x60) | x) & HIGH;
    let is = |c: u8| {
        let y = x ^ (ONES * u64::from(c));
        !(((y & LOW7) + LOW7) | y) & HIGH
    };
    let escaped = control | is(b'"') | is(b'\\');
    // 8 to 13 but 11 (vertical tab): the two-byte escapes.
    let from8 = (low + ONES * (0x80 - 8)) & HIGH;
    let from14 = (low + ONES * (0x80 - 14)) & HIGH;
    let short = control & from8 & !from14 & !is(11);
    (escaped >> 7) + ((control & !short) >> 5)
}

/// Whether `b` holds nothing to escape.
#[inline(always)]
fn plain(b: &[u8]) -> bool {
    let mut words = b.chunks_exact(8);
    let any = (&mut words).fold(0, |m, w| {
        m | specials(u64::from_le_bytes(w.try_into().expect("8 bytes")))
    });
    any == 0
        && words
            .remainder()
            .iter()
            .all(|&c| ESCAPES[usize::from(c)] >> 56 == 1)
}

/// Writes at most sixteen bytes, each as [`ESCAPES`] says, into `o`
/// (which has room for six bytes each and eight more); returns the
/// length written. No branch per byte: every entry is stored whole and
/// the length advances by its own.
#[inline(always)]
fn put(o: &mut [u8], bytes: &[u8]) -> usize {
    let mut k = 0;
    for &c in bytes {
        let e = ESCAPES[usize::from(c)];
        o[k..k + 8].copy_from_slice(&e.to_le_bytes());
        k += (e >> 56) as usize;
    }
    k
}

/// Whether any byte of `x` is one JSON escapes (below 0x20, `"` or
/// `\`): non-zero if so. (Bytes above a flagged one may be flagged
/// falsely; the caller only asks whether there is any.)
#[inline(always)]
fn specials(x: u64) -> u64 {
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
        | zero(x ^ (ONES * u64::from(b'"')))
        | zero(x ^ (ONES * u64::from(b'\\')))
}

/// How each byte is written: up to seven bytes, little-endian, with
/// their count in the top byte (1 for a byte written as is).
static ESCAPES: [u64; 256] = escapes();

const fn escapes() -> [u64; 256] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    const fn entry(bytes: [u8; 7], len: u8) -> u64 {
        let mut e = (len as u64) << 56;
        let mut i = 0;
        while i < 7 {
            e |= (bytes[i] as u64) << (8 * i);
            i += 1;
        }
        e
    }
    let mut t = [0u64; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = if c < 0x20 {
            entry([b'\\', b'u', b'0', b'0', HEX[c >> 4], HEX[c & 0xf], 0], 6)
        } else {
            entry([c as u8, 0, 0, 0, 0, 0, 0], 1)
        };
        c += 1;
    }
    let short = [
        (b'"', b'"'),
        (b'\\', b'\\'),
        (b'\n', b'n'),
        (b'\r', b'r'),
        (b'\t', b't'),
        (0x08, b'b'),
        (0x0c, b'f'),
    ];
    let mut i = 0;
    while i < short.len() {
        t[short[i].0 as usize] = entry([b'\\', short[i].1, 0, 0, 0, 0, 0], 2);
        i += 1;
    }
    t
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every byte, quotes, backslashes, non-ASCII and control characters
    /// in runs of every length around the eight-byte words, and runs of
    /// escapes long enough to make the buffer grow several times.
    pub(crate) fn tricky() -> Vec<String> {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é\u{301}\u{2028}\u{7f}😀");
        let mut out = vec![all.clone(), String::new()];
        for n in 0..20 {
            out.push(format!(
                "{}\"{}\\{}",
                "a".repeat(n),
                "b".repeat(n % 9),
                "\u{1}".repeat(n % 3)
            ));
        }
        out.push(all.repeat(3));
        out.push("\u{1}".repeat(1000));
        out.push(format!("{}\u{1f}", "x".repeat(7)).repeat(300));
        // Short strings whose words flag the same lanes (a test that
        // combined the words' flags by anything but `or` would cancel
        // them out and copy the quotes as they are).
        for n in 1..=8 {
            out.push(format!("\"{}", "y".repeat(7)).repeat(n));
            out.push("a\\bcdef\n".repeat(n));
        }
        out
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for s in tricky() {
            for prefix in ["", "[1,"] {
                let mut mine = prefix.as_bytes().to_vec();
                str(&mut mine, &s);
                assert_eq!(
                    String::from_utf8(mine).unwrap(),
                    format!("{prefix}{}", serde_json::to_string(&s).unwrap()),
                    "{s:?}"
                );
            }
        }
    }

    /// Parts written again are copies of what their first writing gave,
    /// and a part that is not the text at its range is escaped anew.
    #[test]
    fn parts_are_written_again_as_themselves() {
        for s in tricky() {
            let s = format!("ab\"{s}\r\n{s}");
            let len = s.len();
            let cuts = [3, len, 1, 3, len + 5, 0];
            let mut out = b"x".to_vec();
            let w = Written::str(&mut out, &s, cuts.to_vec());
            assert_eq!(&out[1..], serde_json::to_vec(&s).unwrap());
            for (a, b) in [(0, len), (1, 3), (3, len), (0, 1), (3, 3)] {
                let part = &s[a..b];
                let start = out.len();
                assert!(w.again(&mut out, part, a..b), "{a}..{b}");
                assert_eq!(&out[start..], serde_json::to_vec(part).unwrap());
            }
            // Not cuts, not the text there, out of range: not copied.
            assert!(!w.again(&mut out, &s[0..2], 0..2));
            assert!(!w.again(&mut out, "zzz", 1..3));
            assert!(!w.again(&mut out, "", len + 5..len + 5));
        }
    }

    /// Cut at every character, and at every line's ends (CRLF or LF
    /// alone): the cuts are placed in the whole text's escaped form, block
    /// by block, rather than found by escaping part after part.
    #[test]
    fn densely_cut_parts_are_written_again_as_themselves() {
        for s in tricky() {
            let s = format!("{s}\r\n\r\n\"\n{s}\r\n\\\u{b}\r\n");
            let every: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
            let mut lines = vec![0];
            for (i, c) in s.char_indices() {
                match c {
                    '\r' if s[i..].starts_with("\r\n") => lines.push(i),
                    '\n' if !s[..i].ends_with('\r') => lines.extend([i, i + 1]),
                    '\n' => lines.push(i + 1),
                    _ => {}
                }
            }
            for cuts in [every, lines] {
                let mut out = b"[1,".to_vec();
                let w = Written::str(&mut out, &s, cuts.clone());
                assert_eq!(&out[3..], serde_json::to_vec(&s).unwrap());
                for pair in cuts.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    let start = out.len();
                    assert!(w.again(&mut out, &s[a..b], a..b), "{a}..{b} of {s:?}");
                    assert_eq!(&out[start..], serde_json::to_vec(&s[a..b]).unwrap());
                }
            }
        }
    }

    #[test]
    fn integers_are_written_as_serde_json_writes_them() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            4096,
            1_000_000_007,
            u64::MAX - 1,
            u64::MAX,
        ] {
            let mut mine = Vec::new();
            uint(&mut mine, n);
            assert_eq!(mine, serde_json::to_vec(&n).unwrap(), "{n}");
        }
    }

    /// Each byte alone, at each offset in a word, between plain bytes.
    #[test]
    fn every_byte_at_every_offset() {
        for c in 0u8..0x80 {
            for at in 0..17 {
                let s = format!("{}{}{}", "p".repeat(at), char::from(c), "q".repeat(17 - at));
                let mut mine = Vec::new();
                str(&mut mine, &s);
                assert_eq!(mine, serde_json::to_vec(&s).unwrap(), "{c:#x} at {at}");
            }
        }
    }
}
