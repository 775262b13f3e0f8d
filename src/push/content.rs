//! What a push says: the decrypted plaintext read as IMAP responses
//! (draft §6.3–§7.1), and the draft's rules it breaks (§7.1, §7.2).
//!
//! Responses are cut as the IMAP framer cuts them (BINARY may carry literals),
//! then read by the extension's grammar (SELECT, SYNC, ACKWEBPUSH, VAPID,
//! WEBPUSH) or by the small FETCH-item scanner here (UIDFETCH and FETCH
//! with UID, FLAGS, MODSEQ, RFC822.SIZE, ENVELOPE, BINARY[…], BODY[…]),
//! VANISHED, EXISTS, EXPUNGE and FLAGS. Anything else is kept raw.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::imap::framer::{trailing_literal, FrameError};
use crate::webpush::{self, ExtResponse};

/// §7.1 and RFC 8291 §4: the most plaintext one push may carry.
pub const MAX_PLAINTEXT: usize = 3993;
/// How much of a response not understood its warning quotes: enough to
/// find it in the plaintext, which holds it whole (as does its RAW
/// response), without repeating the plaintext in the warnings.
pub const EXCERPT: usize = 60;
/// §7.2: the TTL pushes SHOULD carry (a week).
pub const RECOMMENDED_TTL: u64 = 604_800;

/// One response of a push.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "UPPERCASE")]
pub enum PushResponse {
    Select {
        mailbox: String,
    },
    /// RFC 9586: `* <uid> UIDFETCH (…)`.
    #[serde(rename = "UIDFETCH")]
    UidFetch {
        uid: u32,
        items: Items,
    },
    Fetch {
        seq: u32,
        items: Items,
    },
    /// RFC 7162: UIDs as a sequence set, e.g. `1:3,5`.
    Vanished {
        earlier: bool,
        uids: String,
    },
    Exists {
        count: u32,
    },
    Expunge {
        seq: u32,
    },
    Flags {
        flags: Vec<String>,
    },
    Sync {
        word: Option<String>,
    },
    #[serde(rename = "ACKWEBPUSH")]
    AckWebPush {
        token: String,
    },
    Vapid {
        key: String,
    },
    #[serde(rename = "WEBPUSH")]
    WebPush {
        id: String,
        endpoint: String,
        silenced: Option<u32>,
    },
    /// Not understood; `why` says what was expected.
    Raw {
        line: Line,
        why: Cow<'static, str>,
    },
}

impl PushResponse {
    /// Responses that concern one mailbox and so need a SELECT before them.
    fn is_mailbox_response(&self) -> bool {
        match self {
            Self::UidFetch { .. }
            | Self::Fetch { .. }
            | Self::Vanished { .. }
            | Self::Exists { .. }
            | Self::Expunge { .. }
            | Self::Flags { .. } => true,
            Self::Sync { word: Some(w) } => [
                "EXISTS", "EXPUNGE", "FETCH", "UIDFETCH", "VANISHED", "FLAGS",
            ]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k)),
            _ => false,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Select { .. } => "SELECT",
            Self::UidFetch { .. } => "UIDFETCH",
            Self::Fetch { .. } => "FETCH",
            Self::Vanished { .. } => "VANISHED",
            Self::Exists { .. } => "EXISTS",
            Self::Expunge { .. } => "EXPUNGE",
            Self::Flags { .. } => "FLAGS",
            Self::Sync { .. } => "SYNC",
            Self::AckWebPush { .. } => "ACKWEBPUSH",
            Self::Vapid { .. } => "VAPID",
            Self::WebPush { .. } => "WEBPUSH",
            Self::Raw { .. } => "unknown",
        }
    }
}

impl fmt::Display for PushResponse {
    /// One line for people: the envelope's subject and sender for a new
    /// message, the fields otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items = |f: &mut fmt::Formatter<'_>, items: &Items| {
            for (k, v) in items {
                match v {
                    Item::Envelope(e) => {
                        // The subject as JSON (quoted, or null).
                        let subject = Value::from(e.subject.clone());
                        write!(f, " subject {subject}")?;
                        let from = e.from.as_ref().and_then(|l| l.first());
                        match from.map(|a| (a.name.as_deref(), a.address.as_deref())) {
                            Some((Some(n), Some(a))) => write!(f, " from {n} <{a}>")?,
                            Some((None, Some(a))) => write!(f, " from {a}")?,
                            _ => {}
                        }
                    }
                    Item::Value(Value::String(s)) if s.len() > 60 => {
                        write!(f, " {k} ({} bytes)", s.len())?
                    }
                    Item::Value(v) => write!(f, " {k} {v}")?,
                }
            }
            Ok(())
        };
        match self {
            Self::Select { mailbox } => write!(f, "SELECT {mailbox:?}"),
            Self::UidFetch { uid, items: i } => {
                write!(f, "UIDFETCH uid {uid}:")?;
                items(f, i)
            }
            Self::Fetch { seq, items: i } => {
                write!(f, "FETCH #{seq}:")?;
                items(f, i)
            }
            Self::Vanished { earlier, uids } => {
                write!(
                    f,
                    "VANISHED uids {uids}{}",
                    if *earlier { " (EARLIER)" } else { "" }
                )
            }
            Self::Exists { count } => write!(f, "EXISTS {count}"),
            Self::Expunge { seq } => write!(f, "EXPUNGE #{seq}"),
            Self::Flags { flags } => write!(f, "FLAGS {}", flags.join(" ")),
            Self::Sync { word: Some(w) } => write!(f, "SYNC {w}"),
            Self::Sync { word: None } => f.write_str("SYNC"),
            Self::AckWebPush { token } => write!(f, "ACKWEBPUSH token {token}"),
            Self::Vapid { key } => write!(f, "VAPID key {key}"),
            Self::WebPush {
                id,
                endpoint,
                silenced,
            } => write!(
                f,
                "WEBPUSH {id} {endpoint} {}",
                silenced.map_or("NIL".to_owned(), |s| s.to_string())
            ),
            Self::Raw { line, why } => write!(f, "not understood ({why}): {line:.80}"),
        }
    }
}

