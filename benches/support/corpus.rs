//! A deterministic corpus of realistic captured pushes, shared by the
//! `decode_corpus` bench, `benches/decode_vs_python.sh` and the test of
//! `decode`'s memory (`tests/decode.rs`).
//!
//! 2,000 `aes128gcm` payloads of 3993 plaintext bytes (the most one push
//! may carry, draft §7.1 and RFC 8291 §4), each encrypted with its own
//! ephemeral sender key (one ECDH each, as in real captures), record size
//! 4096. Even payloads are IMAP-like push content (SELECT, UIDFETCH with
//! ENVELOPE and a BINARY literal, VANISHED, FLAGS); odd ones are random
//! printable ASCII with CR/LF, tabs, quotes and backslashes, as BINARY
//! content carries. One base64url line each.

#![allow(dead_code)]

use imapwebpush::push::b64;
use imapwebpush::push::ece::{self, EncryptOptions};

/// How many payloads.
pub const COUNT: usize = 2000;
/// Plaintext bytes per payload.
pub const PLAINTEXT: usize = 3993;
/// The subscriber's private key and auth secret (base64url).
pub const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
pub const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

/// splitmix64: the same corpus on every run and machine.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for b in &mut out {
            *b = self.next() as u8;
        }
        out
    }
}

/// Text as BINARY content carries it: printable ASCII, CRLF line breaks,
/// tabs, quotes and backslashes.
pub fn random_text(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        match rng.below(40) {
            0 if out.len() + 2 <= n => out.extend_from_slice(b"\r\n"),
            1 => out.push(b'\t'),
            2 => out.push(b'"'),
            3 => out.push(b'\\'),
            _ => out.push(b' ' + rng.below(95) as u8),
        }
    }
    out
}

const NAMES: [&str; 6] = [
    "Fred Foobar",
    "Ana María Núñez",
    "Support \\\"Team\\\"",
    "李小龙",
    "O'Brien, Pat",
    "Zoë Ødegaard",
];
const SUBJECTS: [&str; 5] = [
    "afternoon meeting",
    "Re: the quarterly report (draft 3)",
    "Votre facture n° 2024-118",
    "[list] \\\"quoted\\\" subject\twith a tab",
    "会议记录",
];

/// IMAP-like push content of exactly `n` bytes, the BINARY literal
/// filling what the other responses leave.
fn imap_push(rng: &mut Rng, n: usize) -> Vec<u8> {
    let uid = 1000 + rng.below(100_000);
    let name = NAMES[rng.below(NAMES.len())];
    let subject = SUBJECTS[rng.below(SUBJECTS.len())];
    let head = format!(
        "* SELECT \"INBOX/Project {p}\"\r\n\
         * VANISHED {a}:{b},{c}\r\n\
         * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Junk $Forwarded)\r\n\
         * {uid} UIDFETCH (UID {uid} FLAGS (\\Recent $Forwarded) MODSEQ ({m}) RFC822.SIZE {size} \
         ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" \"{subject}\" \
         ((\"{name}\" NIL \"user{u}\" \"mail.example.org\")) ((\"{name}\" NIL \"user{u}\" \"mail.example.org\")) \
         ((NIL NIL \"replies\" \"mail.example.org\")) ((NIL NIL \"me\" \"example.net\")) NIL NIL NIL \
         \"<{uid}.{m}@mail.example.org>\") BINARY[1]<0> ~{{",
        p = rng.below(50),
        a = uid - 20,
        b = uid - 10,
        c = uid - 3,
        m = rng.next() % 10_000_000,
        size = 5000 + rng.below(100_000),
        u = rng.below(1000),
    );
    let tail = b")\r\n";
    // The literal's size has as many digits as its value: try 4 then 3.
    for digits in [4, 3] {
        let fixed = head.len() + digits + 3 + tail.len();
        if fixed < n && (n - fixed).to_string().len() == digits {
            let size = n - fixed;
            let mut out = head.into_bytes();
            out.extend_from_slice(format!("{size}}}\r\n").as_bytes());
            out.extend(random_text(rng, size));
            out.extend_from_slice(tail);
            assert_eq!(out.len(), n);
            return out;
        }
    }
    unreachable!("the head is far shorter than a push")
}

/// The subscriber's public key for [`UA_PRIVATE`].
pub fn ua_keys() -> ece::UaKeys {
    let auth: [u8; 16] = b64::decode(AUTH).unwrap().try_into().unwrap();
    ece::UaKeys::from_private(&b64::decode(UA_PRIVATE).unwrap(), auth).unwrap()
}

/// The plaintexts, in corpus order.
pub fn plaintexts() -> Vec<Vec<u8>> {
    let mut rng = Rng(0x1a2b_3c4d_5e6f_7081);
    (0..COUNT)
        .map(|i| {
            if i % 2 == 0 {
                imap_push(&mut rng, PLAINTEXT)
            } else {
                random_text(&mut rng, PLAINTEXT)
            }
        })
        .collect()
}

/// The encrypted bodies, in corpus order, each with its own sender key.
pub fn bodies() -> Vec<Vec<u8>> {
    let keys = ua_keys();
    let mut rng = Rng(0x0bad_cafe_f00d_d00d);
    plaintexts()
        .iter()
        .map(|plain| loop {
            let opts = EncryptOptions {
                rs: Some(4096),
                pad: 0,
                salt: Some(rng.bytes()),
                sender_private: Some(rng.bytes::<32>().to_vec()),
            };
            // A random 32-byte string is a valid scalar but for odds of
            // about 2^-32; draw again if not.
            if let Ok(body) = ece::encrypt(keys.public(), keys.auth(), plain, &opts) {
                break body;
            }
        })
        .collect()
}

/// The corpus file: one base64url line per payload.
pub fn file_text() -> String {
    let mut out = String::new();
    for body in bodies() {
        out.push_str(&b64::encode(&body));
        out.push('\n');
    }
    out
}
