//! Known answers from the RFCs (`../shared/vectors/rfc-vectors.json`,
//! embedded here as constants so the crate's tests stand alone) and
//! round trips.

use super::b64;
use super::ece::{self, EceError, EncryptOptions, UaKeys};

// RFC 8291 Appendix A.
const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const UA_PUBLIC: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";
const PLAIN: &[u8] = b"When I grow up, I want to be a watermelon";

fn ua() -> UaKeys {
    UaKeys::from_private(
        &b64::decode(UA_PRIVATE).unwrap(),
        b64::decode(AUTH).unwrap().try_into().unwrap(),
    )
    .unwrap()
}

#[test]
fn rfc8291_appendix_a_decrypts() {
    let keys = ua();
    assert_eq!(b64::encode(keys.public()), UA_PUBLIC);
    let d = ece::decrypt(&keys, &b64::decode(BODY).unwrap()).unwrap();
    assert_eq!(d.plaintext, PLAIN);
    assert_eq!((d.record_size, d.records, d.padding), (4096, 1, 0));
}

#[test]
fn rfc8291_appendix_a_encrypts_byte_for_byte() {
    let opts = EncryptOptions {
        salt: Some(b64::decode(SALT).unwrap().try_into().unwrap()),
        sender_private: Some(b64::decode(AS_PRIVATE).unwrap()),
        ..EncryptOptions::default()
    };
    let body = ece::encrypt(&b64::decode(UA_PUBLIC).unwrap(), ua().auth(), PLAIN, &opts).unwrap();
    assert_eq!(b64::encode(&body), BODY);
}

#[test]
fn rfc8188_examples_decrypt() {
    // §3.1: rs 4096, empty key ID; §3.2: rs 25, key ID "a1", two records.
    for (encoded, key) in [
        ("I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg", "yqdlZ-tYemfogSmv7Ws5PQ"),
        ("uNCkWiNYzKTnBN9ji3-qWAAAABkCYTHOG8chz_gnvgOqdGYovxyjuqRyJFjEDyoF1Fvkj6hQPdPHI51OEUKEpgz3SsLWIqS_uA", "BO3ZVPxUlnLORbVGMpbT1Q"),
    ] {
        let body = b64::decode(encoded).unwrap();
        let (header, records) = ece::parse_header(&body).unwrap();
        let d = ece::decrypt_8188(&b64::decode(key).unwrap(), &header, records).unwrap();
        assert_eq!(d.plaintext, b"I am the walrus");
    }
}

#[test]
fn round_trips_over_sizes_record_sizes_and_padding() {
    let keys = UaKeys::generate().unwrap();
    // A deterministic spread of cases instead of all 3994 × 4079: every
    // size near record boundaries, plus a stride through the rest.
    let sizes: Vec<usize> = (0..40)
        .chain((40..3994).step_by(97))
        .chain([3992, 3993])
        .collect();
    for (i, &n) in sizes.iter().enumerate() {
        let plain: Vec<u8> = (0..n).map(|j| (j * 31 + i) as u8).collect();
        for rs in [18u32, 19, 25, 100, 4096] {
            let pad = (i * 7) % 50;
            let opts = EncryptOptions {
                rs: Some(rs),
                pad,
                ..Default::default()
            };
            let body = ece::encrypt(keys.public(), keys.auth(), &plain, &opts).unwrap();
            let d = ece::decrypt(&keys, &body)
                .unwrap_or_else(|e| panic!("n={n} rs={rs} pad={pad}: {e}"));
            assert_eq!(d.plaintext, plain, "n={n} rs={rs}");
            assert_eq!(d.padding, pad, "n={n} rs={rs}");
        }
    }
}

#[test]
fn legacy_aesgcm_round_trips() {
    let keys = UaKeys::generate().unwrap();
    for (n, pad) in [(0, 0), (41, 0), (100, 7), (3993, 100)] {
        let plain = vec![b'x'; n];
        let (body, params) = ece::encrypt_aesgcm(
            keys.public(),
            keys.auth(),
            &plain,
            &EncryptOptions {
                pad,
                ..Default::default()
            },
        )
        .unwrap();
        let enc = format!("salt={}", b64::encode(&params.salt));
        let ck = format!("dh={};p256ecdsa=BOgus", b64::encode(&params.dh));
        let parsed = ece::AesGcmParams::from_headers(&enc, &ck).unwrap();
        let d = ece::decrypt_aesgcm(&keys, &parsed, &body).unwrap();
        assert_eq!((d.plaintext, d.padding), (plain, pad));
    }
}