/// The items of a FETCH response by name (upper case), in name order.
pub type Items = BTreeMap<String, Item>;

/// A FETCH item's value: an ENVELOPE read into its fields, any other as
/// JSON. (An ENVELOPE as a JSON tree was forty-odd allocations, a third
/// of reading a new-mail push.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Item {
    Envelope(Box<Envelope>),
    Value(Value),
}

impl Item {
    pub fn as_envelope(&self) -> Option<&Envelope> {
        match self {
            Self::Envelope(e) => Some(e),
            Self::Value(_) => None,
        }
    }
}

/// An ENVELOPE (RFC 9051 §7.5.2): its strings as they read (quoted
/// strings lose their escapes), each address list as `{name, address}`
/// entries, NIL as `None`. Fields in name order, as JSON shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Envelope {
    pub bcc: Option<Vec<Address>>,
    pub cc: Option<Vec<Address>>,
    pub date: Option<String>,
    pub from: Option<Vec<Address>>,
    pub in_reply_to: Option<String>,
    pub message_id: Option<String>,
    pub reply_to: Option<Vec<Address>>,
    pub sender: Option<Vec<Address>>,
    pub subject: Option<String>,
    pub to: Option<Vec<Address>>,
}

/// An address of an ENVELOPE: `mailbox@host`, and the display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    pub address: Option<String>,
    pub name: Option<String>,
}

/// The text of a RAW response: a part of one copy of the plaintext that
/// all the push's RAW responses share, or text of its own. A text that
/// is not IMAP is a RAW response per line, and a `String` each cost an
/// allocation, a copy and a free per line: shared, reading a 4 KB text
/// of a hundred lines is 0.3 µs shorter (of 4), counts and all.
#[derive(Clone)]
pub struct Line {
    text: Arc<str>,
    range: Range<usize>,
}

impl Line {
    pub fn as_str(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

impl From<&str> for Line {
    fn from(s: &str) -> Self {
        Self {
            text: Arc::from(s),
            range: 0..s.len(),
        }
    }
}

impl std::ops::Deref for Line {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Line {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Line {}

impl fmt::Debug for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for Line {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Makes the lines of RAW responses: parts of one shared copy of the
/// plaintext (made at the first) when they lie in it.
struct Lines<'a> {
    /// The plaintext, when it is UTF-8.
    text: Option<&'a str>,
    shared: Option<Arc<str>>,
}

impl<'a> Lines<'a> {
    fn new(text: Option<&'a str>) -> Self {
        Self { text, shared: None }
    }

    // Inlined: a `Line` returned through memory is read back in wider
    // loads than it was stored in, and the stalled store forwarding cost
    // about a tenth of reading a line of text.
    #[inline(always)]
    fn line(&mut self, s: &str) -> Line {
        if let Some(t) = self.text {
            // Where `s` starts in `t`, if it lies in it: compared as
            // addresses, which says it without reading the text.
            let at = (s.as_ptr() as usize).wrapping_sub(t.as_ptr() as usize);
            if at <= t.len() && s.len() <= t.len() - at && t.get(at..at + s.len()).is_some() {
                let text = self.shared.get_or_insert_with(|| Arc::from(t)).clone();
                return Line {
                    text,
                    range: at..at + s.len(),
                };
            }
        }
        Line::from(s)
    }
}

/// The §7.2 headers of a push, when known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushHeaders {
    pub content_encoding: Option<String>,
    pub ttl: Option<u64>,
    pub urgency: Option<String>,
    pub topic: Option<String>,
}

/// A rule of the draft that a push breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    TooLong {
        bytes: usize,
    },
    NoSelectBefore {
        response: &'static str,
    },
    /// Responses not understood for the same reason, `count` of them (one
    /// warning per reason: a plaintext that is not IMAP at all would
    /// otherwise repeat itself a warning per line): the start of the first
    /// one's line (at most [`EXCERPT`] characters, `cut` when there was
    /// more; each whole line is its RAW response's) and what was expected.
    Unparsed {
        count: usize,
        excerpt: String,
        cut: bool,
        why: Cow<'static, str>,
    },
    NotUtf8,
    Empty,
    Ttl {
        ttl: Option<u64>,
    },
    Urgency {
        found: Option<String>,
        expected: &'static str,
    },
    Topic {
        topic: String,
    },
    Other(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { bytes } => write!(f, "plaintext is {bytes} bytes, over the {MAX_PLAINTEXT}-byte limit (§7.1, RFC 8291 §4)"),
            Self::NoSelectBefore { response } => write!(f, "{response} response without a preceding SELECT (§7.1: every mailbox response MUST follow one)"),
            Self::Unparsed { count, excerpt, cut, why } => {
                match count {
                    1 => f.write_str("unparsed response ")?,
                    n => write!(f, "{n} unparsed responses, the first ")?,
                }
                write!(f, "{}{}: {why}", DebugStr(excerpt), if *cut { "…" } else { "" })
            }
            Self::NotUtf8 => f.write_str("plaintext is not UTF-8"),
            Self::Empty => f.write_str("the push carries no response (§9: push-content = 1*(response-data))"),
            Self::Ttl { ttl: Some(t) } => write!(f, "TTL is {t}, not {RECOMMENDED_TTL} (§7.2: SHOULD be a week)"),
            Self::Ttl { ttl: None } => write!(f, "no TTL header (§7.2: SHOULD be {RECOMMENDED_TTL}; RFC 8030 §5.2: MUST be present)"),
            Self::Urgency { found, expected } => write!(
                f,
                "Urgency is {}, §7.2 says {expected} for this content",
                found.as_deref().unwrap_or("absent (normal)")
            ),
            Self::Topic { topic } => write!(f, "Topic {topic:?} on a push that is not a generic SYNC (§7.2: SHOULD NOT)"),
            Self::Other(s) => f.write_str(s),
        }
    }
}

