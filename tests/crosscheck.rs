//! Our RFC 8291 crypto against an independent implementation, Mozilla's
//! `ece` crate (on OpenSSL): its ciphertexts decrypt with ours and ours
//! with it, for aes128gcm and the legacy aesgcm.

use imapwebpush::push::b64;
use imapwebpush::push::ece::{self, AesGcmParams, EncryptOptions, UaKeys};

fn plaintexts() -> Vec<Vec<u8>> {
    [0usize, 1, 41, 1000, 3993]
        .iter()
        .map(|&n| (0..n).map(|i| (i % 251) as u8).collect())
        .collect()
}

#[test]
fn theirs_decrypts_with_ours_aes128gcm() {
    let keys = UaKeys::generate().unwrap();
    // `ece` refuses to encrypt an empty plaintext; ours handles it.
    for p in plaintexts().into_iter().filter(|p| !p.is_empty()) {
        let body = ::ece::encrypt(keys.public(), keys.auth(), &p).unwrap();
        assert_eq!(ece::decrypt(&keys, &body).unwrap().plaintext, p);
    }
}

#[test]
fn ours_decrypts_with_theirs_aes128gcm() {
    let keys = UaKeys::generate().unwrap();
    let comps = ::ece::EcKeyComponents::new(
        keys.private_scalar().unwrap().expose().clone(),
        keys.public().to_vec(),
    );
    for p in plaintexts() {
        for (rs, pad) in [(None, 0), (Some(4096), 10), (Some(100), 3)] {
            let body = ece::encrypt(
                keys.public(),
                keys.auth(),
                &p,
                &EncryptOptions {
                    rs,
                    pad,
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(
                ::ece::decrypt(&comps, keys.auth(), &body).unwrap(),
                p,
                "len {} rs {rs:?}",
                p.len()
            );
        }
    }
}

#[test]
fn legacy_aesgcm_both_ways() {
    let keys = UaKeys::generate().unwrap();
    let comps = ::ece::EcKeyComponents::new(
        keys.private_scalar().unwrap().expose().clone(),
        keys.public().to_vec(),
    );
    // `ece`'s legacy encoder takes 1 to about 3000 bytes.
    for p in plaintexts()
        .into_iter()
        .filter(|p| !p.is_empty() && p.len() <= 1000)
    {
        let theirs = ::ece::legacy::encrypt_aesgcm(keys.public(), keys.auth(), &p).unwrap();
        let headers = theirs.headers(None);
        let get = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let params = AesGcmParams::from_headers(&get("Encryption"), &get("Crypto-Key")).unwrap();
        let body = b64::decode(&theirs.body()).unwrap();
        assert_eq!(
            ece::decrypt_aesgcm(&keys, &params, &body)
                .unwrap()
                .plaintext,
            p
        );

        // With padding too: its 2-byte length and zeros lead the record.
        for pad in [0, 1, 2, 100, 255, 256, 1000] {
            let (ours, params) = ece::encrypt_aesgcm(
                keys.public(),
                keys.auth(),
                &p,
                &EncryptOptions {
                    pad,
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(ours.len(), 2 + pad + p.len() + 16, "pad {pad}");
            let block =
                ::ece::legacy::AesGcmEncryptedBlock::new(&params.dh, &params.salt, params.rs, ours)
                    .unwrap();
            assert_eq!(
                ::ece::legacy::decrypt_aesgcm(&comps, keys.auth(), &block).unwrap(),
                p,
                "len {} pad {pad}",
                p.len()
            );
        }
    }
}