#[test]
fn tampering_gives_typed_errors() {
    let keys = ua();
    let body = b64::decode(BODY).unwrap();
    let mut flipped = body.clone();
    *flipped.last_mut().unwrap() ^= 1;
    assert_eq!(
        ece::decrypt(&keys, &flipped),
        Err(EceError::Decrypt { record: 0 })
    );
    assert_eq!(
        ece::decrypt(&keys, &body[..10]),
        Err(EceError::Truncated(10))
    );
    assert_eq!(
        ece::decrypt(&keys, &body[..86]),
        Err(EceError::NoLastRecord)
    );
    assert_eq!(
        ece::decrypt(&keys, &body[..100]),
        Err(EceError::ShortRecord { record: 0 })
    );
    let wrong_auth = UaKeys::from_private(&b64::decode(UA_PRIVATE).unwrap(), [0; 16]).unwrap();
    assert_eq!(
        ece::decrypt(&wrong_auth, &body),
        Err(EceError::Decrypt { record: 0 })
    );
    assert_eq!(
        ece::decrypt(&UaKeys::generate().unwrap(), &body),
        Err(EceError::Decrypt { record: 0 })
    );
    let mut small_rs = body.clone();
    small_rs[16..20].copy_from_slice(&17u32.to_be_bytes());
    assert_eq!(
        ece::decrypt(&keys, &small_rs),
        Err(EceError::RecordSizeTooSmall(17))
    );
    let mut bad_id = body.clone();
    bad_id[20] = 3;
    assert_eq!(ece::decrypt(&keys, &bad_id), Err(EceError::BadKeyId(3)));
    let mut off_curve = body.clone();
    off_curve[30] ^= 0x55;
    assert_eq!(ece::decrypt(&keys, &off_curve), Err(EceError::BadSenderKey));
    assert!(UaKeys::from_private(&[0u8; 32], [0; 16]).is_err());
    assert!(UaKeys::from_private(&[1u8; 5], [0; 16]).is_err());
    // Garbage of every small length: an error, never a panic.
    for n in 0..200 {
        assert!(ece::decrypt(&keys, &vec![0xA5; n]).is_err());
    }
}

#[test]
fn padding_rules_are_enforced() {
    // Build records by hand with the RFC 8188 §3.1 key so the delimiter
    // and padding can be wrong on purpose.
    let ikm = b64::decode("yqdlZ-tYemfogSmv7Ws5PQ").unwrap();
    let salt = [7u8; 16];
    let good = ece::encrypt_8188(&ikm, &salt, 4096, b"", b"hi", 3).unwrap();
    let (h, r) = ece::parse_header(&good).unwrap();
    assert_eq!(ece::decrypt_8188(&ikm, &h, r).unwrap().padding, 3);
    // Two records where the first claims to be last.
    let two = ece::encrypt_8188(&ikm, &salt, 18, b"", b"ab", 0).unwrap();
    let (h2, r2) = ece::parse_header(&two).unwrap();
    assert_eq!(ece::decrypt_8188(&ikm, &h2, r2).unwrap().records, 2);
    // Drop the last record: the payload ends without a 0x02 delimiter.
    assert_eq!(
        ece::decrypt_8188(&ikm, &h2, &r2[..18]),
        Err(EceError::NoLastRecord)
    );
}

mod vapid {
    use crate::push::vapid::{parse_authorization, verify, Expectations, Finding, VapidSigner};
    use crate::webpush::VapidKey;

    const NOW: u64 = 1_800_000_000;

    fn check(
        header: &str,
        aud: Option<&str>,
        key: Option<&VapidKey>,
    ) -> crate::push::vapid::VapidReport {
        let creds = parse_authorization(Some(header), None).expect("credentials");
        verify(
            &creds,
            &Expectations {
                audience: aud,
                key,
                now: NOW,
            },
        )
    }

    #[test]
    fn rfc8292_example_verifies_but_has_expired() {
        let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1haWx0bzpwdXNoQGV4YW1wbGUuY29tIn0.i3CYb7t4xfxCDquptFOepC9GAu_HLGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA";
        let k = "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs";
        let r = check(
            &format!("vapid t={jwt}, k={k}"),
            Some("https://push.example.net"),
            None,
        );
        assert_eq!(
            r.findings,
            vec![Finding::Expired {
                exp: 1453523768,
                now: NOW
            }]
        );
        assert_eq!(r.sub.as_deref(), Some("mailto:push@example.com"));
        // The older scheme carries the same JWT and the key in Crypto-Key.
        let creds = parse_authorization(
            Some(&format!("WebPush {jwt}")),
            Some(&format!("dh=abc;p256ecdsa={k}")),
        )
        .unwrap();
        let r = verify(
            &creds,
            &Expectations {
                audience: None,
                key: None,
                now: 1453523000,
            },
        );
        assert!(r.valid && r.findings.is_empty(), "{r:?}");
    }

