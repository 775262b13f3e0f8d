//! Captured push payloads in the forms people have them, detected from the
//! bytes: an HTTP request dump (request line, headers, blank line, body) as
//! a proxy saves it; base64 or base64url text, one payload per line (or one
//! payload wrapped at 64 or 76 columns); or the raw binary body.

/// Largest input `decode` reads from one file or stdin.
pub const MAX_INPUT: usize = 64 << 20;

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
}
