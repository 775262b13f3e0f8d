//! Fuzz target bodies, one function per target, shared by the cargo-fuzz
//! wrappers in `fuzz/fuzz_targets/` and the corpus replay test
//! (`tests/fuzz_corpus.rs`), so that a stable `cargo test` runs every
//! committed input through exactly what the fuzzer ran.
//!
//! Each function takes arbitrary bytes and must return without panicking,
//! in bounded time. Where an encoder exists, it checks that what decodes
//! re-encodes to something that decodes to the same value. Inputs that
//! need parameters (a frame limit, a mode) take them from leading bytes.
//! Not an API: hidden from the docs, may change at any time.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::imap::framer::{FrameError, Framer};
use crate::imap::response::{self, Frame, Response, Untagged};
use crate::push::{capture, content, ece, vapid};
use crate::server::session;
use crate::server::syntax::{self, Token};
use crate::webpush::types::parse_number;
use crate::webpush::{
    self, AckToken, AuthSecret, Command, Endpoint, ExtResponse, ListPattern, P256dh, Silence,
    SubscriptionId, VapidKey,
};

/// A target body: arbitrary bytes in, a panic on a bug.
pub type Target = fn(&[u8]);

/// Every target, by the name of its corpus directory (`fuzz/corpus/<name>`).
pub const TARGETS: &[(&str, Target)] = &[
    ("imap_framer", imap_framer),
    ("imap_response", imap_response),
    ("webpush_command", webpush_command),
    ("webpush_response", webpush_response),
    ("webpush_fields", webpush_fields),
    ("webpush_list_pattern", webpush_list_pattern),
    ("server_tokens", server_tokens),
    ("server_command", server_command),
    ("push_content", push_content),
    ("push_capture", push_capture),
    ("push_ece", push_ece),
    ("push_vapid", push_vapid),
];

/// What a framer made of a byte stream: the frames, then the error that
/// stopped it (if any), then what was left unframed.
type Framed = (Vec<Vec<u8>>, Option<FrameError>, usize);

fn frame_all(max: usize, wire: &[u8], chunk: usize) -> Framed {
    let mut f = Framer::new(max);
    let mut frames = Vec::new();
    for c in wire.chunks(chunk.max(1)) {
        f.extend(c);
        loop {
            match f.next_frame() {
                Ok(Some(fr)) => frames.push(fr),
                Ok(None) => break,
                Err(e) => return (frames, Some(e), f.pending()),
            }
        }
        let _ = f.awaiting_literal();
    }
    (frames, None, f.pending())
}

/// `[max/16] [chunk] wire…`: frames `wire` fed whole and fed in chunks;
/// both must give the same frames and the same error, every frame must end
/// with CRLF and respect the limit, and the frames must be the stream.
pub fn imap_framer(data: &[u8]) {
    let [m, c, wire @ ..] = data else { return };
    let max = 16 + *m as usize * 16;
    let chunk = 1 + *c as usize;
    let whole = frame_all(max, wire, wire.len());
    let chunked = frame_all(max, wire, chunk);
    assert_eq!(whole.0, chunked.0, "frames depend on how the bytes arrive");
    assert_eq!(whole.1, chunked.1, "errors depend on how the bytes arrive");
    let (frames, err, pending) = whole;
    let mut pos = 0;
    for f in &frames {
        assert!(f.ends_with(b"\r\n"), "a frame without CRLF: {f:?}");
        assert!(f.len() <= max, "a frame of {} bytes over {max}", f.len());
        assert_eq!(&wire[pos..pos + f.len()], &f[..]);
        pos += f.len();
    }
    if err.is_none() {
        assert_eq!(pos + pending, wire.len());
    }
    for f in &frames {
        let _ = Frame::parse(f);
    }
}

/// One response frame through the client's three parsers; a frame without
/// its CRLF reads the same as with it; an extension response re-encodes.
pub fn imap_response(data: &[u8]) {
    let r = response::parse(data);
    assert_eq!(Frame::parse(data).response, r);
    if !data.ends_with(b"\r\n") {
        assert_eq!(response::parse(&[data, b"\r\n"].concat()), r);
    }
    match &r {
        Response::Tagged { line, .. } | Response::Untagged(Untagged::Status(line)) => {
            let _ = line.capabilities();
        }
        Response::Untagged(Untagged::Ext(ext)) => {
            let wire = format!("* {}\r\n", ext_wire(ext));
            assert_eq!(
                response::parse(wire.as_bytes()),
                r,
                "re-encoded as {wire:?}"
            );
        }
        _ => {}
    }
}