/// A string as `{:?}` writes it, without the per-character walk of
/// `Debug` when the string is ASCII (the common case of unparsed lines).
struct DebugStr<'a>(&'a str);

impl fmt::Display for DebugStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        if !s.is_ascii() {
            return write!(f, "{s:?}");
        }
        f.write_str("\"")?;
        let b = s.as_bytes();
        let mut start = 0;
        for (i, &c) in b.iter().enumerate() {
            let esc: &str = match c {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\t' => "\\t",
                b'\r' => "\\r",
                b'\n' => "\\n",
                0 => "\\0",
                0x20..=0x7e => continue,
                _ => "",
            };
            f.write_str(&s[start..i])?;
            if esc.is_empty() {
                write!(f, "\\u{{{c:x}}}")?;
            } else {
                f.write_str(esc)?;
            }
            start = i + 1;
        }
        f.write_str(&s[start..])?;
        f.write_str("\"")
    }
}

impl Serialize for Warning {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The plaintext, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    pub plaintext: String,
    pub responses: Vec<PushResponse>,
    pub warnings: Vec<Warning>,
    /// Where the responses lie in `plaintext` (empty when it was not
    /// UTF-8): a writer may reuse the plaintext's escaped form for them.
    #[serde(skip)]
    pub spans: Spans,
}

/// Where the text of a push's responses lies in its plaintext.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spans {
    /// Per response, the bytes of its frame, final CRLF excluded: a RAW
    /// response's line is that text.
    pub frames: Vec<Range<usize>>,
    /// The data of every literal, in plaintext order.
    pub literals: Vec<Range<usize>>,
}

/// §7.2: high with a UIDFETCH, low without any SELECT, normal otherwise.
pub fn expected_urgency(responses: &[PushResponse]) -> &'static str {
    if responses
        .iter()
        .any(|r| matches!(r, PushResponse::UidFetch { .. }))
    {
        "high"
    } else if !responses
        .iter()
        .any(|r| matches!(r, PushResponse::Select { .. }))
    {
        "low"
    } else {
        "normal"
    }
}

/// Reads a push's plaintext and checks it (and its headers, when given)
/// against the draft.
pub fn analyze(plaintext: &[u8], headers: Option<&PushHeaders>) -> Content {
    analyze_owned(plaintext.to_vec(), headers)
}

/// [`analyze`], keeping the plaintext's buffer (no copy when it is UTF-8).
pub fn analyze_owned(plaintext: Vec<u8>, headers: Option<&PushHeaders>) -> Content {
    let mut warnings = Vec::new();
    if plaintext.len() > MAX_PLAINTEXT {
        warnings.push(Warning::TooLong {
            bytes: plaintext.len(),
        });
    }
    // UTF-8 is checked once, first: the frames of valid text are read as
    // slices of it, with no check of their own.
    let mut spans = Spans::default();
    let (text, responses, unterminated) = match String::from_utf8(plaintext) {
        Ok(t) => {
            let (responses, unterminated) = parse_spanned(t.as_bytes(), Some(&t), &mut spans);
            (t, responses, unterminated)
        }
        Err(e) => {
            warnings.push(Warning::NotUtf8);
            // The lossy text's offsets are not the plaintext's: no spans.
            let bytes = e.into_bytes();
            let (responses, unterminated) = parse_spanned(&bytes, None, &mut Spans::default());
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (text, responses, unterminated)
        }
    };
    if unterminated {
        warnings.push(Warning::Other(
            "the last response does not end with CRLF".to_owned(),
        ));
    }
    if responses.is_empty() {
        warnings.push(Warning::Empty);
    }
    let mut selected = false;
    // Each reason a response was not understood, and its warning.
    let mut unparsed: Vec<(&str, usize)> = Vec::new();
    for r in &responses {
        match r {
            PushResponse::Select { .. } => selected = true,
            PushResponse::Raw { line, why } => {
                let reason = why.as_ref();
                let same = unparsed.iter().find(|&&(w, _)| same_reason(w, reason));
                if let Some(&(_, at)) = same {
                    if let Warning::Unparsed { count, .. } = &mut warnings[at] {
                        *count += 1;
                    }
                    continue;
                }
                unparsed.push((reason, warnings.len()));
                let (excerpt, cut) = match line.char_indices().nth(EXCERPT) {
                    Some((end, _)) => (&line[..end], true),
                    None => (line.as_str(), false),
                };
                warnings.push(Warning::Unparsed {
                    count: 1,
                    excerpt: excerpt.to_owned(),
                    cut,
                    why: why.clone(),
                })
            }
            r if r.is_mailbox_response() && !selected => {
                warnings.push(Warning::NoSelectBefore { response: r.name() })
            }
            _ => {}
        }
    }
    if let Some(h) = headers {
        if h.ttl != Some(RECOMMENDED_TTL) {
            warnings.push(Warning::Ttl { ttl: h.ttl });
        }
        let expected = expected_urgency(&responses);
        let found = h.urgency.as_deref().map(str::to_ascii_lowercase);
        if found.as_deref().unwrap_or("normal") != expected {
            warnings.push(Warning::Urgency {
                found: h.urgency.clone(),
                expected,
            });
        }
        let generic_sync = !responses.is_empty()
            && responses
                .iter()
                .all(|r| matches!(r, PushResponse::Sync { word: None }));
        if let (Some(topic), false) = (&h.topic, generic_sync) {
            warnings.push(Warning::Topic {
                topic: topic.clone(),
            });
        }
    }
    Content {
        plaintext: text,
        responses,
        warnings,
        spans,
    }
}

