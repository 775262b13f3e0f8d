//! Validated newtypes for the arguments and response fields of draft §9.
//!
//! Once a value of one of these types exists it is known to match its
//! grammar: a [`P256dh`] is 87 base64url characters that decode to an
//! uncompressed point on P-256, an [`Endpoint`] is an `https` URI without
//! white space, and so on. Each has a `parse` that returns a [`FieldError`]
//! naming what is wrong, and serializes as its wire text.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Serialize, Serializer};

/// Longest atom (subscription ID, token) we accept; the draft sets none,
/// but an unbounded atom from the network is a memory hazard.
pub const MAX_ATOM_LEN: usize = 1024;
/// Longest endpoint URI we accept (URLs past 2 KiB break many HTTP stacks).
pub const MAX_ENDPOINT_LEN: usize = 2048;

/// Why a field does not match the draft's grammar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("{what} is empty")]
    Empty { what: &'static str },
    #[error("{what} is longer than {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("{what} contains {found:?}, which an IMAP atom may not contain")]
    NotAtom { what: &'static str, found: char },
    #[error("endpoint {0:?} does not use the https scheme (draft §5.2: it MUST)")]
    NotHttps(String),
    #[error("endpoint {0:?} is not a URI: {1}")]
    BadUri(String, &'static str),
    #[error("{what} must be {expected} base64url characters, found {found}")]
    Length {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    #[error("{what} is not base64url (RFC 7515: A-Z a-z 0-9 - _, no padding)")]
    NotBase64Url { what: &'static str },
    #[error("{what} decodes to {found} bytes, expected {expected}")]
    DecodedLength {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    #[error(
        "{what} is not an uncompressed P-256 point (it must start with 0x04 and lie on the curve)"
    )]
    NotOnCurve { what: &'static str },
    #[error(
        "{what} {0:?} is not a number of seconds or \"session\"",
        what = "duration"
    )]
    BadDuration(String),
}

/// `ATOM-CHAR` of RFC 9051: any CHAR except atom-specials.
pub fn is_atom_char(c: u8) -> bool {
    c > 0x20 && c < 0x7f && !matches!(c, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
}

/// `ATOM-CHAR` as `imap-proto` reads it, for reading what servers send:
/// any byte from 0x20 up but the atom-specials, DEL and 8-bit bytes too.
pub fn is_atom_char_read(c: u8) -> bool {
    !(c < 0x20
        || matches!(
            c,
            b'(' | b')' | b'{' | b' ' | b'%' | b'*' | b'"' | b'\\' | b']'
        ))
}

fn check_atom(what: &'static str, s: &str, extra: impl Fn(u8) -> bool) -> Result<(), FieldError> {
    if s.is_empty() {
        return Err(FieldError::Empty { what });
    }
    if s.len() > MAX_ATOM_LEN {
        return Err(FieldError::TooLong {
            what,
            max: MAX_ATOM_LEN,
        });
    }
    if let Some(c) = s
        .chars()
        .find(|&c| !(c.is_ascii() && (is_atom_char(c as u8) || extra(c as u8))))
    {
        return Err(FieldError::NotAtom { what, found: c });
    }
    Ok(())
}

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The wire text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                Self::parse(s)
            }
        }
    };
}

string_newtype! {
    /// `subscription-id = atom ; Case sensitive` (§9).
    SubscriptionId
}

impl SubscriptionId {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        check_atom("subscription ID", s, |_| false)?;
        Ok(Self(s.to_owned()))
    }
}

string_newtype! {
    /// `ackwebpush-token = atom ; UUIDv4 is recommended` (§9, §6.4).
    AckToken
}

impl AckToken {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        check_atom("acknowledgement token", s, |_| false)?;
        Ok(Self(s.to_owned()))
    }

    /// §6.4: the token SHOULD be a UUIDv4 (8-4-4-4-12 hex, version nibble 4,
    /// variant 8-b).
    pub fn is_uuid_v4(&self) -> bool {
        let b = self.0.as_bytes();
        b.len() == 36
            && b.iter().enumerate().all(|(i, &c)| match i {
                8 | 13 | 18 | 23 => c == b'-',
                _ => c.is_ascii_hexdigit(),
            })
            && b[14] == b'4'
            && matches!(b[19].to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b')
    }
}

