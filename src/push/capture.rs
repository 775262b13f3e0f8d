//! Captured push payloads in the forms people have them, detected from the
//! bytes: an HTTP request dump (request line, headers, blank line, body) as
//! a proxy saves it; base64 or base64url text, one payload per line (or one
//! payload wrapped at 64 or 76 columns); or the raw binary body.

use std::io::Read;

/// Most bytes `decode` reads, all its inputs together.
pub const MAX_INPUT: usize = 64 << 20;

/// Largest payload body `decode` decrypts. A push carries at most 4096
/// bytes of ciphertext (RFC 8291 §4); a capture may hold more records, but
/// not without bound: the plaintext is never longer than the body.
pub const MAX_PAYLOAD: usize = 1 << 20;

/// Longest HTTP request head read before the body.
const MAX_HEAD: usize = 64 << 10;

/// Longest base64 line kept: the text of a [`MAX_PAYLOAD`] body with
/// room for padding and blanks. Longer lines are refused unread.
const MAX_LINE: usize = MAX_PAYLOAD / 3 * 4 + 64;

/// Bytes read at a time.
const CHUNK: usize = 64 << 10;

/// The request line and header fields of a dumped HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpHead {
    pub method: String,
    pub target: String,
    pub fields: Vec<(String, String)>,
}

impl HttpHead {
    /// The first field named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One payload found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// Where it came from, e.g. `pushes.txt:3`.
    pub label: String,
    pub body: Vec<u8>,
    pub head: Option<HttpHead>,
}

/// Why a part of an input is not a payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    #[error("line is not base64 or base64url")]
    NotBase64,
    #[error("HTTP dump: {0}")]
    Http(&'static str),
    #[error("payload is over {} KiB, decode's limit (a push carries at most 4 KiB, RFC 8291 §4); cut the capture into its pushes", MAX_PAYLOAD >> 10)]
    TooLarge,
    #[error("no payload: the input is empty or blank")]
    Empty,
    #[error("not read: the inputs total more than {} MiB, decode's limit; decode them in smaller groups", MAX_INPUT >> 20)]
    TotalTooLarge,
    #[error("cannot read: {0}")]
    Read(String),
}

/// Printable text: read line by line (an aes128gcm body is binary: its
/// header alone holds the record size as 4 bytes with zeros in them).
fn is_text(data: &[u8]) -> bool {
    std::str::from_utf8(data).is_ok()
        && data
            .iter()
            .all(|&c| c >= 0x20 && c != 0x7f || matches!(c, b'\r' | b'\n' | b'\t'))
        && data.iter().any(|c| !c.is_ascii_whitespace())
}

fn looks_like_http(data: &[u8]) -> bool {
    let line_end = data
        .iter()
        .position(|&c| c == b'\n')
        .unwrap_or(data.len())
        .min(8192);
    let Ok(line) = std::str::from_utf8(&data[..line_end]) else {
        return false;
    };
    let mut parts = line.trim_end().split(' ');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(m), Some(_), Some(v), None) if !m.is_empty() && m.bytes().all(|c| c.is_ascii_uppercase()) && v.starts_with("HTTP/")
    )
}

/// A payload found but not yet decoded from base64: [`Found::resolve`]
/// does that, so that callers can spread the work over threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found<'a> {
    Ready(Capture),
    Base64 {
        label: String,
        text: std::borrow::Cow<'a, str>,
    },
}

impl Found<'_> {
    /// The payload, base64 decoded where needed.
    pub fn resolve(&self) -> Result<std::borrow::Cow<'_, Capture>, (String, CaptureError)> {
        match self {
            Self::Ready(c) => Ok(std::borrow::Cow::Borrowed(c)),
            Self::Base64 { label, text } => match super::b64::decode(text) {
                Ok(body) => Ok(std::borrow::Cow::Owned(Capture {
                    label: label.clone(),
                    body,
                    head: None,
                })),
                Err(_) => Err((label.clone(), CaptureError::NotBase64)),
            },
        }
    }
}

/// Finds the payloads in one input.
pub fn split(name: &str, data: &[u8]) -> Vec<Result<Capture, (String, CaptureError)>> {
    find(name, data)
        .into_iter()
        .map(|f| f.and_then(|f| f.resolve().map(std::borrow::Cow::into_owned)))
        .collect()
}