/// Cuts the plaintext into responses and reads each. The flag is set
/// when the last response has no CRLF (it is read all the same).
///
/// Linear in the plaintext: frames are cut in place (a line, plus any
/// literals it announces), never copied out of a shrinking buffer.
pub fn parse_responses(plaintext: &[u8]) -> (Vec<PushResponse>, bool) {
    let text = std::str::from_utf8(plaintext).ok();
    parse_spanned(plaintext, text, &mut Spans::default())
}

/// [`parse_responses`], saying where each response and literal lies;
/// `text` is the plaintext when it is known to be UTF-8.
fn parse_spanned(
    plaintext: &[u8],
    text: Option<&str>,
    spans: &mut Spans,
) -> (Vec<PushResponse>, bool) {
    // Room made once for a response per 32 bytes, where growing by
    // doubling copied a push's responses seven times over: more than the
    // lines of any push but one of very short lines (which grows past
    // it), without a pass to count them (lines inside a literal are no
    // responses anyway). Capped: a capture may be 1 MiB.
    let lines = (plaintext.len() / 32 + 2).min(1024);
    let mut out = Vec::with_capacity(lines);
    spans.frames.reserve(lines);
    let mut raw_lines = Lines::new(text);
    let mut pos = 0;
    while pos < plaintext.len() {
        match frame_len(&plaintext[pos..], pos, &mut spans.literals) {
            Ok(Some(n)) => {
                let line = text.and_then(|t| t.get(pos..pos + n - 2));
                match line {
                    // Most lines of text that is not IMAP, read where they
                    // are (a call returning a response costs more).
                    Some(l) if !l.starts_with("* ") => out.push(raw(&mut raw_lines, l, UNTAGGED)),
                    _ => out.push(parse_one(&plaintext[pos..pos + n], line, &mut raw_lines)),
                }
                spans.frames.push(pos..pos + n - 2);
                pos += n;
            }
            Ok(None) => break,
            Err(e) => {
                out.push(raw(
                    &mut raw_lines,
                    &String::from_utf8_lossy(plaintext),
                    e.to_string(),
                ));
                spans.frames.push(0..plaintext.len());
                return (out, false);
            }
        }
    }
    let unterminated = pos < plaintext.len();
    if unterminated {
        let rest = &plaintext[pos..];
        out.push(parse_one(&[rest, b"\r\n"].concat(), None, &mut raw_lines));
        spans.frames.push(pos..plaintext.len());
    }
    (out, unterminated)
}

/// The length of the whole response at the start of `b`, CRLF included:
/// a line, plus the literals it announces and the line text after them.
/// `None` when it does not end within `b`; an error when a literal runs
/// more than a CRLF past the end (the most a missing final CRLF explains).
///
/// The data of each literal that ends within `b` is added to `literals`,
/// offset by `base`.
fn frame_len(
    b: &[u8],
    base: usize,
    literals: &mut Vec<Range<usize>>,
) -> Result<Option<usize>, FrameError> {
    let max = b.len() + 2;
    let mut pos = 0;
    loop {
        let Some(eol) = find_crlf(&b[pos..]).map(|i| i + pos) else {
            return Ok(None);
        };
        let Some(lit) = trailing_literal(&b[pos..eol]) else {
            return Ok(Some(eol + 2));
        };
        let end = (eol as u64 + 2).saturating_add(lit.size);
        if end > max as u64 {
            return Err(FrameError::LiteralTooLarge {
                size: lit.size,
                max,
            });
        }
        if end > b.len() as u64 {
            return Ok(None);
        }
        literals.push(base + eol + 2..base + end as usize);
        pos = end as usize;
    }
}

/// The first CRLF in `b`.
fn find_crlf(b: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'\n', &b[from..]) {
        let at = from + i;
        if at > 0 && b[at - 1] == b'\r' {
            return Some(at - 1);
        }
        from = at + 1;
    }
    None
}