string_newtype! {
    /// The LWEBPUSH argument: `list-wildcards / subscription-id` (§9). An
    /// atom in which `*` and `%` are allowed.
    ListPattern
}

impl ListPattern {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        check_atom("LWEBPUSH pattern", s, |c| c == b'*' || c == b'%')?;
        Ok(Self(s.to_owned()))
    }

    /// Whether `id` matches: `*` matches any run of characters, `%` too
    /// (subscription IDs have no hierarchy), anything else exactly.
    ///
    /// The classic two-pointer wildcard match: on a mismatch only the last
    /// wildcard is widened, never an earlier one, so the work is at most
    /// pattern × ID steps however many wildcards a client writes (a
    /// backtracking matcher is exponential in them).
    pub fn matches(&self, id: &SubscriptionId) -> bool {
        let (p, s) = (self.0.as_bytes(), id.0.as_bytes());
        let wild = |i: usize| matches!(p.get(i), Some(b'*' | b'%'));
        let (mut pi, mut si) = (0, 0);
        // After the last wildcard seen: the pattern position following it,
        // and how much of the ID it has swallowed up to.
        let mut resume: Option<(usize, usize)> = None;
        while si < s.len() {
            if wild(pi) {
                pi += 1;
                resume = Some((pi, si));
            } else if p.get(pi) == Some(&s[si]) {
                pi += 1;
                si += 1;
            } else if let Some((rp, rs)) = resume {
                pi = rp;
                si = rs + 1;
                resume = Some((rp, rs + 1));
            } else {
                return false;
            }
        }
        while wild(pi) {
            pi += 1;
        }
        pi == p.len()
    }
}

string_newtype! {
    /// `endpoint = "https://" text ; Case sensitive` (§9). The push resource
    /// URI of RFC 8030. [`Endpoint::parse`] accepts only `https`;
    /// [`Endpoint::parse_allowing_http`] is the one named way to accept a
    /// plain `http` URI, for loopback testing.
    Endpoint
}

impl Endpoint {
    /// An `https://` URI with a non-empty authority and no white space or
    /// control characters.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let e = Self::parse_allowing_http(s)?;
        if !e.is_https() {
            return Err(FieldError::NotHttps(s.to_owned()));
        }
        Ok(e)
    }

    /// Like [`Endpoint::parse`] but also accepts `http://`. The draft forbids
    /// it; only tests on loopback and `serve --allow-http-endpoints` use it.
    pub fn parse_allowing_http(s: &str) -> Result<Self, FieldError> {
        if s.is_empty() {
            return Err(FieldError::Empty { what: "endpoint" });
        }
        if s.len() > MAX_ENDPOINT_LEN {
            return Err(FieldError::TooLong {
                what: "endpoint",
                max: MAX_ENDPOINT_LEN,
            });
        }
        let rest = if let Some(r) = s.strip_prefix("https://") {
            r
        } else if let Some(r) = s.strip_prefix("http://") {
            r
        } else {
            return Err(FieldError::NotHttps(s.to_owned()));
        };
        if s.bytes().any(|c| c <= 0x20 || c >= 0x7f) {
            return Err(FieldError::BadUri(
                s.to_owned(),
                "it contains white space, a control or a non-ASCII character",
            ));
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host.is_empty() || host.starts_with(':') {
            return Err(FieldError::BadUri(s.to_owned(), "it has no host"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// `scheme://host[:port]`: the `aud` a VAPID JWT must carry (RFC 8292 §2).
    pub fn origin(&self) -> &str {
        let after = self.0.find("://").map_or(0, |i| i + 3);
        let end = self.0[after..]
            .find(['/', '?', '#'])
            .map_or(self.0.len(), |i| after + i);
        &self.0[..end]
    }
}

/// An uncompressed P-256 public key, base64url: `pubkey = 87(base64url-char)`.
#[derive(Clone, PartialEq, Eq, Hash)]
struct EcKey {
    text: String,
    point: [u8; 65],
}

impl EcKey {
    fn parse(what: &'static str, s: &str) -> Result<Self, FieldError> {
        let bytes = decode_b64url(what, s, 87, 65)?;
        let point: [u8; 65] = bytes
            .try_into()
            .map_err(|_| FieldError::NotOnCurve { what })?;
        if point[0] != 0x04 || p256::PublicKey::from_sec1_bytes(&point).is_err() {
            return Err(FieldError::NotOnCurve { what });
        }
        Ok(Self {
            text: s.to_owned(),
            point,
        })
    }
}

/// Checks that `s` is `chars` base64url characters decoding to `bytes` bytes.
fn decode_b64url(
    what: &'static str,
    s: &str,
    chars: usize,
    bytes: usize,
) -> Result<Vec<u8>, FieldError> {
    if !s
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    {
        return Err(FieldError::NotBase64Url { what });
    }
    if s.len() != chars {
        return Err(FieldError::Length {
            what,
            expected: chars,
            found: s.len(),
        });
    }
    let v = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| FieldError::NotBase64Url { what })?;
    if v.len() != bytes {
        return Err(FieldError::DecodedLength {
            what,
            expected: bytes,
            found: v.len(),
        });
    }
    Ok(v)
}

macro_rules! key_newtype {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(EcKey);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, FieldError> {
                EcKey::parse($what, s).map(Self)
            }

            /// From the 65 bytes of an uncompressed SEC1 point.
            pub fn from_point(point: &[u8]) -> Result<Self, FieldError> {
                Self::parse(&URL_SAFE_NO_PAD.encode(point))
            }

            /// The base64url wire text.
            pub fn as_str(&self) -> &str {
                &self.0.text
            }

            /// The 65-byte uncompressed point (0x04 ‖ X ‖ Y).
            pub fn point(&self) -> &[u8; 65] {
                &self.0.point
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0.text)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0.text)
            }
        }

        impl std::str::FromStr for $name {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                Self::parse(s)
            }
        }
    };
}

