//! The cost of reading one push, beside its floor.
//!
//! `decrypt_3993` is a whole RFC 8291 decryption of the largest push the
//! draft allows; `ecdh_floor` is the one P-256 ECDH inside it, which no
//! implementation can avoid. Their ratio is how close to the floor we are.
//! `vapid_verify` is one ES256 verification with claims checks.
//! `json_str_*` write a push-sized string as JSON, beside `serde_json`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use imapwebpush::push::content;
use imapwebpush::push::ece::{self, EncryptOptions, UaKeys};
use imapwebpush::push::vapid::{parse_authorization, verify, Expectations, VapidSigner};

#[path = "support/corpus.rs"]
mod corpus;

fn benches(c: &mut Criterion) {
    let keys = UaKeys::generate().unwrap();
    let plain = vec![b'x'; 3993];
    let body = ece::encrypt(
        keys.public(),
        keys.auth(),
        &plain,
        &EncryptOptions::default(),
    )
    .unwrap();
    let sender = body[21..86].to_vec();

    c.bench_function("decrypt_3993", |b| {
        b.iter(|| ece::decrypt(&keys, black_box(&body)).unwrap())
    });
    c.bench_function("ecdh_floor", |b| {
        b.iter(|| ece::ecdh_floor(&keys, black_box(&sender)).unwrap())
    });

    // The pieces of `decode` around the crypto, on a 3990-byte push.
    let big: Vec<u8> = [
        &b"* SELECT INBOX\r\n* 3 UIDFETCH (UID 3 BINARY[] \""[..],
        &[b'x'; 3933],
        b"\")\r\n",
    ]
    .concat();
    let big_body =
        ece::encrypt(keys.public(), keys.auth(), &big, &EncryptOptions::default()).unwrap();
    let line = imapwebpush::push::b64::encode(&big_body);
    c.bench_function("base64_decode_5k", |b| {
        b.iter(|| imapwebpush::push::b64::decode(black_box(&line)).unwrap())
    });
    c.bench_function("analyze_3990", |b| {
        b.iter(|| content::analyze(black_box(&big), None))
    });
    let analyzed = content::analyze(&big, None);
    c.bench_function("json_3990", |b| {
        b.iter(|| serde_json::to_string(black_box(&analyzed)).unwrap())
    });

    // JSON strings: text as BINARY content carries it (one byte in ten
    // escaped), and text with nothing to escape; ours beside serde_json's.
    let text = String::from_utf8(corpus::random_text(&mut corpus::Rng(7), 3993)).unwrap();
    let plain = "x".repeat(3993);
    let mut out = Vec::with_capacity(1 << 16);
    for (name, s) in [("text", &text), ("plain", &plain)] {
        c.bench_function(&format!("json_str_{name}_3993"), |b| {
            b.iter(|| {
                out.clear();
                imapwebpush::json::str(&mut out, black_box(s));
                out.len()
            })
        });
        c.bench_function(&format!("serde_json_str_{name}_3993"), |b| {
            b.iter(|| {
                out.clear();
                serde_json::to_writer(&mut out, black_box(s)).unwrap();
                out.len()
            })
        });
    }

    let push = b"* SELECT INBOX\r\n* 3 UIDFETCH (UID 3)\r\n";
    c.bench_function("analyze_small_push", |b| {
        b.iter(|| content::analyze(black_box(push), None))
    });

    let signer = VapidSigner::generate().unwrap();
    let jwt = signer
        .sign(
            "https://push.example.net",
            2_000_000_000,
            Some("mailto:a@b.example"),
        )
        .unwrap();
    let header = signer.authorization(&jwt);
    c.bench_function("vapid_verify", |b| {
        b.iter(|| {
            let creds = parse_authorization(Some(black_box(&header)), None).unwrap();
            verify(
                &creds,
                &Expectations {
                    audience: Some("https://push.example.net"),
                    key: Some(signer.public()),
                    now: 1_900_000_000,
                },
            )
        })
    });
}

criterion_group!(crypto, benches);
criterion_main!(crypto);