/// Whether two RAW reasons are the same text. They are mostly the same
/// static strings, so their addresses are compared before their bytes.
pub(crate) fn same_reason(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

#[inline(always)]
fn raw(lines: &mut Lines<'_>, frame: &str, why: impl Into<Cow<'static, str>>) -> PushResponse {
    PushResponse::Raw {
        line: lines.line(frame),
        why: why.into(),
    }
}

/// Why a line that does not start with `* ` is not read.
const UNTAGGED: &str = "a push carries untagged responses (\"* …\")";

/// Reads one frame (CRLF included); `line` is its text without the CRLF
/// when already known to be UTF-8.
fn parse_one(frame: &[u8], line: Option<&str>, lines: &mut Lines<'_>) -> PushResponse {
    let body = frame.strip_suffix(b"\r\n").unwrap_or(frame);
    // Valid UTF-8 is the rule; the lossy walk only for the exception.
    let text = match line.map_or_else(|| std::str::from_utf8(body).ok(), Some) {
        Some(t) => Cow::Borrowed(t),
        None => String::from_utf8_lossy(body),
    };
    let Some(payload) = text.strip_prefix("* ") else {
        return raw(lines, &text, UNTAGGED);
    };
    if let Some(r) = webpush::response::parse(payload) {
        return match r {
            Ok(ExtResponse::Select { mailbox }) => PushResponse::Select { mailbox },
            Ok(ExtResponse::Sync { word }) => PushResponse::Sync { word },
            Ok(ExtResponse::AckWebPush { token }) => PushResponse::AckWebPush {
                token: token.to_string(),
            },
            Ok(ExtResponse::Vapid { key }) => PushResponse::Vapid {
                key: key.to_string(),
            },
            Ok(ExtResponse::WebPush(i)) => PushResponse::WebPush {
                id: i.id.to_string(),
                endpoint: i.endpoint.to_string(),
                silenced: i.silenced,
            },
            Err(e) => raw(lines, &text, e.to_string()),
        };
    }
    let (first, rest) = payload.split_once(' ').unwrap_or((payload, ""));
    if first.eq_ignore_ascii_case("VANISHED") {
        return parse_vanished(rest)
            .unwrap_or_else(|| raw(lines, &text, "VANISHED [(EARLIER)] sequence-set"));
    }
    if first.eq_ignore_ascii_case("FLAGS") {
        return match flag_list(frame) {
            Some(flags) => PushResponse::Flags { flags },
            // A list that reads holds no parenthesis: only one that does
            // not can be nested too deeply.
            None if too_deep(frame) => raw(lines, &text, "FLAGS (flag-list) nested too deeply"),
            None => raw(lines, &text, "FLAGS (flag-list)"),
        };
    }
    let Some(n) = webpush::types::parse_number(first) else {
        return raw(lines, &text, "not a response a push is expected to carry");
    };
    let (kind, items) = rest.split_once(' ').unwrap_or((rest, ""));
    // The keyword compared in any case, not upper-cased into a String.
    let is = |word: &str| kind.eq_ignore_ascii_case(word);
    if items.is_empty() && is("EXISTS") {
        return PushResponse::Exists { count: n };
    }
    if items.is_empty() && is("EXPUNGE") {
        return PushResponse::Expunge { seq: n };
    }
    if !(is("UIDFETCH") || is("FETCH")) {
        return raw(lines, &text, "not a response a push is expected to carry");
    }
    // An offset into the bytes: literals may not be UTF-8, and in the
    // lossy text a replacement character is longer than the byte it
    // replaces. "* ", the number and the keyword are ASCII.
    let start = (2 + first.len() + 1 + kind.len() + 1).min(body.len());
    // Valid text is passed along: the literals in it need no check.
    let known = match &text {
        Cow::Borrowed(t) => t.get(start..),
        Cow::Owned(_) => None,
    };
    match fetch_items(&body[start..], known) {
        Ok(items) if is("UIDFETCH") => PushResponse::UidFetch { uid: n, items },
        Ok(items) => PushResponse::Fetch { seq: n, items },
        Err(why) => raw(lines, &text, format!("{kind} item list: {why}")),
    }
}

fn parse_vanished(rest: &str) -> Option<PushResponse> {
    let (earlier, set) = match rest.strip_prefix("(EARLIER) ") {
        Some(s) => (true, s),
        None => (false, rest),
    };
    let ok = !set.is_empty()
        && set.split(',').all(|r| {
            let mut it = r.splitn(2, ':');
            it.all(|n| webpush::types::parse_number(n).is_some_and(|v| v > 0))
        });
    ok.then(|| PushResponse::Vanished {
        earlier,
        uids: set.to_owned(),
    })
}

/// A tiny scanner over a parenthesized FETCH item list.
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// An item name: up to a space or ')', with `[…]` and `<…>` kept whole.
    fn name(&mut self) -> Result<&'a str, &'static str> {
        let start = self.i;
        let mut depth = 0;
        while let Some(c) = self.peek() {
            match c {
                b'[' => depth += 1,
                b']' => depth -= 1,
                b' ' | b')' if depth == 0 => break,
                _ => {}
            }
            self.i += 1;
        }
        std::str::from_utf8(&self.b[start..self.i]).map_err(|_| "item name is not ASCII")
    }

    /// A literal `{n}` / `~{n}` at the cursor: its bytes.
    fn literal(&mut self) -> Result<Option<&'a [u8]>, &'static str> {
        let save = self.i;
        self.eat(b'~');
        if !self.eat(b'{') {
            self.i = save;
            return Ok(None);
        }
        let close = self.b[self.i..]
            .iter()
            .position(|&c| c == b'}')
            .ok_or("unclosed literal size")?;
        let size: usize = std::str::from_utf8(&self.b[self.i..self.i + close])
            .ok()
            .and_then(|s| s.trim_end_matches('+').parse().ok())
            .ok_or("bad literal size")?;
        self.i += close + 1;
        if !(self.eat(b'\r') && self.eat(b'\n')) {
            return Err("no CRLF after a literal size");
        }
        let end = self
            .i
            .checked_add(size)
            .filter(|&e| e <= self.b.len())
            .ok_or("literal runs past the end")?;
        let data = &self.b[self.i..end];
        self.i = end;
        Ok(Some(data))
    }

    /// Skips one value and returns its bytes as written.
    fn value(&mut self) -> Result<&'a [u8], &'static str> {
        let start = self.i;
        match self.peek().ok_or("missing value")? {
            b'(' => {
                let mut depth = 0usize;
                loop {
                    let c = self.peek().ok_or("unbalanced parentheses")?;
                    if matches!(c, b'{' | b'~') && self.literal()?.is_some() {
                        continue;
                    }
                    match c {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                break;
                            }
                        }
                        b'"' => {
                            self.quoted()?;
                            continue;
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            b'"' => self.quoted()?,
            b'{' | b'~' => {
                self.literal()?.ok_or("bad literal")?;
            }
            _ => {
                while let Some(c) = self.peek() {
                    if c == b' ' || c == b')' {
                        break;
                    }
                    self.i += 1;
                }
            }
        }
        Ok(&self.b[start..self.i])
    }

    fn quoted(&mut self) -> Result<(), &'static str> {
        self.i += 1;
        loop {
            let rest = self.b.get(self.i..).unwrap_or_default();
            let at = rest
                .iter()
                .position(|&c| c == b'"' || c == b'\\')
                .ok_or("unterminated quoted string")?;
            self.i += at;
            if self.b[self.i] == b'"' {
                self.i += 1;
                return Ok(());
            }
            self.i += 2;
        }
    }
}

/// The string value `v`; `text` is `v` when known to be UTF-8.
fn unquote(v: &[u8], text: Option<&str>) -> Option<String> {
    unquoted(v, text).map(Cow::into_owned)
}

/// [`unquote`], borrowing what needs no unescaping.
fn unquoted<'a>(v: &'a [u8], text: Option<&'a str>) -> Option<Cow<'a, str>> {
    let mut s = Scan { b: v, i: 0 };
    if let Ok(Some(lit)) = s.literal() {
        // A slice of known text is text if it starts and ends between
        // characters, which is checked at its ends rather than throughout.
        let known = text.and_then(|t| t.get(s.i - lit.len()..s.i));
        return Some(known.map_or_else(|| utf8(lit), Cow::Borrowed));
    }
    let t = std::str::from_utf8(v).ok()?;
    if t.eq_ignore_ascii_case("NIL") {
        return None;
    }
    match t.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') => Some(Cow::Borrowed(inner)),
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or('\\')
                } else {
                    c
                });
            }
            Some(Cow::Owned(out))
        }
        None => Some(Cow::Borrowed(t)),
    }
}

