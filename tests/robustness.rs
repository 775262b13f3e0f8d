//! Hostile input, deterministically: random bytes and single-byte
//! mutations of valid samples go through every parser and the decryptor.
//! Nothing may panic, every altered ciphertext must be rejected (AES-GCM
//! authenticates), and everything not understood must say why.

use imapwebpush::imap::framer::Framer;
use imapwebpush::imap::response::{self, Response, Untagged};
use imapwebpush::push::content::{analyze, PushResponse};
use imapwebpush::push::ece::{self, EncryptOptions, UaKeys};
use imapwebpush::push::{b64, capture, vapid};

/// xorshift64*: fixed seed, same inputs every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    fn mutate(&mut self, sample: &[u8]) -> Vec<u8> {
        let mut v = sample.to_vec();
        match self.below(4) {
            0 if !v.is_empty() => {
                let i = self.below(v.len());
                v[i] ^= 1 << self.below(8);
            }
            1 if !v.is_empty() => v.truncate(self.below(v.len())),
            2 => {
                let i = self.below(v.len() + 1);
                let n = 1 + self.below(8);
                let junk = self.bytes(n);
                v.splice(i..i, junk);
            }
            _ => {
                // Sprinkle the bytes IMAP parsers care about.
                let specials = b"(){}[]\"\\* \r\n~+0123456789";
                let i = self.below(v.len() + 1);
                v.insert(i, specials[self.below(specials.len())]);
            }
        }
        v
    }
}

const LINES: &[&str] = &[
    "* VAPID BOniQ9xHBPNY9gnQW4o-16vHqOb40pEIMifyUdFsxAgyzVkFMguxw0QrdbZcq8hRjN2zpeInRvKVPlkzABvuTnI\r\n",
    "* WEBPUSH a8282bf9-6102-4e1b-bb61-d26d0e532e65 https://push.endpoint.tld/random1 1112\r\n",
    "a2 OK [CAPABILITY IMAP4rev2 WEBPUSH] done\r\n",
    "* 1 FETCH (BODY[] {5}\r\nhello FLAGS (\\Seen))\r\n",
    "* SELECT \"New Messages\"\r\n* 3 UIDFETCH (UID 3 ENVELOPE (\"d\" \"s\" ((\"n\" NIL \"m\" \"h\")) NIL NIL NIL NIL NIL NIL \"<i>\") BINARY[] ~{3}\r\nabc)\r\n* VANISHED (EARLIER) 1:3,5\r\n",
    "+ go on\r\n",
];

#[test]
fn response_parsers_never_panic_and_always_explain() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for round in 0..20_000 {
        let input = if round % 5 == 0 {
            let n = rng.below(200);
            rng.bytes(n)
        } else {
            let sample = LINES[rng.below(LINES.len())];
            rng.mutate(sample.as_bytes())
        };
        // The client's view: frames, then typed responses.
        let mut framer = Framer::new(1024);
        framer.extend(&input);
        while let Ok(Some(frame)) = framer.next_frame() {
            if let Response::Untagged(Untagged::Other { warning: Some(w) }) =
                response::parse(&frame)
            {
                assert!(!w.is_empty());
            }
        }
        // The push reader's view.
        let c = analyze(&input, None);
        for r in &c.responses {
            if let PushResponse::Raw { why, .. } = r {
                assert!(!why.is_empty(), "{input:?}");
            }
        }
        // The capture detector.
        for part in capture::split("fuzz", &input) {
            if let Err((label, _)) = part {
                assert!(label.starts_with("fuzz"));
            }
        }
    }
}

#[test]
fn altered_ciphertexts_are_always_rejected() {
    let mut rng = Rng(0xfeed_face_cafe_beef);
    let keys = UaKeys::generate().unwrap();
    let plain = b"* SELECT INBOX\r\n* 3 UIDFETCH (UID 3)\r\n";
    let body = ece::encrypt(
        keys.public(),
        keys.auth(),
        plain,
        &EncryptOptions {
            rs: Some(30),
            pad: 5,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(ece::decrypt(&keys, &body).unwrap().plaintext, plain);
    for _ in 0..3_000 {
        let m = rng.mutate(&body);
        if m == body {
            continue;
        }
        assert!(
            ece::decrypt(&keys, &m).is_err(),
            "an altered body decrypted: {}",
            b64::encode(&m)
        );
    }
    for _ in 0..500 {
        let n = rng.below(300);
        assert!(ece::decrypt(&keys, &rng.bytes(n)).is_err());
    }
}

#[test]
fn vapid_headers_never_panic() {
    let mut rng = Rng(42);
    let signer = vapid::VapidSigner::generate().unwrap();
    let jwt = signer
        .sign("https://e.example", 2_000_000_000, Some("mailto:a@b"))
        .unwrap();
    let header = signer.authorization(&jwt);
    let signed_part = |jwt: &str| jwt.rsplit_once('.').map(|(h, _)| h.to_owned());
    let expect = vapid::Expectations {
        audience: Some("https://e.example"),
        key: Some(signer.public()),
        now: 1_900_000_000,
    };
    let good = vapid::verify(
        &vapid::parse_authorization(Some(&header), None).unwrap(),
        &expect,
    );
    assert!(good.valid);
    for _ in 0..3_000 {
        let m = rng.mutate(header.as_bytes());
        let text = String::from_utf8_lossy(&m);
        if let Some(creds) = vapid::parse_authorization(Some(&text), Some(&text)) {
            let r = vapid::verify(&creds, &expect);
            // Whatever changed, the report either still holds (a change in
            // white space or in an ignored parameter) or names a finding.
            assert!(r.valid == r.findings.iter().all(|f| !f.is_error()));
            if text != header {
                assert!(r.valid || !r.findings.is_empty());
            }
            // An oracle that does not lean on `verify`: the signature
            // covers the header and claims as written, so a claim that
            // still holds must carry them unchanged, and the same
            // signature bytes under the same key.
            if r.valid {
                assert_eq!(signed_part(&creds.jwt), signed_part(&jwt), "{text}");
                assert_eq!(
                    b64::decode(creds.jwt.rsplit('.').next().unwrap()).ok(),
                    b64::decode(jwt.rsplit('.').next().unwrap()).ok(),
                    "{text}"
                );
                assert_eq!(
                    creds.key.as_deref().map(b64::decode).and_then(Result::ok),
                    b64::decode(signer.public().as_str()).ok(),
                    "{text}"
                );
            }
        }
    }
}