    #[test]
    fn each_problem_is_named() {
        let s = VapidSigner::generate().unwrap();
        let other = VapidSigner::generate().unwrap();
        let aud = "https://push.example.net";
        let h = |jwt: String| s.authorization(&jwt);
        let ok = check(
            &h(s.sign(aud, NOW + 3600, Some("mailto:a@b.example")).unwrap()),
            Some(aud),
            Some(s.public()),
        );
        assert!(ok.valid && ok.findings.is_empty(), "{ok:?}");

        let wrong_key = check(
            &h(s.sign(aud, NOW + 3600, Some("mailto:a@b")).unwrap()),
            Some(aud),
            Some(other.public()),
        );
        assert!(!wrong_key.valid);
        assert!(matches!(wrong_key.findings[..], [Finding::WrongKey { .. }]));

        // Signed by another key but claiming ours: the signature fails.
        let forged = format!(
            "vapid t={}, k={}",
            other.sign(aud, NOW + 60, Some("mailto:a@b")).unwrap(),
            s.public()
        );
        assert_eq!(
            check(&forged, Some(aud), None).findings,
            vec![Finding::BadSignature]
        );

        let wrong_aud = check(
            &h(s.sign("https://evil.example", NOW + 60, Some("mailto:a@b"))
                .unwrap()),
            Some(aud),
            None,
        );
        assert!(matches!(
            wrong_aud.findings[..],
            [Finding::WrongAudience { .. }]
        ));

        let past = check(
            &h(s.sign(aud, NOW - 1, Some("mailto:a@b")).unwrap()),
            Some(aud),
            None,
        );
        assert!(matches!(past.findings[..], [Finding::Expired { .. }]) && !past.valid);

        let far = check(
            &h(s.sign(aud, NOW + 25 * 3600, Some("mailto:a@b")).unwrap()),
            Some(aud),
            None,
        );
        assert_eq!(
            far.findings,
            vec![Finding::ExpTooFar {
                seconds_ahead: 25 * 3600
            }]
        );

        // Departures from the RFC that leave the claim trustworthy: named,
        // yet valid.
        assert!(far.valid, "{far:?}");
        // RFC 8292 §2: not *more* than 24 hours ahead; 24 h exactly is fine.
        for (ahead, flagged) in [(2 * 3600, false), (24 * 3600, false), (24 * 3600 + 1, true)] {
            let r = check(
                &h(s.sign(aud, NOW + ahead, Some("mailto:a@b")).unwrap()),
                Some(aud),
                None,
            );
            assert_eq!(!r.findings.is_empty(), flagged, "{ahead}: {r:?}");
            assert!(r.valid, "{ahead}: {r:?}");
        }

        let no_sub = check(&h(s.sign(aud, NOW + 60, None).unwrap()), Some(aud), None);
        assert_eq!(no_sub.findings, vec![Finding::MissingSub]);
        assert!(no_sub.valid);

        let bad_sub = check(
            &h(s.sign(aud, NOW + 60, Some("ftp://x")).unwrap()),
            Some(aud),
            None,
        );
        assert!(matches!(bad_sub.findings[..], [Finding::BadSub { .. }]));
        assert!(bad_sub.valid);

        for bad in [
            "vapid t=abc, k=def",
            &format!("vapid t=a.b.c, k={}", s.public()),
            &format!("vapid t=e30.e30.AAAA, k={}", s.public()),
        ] {
            let r = check(bad, None, None);
            assert!(!r.valid, "{bad}");
            assert!(
                matches!(
                    r.findings[..],
                    [Finding::Malformed { .. }] | [Finding::WrongAlgorithm { .. }]
                ),
                "{bad}: {r:?}"
            );
        }
        assert!(parse_authorization(Some("Bearer x"), None).is_none());
        assert!(parse_authorization(Some("vapid k=x"), None).is_none());
    }

    #[test]
    fn signer_round_trips_its_private_key() {
        let s = VapidSigner::generate().unwrap();
        let again = VapidSigner::from_private(s.private_scalar().unwrap().expose()).unwrap();
        assert_eq!(s.public(), again.public());
    }
}

mod content {
    use crate::push::content::{analyze, PushHeaders, PushResponse, Warning};
    use serde_json::json;