/// The wire form of an extension response, as the reference server writes
/// it (mailbox names in UTF-8, quoted or literal when not atoms).
fn ext_wire(r: &ExtResponse) -> String {
    match r {
        ExtResponse::Vapid { key } => format!("VAPID {key}"),
        ExtResponse::WebPush(info) => info.to_string(),
        ExtResponse::AckWebPush { token } => format!("ACKWEBPUSH {token}"),
        ExtResponse::Sync { word: None } => "SYNC".to_owned(),
        ExtResponse::Sync { word: Some(w) } => format!("SYNC {w}"),
        ExtResponse::Select { mailbox } => format!("SELECT {}", syntax::mailbox(mailbox, true)),
    }
}

/// An extension response (the text after `* `): parse, encode, parse.
pub fn webpush_response(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(Ok(r)) = webpush::response::parse(text) {
        let _ = serde_json::to_string(&r);
        let wire = ext_wire(&r);
        assert_eq!(
            webpush::response::parse(&wire),
            Some(Ok(r)),
            "re-encoded as {wire:?}"
        );
    }
}

/// A command line without its tag: parse, `Display`, parse.
pub fn webpush_command(data: &[u8]) {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let (k, a) = line.split_once(' ').unwrap_or((line, ""));
    let strict = Command::parse(k, a, false);
    let lax = Command::parse(k, a, true);
    if let Some(Ok(c)) = &strict {
        assert_eq!(lax.as_ref(), strict.as_ref(), "http-allowed parse differs");
        command_round_trip(c, false);
    }
    if let Some(Ok(c)) = &lax {
        command_round_trip(c, true);
    }
}

fn command_round_trip(c: &Command, allow_http: bool) {
    let wire = c.to_string();
    let (k, a) = wire.split_once(' ').unwrap_or((&wire, ""));
    assert_eq!(k, c.name());
    assert_eq!(
        Command::parse(k, a, allow_http),
        Some(Ok(c.clone())),
        "re-encoded as {wire:?}"
    );
}

/// The §9 newtypes: whatever parses keeps its text, and re-parses equal.
pub fn webpush_fields(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    fn same<T: std::fmt::Display>(v: &T, s: &str) {
        assert_eq!(v.to_string(), s);
    }
    if let Ok(v) = SubscriptionId::parse(s) {
        same(&v, s);
    }
    if let Ok(v) = AckToken::parse(s) {
        same(&v, s);
        let _ = v.is_uuid_v4();
    }
    if let Ok(v) = ListPattern::parse(s) {
        same(&v, s);
    }
    let lax = Endpoint::parse_allowing_http(s);
    match Endpoint::parse(s) {
        Ok(v) => {
            same(&v, s);
            assert!(v.is_https());
            assert_eq!(lax.as_ref(), Ok(&v));
        }
        Err(_) => assert!(lax.as_ref().map_or(true, |e| !e.is_https())),
    }
    if let Ok(v) = lax {
        same(&v, s);
        let origin = v.origin();
        assert!(s.starts_with(origin) && origin.len() > "http://".len());
    }
    if let Ok(v) = P256dh::parse(s) {
        same(&v, s);
        assert_eq!(P256dh::from_point(v.point()), Ok(v));
    }
    if let Ok(v) = VapidKey::parse(s) {
        same(&v, s);
        assert_eq!(VapidKey::from_point(v.point()), Ok(v));
    }
    if let Ok(v) = AuthSecret::parse(s) {
        same(&v, s);
        assert_eq!(AuthSecret::from_bytes(*v.bytes()), v);
    }
    if let Ok(v) = Silence::parse(s) {
        assert_eq!(Silence::parse(&v.to_string()), Ok(v));
    }
    if let Some(n) = parse_number(s) {
        assert_eq!(parse_number(&n.to_string()), Some(n));
    }
}