key_newtype! {
    /// The user agent's ECDH public key (§5.2, RFC 8291 `p256dh`).
    P256dh, "P256DH key"
}

key_newtype! {
    /// The server's VAPID public key (§6.1, RFC 8292 `k`).
    VapidKey, "VAPID key"
}

/// The 16-byte authentication secret (§5.2, RFC 8291 `auth`):
/// `auth = 22(base64url-char)`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AuthSecret {
    text: String,
    bytes: [u8; 16],
}

impl AuthSecret {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let v = decode_b64url("auth secret", s, 22, 16)?;
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&v);
        Ok(Self {
            text: s.to_owned(),
            bytes,
        })
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self {
            text: URL_SAFE_NO_PAD.encode(bytes),
            bytes,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn bytes(&self) -> &[u8; 16] {
        &self.bytes
    }
}

impl fmt::Display for AuthSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for AuthSecret {
    // The auth secret is shared with the mail server but should not end up
    // in logs: anyone holding it and the private key reads the pushes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthSecret(***)")
    }
}

impl Serialize for AuthSecret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl std::str::FromStr for AuthSecret {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Self::parse(s)
    }
}

/// The SILWEBPUSH argument: `duration / "session"` (§5.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Silence {
    /// Silence for this many seconds; 0 re-enables pushes.
    Seconds(u32),
    /// Silence while this connection lives (not shown in WEBPUSH responses).
    Session,
}

impl Silence {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        if s.eq_ignore_ascii_case("session") {
            return Ok(Self::Session);
        }
        parse_number(s)
            .map(Self::Seconds)
            .ok_or_else(|| FieldError::BadDuration(s.to_owned()))
    }
}

impl fmt::Display for Silence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Seconds(n) => write!(f, "{n}"),
            Self::Session => f.write_str("session"),
        }
    }
}

impl std::str::FromStr for Silence {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Self::parse(s)
    }
}

