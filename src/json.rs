//! JSON strings written fast, byte for byte as `serde_json` writes them.
//!
//! Push plaintexts are long strings dense with characters JSON escapes
//! (CRLF, tabs, quotes and backslashes: about one byte in ten of what
//! BINARY content carries), so the escaper is the hot loop of
//! `decode --json`. It looks for the next byte to escape eight bytes at a
//! time (a SWAR test whose lowest flagged byte is exact), copies the run
//! before it eight bytes at a time into room made once, and writes the
//! escape from a table: no call and no branch per plain byte, and no
//! staging buffer to clear.

use std::ops::Range;

/// Appends `s` as a JSON string (with its quotes), as `serde_json` writes
/// it: `"` and `\` escaped, control characters as `\n`-style or `\u00xx`
/// escapes, everything else as is.
pub fn str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escape(out, s.as_bytes());
    out.push(b'"');
}

/// A long string written as JSON, whose parts can be written again as
/// strings of their own by copying what was written: escaping is byte by
/// byte, so a part's escaped form is the matching part of the whole's.
/// (A push's RAW lines and literals are parts of its plaintext.)
pub struct Written<'a> {
    text: &'a [u8],
    /// Each cut: its offset in `text`, and in the output; sorted.
    cuts: Vec<(usize, usize)>,
}

impl<'a> Written<'a> {
    /// Appends `text` as a JSON string, remembering where each offset of
    /// `cuts` (in any order; those past the end are ignored) lands.
    pub fn str(out: &mut Vec<u8>, text: &'a str, cuts: impl IntoIterator<Item = usize>) -> Self {
        let text = text.as_bytes();
        let mut points: Vec<usize> = cuts.into_iter().filter(|&c| c <= text.len()).collect();
        if !points.is_sorted() {
            points.sort_unstable();
        }
        points.dedup();
        out.push(b'"');
        let mut at = 0;
        let mut cuts = Vec::with_capacity(points.len() + 1);
        for p in points {
            escape(out, &text[at..p]);
            cuts.push((p, out.len()));
            at = p;
        }
        escape(out, &text[at..]);
        out.push(b'"');
        Self { text, cuts }
    }

    /// Appends `part` as a JSON string by copying, if it is the text at
    /// `range` and both ends were cuts; says whether it did.
    pub fn again(&self, out: &mut Vec<u8>, part: &str, range: Range<usize>) -> bool {
        let find = |p: usize| {
            self.cuts
                .binary_search_by_key(&p, |&(t, _)| t)
                .ok()
                .map(|i| self.cuts[i].1)
        };
        if self.text.get(range.clone()) != Some(part.as_bytes()) {
            return false;
        }
        let (Some(from), Some(to)) = (find(range.start), find(range.end)) else {
            return false;
        };
        out.push(b'"');
        out.extend_from_within(from..to);
        out.push(b'"');
        true
    }
}

/// Appends the inside of a JSON string holding `b` (UTF-8 bytes).
pub fn escape(out: &mut Vec<u8>, b: &[u8]) {
    // Unconditional eight-byte writes need this much room past the text.
    const SLACK: usize = 8;
    let mut n = out.len();
    // Room for the text unescaped, made once; escapes make more.
    out.resize(n + b.len() + SLACK, 0);
    let mut i = 0;
    while i < b.len() {
        // The run up to the next byte to escape, eight bytes at a time.
        // Invariant: `out.len() - n >= b.len() - i + SLACK`.
        let at = loop {
            let Some(word) = b.get(i..i + 8) else {
                match b[i..]
                    .iter()
                    .position(|&c| ESCAPES[usize::from(c)].len != 0)
                {
                    Some(k) => {
                        out[n..n + k].copy_from_slice(&b[i..i + k]);
                        break i + k;
                    }
                    None => {
                        let k = b.len() - i;
                        out[n..n + k].copy_from_slice(&b[i..]);
                        n += k;
                        out.truncate(n);
                        return;
                    }
                }
            };
            out[n..n + 8].copy_from_slice(word);
            let m = specials(u64::from_le_bytes(word.try_into().expect("8 bytes")));
            if m == 0 {
                i += 8;
                n += 8;
                continue;
            }
            break i + (m.trailing_zeros() / 8) as usize;
        };
        n += at - i;
        let e = &ESCAPES[usize::from(b[at])];
        out[n..n + 8].copy_from_slice(&e.bytes);
        n += usize::from(e.len);
        i = at + 1;
        let need = n + (b.len() - i) + SLACK;
        if out.len() < need {
            // Escapes grew the text: room for the rest, and for a run of
            // escapes before the next resize.
            out.resize(need + 64 + (b.len() - i) / 4, 0);
        }
    }
    out.truncate(n);
}

/// Flags, in the high bit of its lane, every byte of `x` that JSON
/// escapes: below 0x20, `"` or `\`. The lowest flagged lane is exact
/// (borrows only run upwards from a flagged lane), which is all the
/// escaper uses; bytes of 0x80 and above are never flagged.
#[inline(always)]
fn specials(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
        | zero(x ^ (ONES * u64::from(b'"')))
        | zero(x ^ (ONES * u64::from(b'\\')))
}

/// How a byte is written: `len` bytes of `bytes`; 0 for as is.
#[derive(Clone, Copy)]
struct Escape {
    bytes: [u8; 8],
    len: u8,
}

static ESCAPES: [Escape; 256] = escapes();

const fn escapes() -> [Escape; 256] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut t = [Escape {
        bytes: [0; 8],
        len: 0,
    }; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = Escape {
            bytes: [b'\\', b'u', b'0', b'0', HEX[c >> 4], HEX[c & 0xf], 0, 0],
            len: 6,
        };
        c += 1;
    }
    t[b'"' as usize] = short(b'"');
    t[b'\\' as usize] = short(b'\\');
    t[b'\n' as usize] = short(b'n');
    t[b'\r' as usize] = short(b'r');
    t[b'\t' as usize] = short(b't');
    t[0x08] = short(b'b');
    t[0x0c] = short(b'f');
    t
}

const fn short(c: u8) -> Escape {
    Escape {
        bytes: [b'\\', c, 0, 0, 0, 0, 0, 0],
        len: 2,
    }
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
            let w = Written::str(&mut out, &s, cuts);
            assert_eq!(&out[1..], serde_json::to_vec(&s).unwrap());
            for (a, b) in [(0, len), (1, 3), (3, len), (0, 1), (3, 3)] {
                let part = &s[a..b];
                let start = out.len();
                assert!(w.again(&mut out, part, a..b), "{a}..{b}");
                assert_eq!(&out[start..], serde_json::to_vec(part).unwrap());
            }
            // Not cuts, not the text there, out of range: not copied.
            assert!(!w.again(&mut out, &s[0..2], 0..2));
            assert!(!w.again(&mut out, "zz", 1..3));
            assert!(!w.again(&mut out, "", len + 5..len + 5));
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