/// `pattern \n id`: LWEBPUSH matching (`ListPattern::matches`).
pub fn webpush_list_pattern(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let (p, id) = s.split_once('\n').unwrap_or((s, s));
    let (Ok(p), Ok(id)) = (ListPattern::parse(p), SubscriptionId::parse(id)) else {
        return;
    };
    let m = p.matches(&id);
    if !p.as_str().contains(['*', '%']) {
        assert_eq!(m, p.as_str() == id.as_str());
    }
    if p.as_str() == id.as_str() || p.as_str() == "*" {
        assert!(m);
    }
}

/// Writes tokens back as command arguments (strings quoted or literal).
fn tokens_wire(tokens: &[Token], utf8: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        match t {
            Token::Atom(a) => out.extend_from_slice(a.as_bytes()),
            Token::Str(s) => out.extend_from_slice(&syntax::string(s, utf8)),
            Token::List(l) => {
                out.push(b'(');
                out.extend_from_slice(&tokens_wire(l, utf8));
                out.push(b')');
            }
        }
    }
    out
}

/// The server's argument tokenizer, its string output and modified UTF-7:
/// tokens re-encode to the same tokens; strings and mailbox names written
/// by the server read back as what was written.
pub fn server_tokens(data: &[u8]) {
    if let Ok(t) = syntax::tokens(data) {
        for utf8 in [false, true] {
            let wire = tokens_wire(&t, utf8);
            assert_eq!(
                syntax::tokens(&wire).as_ref(),
                Ok(&t),
                "re-encoded as {:?}",
                String::from_utf8_lossy(&wire)
            );
        }
        for tok in &t {
            if let Some(a) = tok.atom() {
                let _ = syntax::SeqSet::parse(a, 100);
            }
        }
    }
    for utf8 in [false, true] {
        let s = syntax::string(data, utf8);
        assert_eq!(syntax::tokens(&s), Ok(vec![Token::Str(data.to_vec())]));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let enc = syntax::utf7_encode(text);
        assert!(enc.is_ascii());
        assert_eq!(syntax::utf7_decode(&enc).as_deref(), Some(text));
        if let Some(d) = syntax::utf7_decode(text) {
            assert_eq!(syntax::utf7_decode(&syntax::utf7_encode(&d)), Some(d));
        }
        if !text.is_empty() {
            for utf8 in [false, true] {
                let wire = syntax::mailbox(text, utf8);
                let t = syntax::tokens(wire.as_bytes()).expect("a mailbox name tokenizes");
                let [tok] = &t[..] else {
                    panic!("mailbox {text:?} written as {wire:?}, {} tokens", t.len())
                };
                let raw = tok.astring().expect("a mailbox name is an astring");
                let read = if utf8 {
                    Some(raw)
                } else {
                    syntax::utf7_decode(&raw)
                };
                assert_eq!(read.as_deref(), Some(text), "written as {wire:?}");
            }
        }
    }
}

/// A whole command line as the reference server reads it: tag, name
/// (`UID` prefix), then the arguments as that command parses them. The
/// extension's commands go through [`Command::parse`]; LIST matches its
/// pattern (bounded as the server bounds it) against the reference, which
/// stands in for a stored mailbox name.
pub fn server_command(data: &[u8]) {
    let Some(tag) = session::tag_of(data) else {
        return;
    };
    let rest = &data[tag.len()..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let (name, args) = session::split_word(rest);
    let mut name = name.to_ascii_uppercase();
    let mut args = args;
    if name == "UID" {
        let (sub, a) = session::split_word(args);
        name = format!("UID {}", sub.to_ascii_uppercase());
        args = a;
    }
    if Command::NAMES.contains(&name.as_str()) {
        if let Ok(text) = std::str::from_utf8(args) {
            if let Some(Ok(c)) = Command::parse(&name, text, false) {
                command_round_trip(&c, false);
            }
        }
        return;
    }
    let Ok(t) = syntax::tokens(args) else { return };
    if name == "LIST" {
        if let [reference, pattern] = &t[..] {
            if let (Some(r), Some(p)) = (reference.astring(), pattern.astring()) {
                if p.len() <= 1024 && p.matches(['*', '%']).count() <= 8 && r.len() <= 1024 {
                    let m = crate::server::syntax::list_match(p.as_bytes(), r.as_bytes(), b'/');
                    if p == r {
                        assert!(m);
                    }
                    if p.len() <= 16 && r.len() <= 16 {
                        assert_eq!(m, glob_by_backtracking(p.as_bytes(), r.as_bytes()));
                    }
                }
            }
        }
    }
    for tok in &t {
        if let Some(s) = tok.astring() {
            let _ = syntax::utf7_decode(&s);
            let _ = syntax::SeqSet::parse(&s, u32::MAX);
        }
    }
}

/// LIST matching spelled out by backtracking (exponential): on short
/// inputs, `syntax::list_match` must give the same answer.
fn glob_by_backtracking(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| glob_by_backtracking(rest, &s[i..])),
        Some((b'%', rest)) => (0..=s.len())
            .take_while(|&i| i == 0 || s[i - 1] != b'/')
            .any(|i| glob_by_backtracking(rest, &s[i..])),
        Some((c, rest)) => s.first() == Some(c) && glob_by_backtracking(rest, &s[1..]),
    }
}