/// The items of a FETCH response; `text` is `b` when known to be UTF-8.
fn fetch_items(b: &[u8], text: Option<&str>) -> Result<Items, &'static str> {
    let mut s = Scan { b, i: 0 };
    if !s.eat(b'(') {
        return Err("expected '('");
    }
    let mut items = Items::new();
    loop {
        if s.eat(b')') {
            break;
        }
        let name = s.name()?.to_ascii_uppercase();
        if name.is_empty() {
            return Err("empty item name");
        }
        if !s.eat(b' ') {
            return Err("expected a space after an item name");
        }
        // An ENVELOPE is read where it stands: skipping it first to find
        // its end read its three hundred-odd bytes twice.
        let value = if name == "ENVELOPE" {
            Item::Envelope(Box::new(envelope(&mut s)?))
        } else {
            let start = s.i;
            let v = s.value()?;
            Item::Value(item_json(&name, v, text.and_then(|t| t.get(start..s.i)))?)
        };
        items.insert(name, value);
        s.eat(b' ');
    }
    if s.i != b.len() {
        return Err("text after the item list");
    }
    Ok(items)
}

/// The value of item `upper` (its name in upper case), other than
/// ENVELOPE; `text` is `v` when known to be UTF-8.
fn item_json(upper: &str, v: &[u8], text: Option<&str>) -> Result<Value, &'static str> {
    let number = || {
        std::str::from_utf8(v)
            .ok()
            .and_then(|t| t.trim_matches(|c| c == '(' || c == ')').parse::<u64>().ok())
            .map(Value::from)
            .ok_or("expected a number")
    };
    match upper {
        "UID" | "RFC822.SIZE" | "MODSEQ" => number(),
        "FLAGS" => {
            let t = std::str::from_utf8(v).map_err(|_| "FLAGS is not ASCII")?;
            let inner = t
                .strip_prefix('(')
                .and_then(|x| x.strip_suffix(')'))
                .ok_or("FLAGS is not a list")?;
            Ok(Value::from(
                inner
                    .split(' ')
                    .filter(|f| !f.is_empty())
                    .collect::<Vec<_>>(),
            ))
        }
        _ if upper.starts_with("BINARY")
            || upper.starts_with("BODY[")
            || upper.starts_with("RFC822") =>
        {
            Ok(unquote(v, text).map_or(Value::Null, Value::from))
        }
        _ => Ok(Value::from(
            text.map_or_else(|| utf8(v).into_owned(), str::to_owned),
        )),
    }
}