/// Like [`split`], leaving base64 undecoded.
pub fn find<'a>(name: &str, data: &'a [u8]) -> Vec<Result<Found<'a>, (String, CaptureError)>> {
    if looks_like_http(data) {
        return vec![parse_http(data)
            .map(|(head, body)| {
                Found::Ready(Capture {
                    label: name.to_owned(),
                    body,
                    head: Some(head),
                })
            })
            .map_err(|e| (name.to_owned(), e))];
    }
    if is_text(data) {
        let text = std::str::from_utf8(data).expect("checked UTF-8");
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        // `base64` and PEM-style tools wrap one payload at 76 or 64 columns.
        let wrapped = lines.len() > 1 && {
            let w = lines[0].1.len();
            (w == 76 || w == 64)
                && lines[..lines.len() - 1].iter().all(|(_, l)| l.len() == w)
                && lines[lines.len() - 1].1.len() <= w
        };
        if wrapped {
            let joined: String = lines.iter().map(|(_, l)| *l).collect();
            return vec![Ok(Found::Base64 {
                label: name.to_owned(),
                text: joined.into(),
            })];
        }
        return lines
            .into_iter()
            .map(|(n, l)| {
                Ok(Found::Base64 {
                    label: format!("{name}:{n}"),
                    text: l.into(),
                })
            })
            .collect();
    }
    vec![Ok(Found::Ready(Capture {
        label: name.to_owned(),
        body: data.to_vec(),
        head: None,
    }))]
}

