//! Cuts a byte stream into whole IMAP responses (or commands): a line, plus
//! any `{n}` / `{n+}` literals it announces and the line text after them.
//! Sans-I/O: feed bytes with [`Framer::extend`], take frames with
//! [`Framer::next_frame`].

/// Why the stream cannot be framed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a response is longer than {max} bytes without ending")]
    TooLong { max: usize },
    #[error("a literal of {size} bytes is announced, over the {max}-byte limit")]
    LiteralTooLarge { size: u64, max: usize },
}

/// A literal announced at the end of a line: `{n}` or `{n+}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Literal {
    pub size: u64,
    /// `{n+}` (LITERAL+): the sender does not wait for a continuation.
    pub non_sync: bool,
}

/// If `line` (without CRLF) ends with `{n}` or `{n+}`, the literal it
/// announces (RFC 9051 `literal`, RFC 7888 `literal8`'s `~` prefix allowed).
pub fn trailing_literal(line: &[u8]) -> Option<Literal> {
    let body = line.strip_suffix(b"}")?;
    let open = body.iter().rposition(|&c| c == b'{')?;
    let inner = &body[open + 1..];
    let (digits, non_sync) = match inner.strip_suffix(b"+") {
        Some(d) => (d, true),
        None => (inner, false),
    };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let size = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some(Literal { size, non_sync })
}

#[derive(Debug)]
pub struct Framer {
    buf: Vec<u8>,
    max: usize,
}

impl Framer {
    /// `max` bounds one frame, literals included.
    pub fn new(max: usize) -> Self {
        Self {
            buf: Vec::new(),
            max,
        }
    }

    pub fn extend(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes received that are not yet part of a returned frame.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// The next whole frame, CRLF included, or `None` until more bytes come.
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>, FrameError> {
        match self.frame_len()? {
            Some(n) => Ok(Some(self.buf.drain(..n).collect())),
            None => Ok(None),
        }
    }

    /// If the buffer starts with a line ending in a literal announcement
    /// whose data has not all arrived, that literal: the server side uses
    /// it to decide whether to send a `+` continuation.
    pub fn awaiting_literal(&self) -> Option<Literal> {
        let mut pos = 0;
        loop {
            let eol = find_crlf(&self.buf[pos..])? + pos;
            let lit = trailing_literal(&self.buf[pos..eol])?;
            let end = (eol as u64 + 2).checked_add(lit.size)?;
            if end > self.buf.len() as u64 {
                return Some(lit);
            }
            pos = end as usize;
        }
    }

    fn frame_len(&self) -> Result<Option<usize>, FrameError> {
        let mut pos = 0;
        loop {
            let Some(eol) = find_crlf(&self.buf[pos..]).map(|i| i + pos) else {
                if self.buf.len() > self.max {
                    return Err(FrameError::TooLong { max: self.max });
                }
                return Ok(None);
            };
            if eol + 2 > self.max {
                return Err(FrameError::TooLong { max: self.max });
            }
            let Some(lit) = trailing_literal(&self.buf[pos..eol]) else {
                return Ok(Some(eol + 2));
            };
            let end = (eol as u64 + 2).saturating_add(lit.size);
            if end > self.max as u64 {
                return Err(FrameError::LiteralTooLarge {
                    size: lit.size,
                    max: self.max,
                });
            }
            if end > self.buf.len() as u64 {
                return Ok(None);
            }
            pos = end as usize;
        }
    }
}

fn find_crlf(b: &[u8]) -> Option<usize> {
    // Look for LF (a single-byte search) and check the CR before it.
    let mut from = 0;
    while let Some(i) = b[from..].iter().position(|&c| c == b'\n') {
        let at = from + i;
        if at > 0 && b[at - 1] == b'\r' {
            return Some(at - 1);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_lines_and_literals_across_chunks() {
        let mut f = Framer::new(1024);
        let wire = b"* OK hi\r\n* 1 FETCH (BODY[] {5}\r\nab\r\nc FLAGS ())\r\na1 OK done\r\n";
        let mut frames = vec![];
        for chunk in wire.chunks(3) {
            f.extend(chunk);
            while let Some(fr) = f.next_frame().unwrap() {
                frames.push(fr);
            }
        }
        assert_eq!(
            frames,
            vec![
                b"* OK hi\r\n".to_vec(),
                b"* 1 FETCH (BODY[] {5}\r\nab\r\nc FLAGS ())\r\n".to_vec(),
                b"a1 OK done\r\n".to_vec()
            ]
        );
        assert_eq!(f.pending(), 0);
    }

    #[test]
    fn limits_are_enforced_before_buffering_everything() {
        let mut f = Framer::new(64);
        f.extend(b"* 1 FETCH (BODY[] {999999}\r\n");
        assert_eq!(
            f.next_frame(),
            Err(FrameError::LiteralTooLarge {
                size: 999999,
                max: 64
            })
        );
        let mut f = Framer::new(8);
        f.extend(b"0123456789");
        assert_eq!(f.next_frame(), Err(FrameError::TooLong { max: 8 }));
    }

    #[test]
    fn literal_announcements() {
        assert_eq!(
            trailing_literal(b"A APPEND x {12+}"),
            Some(Literal {
                size: 12,
                non_sync: true
            })
        );
        assert_eq!(
            trailing_literal(b"x {3}"),
            Some(Literal {
                size: 3,
                non_sync: false
            })
        );
        assert_eq!(trailing_literal(b"x {}"), None);
        assert_eq!(trailing_literal(b"x {99999999999999999999}"), None);
        let mut f = Framer::new(100);
        f.extend(b"a APPEND x {4}\r\nab");
        assert_eq!(
            f.awaiting_literal(),
            Some(Literal {
                size: 4,
                non_sync: false
            })
        );
    }
}