/// A push plaintext read and checked, with and without §7.2 headers.
pub fn push_content(data: &[u8]) {
    let c = content::analyze(data, None);
    for r in &c.responses {
        let _ = r.to_string();
    }
    for w in &c.warnings {
        let _ = w.to_string();
    }
    let _ = serde_json::to_string(&c);
    decode_json_is_serde_json(&c);
    let headers = content::PushHeaders {
        content_encoding: Some("aes128gcm".into()),
        ttl: Some(content::RECOMMENDED_TTL),
        urgency: Some("high".into()),
        topic: Some("t".into()),
    };
    let h = content::analyze(data, Some(&headers));
    assert_eq!(h.responses, c.responses);
    let _ = content::expected_urgency(&h.responses);
}

/// `decode --json`'s line and the endpoint's `push` event for the content
/// are `serde_json`'s, byte for byte: their writer copies RAW lines and
/// literals out of the escaped plaintext at the offsets the content reader
/// recorded.
fn decode_json_is_serde_json(c: &content::Content) {
    use crate::commands::decode::{write_json, Decoded, Outcome};
    let report = crate::push::inspect::PushReport {
        encoding: "aes128gcm",
        record_size: 4096,
        records: 1,
        padding: 0,
        headers: None,
        vapid: None,
        content: c.clone(),
    };
    let ev = crate::endpoint::Event::Push(Box::new(crate::endpoint::PushEvent::new(
        report.clone(),
        "t".to_owned(),
        201,
    )));
    if let crate::endpoint::Event::Push(p) = &ev {
        let mut line = Vec::new();
        p.write_json(&mut line);
        let mut theirs = serde_json::to_vec(&ev).expect("serializable");
        theirs.push(b'\n');
        assert!(
            line == theirs,
            "push event: {}",
            String::from_utf8_lossy(&line)
        );
    }
    let o = Outcome::Decoded(Box::new(Decoded::new("f".to_owned(), report)));
    let mut mine = Vec::new();
    write_json(&o, &mut mine);
    let mut theirs = serde_json::to_vec(&o).expect("serializable");
    theirs.push(b'\n');
    assert!(
        mine == theirs,
        "{}\n{}",
        String::from_utf8_lossy(&mine),
        String::from_utf8_lossy(&theirs)
    );
}

/// Capture detection: [`capture::find`] then resolving gives what
/// [`capture::split`] gives.
pub fn push_capture(data: &[u8]) {
    let found = capture::find("f", data);
    let split = capture::split("f", data);
    assert_eq!(found.len(), split.len());
    for (f, s) in found.iter().zip(&split) {
        let f = f
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|f| f.resolve().map(std::borrow::Cow::into_owned));
        assert_eq!(&f, s);
        if let Ok(c) = s {
            if let Some(h) = &c.head {
                let _ = h.get("content-encoding");
            }
        }
    }
}

/// RFC 8291 Appendix A's user agent keys, RFC 8188 §3.1's key, and a fixed
/// sender key and salt for the encrypt-then-decrypt round trips.
struct Keys {
    ua: ece::UaKeys,
    key_8188: Vec<u8>,
    sender: Vec<u8>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let b = |s: &str| URL_SAFE_NO_PAD.decode(s).expect("a fixed key");
        let auth: [u8; 16] = b("BTBZMqHH6r4Tts7J_aSIgg").try_into().expect("16 bytes");
        Keys {
            ua: ece::UaKeys::from_private(&b("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"), auth)
                .expect("RFC 8291 key"),
            key_8188: b("yqdlZ-tYemfogSmv7Ws5PQ"),
            sender: b("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"),
        }
    })
}