/// A part of an input, as [`scan`] finds it. Text borrows the reader's
/// buffer: take what is needed before the next part.
#[derive(Debug)]
pub enum Piece<'a> {
    /// One base64 line (its number, from 1), trimmed.
    Line { number: usize, text: &'a str },
    /// One payload wrapped over lines, joined.
    Wrapped { text: &'a str },
    /// A raw body or an HTTP dump.
    Body(Capture),
    /// A part that is not a payload, and why (`number` is its line).
    Failed {
        number: Option<usize>,
        error: CaptureError,
    },
}

/// The bytes every [`scan`] may still read, shared by all inputs.
#[derive(Debug, Clone, Copy)]
pub struct Budget(pub usize);

impl Default for Budget {
    fn default() -> Self {
        Self(MAX_INPUT)
    }
}

/// Reads up to `budget` bytes of `r` into `buf` (appending up to `want`
/// bytes); returns how many, 0 at the end.
fn fill(
    r: &mut dyn Read,
    buf: &mut Vec<u8>,
    want: usize,
    budget: &mut Budget,
) -> std::io::Result<usize> {
    let want = want.min(budget.0);
    if want == 0 {
        return Ok(0);
    }
    let start = buf.len();
    buf.resize(start + want, 0);
    let n = loop {
        match r.read(&mut buf[start..]) {
            Ok(n) => break n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    };
    buf.truncate(start + n);
    budget.0 -= n;
    Ok(n)
}

/// Whether `r` has more bytes once the budget is spent.
fn more(r: &mut dyn Read) -> bool {
    let mut b = [0u8; 1];
    matches!(r.read(&mut b), Ok(n) if n > 0)
}

/// Finds the payloads in one input as it is read, in the same forms as
/// [`find`], handing each to `sink` in order. Memory stays bounded by
/// the longest line kept ([`MAX_LINE`]) or the largest body
/// ([`MAX_PAYLOAD`]), except for a run of lines as wide as a wrapped
/// payload's, which is kept until it is known to be one (the budget bounds
/// it). Stops with [`CaptureError::TotalTooLarge`] when the budget runs out
/// before the input does; an error from `sink` stops the scan.
pub fn scan(
    r: &mut dyn Read,
    budget: &mut Budget,
    sink: &mut dyn FnMut(Piece<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(CHUNK);
    // Enough to tell the forms apart: an HTTP request line, or binary.
    while buf.len() <= 8192 {
        match fill(r, &mut buf, CHUNK, budget) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                return sink(Piece::Failed {
                    number: None,
                    error: CaptureError::Read(e.to_string()),
                })
            }
        }
    }
    let out_of_budget = |r: &mut dyn Read, budget: &Budget| budget.0 == 0 && more(r);
    let whole = |r: &mut dyn Read,
                 buf: &mut Vec<u8>,
                 budget: &mut Budget,
                 max: usize|
     -> Result<(), CaptureError> {
        while buf.len() <= max {
            let want = (max + 1 - buf.len()).min(CHUNK);
            match fill(r, buf, want, budget) {
                Ok(0) if out_of_budget(r, budget) => return Err(CaptureError::TotalTooLarge),
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(e) => return Err(CaptureError::Read(e.to_string())),
            }
        }
        Err(CaptureError::TooLarge)
    };
    if looks_like_http(&buf) {
        let piece = match whole(r, &mut buf, budget, MAX_HEAD + MAX_PAYLOAD) {
            Ok(()) => match parse_http(&buf) {
                Ok((head, body)) if body.len() > MAX_PAYLOAD => {
                    let _ = head;
                    Piece::Failed {
                        number: None,
                        error: CaptureError::TooLarge,
                    }
                }
                Ok((head, body)) => Piece::Body(Capture {
                    label: String::new(),
                    body,
                    head: Some(head),
                }),
                Err(error) => Piece::Failed {
                    number: None,
                    error,
                },
            },
            Err(error) => Piece::Failed {
                number: None,
                error,
            },
        };
        return sink(piece);
    }
    if !text_start(&buf) {
        let piece = match whole(r, &mut buf, budget, MAX_PAYLOAD) {
            Ok(()) => Piece::Body(Capture {
                label: String::new(),
                body: buf,
                head: None,
            }),
            Err(error) => Piece::Failed {
                number: None,
                error,
            },
        };
        return sink(piece);
    }
    Lines::default().run(r, buf, budget, sink)
}

/// Whether the start of an input is text (see [`is_text`]; a character
/// cut at the end of the chunk is allowed, and blank text counts).
fn text_start(data: &[u8]) -> bool {
    let utf8 = match std::str::from_utf8(data) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    utf8 && data
        .iter()
        .all(|&c| c >= 0x20 && c != 0x7f || matches!(c, b'\r' | b'\n' | b'\t'))
        && !data.is_empty()
}

/// The line reader of [`scan`], with what it needs to tell one payload
/// wrapped at 64 or 76 columns from one payload per line.
#[derive(Default)]
struct Lines {
    number: usize,
    /// Non-blank lines seen.
    seen: usize,
    /// While every line so far is as wide as the first (64 or 76): their
    /// text joined, their numbers, and a shorter last line.
    wrap: Option<Wrap>,
}

#[derive(Default)]
struct Wrap {
    width: usize,
    joined: String,
    numbers: Vec<usize>,
    last: Option<(usize, String)>,
}

impl Lines {
    fn run(
        mut self,
        r: &mut dyn Read,
        mut buf: Vec<u8>,
        budget: &mut Budget,
        sink: &mut dyn FnMut(Piece<'_>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        // `start` is where the unread part of `buf` begins; `skipping` when
        // the current line is over `MAX_LINE` and is being passed over.
        let mut start = 0;
        let mut skipping = false;
        let mut end_of_input = false;
        loop {
            while let Some(i) = memchr::memchr(b'\n', &buf[start..]) {
                let line = &buf[start..start + i];
                start += i + 1;
                if std::mem::take(&mut skipping) {
                    continue;
                }
                self.line(line, sink)?;
            }
            if end_of_input {
                break;
            }
            buf.drain(..start);
            start = 0;
            if buf.len() > MAX_LINE {
                if !skipping {
                    self.number += 1;
                    self.seen += 1;
                    self.flush_wrap(sink)?;
                    sink(Piece::Failed {
                        number: Some(self.number),
                        error: CaptureError::TooLarge,
                    })?;
                }
                skipping = true;
                buf.clear();
            }
            match fill(r, &mut buf, CHUNK, budget) {
                Ok(0) => {
                    if budget.0 == 0 && more(r) {
                        self.flush_wrap(sink)?;
                        return sink(Piece::Failed {
                            number: None,
                            error: CaptureError::TotalTooLarge,
                        });
                    }
                    // The last line may lack its newline.
                    if !buf.is_empty() {
                        buf.push(b'\n');
                    }
                    end_of_input = true;
                }
                Ok(_) => {}
                Err(e) => {
                    self.flush_wrap(sink)?;
                    return sink(Piece::Failed {
                        number: None,
                        error: CaptureError::Read(e.to_string()),
                    });
                }
            }
        }
        match self.wrap.take() {
            Some(w) if w.numbers.len() + usize::from(w.last.is_some()) > 1 => {
                let mut text = w.joined;
                if let Some((_, l)) = w.last {
                    text.push_str(&l);
                }
                sink(Piece::Wrapped { text: &text })
            }
            w => {
                self.wrap = w;
                self.flush_wrap(sink)?;
                if self.seen == 0 {
                    sink(Piece::Failed {
                        number: None,
                        error: CaptureError::Empty,
                    })?;
                }
                Ok(())
            }
        }
    }

    /// One line, without its `\n`.
    fn line(
        &mut self,
        raw: &[u8],
        sink: &mut dyn FnMut(Piece<'_>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.number += 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(text) = std::str::from_utf8(raw) else {
            self.seen += 1;
            self.flush_wrap(sink)?;
            return sink(Piece::Failed {
                number: Some(self.number),
                error: CaptureError::NotBase64,
            });
        };
        let text = text.trim();
        if text.is_empty() {
            return Ok(());
        }
        self.seen += 1;
        let number = self.number;
        if self.seen == 1 && (text.len() == 64 || text.len() == 76) {
            self.wrap = Some(Wrap {
                width: text.len(),
                joined: text.to_owned(),
                numbers: vec![number],
                last: None,
            });
            return Ok(());
        }
        if let Some(w) = self.wrap.as_mut() {
            if w.last.is_none() && text.len() <= w.width {
                if text.len() == w.width {
                    w.joined.push_str(text);
                    w.numbers.push(number);
                } else {
                    w.last = Some((number, text.to_owned()));
                }
                return Ok(());
            }
            self.flush_wrap(sink)?;
        }
        sink(Piece::Line { number, text })
    }

    /// The lines kept as a possible wrapped payload turn out not to be
    /// one: each is a payload of its own.
    fn flush_wrap(
        &mut self,
        sink: &mut dyn FnMut(Piece<'_>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let Some(w) = self.wrap.take() else {
            return Ok(());
        };
        for (i, &number) in w.numbers.iter().enumerate() {
            sink(Piece::Line {
                number,
                text: &w.joined[i * w.width..(i + 1) * w.width],
            })?;
        }
        if let Some((number, text)) = &w.last {
            sink(Piece::Line {
                number: *number,
                text,
            })?;
        }
        Ok(())
    }
}

fn parse_http(data: &[u8]) -> Result<(HttpHead, Vec<u8>), CaptureError> {
    let (head_end, sep) = match (find_bytes(data, b"\r\n\r\n"), find_bytes(data, b"\n\n")) {
        (Some(a), Some(b)) if b < a => (b, 2),
        (Some(a), _) => (a, 4),
        (None, Some(b)) => (b, 2),
        (None, None) => return Err(CaptureError::Http("no blank line between headers and body")),
    };
    let head = std::str::from_utf8(&data[..head_end])
        .map_err(|_| CaptureError::Http("headers are not UTF-8"))?;
    let mut lines = head.lines();
    let request = lines.next().ok_or(CaptureError::Http("no request line"))?;
    let mut parts = request.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut fields = Vec::new();
    for l in lines {
        let (k, v) = l
            .split_once(':')
            .ok_or(CaptureError::Http("a header line has no ':'"))?;
        fields.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let head = HttpHead {
        method,
        target,
        fields,
    };
    let mut body = data[head_end + sep..].to_vec();
    if let Some(len) = head.get("Content-Length") {
        let len: usize = len
            .parse()
            .map_err(|_| CaptureError::Http("Content-Length is not a number"))?;
        if body.len() < len {
            return Err(CaptureError::Http(
                "the body is shorter than Content-Length",
            ));
        }
        body.truncate(len);
    }
    Ok((head, body))
}

fn find_bytes(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_form() {
        let http = b"POST /push/x HTTP/1.1\r\nContent-Encoding: aes128gcm\r\nContent-Length: 3\r\n\r\nabcdef";
        let c = split("dump", http);
        let c = c[0].as_ref().unwrap();
        assert_eq!(c.body, b"abc");
        assert_eq!(
            c.head.as_ref().unwrap().get("content-encoding"),
            Some("aes128gcm")
        );

        let lines = split("f", b"AAEC\n\nAwQ=\n");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].as_ref().unwrap().label, "f:3");
        assert_eq!(lines[1].as_ref().unwrap().body, vec![3, 4]);

        let raw = split("bin", &[0xff, 0x00, 0x12]);
        assert_eq!(raw[0].as_ref().unwrap().body, vec![0xff, 0x00, 0x12]);

        let wrapped = format!("{}\n{}\n", "A".repeat(76), "AAAA");
        let w = split("w", wrapped.as_bytes());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].as_ref().unwrap().body.len(), 60);
    }

    #[test]
    fn bad_parts_are_named() {
        assert!(matches!(
            split("h", b"POST / HTTP/1.1\r\nX\r\n\r\n")[0],
            Err((_, CaptureError::Http(_)))
        ));
        assert!(matches!(
            split("h", b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nab")[0],
            Err((_, CaptureError::Http(_)))
        ));
        assert!(matches!(
            split("b", b"A\n")[0],
            Err((_, CaptureError::NotBase64))
        ));
    }

    /// What [`scan`] finds, in [`split`]'s terms.
    fn scanned(
        name: &str,
        data: &[u8],
        budget: usize,
    ) -> Vec<Result<Capture, (String, CaptureError)>> {
        let mut out = Vec::new();
        let label = |n: Option<usize>| n.map_or(name.to_owned(), |n| format!("{name}:{n}"));
        scan(&mut &data[..], &mut Budget(budget), &mut |p| {
            out.push(match p {
                Piece::Line { number, text } => super::super::b64::decode(text)
                    .map(|body| Capture {
                        label: label(Some(number)),
                        body,
                        head: None,
                    })
                    .map_err(|_| (label(Some(number)), CaptureError::NotBase64)),
                Piece::Wrapped { text } => super::super::b64::decode(text)
                    .map(|body| Capture {
                        label: label(None),
                        body,
                        head: None,
                    })
                    .map_err(|_| (label(None), CaptureError::NotBase64)),
                Piece::Body(c) => Ok(Capture {
                    label: label(None),
                    ..c
                }),
                Piece::Failed { number, error } => Err((label(number), error)),
            });
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn scanning_finds_what_splitting_finds() {
        let w76 = "A".repeat(76);
        let w64 = "B".repeat(64);
        let inputs: Vec<Vec<u8>> = vec![
            b"POST /push/x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcdef".to_vec(),
            b"AAEC\n\nAwQ=\n".to_vec(),
            b"AAEC\r\n  AwQ=  \r\nAAEC".to_vec(),
            vec![0xff, 0x00, 0x12],
            vec![],
            format!("{w76}\n{w76}\nAAAA\n").into_bytes(),
            format!("{w76}\n\n{w76}\n").into_bytes(),
            format!("{w76}\n{w76}\nAAAA\nAAAA\n").into_bytes(),
            format!("{w76}\nAAAA\n{w76}\n").into_bytes(),
            format!("{w64}\n{w64}{w64}\n").into_bytes(),
            format!("{w64}\n").into_bytes(),
            format!("AAAA\n{w64}\n{w64}\n").into_bytes(),
            b"A\nnot base64!\n".to_vec(),
            // Lines across the reader's chunks.
            "AAEC\n".repeat(CHUNK / 3).into_bytes(),
            format!("{w76}\n").repeat(CHUNK / 70).into_bytes(),
        ];
        for data in &inputs {
            assert_eq!(
                scanned("f", data, MAX_INPUT),
                split("f", data),
                "{:?}",
                String::from_utf8_lossy(&data[..data.len().min(200)])
            );
        }
    }

    #[test]
    fn scanning_is_bounded() {
        // A line too long to be a payload is refused, and the next read.
        let long = format!("{}\nAAEC\n", "A".repeat(MAX_LINE + CHUNK * 2));
        let got = scanned("f", long.as_bytes(), MAX_INPUT);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], Err(("f:1".to_owned(), CaptureError::TooLarge)));
        assert_eq!(got[1].as_ref().unwrap().body, vec![0, 1, 2]);
        // A raw body over the payload limit, unread beyond it.
        let big = vec![0u8; MAX_PAYLOAD + 1];
        assert_eq!(
            scanned("f", &big, MAX_INPUT),
            vec![Err(("f".to_owned(), CaptureError::TooLarge))]
        );
        // The budget: what fits is found, then one error names the limit.
        let lines = "AAEC\n".repeat(10);
        let got = scanned("f", lines.as_bytes(), 22);
        assert_eq!(got.len(), 5);
        assert!(got[..4].iter().all(Result::is_ok));
        assert_eq!(got[4], Err(("f".to_owned(), CaptureError::TotalTooLarge)));
        assert!(CaptureError::TotalTooLarge.to_string().contains("64 MiB"));
        // Blank input says so.
        assert_eq!(
            scanned("f", b" \n\n", MAX_INPUT),
            vec![Err(("f".to_owned(), CaptureError::Empty))]
        );
    }
}