/// `b` as text, replacing what is not UTF-8 (the check alone when it is,
/// which is the rule: the lossy walk is several times slower).
fn utf8(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// The flags of a `* FLAGS (flag-list)` frame (CRLF included), read as
/// `imap-proto` reads them, its leniencies included: `\*` as a flag, `]`
/// in a keyword, one space before `)`, spaces before the CRLF, any byte
/// but NUL in a flag as long as the flag is UTF-8. The same flags from the
/// same frames (a test compares the two on generated frames) without its
/// parser combinators, which cost a tenth of reading an IMAP push.
fn flag_list(frame: &[u8]) -> Option<Vec<String>> {
    let (word, b) = frame.strip_prefix(b"* ")?.split_at_checked(6)?;
    if !word.eq_ignore_ascii_case(b"FLAGS ") {
        return None;
    }
    let mut b = b.strip_prefix(b"(")?;
    let mut flags = Vec::new();
    // Flags one space apart; a space not followed by one is left.
    if let Some((flag, rest)) = flag_perm(b) {
        flags.push(flag.to_owned());
        b = rest;
        while let Some((flag, rest)) = b.strip_prefix(b" ").and_then(flag_perm) {
            flags.push(flag.to_owned());
            b = rest;
        }
    }
    let b = b.strip_prefix(b" ").unwrap_or(b).strip_prefix(b")")?;
    let spaces = b.iter().take_while(|&&c| c == b' ').count();
    b[spaces..].starts_with(b"\r\n").then_some(flags)
}

/// A flag at the start of `b` and what follows it: `\*`, or `\` and
/// atom characters, or else astring characters (`]` too).
fn flag_perm(b: &[u8]) -> Option<(&str, &[u8])> {
    let atom = webpush::types::is_atom_char_read;
    let len = if b.starts_with(b"\\*") {
        2
    } else if b.first() == Some(&b'\\') {
        1 + b[1..].iter().take_while(|&&c| atom(c)).count()
    } else {
        b.iter().take_while(|&&c| atom(c) || c == b']').count()
    };
    let flag = std::str::from_utf8(b.get(..len).filter(|f| !f.is_empty())?).ok()?;
    Some((flag, &b[len..]))
}

/// Whether `b` nests parentheses deeper than the client's parser is
/// handed them (imap-proto's parsers recurse per level; the depth is the
/// sender's choice): said of a FLAGS frame that does not read.
fn too_deep(b: &[u8]) -> bool {
    use crate::imap::response::{nesting_depth, MAX_NESTING};
    nesting_depth(b, MAX_NESTING) > MAX_NESTING
}

/// Reads an ENVELOPE value (see [`Envelope`]) at the cursor, and leaves
/// the cursor after it. Its shape is fixed (a list of address lists of
/// addresses), so the reader does not recurse, and whatever else a sender
/// nests is refused by the shape.
fn envelope(s: &mut Scan<'_>) -> Result<Envelope, &'static str> {
    const BAD: &str = "ENVELOPE does not parse";
    if !s.eat(b'(') {
        return Err(BAD);
    }
    // The fields in RFC 9051 §7.5.2's order, a space between each two.
    let space = |s: &mut Scan<'_>| s.eat(b' ').then_some(()).ok_or(BAD);
    let mut e = Envelope {
        date: s.nstring().ok_or(BAD)?,
        ..Envelope::default()
    };
    space(s)?;
    e.subject = s.nstring().ok_or(BAD)?;
    for list in [
        &mut e.from,
        &mut e.sender,
        &mut e.reply_to,
        &mut e.to,
        &mut e.cc,
        &mut e.bcc,
    ] {
        space(s)?;
        *list = s.addresses().ok_or(BAD)?;
    }
    space(s)?;
    e.in_reply_to = s.nstring().ok_or(BAD)?;
    space(s)?;
    e.message_id = s.nstring().ok_or(BAD)?;
    if !s.eat(b')') {
        return Err(BAD);
    }
    Ok(e)
}

impl<'a> Scan<'a> {
    /// A string or NIL (`None`); `None` outside when it is neither.
    fn nstring(&mut self) -> Option<Option<String>> {
        Some(self.nstr()?.map(Cow::into_owned))
    }

    /// [`Scan::nstring`], borrowing what needs no unescaping.
    fn nstr(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'"' | b'{' | b'~' => {
                let v = self.value().ok()?;
                Some(Some(unquoted(v, None)?))
            }
            _ => {
                let nil = self.b.get(self.i..self.i + 3)?;
                nil.eq_ignore_ascii_case(b"NIL").then(|| self.i += 3)?;
                Some(None)
            }
        }
    }

    /// An address list or NIL (`None` inside); `None` outside when it is
    /// neither, or an empty list.
    fn addresses(&mut self) -> Option<Option<Vec<Address>>> {
        if !self.eat(b'(') {
            return self.nstring().filter(Option::is_none).map(|_| None);
        }
        let mut list = Vec::new();
        loop {
            // Some servers put spaces between the addresses.
            while self.eat(b' ') {}
            if self.eat(b')') {
                break;
            }
            if !self.eat(b'(') {
                return None;
            }
            let name = self.nstring()?;
            let mut parts = [None, None, None];
            for part in &mut parts {
                if !self.eat(b' ') {
                    return None;
                }
                *part = self.nstr()?;
            }
            if !self.eat(b')') {
                return None;
            }
            let [_adl, mailbox, host] = parts;
            let address = match (mailbox, host) {
                (Some(m), Some(h)) => {
                    let mut a = String::with_capacity(m.len() + 1 + h.len());
                    a.push_str(&m);
                    a.push('@');
                    a.push_str(&h);
                    Some(a)
                }
                (Some(m), None) => Some(m.into_owned()),
                _ => None,
            };
            list.push(Address { address, name });
        }
        (!list.is_empty()).then_some(Some(list))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes shown as text in a failure.
    struct ByteStr(Vec<u8>);

    impl fmt::Debug for ByteStr {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Debug::fmt(&String::from_utf8_lossy(&self.0), f)
        }
    }

    /// FLAGS frames read the same as `imap-proto` reads them: the same
    /// flags, or refused by both. Frames are made of pieces around every
    /// leniency and every character class, in random sequences.
    #[test]
    fn flag_lists_read_as_imap_proto_reads_them() {
        const PIECES: &[&[u8]] = &[
            b"\\Seen",
            b"\\Answered",
            b"$Junk",
            b"\\*",
            b"\\",
            b"*",
            b"]",
            b"[",
            b"Gmail]/x",
            b" ",
            b" ",
            b" ",
            b"(",
            b")",
            b"{",
            b"}",
            b"%",
            b"\"",
            b"\\\\",
            b"\x7f",
            b"\x00",
            b"\x01",
            b"\t",
            b"\xc3\xa9",
            b"\xff",
            b"\r",
            b"\n",
            b"\r\n",
            b"a",
            b"Z9",
            b"\\*x",
        ];
        const HEADS: &[&[u8]] = &[
            b"* FLAGS (",
            b"* flags (",
            b"* FLAGS(",
            b"* FLAGS  (",
            b"* FLAGS ",
        ];
        const TAILS: &[&[u8]] = &[
            b")\r\n", b" )\r\n", b")  \r\n", b"  )\r\n", b")x\r\n", b"\r\n", b")",
        ];
        crate::differential::agree(
            200_000,
            |next| {
                // Half of the frames with the usual head and tail.
                let mut frame = HEADS[next(2) * next(HEADS.len())].to_vec();
                for _ in 0..next(7) {
                    // Mostly well-formed: a flag and a space.
                    if next(3) == 0 {
                        frame.extend_from_slice(PIECES[next(PIECES.len())]);
                    } else {
                        frame.extend_from_slice(PIECES[next(3)]);
                        frame.push(b' ');
                    }
                }
                frame.extend_from_slice(TAILS[next(2) * next(TAILS.len())]);
                ByteStr(frame)
            },
            |frame| flag_list(&frame.0),
            |frame| match imap_proto::Response::parse(&frame.0) {
                Ok((_, imap_proto::Response::MailboxData(imap_proto::MailboxDatum::Flags(f)))) => {
                    Some(f.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                }
                _ => None,
            },
        );
    }

    /// Reading is linear: a million one-line responses (12 MB) take about
    /// a second unoptimized, where copying the rest of the buffer after
    /// each response (quadratic) takes many minutes. The bound is generous
    /// for a loaded machine; the thread is left behind if it is exceeded.
    #[test]
    fn many_responses_are_read_in_linear_time() {
        let n = 1_000_000;
        let text = "* 1 EXISTS\r\n".repeat(n);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(parse_responses(text.as_bytes()));
        });
        let (responses, unterminated) = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("a million responses not read within 30 s: reading is not linear");
        assert!(!unterminated);
        assert_eq!(responses.len(), n);
        assert!(responses
            .iter()
            .all(|r| *r == PushResponse::Exists { count: 1 }));
    }

    /// Unparsed lines are quoted exactly as `{:?}` quotes them.
    #[test]
    fn debug_str_matches_debug() {
        let mut all_ascii: String = (0u8..0x80).map(char::from).collect();
        all_ascii.push_str("plain \"quoted\" back\\slash");
        for s in [all_ascii.as_str(), "", "é\u{301}\t\u{200b}", "abc"] {
            assert_eq!(DebugStr(s).to_string(), format!("{s:?}"));
        }
    }

    /// Each response's span is its frame without the CRLF, so that a RAW
    /// line is the text at its span (the JSON writer copies it from there).
    #[test]
    fn spans_are_the_frames_without_crlf() {
        let text = "x\r\n* 1 EXISTS\r\n\r\n* NOPE\r\n* 2 FETCH (BODY[] {2}\r\nab)\r\ntail";
        let c = analyze(text.as_bytes(), None);
        let frames: Vec<&str> = c.spans.frames.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            frames,
            [
                "x",
                "* 1 EXISTS",
                "",
                "* NOPE",
                "* 2 FETCH (BODY[] {2}\r\nab)",
                "tail"
            ]
        );
        for (r, span) in c.responses.iter().zip(&frames) {
            if let PushResponse::Raw { line, .. } = r {
                assert_eq!(line.as_str(), *span);
            }
        }
        let literals: Vec<&str> = c.spans.literals.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(literals, ["ab"]);
    }

    /// Frames are cut as the IMAP framer cuts them: literals, a missing
    /// final CRLF, and a literal that runs past the end.
    #[test]
    fn frames_match_the_framer() {
        for text in [
            &b"* 1 FETCH (BODY[] {5}\r\nab\r\nc FLAGS ())\r\n* 2 EXISTS\r\n"[..],
            b"* 1 EXISTS\r\n* 2 EXISTS",
            b"* 1 FETCH (BODY[] {9}\r\nab)",
            b"* 1 FETCH (BODY[] {2}\r\nab",
            b"\n\r\n* 1 EXISTS\r\n",
            b"",
        ] {
            let mut framer = crate::imap::framer::Framer::new(text.len() + 2);
            framer.extend(text);
            let mut expected = Vec::new();
            let err = loop {
                match framer.next_frame() {
                    Ok(Some(f)) => expected.push(f),
                    Ok(None) => break None,
                    Err(e) => break Some(e),
                }
            };
            let mut got = Vec::new();
            let mut pos = 0;
            let got_err = loop {
                match frame_len(&text[pos..], 0, &mut Vec::new()) {
                    Ok(Some(n)) => {
                        got.push(text[pos..pos + n].to_vec());
                        pos += n;
                    }
                    Ok(None) => break None,
                    Err(e) => break Some(e),
                }
            };
            assert_eq!(got, expected, "{:?}", String::from_utf8_lossy(text));
            assert_eq!(got_err, err);
            assert_eq!(text.len() - pos, framer.pending());
        }
    }
}