    fn responses(text: &str) -> Vec<serde_json::Value> {
        let c = analyze(text.as_bytes(), None);
        assert!(c.warnings.is_empty(), "{text}: {:?}", c.warnings);
        c.responses
            .iter()
            .map(|r| serde_json::to_value(r).unwrap())
            .collect()
    }

    #[test]
    fn draft_7_1_multiple_responses() {
        let r = responses("* SELECT INBOX\r\n* 20 UIDFETCH (UID 20)\r\n* VANISHED 1,3\r\n* SELECT \"New Messages\"\r\n* VANISHED 4\r\n");
        assert_eq!(
            r,
            vec![
                json!({"type": "SELECT", "mailbox": "INBOX"}),
                json!({"type": "UIDFETCH", "uid": 20, "items": {"UID": 20}}),
                json!({"type": "VANISHED", "earlier": false, "uids": "1,3"}),
                json!({"type": "SELECT", "mailbox": "New Messages"}),
                json!({"type": "VANISHED", "earlier": false, "uids": "4"}),
            ]
        );
    }

    #[test]
    fn draft_7_1_envelope() {
        let text = "* SELECT \"New Messages\"\r\n* 3 UIDFETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" \"afternoon meeting\" ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) ((NIL NIL \"mooch\" \"owatagu.siam.edu.example\")) NIL NIL NIL \"<B27397-0100000@Blurdybloop.example>\"))\r\n";
        let r = responses(text);
        let env = &r[1]["items"]["ENVELOPE"];
        assert_eq!(env["subject"], "afternoon meeting");
        assert_eq!(
            env["from"][0],
            json!({"name": "Fred Foobar", "address": "foobar@Blurdybloop.example"})
        );
        assert_eq!(env["to"][0]["address"], "mooch@owatagu.siam.edu.example");
        assert_eq!(env["message_id"], "<B27397-0100000@Blurdybloop.example>");
    }

    /// ENVELOPE strings read as their text: a quoted string loses its
    /// escapes (it kept them, as imap-proto hands them over), a literal is
    /// taken whole, NIL is null, and a group's start (no host) is its name.
    #[test]
    fn envelope_strings_are_unescaped() {
        let text = "* SELECT INBOX\r\n* 3 UIDFETCH (UID 3 ENVELOPE (NIL \"a \\\"b\\\" \\\\c\" ((\"O\\\"Neil\" NIL \"o\" \"x.example\")(NIL NIL \"team\" NIL)) NIL NIL (({4}\r\nP (q NIL \"p\" \"y.example\")) NIL NIL \"<r>\" nil))\r\n";
        let r = responses(text);
        let env = &r[1]["items"]["ENVELOPE"];
        assert_eq!(
            *env,
            json!({
                "date": null,
                "subject": "a \"b\" \\c",
                "from": [
                    {"name": "O\"Neil", "address": "o@x.example"},
                    {"name": null, "address": "team"},
                ],
                "sender": null,
                "reply_to": null,
                "to": [{"name": "P (q", "address": "p@y.example"}],
                "cc": null,
                "bcc": null,
                "in_reply_to": "<r>",
                "message_id": null,
            }),
            "{env}"
        );
        // Not the shape of an envelope: raw, with the reason.
        for bad in [
            "(NIL)",
            "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
            "(NIL NIL () NIL NIL NIL NIL NIL NIL NIL)",
            "(NIL NIL ((NIL NIL \"m\")) NIL NIL NIL NIL NIL NIL NIL)",
            "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NILS)",
            "(\"unterminated NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
        ] {
            let why = why_raw(&format!(
                "* SELECT INBOX\r\n* 1 UIDFETCH (ENVELOPE {bad} UID 1)\r\n"
            ));
            assert!(
                why.contains("ENVELOPE does not parse") || why.contains("item list"),
                "{bad}: {why}"
            );
        }
    }

