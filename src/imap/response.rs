//! Typed server responses. A frame from the [`framer`](super::framer) is
//! read by three parsers in turn: the extension's own (draft §9, in
//! [`crate::webpush::response`]), `imap-proto` for the standard grammar, and
//! a small status-line reader for tagged results `imap-proto` rejects.
//! Nothing fails: an unknown or malformed response becomes
//! [`Untagged::Other`] with a warning, so one odd line never costs the
//! connection.

use std::fmt;

use imap_proto::Capability;
use serde::Serialize;

use crate::webpush::{self, ExtResponse};

/// How deeply parentheses may nest in a response handed to `imap-proto`,
/// whose parsers (BODYSTRUCTURE above all) recurse once or more per level:
/// an unoptimized build overflows a 2 MiB thread stack at about 60 levels.
/// A BODYSTRUCTURE of a message nested ten MIME levels deep stays under
/// it; deeper lines are kept raw, with a warning.
pub const MAX_NESTING: usize = 32;

/// The deepest parenthesis nesting in `frame`, outside quoted strings and
/// literals (whose bytes are data, not structure). Stops counting past
/// `limit`, so that a caller learns "too deep" in one linear pass.
pub fn nesting_depth(frame: &[u8], limit: usize) -> usize {
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < frame.len() {
        match frame[i] {
            b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > limit {
                    return deepest;
                }
            }
            b')' => depth = depth.saturating_sub(1),
            b'"' => {
                // Skip to the closing quote, past escaped characters.
                i += 1;
                while i < frame.len() && frame[i] != b'"' {
                    i += if frame[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => {
                // `{n}\r\n` or `{n+}\r\n`: skip the n bytes of data.
                let rest = &frame[i..];
                if let Some(close) = rest.iter().position(|&c| c == b'}') {
                    let digits = rest[1..close].strip_suffix(b"+").unwrap_or(&rest[1..close]);
                    let size = std::str::from_utf8(digits)
                        .ok()
                        .and_then(|d| d.parse::<usize>().ok());
                    if let (Some(n), Some(b"\r\n")) = (size, rest.get(close + 1..close + 3)) {
                        i = i.saturating_add(close + 3).saturating_add(n);
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    deepest
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Ok,
    No,
    Bad,
    PreAuth,
    Bye,
}

impl Status {
    fn from_proto(s: imap_proto::Status) -> Self {
        match s {
            imap_proto::Status::Ok => Self::Ok,
            imap_proto::Status::No => Self::No,
            imap_proto::Status::Bad => Self::Bad,
            imap_proto::Status::PreAuth => Self::PreAuth,
            imap_proto::Status::Bye => Self::Bye,
        }
    }

    fn parse(word: &str) -> Option<Self> {
        Some(match word.to_ascii_uppercase().as_str() {
            "OK" => Self::Ok,
            "NO" => Self::No,
            "BAD" => Self::Bad,
            "PREAUTH" => Self::PreAuth,
            "BYE" => Self::Bye,
            _ => return None,
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ok => "OK",
            Self::No => "NO",
            Self::Bad => "BAD",
            Self::PreAuth => "PREAUTH",
            Self::Bye => "BYE",
        })
    }
}

/// A status response: `[tag] OK|NO|BAD|PREAUTH|BYE [ "[" code "]" ] text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub status: Status,
    /// The response code's text without brackets, e.g. `CAPABILITY IMAP4rev1 …`.
    pub code: Option<String>,
    pub text: String,
}

impl StatusLine {
    /// Capabilities carried in a `[CAPABILITY …]` response code.
    pub fn capabilities(&self) -> Option<Vec<String>> {
        let code = self.code.as_deref()?;
        let (word, rest) = code.split_once(' ').unwrap_or((code, ""));
        word.eq_ignore_ascii_case("CAPABILITY").then(|| {
            rest.split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Untagged {
    Status(StatusLine),
    Capability(Vec<String>),
    Enabled(Vec<String>),
    Exists(u32),
    Expunge(u32),
    Ext(ExtResponse),
    /// Anything else: parsed fine by the standard grammar but not needed by
    /// this client (`warning: None`), or not understood (`Some(why)`).
    Other {
        warning: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// `+ text`: the server waits for a literal or SASL data.
    Continue(String),
    Tagged {
        tag: String,
        line: StatusLine,
    },
    Untagged(Untagged),
}

/// A response and the exact text it came from (CRLF removed, non-UTF-8
/// bytes replaced), for printing in the draft's `S:` notation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub raw: String,
    pub response: Response,
}

impl Frame {
    pub fn parse(bytes: &[u8]) -> Self {
        let body = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
        Self {
            raw: String::from_utf8_lossy(body).into_owned(),
            response: parse(bytes),
        }
    }
}

fn other(warning: impl Into<String>) -> Response {
    Response::Untagged(Untagged::Other {
        warning: Some(warning.into()),
    })
}

/// Parses one whole frame (CRLF included, as the framer returns it).
pub fn parse(frame: &[u8]) -> Response {
    let body = frame.strip_suffix(b"\r\n").unwrap_or(frame);
    if let Some(rest) = body.strip_prefix(b"+") {
        let text = String::from_utf8_lossy(rest.strip_prefix(b" ").unwrap_or(rest));
        return Response::Continue(text.into_owned());
    }
    if let Some(payload) = body.strip_prefix(b"* ") {
        if let Ok(text) = std::str::from_utf8(payload) {
            match webpush::response::parse(text) {
                Some(Ok(ext)) => return Response::Untagged(Untagged::Ext(ext)),
                Some(Err(e)) => return other(e.to_string()),
                None => {}
            }
            // imap-proto reads `* ENABLED X` as a CAPABILITY response, so
            // ENABLED (RFC 5161) is read here.
            if let Some(caps) = strip_keyword(text, "ENABLED") {
                return Response::Untagged(Untagged::Enabled(words(caps)));
            }
        }
    }
    // imap-proto recurses per level of nesting: a peer must not choose
    // how deep (thousands of parentheses overflow the stack).
    if nesting_depth(body, MAX_NESTING) > MAX_NESTING {
        return match fallback(body) {
            r @ (Response::Tagged { .. } | Response::Untagged(Untagged::Status(_))) => r,
            _ => other(format!(
                "parentheses nested deeper than {MAX_NESTING} levels; not parsed"
            )),
        };
    }
    let mut with_crlf;
    let frame = if frame.ends_with(b"\r\n") {
        frame
    } else {
        with_crlf = frame.to_vec();
        with_crlf.extend_from_slice(b"\r\n");
        &with_crlf
    };
    match imap_proto::Response::parse(frame) {
        Ok((&[], r)) => from_proto(r, body),
        _ => fallback(body),
    }
}

fn strip_keyword<'a>(text: &'a str, keyword: &str) -> Option<&'a str> {
    let (k, rest) = text.split_once(' ').unwrap_or((text, ""));
    k.eq_ignore_ascii_case(keyword).then_some(rest)
}

fn words(s: &str) -> Vec<String> {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn capability_string(c: &Capability<'_>) -> String {
    match c {
        Capability::Imap4rev1 => "IMAP4rev1".to_owned(),
        Capability::Auth(m) => format!("AUTH={m}"),
        Capability::Atom(a) => a.to_string(),
    }
}

/// `raw` is the frame's text: imap-proto's typed response code drops codes
/// it does not know (and leaves them in the text), so status lines are
/// re-read verbatim from the raw line.
fn from_proto(r: imap_proto::Response<'_>, raw: &[u8]) -> Response {
    use imap_proto::Response as P;
    let verbatim = std::str::from_utf8(raw)
        .ok()
        .and_then(|t| t.split_once(' '))
        .and_then(|(_, rest)| status_line(rest));
    let line = |status, outcome: imap_proto::Outcome<'_>| match verbatim.clone() {
        Some(l) => l,
        None => StatusLine {
            status: Status::from_proto(status),
            code: None,
            text: outcome.information.as_deref().unwrap_or("").to_owned(),
        },
    };
    match r {
        P::Capabilities(c) => Response::Untagged(Untagged::Capability(
            c.iter().map(capability_string).collect(),
        )),
        P::Continue(o) => Response::Continue(o.information.as_deref().unwrap_or("").to_owned()),
        P::Done {
            tag,
            status,
            outcome,
        } => Response::Tagged {
            tag: tag.0,
            line: line(status, outcome),
        },
        P::Data { status, outcome } => Response::Untagged(Untagged::Status(line(status, outcome))),
        P::Expunge(n) => Response::Untagged(Untagged::Expunge(n)),
        P::MailboxData(imap_proto::MailboxDatum::Exists(n)) => {
            Response::Untagged(Untagged::Exists(n))
        }
        _ => Response::Untagged(Untagged::Other { warning: None }),
    }
}

/// Reads `tag status [ "[" code "]" ] text` and `* status …` by hand, for
/// lines `imap-proto` refuses (unknown response codes, odd spacing). The
/// code text is always taken from here, so that it is kept verbatim.
fn status_line(words: &str) -> Option<StatusLine> {
    let (status, rest) = words.split_once(' ').unwrap_or((words, ""));
    let status = Status::parse(status)?;
    let (code, text) = match rest.strip_prefix('[') {
        Some(r) => {
            let end = r.find(']')?;
            (
                Some(r[..end].to_owned()),
                r[end + 1..].trim_start().to_owned(),
            )
        }
        None => (None, rest.to_owned()),
    };
    Some(StatusLine { status, code, text })
}

fn fallback(body: &[u8]) -> Response {
    let Ok(text) = std::str::from_utf8(body) else {
        return other("response is not UTF-8");
    };
    let (first, rest) = text.split_once(' ').unwrap_or((text, ""));
    if first == "*" {
        if let Some(line) = status_line(rest) {
            return Response::Untagged(Untagged::Status(line));
        }
        return other(format!("unknown or malformed response: {text:.80}"));
    }
    if !first.is_empty() && first.bytes().all(|c| c > 0x20 && c < 0x7f && c != b'+') {
        if let Some(line) = status_line(rest) {
            return Response::Tagged {
                tag: first.to_owned(),
                line,
            };
        }
    }
    other(format!("unknown or malformed response: {text:.80}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn untagged(line: &str) -> Untagged {
        match parse(format!("{line}\r\n").as_bytes()) {
            Response::Untagged(u) => u,
            r => panic!("{line}: {r:?}"),
        }
    }

    #[test]
    fn standard_and_extension_responses() {
        assert_eq!(
            untagged("* CAPABILITY IMAP4rev1 AUTH=PLAIN WEBPUSH"),
            Untagged::Capability(vec![
                "IMAP4rev1".into(),
                "AUTH=PLAIN".into(),
                "WEBPUSH".into()
            ])
        );
        assert_eq!(
            untagged("* ENABLED CONDSTORE"),
            Untagged::Enabled(vec!["CONDSTORE".into()])
        );
        assert_eq!(untagged("* 3 EXISTS"), Untagged::Exists(3));
        assert!(matches!(untagged("* VAPID BOniQ9xHBPNY9gnQW4o-16vHqOb40pEIMifyUdFsxAgyzVkFMguxw0QrdbZcq8hRjN2zpeInRvKVPlkzABvuTnI"), Untagged::Ext(ExtResponse::Vapid { .. })));
        assert!(matches!(
            untagged("* 1 FETCH (FLAGS (\\Seen))"),
            Untagged::Other { warning: None }
        ));
    }

    #[test]
    fn status_lines_keep_their_code() {
        let Response::Tagged { tag, line } =
            parse(b"a1 OK [CAPABILITY IMAP4rev2 WEBPUSH] done\r\n")
        else {
            panic!()
        };
        assert_eq!(tag, "a1");
        assert_eq!(line.capabilities().unwrap(), vec!["IMAP4rev2", "WEBPUSH"]);
        let Response::Tagged { line, .. } = parse(b"a2 NO [WEIRDCODE x y] nope\r\n") else {
            panic!()
        };
        assert_eq!(
            (line.status, line.code.as_deref(), line.text.as_str()),
            (Status::No, Some("WEIRDCODE x y"), "nope")
        );
        let Response::Untagged(Untagged::Status(g)) =
            parse(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
        else {
            panic!()
        };
        assert_eq!(g.capabilities().unwrap(), vec!["IMAP4rev1", "STARTTLS"]);
    }

    #[test]
    fn deep_nesting_is_kept_raw_before_imap_proto_sees_it() {
        // 2,000 open parentheses used to overflow the stack in imap-proto's
        // BODYSTRUCTURE parser and abort the process.
        let deep = format!("* 1 FETCH (BODYSTRUCTURE {}\r\n", "(".repeat(2000));
        match parse(deep.as_bytes()) {
            Response::Untagged(Untagged::Other { warning: Some(w) }) => {
                assert!(w.contains("nested deeper"), "{w}")
            }
            r => panic!("{r:?}"),
        }
        // A tagged status stays a tagged status, whatever its text holds.
        let tagged = format!("a1 OK {}\r\n", "(".repeat(2000));
        assert!(matches!(parse(tagged.as_bytes()), Response::Tagged { .. }));
        // Parentheses inside strings and literals are data.
        let quoted = format!("* 1 FETCH (BODY[] \"{}\")", "(".repeat(500));
        assert_eq!(nesting_depth(quoted.as_bytes(), 64), 1);
        let literal = format!("* 1 FETCH (BODY[] {{500}}\r\n{})", "(".repeat(500));
        assert_eq!(nesting_depth(literal.as_bytes(), 64), 1);
        // At the bound, imap-proto still parses, on a test thread's small
        // stack: a multipart nested MAX_NESTING levels deep.
        let mut body = "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)".to_owned();
        for _ in 1..MAX_NESTING - 1 {
            body = format!("({body} \"MIXED\")");
        }
        let near = format!("* 1 FETCH (BODYSTRUCTURE {body})\r\n");
        assert_eq!(nesting_depth(near.as_bytes(), MAX_NESTING), MAX_NESTING);
        assert!(matches!(
            parse(near.as_bytes()),
            Response::Untagged(Untagged::Other { warning: None })
        ));
    }

    #[test]
    fn garbage_is_kept_with_a_warning() {
        for junk in [
            &b"\xff\xfe\r\n"[..],
            b"* \r\n",
            b"*\r\n",
            b"hello\r\n",
            b"* WEBPUSH x\r\n",
            b"* 1 UIDFETCH (UID\r\n",
        ] {
            match parse(junk) {
                Response::Untagged(Untagged::Other { warning: Some(_) }) => {}
                r => panic!("{junk:?}: {r:?}"),
            }
        }
        assert_eq!(
            parse(b"+ go ahead\r\n"),
            Response::Continue("go ahead".into())
        );
        assert_eq!(parse(b"+\r\n"), Response::Continue(String::new()));
    }
}
