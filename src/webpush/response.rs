//! The untagged responses of draft §6 and §9:
//!
//! ```text
//! vapid-resp      = "VAPID" SP pubkey
//! webpush-resp    = "WEBPUSH" SP subscription-id SP endpoint SP (duration / nil)
//! select-resp     = "SELECT" SP mailbox
//! ackwebpush-resp = "ACKWEBPUSH" SP ackwebpush-token
//! sync-resp       = "SYNC" [SP response-first-word]
//! ```

use serde::Serialize;

use super::types::{parse_number, AckToken, Endpoint, FieldError, SubscriptionId, VapidKey};

/// One extension response, the part after `* `.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "UPPERCASE")]
pub enum ExtResponse {
    /// §6.1: the server's VAPID public key.
    Vapid { key: VapidKey },
    /// §6.2: one subscription.
    #[serde(rename = "WEBPUSH")]
    WebPush(SubscriptionInfo),
    /// §6.4: the token to confirm a subscription with.
    #[serde(rename = "ACKWEBPUSH")]
    AckWebPush { token: AckToken },
    /// §6.5: "fetch this yourself", optionally naming the response.
    Sync { word: Option<String> },
    /// §6.3: the mailbox the following responses of a push refer to.
    Select { mailbox: String },
}

/// The fields of a `* WEBPUSH` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubscriptionInfo {
    pub id: SubscriptionId,
    pub endpoint: Endpoint,
    /// Seconds the subscription stays silenced (0: pushes flow), or `None`
    /// for NIL: the subscription is inactive (awaits ACKWEBPUSH).
    pub silenced: Option<u32>,
}

impl SubscriptionInfo {
    pub fn is_active(&self) -> bool {
        self.silenced.is_some()
    }
}

/// The wire form: `WEBPUSH <id> <endpoint> <duration / NIL>`.
impl std::fmt::Display for SubscriptionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WEBPUSH {} {} ", self.id, self.endpoint)?;
        match self.silenced {
            Some(n) => write!(f, "{n}"),
            None => f.write_str("NIL"),
        }
    }
}

/// Why an extension response did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{response} response: {field}: {source}")]
    Field {
        response: &'static str,
        field: &'static str,
        #[source]
        source: FieldError,
    },
    #[error("{response} response: expected {expected}")]
    Syntax {
        response: &'static str,
        expected: &'static str,
    },
}

/// The keywords this module owns, upper case.
pub const KEYWORDS: [&str; 5] = ["VAPID", "WEBPUSH", "ACKWEBPUSH", "SYNC", "SELECT"];

/// Parses the text after `* ` (no CRLF). Returns `None` when the response
/// is not one of the extension's, so that the caller can try the standard
/// grammar.
pub fn parse(payload: &str) -> Option<Result<ExtResponse, ParseError>> {
    let (keyword, rest) = match payload.split_once(' ') {
        Some((k, r)) => (k, Some(r)),
        None => (payload, None),
    };
    let keyword = KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(keyword))?;
    Some(parse_keyword(keyword, rest))
}

fn field<T>(
    response: &'static str,
    field: &'static str,
    r: Result<T, FieldError>,
) -> Result<T, ParseError> {
    r.map_err(|source| ParseError::Field {
        response,
        field,
        source,
    })
}

fn parse_keyword(keyword: &str, rest: Option<&str>) -> Result<ExtResponse, ParseError> {
    let syntax = |response, expected| ParseError::Syntax { response, expected };
    match keyword {
        "VAPID" => {
            let arg = rest.ok_or(syntax("VAPID", "SP pubkey"))?;
            Ok(ExtResponse::Vapid {
                key: field("VAPID", "pubkey", VapidKey::parse(arg))?,
            })
        }
        "WEBPUSH" => {
            let parts: Vec<&str> = rest.map(|r| r.split(' ').collect()).unwrap_or_default();
            let [id, endpoint, duration] = parts[..] else {
                return Err(syntax(
                    "WEBPUSH",
                    "subscription-id SP endpoint SP (duration / nil)",
                ));
            };
            let silenced = if duration.eq_ignore_ascii_case("NIL") {
                None
            } else {
                Some(parse_number(duration).ok_or(syntax("WEBPUSH", "a duration or NIL"))?)
            };
            Ok(ExtResponse::WebPush(SubscriptionInfo {
                id: field("WEBPUSH", "subscription-id", SubscriptionId::parse(id))?,
                // Accepted here even when plain http so that the user sees what
                // the server said; the checker and printer flag it.
                endpoint: field(
                    "WEBPUSH",
                    "endpoint",
                    Endpoint::parse_allowing_http(endpoint),
                )?,
                silenced,
            }))
        }
        "ACKWEBPUSH" => {
            let arg = rest.ok_or(syntax("ACKWEBPUSH", "SP ackwebpush-token"))?;
            Ok(ExtResponse::AckWebPush {
                token: field("ACKWEBPUSH", "token", AckToken::parse(arg))?,
            })
        }
        "SYNC" => match rest {
            None => Ok(ExtResponse::Sync { word: None }),
            Some(w) if !w.is_empty() && !w.contains(' ') => Ok(ExtResponse::Sync {
                word: Some(w.to_owned()),
            }),
            Some(_) => Err(syntax("SYNC", "at most one word after SYNC")),
        },
        "SELECT" => {
            let arg = rest.ok_or(syntax("SELECT", "SP mailbox"))?;
            let m =
                astring(arg).ok_or(syntax("SELECT", "a mailbox name (atom or quoted string)"))?;
            Ok(ExtResponse::Select {
                mailbox: if m.eq_ignore_ascii_case("INBOX") {
                    "INBOX".to_owned()
                } else {
                    m
                },
            })
        }
        _ => unreachable!("keyword comes from KEYWORDS"),
    }
}