    #[test]
    fn sync_ack_binary_flags_and_modseq() {
        assert_eq!(
            responses("* SELECT INBOX\r\n* SYNC EXISTS\r\n")[1],
            json!({"type": "SYNC", "word": "EXISTS"})
        );
        assert_eq!(
            responses("* SYNC\r\n")[0],
            json!({"type": "SYNC", "word": null})
        );
        assert_eq!(
            responses("* ACKWEBPUSH 585078c5-fb8b-4ed0-8e77-474ab08f0a30\r\n")[0],
            json!({"type": "ACKWEBPUSH", "token": "585078c5-fb8b-4ed0-8e77-474ab08f0a30"})
        );
        let r = responses("* SELECT INBOX\r\n* 7 UIDFETCH (UID 7 FLAGS (\\Seen $Junk) MODSEQ (12345) BINARY[] {12}\r\nHello\r\nWorld)\r\n* 2 FETCH (FLAGS ())\r\n* FLAGS (\\Seen \\Answered)\r\n* 4 EXISTS\r\n* 3 EXPUNGE\r\n");
        assert_eq!(
            r[1]["items"],
            json!({"UID": 7, "FLAGS": ["\\Seen", "$Junk"], "MODSEQ": 12345, "BINARY[]": "Hello\r\nWorld"})
        );
        assert_eq!(
            r[2],
            json!({"type": "FETCH", "seq": 2, "items": {"FLAGS": []}})
        );
        assert_eq!(
            r[3],
            json!({"type": "FLAGS", "flags": ["\\Seen", "\\Answered"]})
        );
        assert_eq!(r[4], json!({"type": "EXISTS", "count": 4}));
        assert_eq!(r[5], json!({"type": "EXPUNGE", "seq": 3}));
        // A literal of text that is not ASCII, then another item.
        let r =
            responses("* SELECT INBOX\r\n* 1 UIDFETCH (BINARY[1] ~{8}\r\nZoë\t\"x\" UID 1)\r\n");
        assert_eq!(r[1]["items"], json!({"BINARY[1]": "Zoë\t\"x\"", "UID": 1}));
    }

    #[test]
    fn rules_are_named() {
        let c = analyze(b"* 3 UIDFETCH (UID 3)\r\n", None);
        assert_eq!(
            c.warnings,
            vec![Warning::NoSelectBefore {
                response: "UIDFETCH"
            }]
        );
        let long = format!(
            "* SELECT INBOX\r\n* 3 UIDFETCH (UID 3 BINARY[] \"{}\")\r\n",
            "x".repeat(4000)
        );
        let c = analyze(long.as_bytes(), None);
        assert!(
            matches!(c.warnings[..], [Warning::TooLong { .. }]),
            "{:?}",
            c.warnings
        );
        let c = analyze(b"* HELLO there\r\n", None);
        assert!(matches!(c.warnings[..], [Warning::Unparsed { .. }]));
        assert!(matches!(c.responses[0], PushResponse::Raw { .. }));
        let c = analyze(b"", None);
        assert_eq!(c.warnings, vec![Warning::Empty]);

        let h = |ttl, urgency: &str, topic: Option<&str>| PushHeaders {
            content_encoding: Some("aes128gcm".into()),
            ttl,
            urgency: Some(urgency.into()),
            topic: topic.map(str::to_owned),
        };
        let new_mail = b"* SELECT INBOX\r\n* 3 UIDFETCH (UID 3)\r\n";
        assert!(analyze(new_mail, Some(&h(Some(604800), "high", None)))
            .warnings
            .is_empty());
        assert_eq!(
            analyze(new_mail, Some(&h(Some(60), "normal", Some("t")))).warnings,
            vec![
                Warning::Ttl { ttl: Some(60) },
                Warning::Urgency {
                    found: Some("normal".into()),
                    expected: "high"
                },
                Warning::Topic { topic: "t".into() },
            ]
        );
        assert!(
            analyze(b"* SYNC\r\n", Some(&h(Some(604800), "low", Some("sync"))))
                .warnings
                .is_empty()
        );
        assert!(analyze(
            b"* SELECT INBOX\r\n* VANISHED 3\r\n",
            Some(&h(Some(604800), "normal", None))
        )
        .warnings
        .is_empty());
    }

    #[test]
    fn hostile_plaintexts_never_panic() {
        for s in [
            &b"* 1 UIDFETCH (BINARY[] {99999}\r\n"[..],
            b"* 1 UIDFETCH (",
            b"* 1 UIDFETCH (UID",
            b"* 1 FETCH (ENVELOPE (\"x\"))\r\n",
            b"* VANISHED\r\n",
            b"* VANISHED (EARLIER) 0:x\r\n",
            b"\xff\xfe\r\n",
            b"* 1 UIDFETCH (X ~{3}\r\nab)\r\n",
            b"* 1 UIDFETCH ((((\r\n",
        ] {
            let c = analyze(s, None);
            assert!(!c.warnings.is_empty(), "{s:?}");
        }
    }

    fn json_of(plaintext: &[u8]) -> (Vec<serde_json::Value>, bool) {
        let (r, unterminated) = crate::push::content::parse_responses(plaintext);
        let r = r.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
        (r, unterminated)
    }