/// `[mode] rest`: 0 decrypts `rest` as an RFC 8291 aes128gcm body; 1 as
/// RFC 8188 with a raw key; 2 as aesgcm, `rest` being `Encryption` LF
/// `Crypto-Key` LF body; 3 and 4 encrypt (aes128gcm, aesgcm) with
/// `rest` = `[rs] [pad] plaintext…` and must decrypt to the plaintext.
pub fn push_ece(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let k = keys();
    match mode % 5 {
        0 => {
            let _ = ece::decrypt(&k.ua, rest);
        }
        1 => {
            if let Ok((h, records)) = ece::parse_header(rest) {
                let _ = ece::decrypt_8188(&k.key_8188, &h, records);
            }
        }
        2 => {
            let mut parts = rest.splitn(3, |&c| c == b'\n');
            let (Some(enc), Some(ck), Some(body)) = (parts.next(), parts.next(), parts.next())
            else {
                return;
            };
            let enc = String::from_utf8_lossy(enc);
            let ck = String::from_utf8_lossy(ck);
            let _ =
                ece::decrypt_by_encoding(&k.ua, ece::Encoding::Aesgcm, Some(&enc), Some(&ck), body);
        }
        m => {
            let [rs, pad, plaintext @ ..] = rest else {
                return;
            };
            let opts = ece::EncryptOptions {
                rs: Some(18 + u32::from(*rs) * 16),
                pad: usize::from(*pad),
                salt: Some(*b"0123456789abcdef"),
                sender_private: Some(k.sender.clone()),
            };
            let d = if m == 3 {
                let body = ece::encrypt(k.ua.public(), k.ua.auth(), plaintext, &opts)
                    .expect("aes128gcm encrypts any plaintext");
                ece::decrypt(&k.ua, &body)
            } else {
                match ece::encrypt_aesgcm(k.ua.public(), k.ua.auth(), plaintext, &opts) {
                    Ok((body, params)) => ece::decrypt_aesgcm(&k.ua, &params, &body),
                    // Over one record: refused by design.
                    Err(ece::EceError::TooLarge(_)) => return,
                    Err(e) => panic!("aesgcm: {e}"),
                }
            };
            let d = d.expect("what was encrypted decrypts");
            assert_eq!(d.plaintext, plaintext);
            assert_eq!(d.padding, opts.pad);
        }
    }
}

fn signer() -> &'static vapid::VapidSigner {
    static SIGNER: OnceLock<vapid::VapidSigner> = OnceLock::new();
    SIGNER.get_or_init(|| {
        vapid::VapidSigner::from_private(&keys().sender).expect("a fixed VAPID key")
    })
}

/// `[mode] rest`: even modes read `rest` as `Authorization` LF
/// `Crypto-Key` and verify the credentials (RFC 8292 §2.4's time); odd
/// modes sign `rest` (`aud` LF `sub`) and must verify what they signed.
pub fn push_vapid(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (first, second) = text.split_once('\n').unwrap_or((&text, ""));
    let now = 1_453_520_000;
    if mode % 2 == 0 {
        let Some(creds) = vapid::parse_authorization(Some(first), Some(second)) else {
            return;
        };
        let expected = signer().public().clone();
        for key in [None, Some(&expected)] {
            let report = vapid::verify(
                &creds,
                &vapid::Expectations {
                    audience: Some("https://push.example.net"),
                    key,
                    now,
                },
            );
            for f in &report.findings {
                let _ = f.to_string();
            }
            let _ = serde_json::to_string(&report);
        }
    } else {
        let s = signer();
        let sub = (!second.is_empty()).then_some(second);
        let exp = now + 3600;
        let jwt = s.sign(first, exp, sub).expect("signing works");
        let auth = s.authorization(&jwt);
        let creds = vapid::parse_authorization(Some(&auth), None).expect("our own header parses");
        let report = vapid::verify(
            &creds,
            &vapid::Expectations {
                audience: Some(first),
                key: Some(s.public()),
                now,
            },
        );
        assert!(report.valid, "{:?}", report.findings);
        assert_eq!(report.aud.as_deref(), Some(first));
        assert_eq!(report.sub.as_deref(), sub);
        assert_eq!(report.exp, Some(exp));
    }
}