/// A random UUIDv4 (RFC 9562 §5.4), the form §6.4 recommends for tokens
/// and that subscription IDs usually take.
pub fn new_uuid_v4() -> String {
    use aws_lc_rs::rand::{SecureRandom, SystemRandom};
    let mut b = [0u8; 16];
    // The system RNG fails only when the OS has no randomness at all.
    let _ = SystemRandom::new().fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// RFC 9051 `number`: 1*DIGIT, an unsigned 32-bit value.
pub fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";

    #[test]
    fn draft_example_fields_parse() {
        assert!(P256dh::parse(KEY).is_ok());
        assert_eq!(
            AuthSecret::parse("BTBZMqHH6r4Tts7J_aSIgg")
                .unwrap()
                .bytes()
                .len(),
            16
        );
        assert!(SubscriptionId::parse("a8282bf9-6102-4e1b-bb61-d26d0e532e65").is_ok());
        assert!(AckToken::parse("585078c5-fb8b-4ed0-8e77-474ab08f0a30")
            .unwrap()
            .is_uuid_v4());
    }

    #[test]
    fn keys_off_the_curve_or_short_are_refused() {
        assert_eq!(
            P256dh::parse(&KEY[..86]),
            Err(FieldError::Length {
                what: "P256DH key",
                expected: 87,
                found: 86
            })
        );
        // Change one character of X: same length, decodes, but the point is
        // no longer on the curve.
        let mut bad = KEY.to_owned();
        bad.replace_range(20..21, "A");
        assert_eq!(
            P256dh::parse(&bad),
            Err(FieldError::NotOnCurve { what: "P256DH key" })
        );
        assert!(matches!(
            P256dh::parse(&KEY.replace('_', "+")),
            Err(FieldError::NotBase64Url { .. })
        ));
    }

    #[test]
    fn endpoints_must_be_https_uris() {
        let e = Endpoint::parse("https://push.example.net:8443/push/x?y").unwrap();
        assert_eq!(e.origin(), "https://push.example.net:8443");
        assert!(matches!(
            Endpoint::parse("http://x/"),
            Err(FieldError::NotHttps(_))
        ));
        assert!(matches!(
            Endpoint::parse("https:///x"),
            Err(FieldError::BadUri(..))
        ));
        assert!(matches!(
            Endpoint::parse("https://a b"),
            Err(FieldError::BadUri(..))
        ));
        assert!(Endpoint::parse_allowing_http("http://127.0.0.1:1/p").is_ok());
    }

    #[test]
    fn atoms_refuse_specials() {
        assert!(matches!(
            SubscriptionId::parse("a b"),
            Err(FieldError::NotAtom { found: ' ', .. })
        ));
        assert!(matches!(
            SubscriptionId::parse("a*"),
            Err(FieldError::NotAtom { found: '*', .. })
        ));
        assert!(SubscriptionId::parse("").is_err());
        assert!(ListPattern::parse("a*").is_ok());
    }

    #[test]
    fn list_patterns_match() {
        let id = SubscriptionId::parse("a8282bf9-6102").unwrap();
        for (p, m) in [
            ("*", true),
            ("a8*", true),
            ("%02", true),
            ("a8282bf9-6102", true),
            ("b*", false),
            ("a8282bf9", false),
        ] {
            assert_eq!(ListPattern::parse(p).unwrap().matches(&id), m, "{p}");
        }
    }

    /// The backtracking definition, for comparison on small inputs.
    fn matches_slow(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((b'*' | b'%', rest)) => (0..=s.len()).any(|i| matches_slow(rest, &s[i..])),
            Some((c, rest)) => s.first() == Some(c) && matches_slow(rest, &s[1..]),
        }
    }

    #[test]
    fn list_patterns_agree_with_backtracking() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        for _ in 0..20_000 {
            let p: String = (0..1 + next(7))
                .map(|_| ['a', 'b', '*', '%'][next(4)])
                .collect();
            let s: String = (0..1 + next(9)).map(|_| ['a', 'b'][next(2)]).collect();
            let pattern = ListPattern::parse(&p).unwrap();
            let id = SubscriptionId::parse(&s).unwrap();
            assert_eq!(
                pattern.matches(&id),
                matches_slow(p.as_bytes(), s.as_bytes()),
                "{p} against {s}"
            );
        }
    }

    #[test]
    fn pathological_list_patterns_finish() {
        // Exponential for a backtracking matcher (20 s and more); here at
        // most pattern × ID steps.
        let id = SubscriptionId::parse(&"a".repeat(1024)).unwrap();
        for p in ["%%%%%%%%%%!", "******b", &format!("{}b", "*a".repeat(200))] {
            assert!(!ListPattern::parse(p).unwrap().matches(&id), "{p}");
        }
        assert!(ListPattern::parse("*a*%a").unwrap().matches(&id));
    }

    #[test]
    fn silence_parses() {
        assert_eq!(Silence::parse("10"), Ok(Silence::Seconds(10)));
        assert_eq!(Silence::parse("session"), Ok(Silence::Session));
        assert!(Silence::parse("-1").is_err());
        assert!(Silence::parse("99999999999").is_err());
    }
}