    #[test]
    fn a_last_response_without_crlf_is_read_and_flagged() {
        assert_eq!(
            json_of(b"* SYNC\r\n"),
            (vec![json!({"type": "SYNC", "word": null})], false)
        );
        assert_eq!(
            json_of(b"* SYNC"),
            (vec![json!({"type": "SYNC", "word": null})], true)
        );
        let (r, unterminated) = json_of(b"* SELECT INBOX\r\n* SYNC EXISTS");
        assert!(unterminated);
        assert_eq!(
            r,
            [
                json!({"type": "SELECT", "mailbox": "INBOX"}),
                json!({"type": "SYNC", "word": "EXISTS"})
            ]
        );
    }

    #[test]
    fn exists_and_expunge_take_nothing_after_the_keyword() {
        let c = analyze(b"* SELECT INBOX\r\n* 3 EXISTS\r\n* 2 EXPUNGE\r\n", None);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        for extra in ["* 3 EXISTS 4", "* 2 EXPUNGE x"] {
            let c = analyze(format!("* SELECT INBOX\r\n{extra}\r\n").as_bytes(), None);
            assert!(
                matches!(c.responses[1], PushResponse::Raw { .. }),
                "{extra}: {:?}",
                c.responses
            );
        }
    }

    #[test]
    fn vanished_takes_a_set_of_nonzero_uids() {
        let second = |line: &str| {
            let c = analyze(format!("* SELECT INBOX\r\n{line}\r\n").as_bytes(), None);
            serde_json::to_value(&c.responses[1]).unwrap()
        };
        assert_eq!(
            second("* VANISHED (EARLIER) 1:3,5"),
            json!({"type": "VANISHED", "earlier": true, "uids": "1:3,5"})
        );
        for bad in [
            "* VANISHED 1:x",
            "* VANISHED 0",
            "* VANISHED 2,",
            "* VANISHED x",
        ] {
            assert_eq!(second(bad)["type"], "RAW", "{bad}");
        }
    }

    #[test]
    fn a_section_with_spaces_is_one_item_name() {
        let text = "* SELECT INBOX\r\n* 3 UIDFETCH (UID 3 BODY[HEADER.FIELDS (SUBJECT)] {12}\r\nSubject: x\r\n)\r\n";
        let c = analyze(text.as_bytes(), None);
        let items = &serde_json::to_value(&c.responses[1]).unwrap()["items"];
        assert_eq!(items["UID"], 3, "{items}");
        assert!(
            items.get("BODY[HEADER.FIELDS (SUBJECT)]").is_some(),
            "{items}"
        );
    }

    #[test]
    fn a_literal_longer_than_the_push_is_named_as_such() {
        let c = analyze(
            b"* SELECT INBOX\r\n* 1 UIDFETCH (BINARY[] {30}\r\nabc",
            None,
        );
        let why = match c.responses.last() {
            Some(PushResponse::Raw { why, .. }) => why.to_string(),
            other => panic!("expected a raw response, got {other:?}"),
        };
        assert!(why.contains("a literal of 30 bytes is announced"), "{why}");
    }

    /// People read a new message as its subject (JSON-quoted, or null)
    /// and its first sender; JSON has every field, NIL as null.
    #[test]
    fn an_envelope_reads_as_subject_and_sender() {
        let text = "* SELECT INBOX\r\n* 3 UIDFETCH (UID 3 ENVELOPE (\"Mon, 7 Feb 1994\" \"Re: \\\"hi\\\"\" ((\"Fred\" NIL \"f\" \"x.example\")(NIL NIL \"g\" \"y\")) NIL NIL ((NIL NIL \"to\" NIL)) NIL NIL NIL \"<1@x>\"))\r\n* 4 UIDFETCH (ENVELOPE (NIL NIL ((NIL NIL \"g\" \"y\")) NIL NIL NIL NIL NIL NIL NIL))\r\n";
        let c = analyze(text.as_bytes(), None);
        let first = c.responses[1].to_string();
        assert!(
            first.contains(" subject \"Re: \\\"hi\\\"\" from Fred <f@x.example>"),
            "{first}"
        );
        let second = c.responses[2].to_string();
        assert!(second.contains(" subject null from g@y"), "{second}");
        let json = serde_json::to_value(&c.responses[1]).unwrap();
        assert_eq!(
            json["items"]["ENVELOPE"],
            json!({
                "bcc": null, "cc": null, "date": "Mon, 7 Feb 1994",
                "from": [{"address": "f@x.example", "name": "Fred"}, {"address": "g@y", "name": null}],
                "in_reply_to": null, "message_id": "<1@x>", "reply_to": null, "sender": null,
                "subject": "Re: \"hi\"", "to": [{"address": "to", "name": null}]
            })
        );
    }