/// The text of `arg` when all of it is one RFC 9051 astring (an atom, a
/// quoted string, or a literal), quoted-specials unescaped; read as
/// `imap-proto`'s `astring` reads it (a test compares the two on generated
/// text), leniencies included: atom characters as
/// [`is_atom_char_read`](super::types::is_atom_char_read) has them, `]`
/// too; a quoted string holds any byte but NUL, CR and LF. One difference:
/// a literal may not hold NUL (RFC 9051's CHAR8). Read directly: through
/// its parser combinators, and the copy they needed (a streaming parser
/// wants the CRLF back), a name took 180–240 ns, and the whole response
/// takes 50–70 ns now.
fn astring(arg: &str) -> Option<String> {
    let b = arg.as_bytes();
    match *b.first()? {
        b'"' => {
            let mut out = String::with_capacity(arg.len());
            // The start of the run of plain characters being read.
            let mut run = 1;
            let mut i = 1;
            loop {
                match *b.get(i)? {
                    b'"' => break,
                    b'\\' => {
                        let c = *b.get(i + 1).filter(|&&c| c == b'\\' || c == b'"')?;
                        out.push_str(&arg[run..i]);
                        out.push(char::from(c));
                        i += 2;
                        run = i;
                    }
                    0 | b'\r' | b'\n' => return None,
                    _ => i += 1,
                }
            }
            out.push_str(&arg[run..i]);
            (i + 1 == b.len()).then_some(out)
        }
        b'{' => {
            let close = b.iter().position(|&c| c == b'}')?;
            // Digits only (a `+` would parse), within 32 bits.
            let digits = &arg[1..close];
            if !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let size: u32 = digits.parse().ok()?;
            let data = arg[close + 1..].strip_prefix("\r\n")?;
            // CHAR8: no NUL, which imap-proto lets through (and which no
            // encoder can write back but as a literal8, which is no astring).
            (data.len() == size as usize && !data.contains('\0')).then(|| data.to_owned())
        }
        // ASTRING-CHAR: an atom character or `]`.
        _ => b
            .iter()
            .all(|&c| super::types::is_atom_char_read(c) || c == b']')
            .then(|| arg.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAPID: &str =
        "BOniQ9xHBPNY9gnQW4o-16vHqOb40pEIMifyUdFsxAgyzVkFMguxw0QrdbZcq8hRjN2zpeInRvKVPlkzABvuTnI";

    #[test]
    fn draft_examples_parse() {
        let r = parse(&format!("VAPID {VAPID}")).unwrap().unwrap();
        assert!(matches!(r, ExtResponse::Vapid { key } if key.as_str() == VAPID));

        let r = parse(
            "WEBPUSH 28626e4e-37d1-456c-a667-5258b5528508 https://push.endpoint.tld/random3 1112",
        )
        .unwrap()
        .unwrap();
        let ExtResponse::WebPush(info) = r else {
            panic!("{r:?}")
        };
        assert_eq!(info.silenced, Some(1112));
        assert_eq!(info.endpoint.as_str(), "https://push.endpoint.tld/random3");

        let r = parse("WEBPUSH x https://e/1 NIL").unwrap().unwrap();
        assert!(matches!(
            r,
            ExtResponse::WebPush(SubscriptionInfo { silenced: None, .. })
        ));

        assert_eq!(
            parse("ACKWEBPUSH 585078c5-fb8b-4ed0-8e77-474ab08f0a30")
                .unwrap()
                .unwrap(),
            ExtResponse::AckWebPush {
                token: AckToken::parse("585078c5-fb8b-4ed0-8e77-474ab08f0a30").unwrap()
            }
        );
        assert_eq!(
            parse("SYNC FLAGS").unwrap().unwrap(),
            ExtResponse::Sync {
                word: Some("FLAGS".into())
            }
        );
        assert_eq!(
            parse("SYNC").unwrap().unwrap(),
            ExtResponse::Sync { word: None }
        );
        assert_eq!(
            parse("SELECT \"New Messages\"").unwrap().unwrap(),
            ExtResponse::Select {
                mailbox: "New Messages".into()
            }
        );
        assert_eq!(
            parse("SELECT inbox").unwrap().unwrap(),
            ExtResponse::Select {
                mailbox: "INBOX".into()
            }
        );
    }

    /// Found by the webpush_response fuzz target: a literal holds CHAR8,
    /// not NUL; read, `\0` made a name the server writes back as a
    /// literal8, which SELECT's astring is not.
    #[test]
    fn select_literal_mailbox_holds_no_nul() {
        assert!(matches!(
            parse("SELECT {1}\r\n\0"),
            Some(Err(ParseError::Syntax { .. }))
        ));
        assert_eq!(
            parse("SELECT {2}\r\nab").unwrap().unwrap(),
            ExtResponse::Select {
                mailbox: "ab".into()
            }
        );
    }

    /// The server writes mailbox `a\b "c"` as `"a\\b \"c\""`; the name
    /// read back must be the one written, not its escaped form (found by
    /// the webpush_response fuzz target's encode/parse round trip).
    #[test]
    fn select_quoted_mailbox_is_unescaped() {
        assert_eq!(
            parse(r#"SELECT "a\\b \"c\"""#).unwrap().unwrap(),
            ExtResponse::Select {
                mailbox: r#"a\b "c""#.into()
            }
        );
        assert_eq!(
            parse(r#"SELECT "\\""#).unwrap().unwrap(),
            ExtResponse::Select {
                mailbox: "\\".into()
            }
        );
    }

    /// The mailbox names of SELECT, read as `imap-proto`'s `astring`
    /// reads them (what this module used before it read them itself), on
    /// generated text: atoms, quoted strings with escapes good and bad,
    /// literals of right and wrong sizes, and the bytes each forbids.
    #[test]
    fn mailbox_names_read_as_imap_proto_reads_them() {
        fn theirs(arg: &str) -> Option<String> {
            let line = format!("{arg}\r\n");
            match imap_proto::core::astring_utf8(line.as_bytes()) {
                Ok((b"\r\n", m)) if arg.starts_with('"') => {
                    let mut out = String::new();
                    let mut chars = m.chars();
                    while let Some(c) = chars.next() {
                        out.push(if c == '\\' {
                            chars.next().unwrap_or('\\')
                        } else {
                            c
                        });
                    }
                    Some(out)
                }
                // Where this reader is stricter: NUL in a literal.
                Ok((b"\r\n", m)) if m.contains('\0') => None,
                Ok((b"\r\n", m)) => Some(m.into_owned()),
                _ => None,
            }
        }
        const PIECES: &[&str] = &[
            "INBOX",
            "a",
            "Z9",
            " ",
            "\"",
            "\\",
            "\\\"",
            "\\\\",
            "{",
            "}",
            "{3}",
            "{0}",
            "{4294967296}",
            "\r\n",
            "\r",
            "\n",
            "\0",
            "\x01",
            "\t",
            "(",
            ")",
            "%",
            "*",
            "]",
            "[",
            "é",
            "\x7f",
            "+",
            "~",
            "\\t",
            "{+1}",
        ];
        const HEADS: &[&str] = &["\"", "{", "", "{1}\r\n", "{2}\r\n", "{3}\r\n", "{+1}\r\n"];
        crate::differential::agree(
            200_000,
            |next| {
                let mut arg = HEADS[next(HEADS.len())].to_owned();
                for _ in 0..next(5) {
                    // Mostly plain: a name.
                    let piece = if next(2) == 0 {
                        next(3)
                    } else {
                        next(PIECES.len())
                    };
                    arg.push_str(PIECES[piece]);
                }
                if arg.starts_with('"') && next(4) != 0 {
                    arg.push('"');
                }
                arg
            },
            |arg| astring(arg),
            |arg| theirs(arg),
        );
    }

    #[test]
    fn malformed_responses_give_typed_errors() {
        let truncated = &VAPID[..80];
        assert!(matches!(
            parse(&format!("VAPID {truncated}")),
            Some(Err(ParseError::Field {
                field: "pubkey",
                source: FieldError::Length { found: 80, .. },
                ..
            }))
        ));
        assert!(matches!(
            parse("VAPID"),
            Some(Err(ParseError::Syntax { .. }))
        ));
        assert!(matches!(
            parse("WEBPUSH a https://e/1"),
            Some(Err(ParseError::Syntax { .. }))
        ));
        assert!(matches!(
            parse("WEBPUSH a https://e/1 -3"),
            Some(Err(ParseError::Syntax { .. }))
        ));
        assert!(matches!(
            parse("WEBPUSH a ftp://e/1 0"),
            Some(Err(ParseError::Field {
                field: "endpoint",
                ..
            }))
        ));
        assert!(matches!(
            parse("ACKWEBPUSH a(b"),
            Some(Err(ParseError::Field { .. }))
        ));
        assert!(matches!(
            parse("SELECT \"unterminated"),
            Some(Err(ParseError::Syntax { .. }))
        ));
        assert!(parse("CAPABILITY IMAP4rev1").is_none());
        assert!(parse("").is_none());
    }
}
