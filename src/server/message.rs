//! A stored message as IMAP shows it: the ENVELOPE structure (RFC 9051
//! §7.5.2) read from the header, and INTERNALDATE.

use std::time::{SystemTime, UNIX_EPOCH};

use super::syntax::{nstring, string};

/// The header fields an ENVELOPE is made of, unfolded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    pub date: Option<Vec<u8>>,
    pub subject: Option<Vec<u8>>,
    pub from: Option<Vec<u8>>,
    pub sender: Option<Vec<u8>>,
    pub reply_to: Option<Vec<u8>>,
    pub to: Option<Vec<u8>>,
    pub cc: Option<Vec<u8>>,
    pub bcc: Option<Vec<u8>>,
    pub in_reply_to: Option<Vec<u8>>,
    pub message_id: Option<Vec<u8>>,
}

impl Envelope {
    /// Reads the header of an RFC 5322 message (up to the first blank
    /// line; the whole message when it has none).
    pub fn parse(raw: &[u8]) -> Self {
        let mut env = Self::default();
        let end = find(raw, b"\r\n\r\n")
            .or_else(|| find(raw, b"\n\n"))
            .unwrap_or(raw.len());
        let mut fields: Vec<Vec<u8>> = Vec::new();
        for line in raw[..end].split(|&c| c == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            match (line.first(), fields.last_mut()) {
                (Some(b' ' | b'\t'), Some(last)) => last.extend_from_slice(line),
                _ => fields.push(line.to_vec()),
            }
        }
        for f in fields {
            let Some(colon) = f.iter().position(|&c| c == b':') else {
                continue;
            };
            let value = trim(&f[colon + 1..]).to_vec();
            let slot = match f[..colon].to_ascii_lowercase().as_slice() {
                b"date" => &mut env.date,
                b"subject" => &mut env.subject,
                b"from" => &mut env.from,
                b"sender" => &mut env.sender,
                b"reply-to" => &mut env.reply_to,
                b"to" => &mut env.to,
                b"cc" => &mut env.cc,
                b"bcc" => &mut env.bcc,
                b"in-reply-to" => &mut env.in_reply_to,
                b"message-id" => &mut env.message_id,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        env
    }

    /// The ENVELOPE structure, `( … )`; `utf8` allows 8-bit quoted text.
    pub fn render(&self, utf8: bool) -> Vec<u8> {
        let from = self.from.as_deref();
        let mut out = b"(".to_vec();
        let parts: [Vec<u8>; 10] = [
            nstring(self.date.as_deref(), utf8),
            nstring(self.subject.as_deref(), utf8),
            addresses(from, utf8),
            // RFC 9051 §7.5.2: sender and reply-to default to from.
            addresses(self.sender.as_deref().or(from), utf8),
            addresses(self.reply_to.as_deref().or(from), utf8),
            addresses(self.to.as_deref(), utf8),
            addresses(self.cc.as_deref(), utf8),
            addresses(self.bcc.as_deref(), utf8),
            nstring(self.in_reply_to.as_deref(), utf8),
            nstring(self.message_id.as_deref(), utf8),
        ];
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(p);
        }
        out.push(b')');
        out
    }
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

/// An address list: `((name adl mailbox host) …)` or NIL.
fn addresses(v: Option<&[u8]>, utf8: bool) -> Vec<u8> {
    let Some(v) = v else {
        return b"NIL".to_vec();
    };
    let items: Vec<Vec<u8>> = split_addresses(v)
        .into_iter()
        .filter(|a| !a.is_empty())
        .map(|a| address(a, utf8))
        .collect();
    if items.is_empty() {
        return b"NIL".to_vec();
    }
    let mut out = b"(".to_vec();
    for i in items {
        out.extend_from_slice(&i);
    }
    out.push(b')');
    out
}

/// Splits on commas outside quotes, comments and angle brackets.
fn split_addresses(v: &[u8]) -> Vec<&[u8]> {
    let (mut out, mut start, mut quoted, mut depth) = (Vec::new(), 0, false, 0i32);
    let mut i = 0;
    while i < v.len() {
        match v[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'<' | b'(' if !quoted => depth += 1,
            b'>' | b')' if !quoted => depth -= 1,
            b',' if !quoted && depth <= 0 => {
                out.push(trim(&v[start..i]));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(trim(&v[start.min(v.len())..]));
    out
}

fn address(a: &[u8], utf8: bool) -> Vec<u8> {
    let (name, spec) = match (
        a.iter().position(|&c| c == b'<'),
        a.iter().rposition(|&c| c == b'>'),
    ) {
        (Some(l), Some(r)) if l < r => {
            let n = trim(&a[..l]);
            let n = n
                .strip_prefix(b"\"")
                .and_then(|n| n.strip_suffix(b"\""))
                .unwrap_or(n);
            ((!n.is_empty()).then_some(n), trim(&a[l + 1..r]))
        }
        _ => (None, a),
    };
    let (local, host) = match spec.iter().rposition(|&c| c == b'@') {
        Some(at) => (&spec[..at], Some(&spec[at + 1..])),
        None => (spec, None),
    };
    let mut out = b"(".to_vec();
    out.extend_from_slice(&nstring(name, utf8));
    out.extend_from_slice(b" NIL ");
    out.extend_from_slice(&string(local, utf8));
    out.push(b' ');
    out.extend_from_slice(&nstring(host, utf8));
    out.push(b')');
    out
}

/// RFC 9051 `date-time`: `"21-Nov-2026 10:00:00 +0000"` (UTC).
pub fn internal_date(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "\"{d:02}-{}-{y:04} {:02}:{:02}:{:02} +0000\"",
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

pub use crate::datetime::civil_from_days;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_of_the_draft_example() {
        // The message behind draft §7.1's second example (RFC 3501's FETCH
        // example), rendered as the draft shows it.
        let raw = b"Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n\
From: Fred Foobar <foobar@Blurdybloop.example>\r\n\
Subject: afternoon meeting\r\n\
To: mooch@owatagu.siam.edu.example\r\n\
Message-Id: <B27397-0100000@Blurdybloop.example>\r\n\
\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
        let env = Envelope::parse(raw).render(false);
        assert_eq!(
            String::from_utf8(env).unwrap(),
            "(\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" \"afternoon meeting\" \
((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) \
((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) \
((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) \
((NIL NIL \"mooch\" \"owatagu.siam.edu.example\")) NIL NIL NIL \
\"<B27397-0100000@Blurdybloop.example>\")"
        );
    }

    #[test]
    fn folded_fields_lists_and_missing_header() {
        let raw = b"Subject: a\r\n b\r\nTo: \"Doe, J\" <j@x.example>, k@y.example\r\n\r\n";
        let env = String::from_utf8(Envelope::parse(raw).render(false)).unwrap();
        assert!(env.contains("\"a b\""), "{env}");
        assert!(
            env.contains("((\"Doe, J\" NIL \"j\" \"x.example\")(NIL NIL \"k\" \"y.example\"))"),
            "{env}"
        );
        let env = String::from_utf8(Envelope::parse(b"no header").render(false)).unwrap();
        assert_eq!(env, "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(
            internal_date(UNIX_EPOCH + std::time::Duration::from_secs(1_795_255_200)),
            "\"21-Nov-2026 10:00:00 +0000\""
        );
    }
}