    #[test]
    fn fetch_values_may_be_quoted_strings_or_literals() {
        // Spaces and parentheses inside a quoted string are part of it; a
        // literal is one value whatever it holds.
        let text = "* SELECT INBOX\r\n* 3 UIDFETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" ENVELOPE (NIL \"a) (b\" NIL NIL NIL NIL NIL NIL NIL NIL) X-VALUE {5}\r\na b)c X-QUOTED \"p q) r\" UID 3)\r\n";
        let c = analyze(text.as_bytes(), None);
        let items = &serde_json::to_value(&c.responses[1]).unwrap()["items"];
        assert_eq!(items["UID"], 3, "{items}");
        assert_eq!(items["ENVELOPE"]["subject"], "a) (b", "{items}");
        assert!(items.get("INTERNALDATE").is_some(), "{items}");
        assert!(items.get("X-VALUE").is_some(), "{items}");
        assert!(items.get("X-QUOTED").is_some(), "{items}");
    }

    #[test]
    fn quoted_body_sections_lose_their_escapes() {
        let text = "* SELECT INBOX\r\n* 3 UIDFETCH (BODY[HEADER] \"say \\\"hi\\\" \\\\ ok\" BODY[TEXT] \"plain\" BINARY[1] NIL UID 3)\r\n";
        let c = analyze(text.as_bytes(), None);
        let items = &serde_json::to_value(&c.responses[1]).unwrap()["items"];
        assert_eq!(items["BODY[HEADER]"], "say \"hi\" \\ ok", "{items}");
        assert_eq!(items["BODY[TEXT]"], "plain", "{items}");
        assert_eq!(items["BINARY[1]"], serde_json::Value::Null, "{items}");
        assert_eq!(items["UID"], 3, "{items}");
    }

    /// The reason the last response of `text` was not read.
    fn why_raw(text: &str) -> String {
        match analyze(text.as_bytes(), None).responses.last() {
            Some(PushResponse::Raw { why, .. }) => why.to_string(),
            other => panic!("expected a raw response, got {other:?}"),
        }
    }

    #[test]
    fn nesting_past_the_limit_is_refused() {
        use crate::imap::response::MAX_NESTING;
        let nest = |n: usize| format!("{}{}", "(".repeat(n), ")".repeat(n));
        // FLAGS: the whole response counts.
        let at = why_raw(&format!("* FLAGS {}\r\n", nest(MAX_NESTING)));
        assert!(!at.contains("too deeply"), "{at}");
        let past = why_raw(&format!("* FLAGS {}\r\n", nest(MAX_NESTING + 1)));
        assert!(past.contains("nested too deeply"), "{past}");
        // ENVELOPE is read by a reader of its fixed shape, which does not
        // recurse: any nesting is refused as not an envelope.
        let fetch = |n| {
            format!(
                "* SELECT INBOX\r\n* 1 UIDFETCH (ENVELOPE {} UID 1)\r\n",
                nest(n)
            )
        };
        for n in [3, MAX_NESTING + 1, 100_000] {
            let why = why_raw(&fetch(n));
            assert!(why.contains("ENVELOPE does not parse"), "{why}");
        }
    }

    #[test]
    fn other_fetch_items_are_kept_as_written() {
        let text =
            "* SELECT INBOX\r\n* 3 UIDFETCH (X-QUOTED \"p \\\"q\\\"\" X-LIT {2}\r\nab UID 3)\r\n";
        let c = analyze(text.as_bytes(), None);
        let items = &serde_json::to_value(&c.responses[1]).unwrap()["items"];
        assert_eq!(items["X-QUOTED"], "\"p \\\"q\\\"\"", "{items}");
        assert_eq!(items["X-LIT"], "{2}\r\nab", "{items}");
    }

    #[test]
    fn a_mailbox_sync_needs_a_select_before_it() {
        let no_select = |text: &[u8]| {
            analyze(text, None)
                .warnings
                .iter()
                .any(|w| matches!(w, Warning::NoSelectBefore { .. }))
        };
        assert!(no_select(b"* SYNC EXISTS\r\n"));
        assert!(no_select(b"* SYNC vanished\r\n"));
        assert!(!no_select(b"* SELECT INBOX\r\n* SYNC EXISTS\r\n"));
        assert!(!no_select(b"* SYNC\r\n"));
    }

    #[test]
    fn the_plaintext_limit_is_3993_bytes_inclusive() {
        use crate::push::content::MAX_PLAINTEXT;
        assert_eq!(MAX_PLAINTEXT, 3993, "RFC 8291 §4 with 4096-byte records");
        // 16 + 15k + 8m bytes of valid responses.
        let text = |k: usize, m: usize| {
            let mut t = "* SELECT INBOX\r\n".to_owned();
            t.push_str(&"* SYNC EXISTS\r\n".repeat(k));
            t.push_str(&"* SYNC\r\n".repeat(m));
            t
        };
        let too_long = |t: &str| {
            analyze(t.as_bytes(), None)
                .warnings
                .iter()
                .any(|w| matches!(w, Warning::TooLong { .. }))
        };
        let exact = text(7, 484);
        assert_eq!(exact.len(), MAX_PLAINTEXT);
        assert!(!too_long(&exact));
        let over = text(6, 486);
        assert_eq!(over.len(), MAX_PLAINTEXT + 1);
        assert!(too_long(&over));
    }
    /// Room for responses is made by lines, but not for the lines inside
    /// a literal: a capture of 1 MiB of them is one response, and took
    /// 64 MiB of room before the count was capped.
    #[test]
    fn lines_inside_a_literal_make_no_room() {
        let n = 100_000;
        let text = format!("* 1 FETCH (BINARY[] {{{n}}}\r\n{})\r\n", "\n".repeat(n));
        let (responses, _) = crate::push::content::parse_responses(text.as_bytes());
        assert_eq!(responses.len(), 1);
        assert!(responses.capacity() <= 1024, "{}", responses.capacity());
    }

    /// Lines not understood for one reason make one warning, which quotes
    /// the start of the first and counts them; every line stays whole in
    /// its RAW response. A plaintext that is not IMAP repeated itself a
    /// warning per line before.
    #[test]
    fn unparsed_lines_make_one_warning_per_reason() {
        let long = format!("{}\"\\", "é".repeat(70));
        let text = format!("{long}\r\nsecond\r\n* HELLO\r\nthird\r\n* NOPE x\r\n");
        let c = analyze(text.as_bytes(), None);
        assert_eq!(c.responses.len(), 5);
        assert!(matches!(&c.responses[0], PushResponse::Raw { line, .. } if line.as_str() == long));
        let words: Vec<String> = c.warnings.iter().map(ToString::to_string).collect();
        let excerpt = format!("{:?}", "é".repeat(60));
        assert_eq!(
            words,
            [
                format!("3 unparsed responses, the first {excerpt}…: a push carries untagged responses (\"* …\")"),
                "2 unparsed responses, the first \"* HELLO\": not a response a push is expected to carry".to_owned(),
            ]
        );
        let c = analyze(b"x\"y\r\n", None);
        assert_eq!(
            c.warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["unparsed response \"x\\\"y\": a push carries untagged responses (\"* …\")"]
        );
    }
}

/// Regression: a FETCH line with an invalid UTF-8 byte made the item-list
/// offset underflow (it was computed on the lossy text, where U+FFFD takes
/// three bytes for one). Found by tests/robustness.rs.
#[test]
fn fetch_with_invalid_utf8_does_not_panic() {
    let c = crate::push::content::analyze(b"* 1 FETCH \xff\xff\xff\xff\xff\xff\xff\xff\r\n", None);
    assert!(matches!(
        c.responses[0],
        crate::push::content::PushResponse::Raw { .. }
    ));
    let c =
        crate::push::content::analyze(b"* 1 UIDFETCH (UID 1 BINARY[] {2}\r\n\xff\xfe)\r\n", None);
    assert!(
        matches!(
            c.responses[0],
            crate::push::content::PushResponse::UidFetch { .. }
        ),
        "{:?}",
        c.responses
    );
}

/// Encrypting to a key that is not an uncompressed P-256 point fails with
/// BadReceiverKey, in both formats: wrong length, compressed, off the
/// curve, all zeros.
#[test]
fn bad_receiver_keys_are_refused() {
    let good = b64::decode(UA_PUBLIC).unwrap();
    let mut off_curve = good.clone();
    off_curve[30] ^= 0x55;
    let mut compressed = vec![0x02 | (good[64] & 1)];
    compressed.extend_from_slice(&good[1..33]);
    let zeros = [0u8; 65];
    for key in [&good[..64], &compressed[..], &off_curve[..], &zeros[..]] {
        let opts = EncryptOptions::default();
        assert_eq!(
            ece::encrypt(key, &[0; 16], b"x", &opts),
            Err(EceError::BadReceiverKey),
            "{key:?}"
        );
        assert_eq!(
            ece::encrypt_aesgcm(key, &[0; 16], b"x", &opts).map(|_| ()),
            Err(EceError::BadReceiverKey),
            "{key:?}"
        );
    }
}
