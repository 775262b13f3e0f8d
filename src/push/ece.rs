//! Encrypted content encoding for Web Push, on aws-lc-rs:
//!
//! - RFC 8188 `aes128gcm`: a header (salt, record size, key ID) and records
//!   of `rs` bytes, each AES-128-GCM sealed with a nonce derived from its
//!   index, ending with a 0x01 (more records) or 0x02 (last) delimiter and
//!   zero padding.
//! - RFC 8291 on top: the input keying material comes from ECDH between the
//!   user agent's key and the sender's ephemeral key (the header's key ID)
//!   and the 16-byte authentication secret.
//! - The legacy `aesgcm` format (draft-ietf-webpush-encryption-04), still
//!   sent by old servers: salt in an `Encryption` header, the sender key in
//!   `Crypto-Key: dh=`, 2-byte padding length at the start of each record.
//!
//! The hot path is one ECDH, three HKDF expansions and AES-GCM per record;
//! the private key is parsed once, in [`UaKeys`].

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM};
use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey, ECDH_P256};
use aws_lc_rs::digest::{self, Context, SHA256};
use aws_lc_rs::encoding::{AsBigEndian, EcPrivateKeyBin, EcPublicKeyUncompressedBin};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};

use crate::secret::Secret;

/// AES-GCM tag length.
const TAG: usize = 16;
/// RFC 8188 §2: salt(16) rs(4) idlen(1).
const HEADER_FIXED: usize = 21;
/// RFC 8291 §4: the key ID is the sender's uncompressed public key.
const POINT: usize = 65;
/// The record size servers use for Web Push (RFC 8291 §4).
pub const DEFAULT_RS: u32 = 4096;
/// RFC 8291 §4: 4096-byte records leave at most 3993 bytes of plaintext in
/// a single-record push.
pub const MAX_PUSH_PLAINTEXT: usize = 3993;

/// Why a payload cannot be decrypted or encrypted. Each names its cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EceError {
    #[error("truncated: the body has {0} bytes, fewer than an aes128gcm header and one record")]
    Truncated(usize),
    #[error("record size {0} is too small (RFC 8188: at least 18)")]
    RecordSizeTooSmall(u32),
    #[error("the key ID is {0} bytes; RFC 8291 needs the sender's 65-byte public key there")]
    BadKeyId(usize),
    #[error("the sender's public key is not a P-256 point")]
    BadSenderKey,
    #[error("the private key is not a P-256 scalar")]
    BadPrivateKey,
    #[error("the subscriber's public key is not a P-256 point")]
    BadReceiverKey,
    #[error("decryption failed in record {record}: wrong private key or auth secret, or the body was altered")]
    Decrypt { record: usize },
    #[error("record {record} is shorter than its 16-byte tag")]
    ShortRecord { record: usize },
    #[error("bad padding in record {record}: {why}")]
    Padding { record: usize, why: &'static str },
    #[error("the payload ends before its last record (no 0x02 delimiter)")]
    NoLastRecord,
    #[error("the {0} header is missing or malformed")]
    Header(&'static str),
    #[error("the plaintext does not fit: {0}")]
    TooLarge(&'static str),
    #[error("crypto failure: {0}")]
    Crypto(&'static str),
}

/// HMAC-SHA256 (RFC 2104) on one-shot SHA-256 calls: the key's inner and
/// outer blocks are kept, and each MAC hashes the inner block and the
/// message, then the outer block and that hash, from buffers on the stack.
/// HKDF is built on it (RFC 5869). A push's keys (five MACs under three
/// keys) take 0.97 µs this way, against 1.37 µs with two
/// `digest::Context`s keyed once and copied for each message: each copy,
/// like each new context, allocates in aws-lc, which costs more than the
/// two SHA-256 blocks that the one-shot calls hash again (measured on the
/// corpus machine of `benches/decode_corpus.rs`). aws-lc-rs's `hkdf` was
/// slower still: it keys every call anew.
pub(crate) struct Hmac {
    inner: [u8; Self::BLOCK],
    outer: [u8; Self::BLOCK],
}

impl Hmac {
    const BLOCK: usize = 64;
    /// The longest message hashed from the stack (RFC 8291's key info is
    /// 145 bytes, `aesgcm`'s 166); longer ones go through a context.
    const MESSAGE: usize = 256;

    pub(crate) fn new(key: &[u8]) -> Self {
        let mut pad = [0u8; Self::BLOCK];
        if key.len() > Self::BLOCK {
            pad[..32].copy_from_slice(digest::digest(&SHA256, key).as_ref());
        } else {
            pad[..key.len()].copy_from_slice(key);
        }
        let hmac = Self {
            inner: pad.map(|b| b ^ 0x36),
            outer: pad.map(|b| b ^ 0x5c),
        };
        pad.fill(0);
        hmac
    }

    /// The MAC of the concatenated `parts`.
    pub(crate) fn sign(&self, parts: &[&[u8]]) -> [u8; 32] {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let inner = if len <= Self::MESSAGE {
            let mut buf = [0u8; Self::BLOCK + Self::MESSAGE];
            buf[..Self::BLOCK].copy_from_slice(&self.inner);
            let mut n = Self::BLOCK;
            for p in parts {
                buf[n..n + p.len()].copy_from_slice(p);
                n += p.len();
            }
            let inner = digest::digest(&SHA256, &buf[..n]);
            buf.fill(0);
            inner
        } else {
            let mut c = Context::new(&SHA256);
            c.update(&self.inner);
            for p in parts {
                c.update(p);
            }
            c.finish()
        };
        let mut buf = [0u8; Self::BLOCK + 32];
        buf[..Self::BLOCK].copy_from_slice(&self.outer);
        buf[Self::BLOCK..].copy_from_slice(inner.as_ref());
        let mut mac = [0u8; 32];
        mac.copy_from_slice(digest::digest(&SHA256, &buf).as_ref());
        buf.fill(0);
        mac
    }

    /// HKDF-Expand with this HMAC keyed by the PRK, for outputs of one
    /// block at most (every key and nonce here is 12 to 32 bytes).
    fn expand(&self, info: &[&[u8]], out: &mut [u8]) -> Result<(), EceError> {
        if out.len() > 32 {
            return Err(EceError::Crypto("HKDF output over one block"));
        }
        let mut parts = [&[][..]; 4];
        let Some(slots) = parts.get_mut(..info.len() + 1) else {
            return Err(EceError::Crypto("HKDF info in over three parts"));
        };
        slots[..info.len()].copy_from_slice(info);
        slots[info.len()] = &[1];
        let t = self.sign(slots);
        out.copy_from_slice(&t[..out.len()]);
        Ok(())
    }
}

impl Drop for Hmac {
    fn drop(&mut self) {
        self.inner.fill(0);
        self.outer.fill(0);
    }
}

/// HKDF-SHA256 (extract, then expand) into `out` (at most 32 bytes).
fn hkdf(salt: &[u8], ikm: &[u8], info: &[&[u8]], out: &mut [u8]) -> Result<(), EceError> {
    extract(&Hmac::new(salt), ikm).expand(info, out)
}

/// HKDF-Extract with the salt's HMAC: the PRK, keyed for expanding.
fn extract(salt: &Hmac, ikm: &[u8]) -> Hmac {
    let mut prk = salt.sign(&[ikm]);
    let keyed = Hmac::new(&prk);
    prk.fill(0);
    keyed
}

fn ecdh(private: &PrivateKey, peer: &[u8]) -> Result<[u8; 32], EceError> {
    agreement::agree(
        private,
        UnparsedPublicKey::new(&ECDH_P256, peer),
        EceError::BadSenderKey,
        |secret| {
            let mut s = [0u8; 32];
            s.copy_from_slice(secret);
            Ok(s)
        },
    )
}

/// The user agent's side: the ECDH private key (parsed once), its public
/// key and the authentication secret. Everything needed to decrypt.
pub struct UaKeys {
    private: PrivateKey,
    public: [u8; POINT],
    auth: Secret<[u8; 16]>,
    /// HMAC keyed by `auth`: RFC 8291's first extraction, for every push.
    auth_mac: Hmac,
}

impl std::fmt::Debug for UaKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UaKeys")
            .field("private", &"***")
            .field("auth", &"***")
            .finish()
    }
}

impl UaKeys {
    /// From a 32-byte big-endian scalar and the auth secret; the public key
    /// is derived.
    pub fn from_private(scalar: &[u8], auth: [u8; 16]) -> Result<Self, EceError> {
        let private = PrivateKey::from_private_key(&ECDH_P256, scalar)
            .map_err(|_| EceError::BadPrivateKey)?;
        let public = public_of(&private)?;
        Ok(Self {
            private,
            public,
            auth_mac: Hmac::new(&auth),
            auth: Secret::new(auth),
        })
    }

    /// A fresh keypair and auth secret from the OS random source.
    pub fn generate() -> Result<Self, EceError> {
        let private = PrivateKey::generate(&ECDH_P256).map_err(|_| EceError::Crypto("keygen"))?;
        let public = public_of(&private)?;
        let mut auth = [0u8; 16];
        SystemRandom::new()
            .fill(&mut auth)
            .map_err(|_| EceError::Crypto("random"))?;
        Ok(Self {
            private,
            public,
            auth_mac: Hmac::new(&auth),
            auth: Secret::new(auth),
        })
    }

    pub fn public(&self) -> &[u8; POINT] {
        &self.public
    }

    pub fn auth(&self) -> &[u8; 16] {
        self.auth.expose()
    }

    /// The 32-byte private scalar, for the keys file.
    pub fn private_scalar(&self) -> Result<Secret<Vec<u8>>, EceError> {
        let bin: EcPrivateKeyBin<'_> = self
            .private
            .as_be_bytes()
            .map_err(|_| EceError::Crypto("export"))?;
        Ok(Secret::new(bin.as_ref().to_vec()))
    }
}

fn public_of(private: &PrivateKey) -> Result<[u8; POINT], EceError> {
    let pk = private
        .compute_public_key()
        .map_err(|_| EceError::BadPrivateKey)?;
    let bin: EcPublicKeyUncompressedBin<'_> =
        pk.as_be_bytes().map_err(|_| EceError::Crypto("export"))?;
    bin.as_ref()
        .try_into()
        .map_err(|_| EceError::Crypto("export"))
}

/// The RFC 8188 header of an `aes128gcm` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub salt: [u8; 16],
    pub rs: u32,
    pub keyid: Vec<u8>,
}

/// Splits an `aes128gcm` body into its header and records.
pub fn parse_header(body: &[u8]) -> Result<(Header, &[u8]), EceError> {
    if body.len() < HEADER_FIXED {
        return Err(EceError::Truncated(body.len()));
    }
    let salt: [u8; 16] = body[..16].try_into().expect("16 bytes");
    let rs = u32::from_be_bytes(body[16..20].try_into().expect("4 bytes"));
    let idlen = body[20] as usize;
    if body.len() < HEADER_FIXED + idlen {
        return Err(EceError::Truncated(body.len()));
    }
    if rs < 18 {
        return Err(EceError::RecordSizeTooSmall(rs));
    }
    let keyid = body[HEADER_FIXED..HEADER_FIXED + idlen].to_vec();
    Ok((Header { salt, rs, keyid }, &body[HEADER_FIXED + idlen..]))
}

fn key_and_nonce(salt: &[u8], ikm: &[u8]) -> Result<(LessSafeKey, [u8; 12]), EceError> {
    let prk = extract(&Hmac::new(salt), ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(&[b"Content-Encoding: aes128gcm\0"], &mut cek)?;
    prk.expand(&[b"Content-Encoding: nonce\0"], &mut nonce)?;
    let key = UnboundKey::new(&AES_128_GCM, &cek).map_err(|_| EceError::Crypto("AES key"));
    cek.fill(0);
    Ok((LessSafeKey::new(key?), nonce))
}

/// RFC 8188 §2.3: the nonce for record `seq` is the base nonce XOR `seq`.
fn record_nonce(base: &[u8; 12], seq: usize) -> Nonce {
    let mut n = *base;
    let seq = (seq as u64).to_be_bytes();
    for (b, s) in n[4..].iter_mut().zip(seq) {
        *b ^= s;
    }
    Nonce::assume_unique_for_key(n)
}

/// What [`decrypt_8188`] found besides the plaintext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    pub plaintext: Vec<u8>,
    pub record_size: u32,
    pub records: usize,
    /// Zero bytes of padding removed, over all records.
    pub padding: usize,
}

/// Decrypts RFC 8188 records with the input keying material `ikm`.
pub fn decrypt_8188(ikm: &[u8], header: &Header, records: &[u8]) -> Result<Decrypted, EceError> {
    let (key, base) = key_and_nonce(&header.salt, ikm)?;
    let rs = header.rs as usize;
    if records.is_empty() {
        return Err(EceError::NoLastRecord);
    }
    // Each record is decrypted in place at the end of the plaintext, then
    // cut back to its data: no buffer of its own, no second copy.
    let mut plaintext = Vec::with_capacity(records.len());
    let mut padding = 0;
    let count = records.len().div_ceil(rs);
    for (seq, chunk) in records.chunks(rs).enumerate() {
        if chunk.len() <= TAG {
            return Err(EceError::ShortRecord { record: seq });
        }
        let start = plaintext.len();
        plaintext.extend_from_slice(chunk);
        let data = key
            .open_in_place(
                record_nonce(&base, seq),
                Aad::empty(),
                &mut plaintext[start..],
            )
            .map_err(|_| EceError::Decrypt { record: seq })?;
        let last = seq + 1 == count;
        // RFC 8188 §2: strip zero padding back to the delimiter.
        let Some(delim_at) = data.iter().rposition(|&b| b != 0) else {
            return Err(EceError::Padding {
                record: seq,
                why: "no delimiter: the record is all zeros",
            });
        };
        match (data[delim_at], last) {
            (2, true) | (1, false) => {}
            (2, false) => {
                return Err(EceError::Padding {
                    record: seq,
                    why: "a last-record delimiter (0x02) before the end",
                })
            }
            (1, true) => return Err(EceError::NoLastRecord),
            _ => {
                return Err(EceError::Padding {
                    record: seq,
                    why: "the delimiter is neither 0x01 nor 0x02",
                })
            }
        }
        padding += data.len() - delim_at - 1;
        plaintext.truncate(start + delim_at);
    }
    Ok(Decrypted {
        plaintext,
        record_size: header.rs,
        records: count,
        padding,
    })
}

/// How to encrypt: record size, padding, and (for tests and known-answer
/// vectors) a fixed salt and sender key instead of fresh random ones.
#[derive(Debug, Clone, Default)]
pub struct EncryptOptions {
    /// Record size (RFC 8188 `rs`); [`DEFAULT_RS`] when `None`.
    pub rs: Option<u32>,
    /// Zero bytes of padding to add, spread over the records.
    pub pad: usize,
    pub salt: Option<[u8; 16]>,
    /// The sender's (application server's) ephemeral private scalar.
    pub sender_private: Option<Vec<u8>>,
}

/// Encrypts RFC 8188 records with `ikm`; `keyid` goes in the header.
pub fn encrypt_8188(
    ikm: &[u8],
    salt: &[u8; 16],
    rs: u32,
    keyid: &[u8],
    plaintext: &[u8],
    mut pad: usize,
) -> Result<Vec<u8>, EceError> {
    if rs < 18 {
        return Err(EceError::RecordSizeTooSmall(rs));
    }
    let keyid_len = u8::try_from(keyid.len()).map_err(|_| EceError::BadKeyId(keyid.len()))?;
    let (key, base) = key_and_nonce(salt, ikm)?;
    // Each record carries up to rs - 16 - 1 bytes of data + padding.
    let room = rs as usize - TAG - 1;
    let mut out = Vec::with_capacity(HEADER_FIXED + keyid.len() + plaintext.len() + pad + TAG * 2);
    out.extend_from_slice(salt);
    out.extend_from_slice(&rs.to_be_bytes());
    out.push(keyid_len);
    out.extend_from_slice(keyid);
    let mut rest = plaintext;
    let mut seq = 0;
    loop {
        let data_len = rest.len().min(room);
        let pad_here = pad.min(room - data_len);
        pad -= pad_here;
        let last = data_len == rest.len() && pad == 0;
        let mut record = Vec::with_capacity(data_len + 1 + pad_here + TAG);
        record.extend_from_slice(&rest[..data_len]);
        record.push(if last { 2 } else { 1 });
        record.resize(record.len() + pad_here, 0);
        key.seal_in_place_append_tag(record_nonce(&base, seq), Aad::empty(), &mut record)
            .map_err(|_| EceError::Crypto("AES-GCM seal"))?;
        out.extend_from_slice(&record);
        rest = &rest[data_len..];
        seq += 1;
        if last {
            return Ok(out);
        }
    }
}

/// RFC 8291 §3.4: the input keying material for `aes128gcm`; `auth` is
/// the HMAC keyed by the auth secret.
fn webpush_ikm(
    ecdh_secret: &[u8],
    auth: &Hmac,
    ua_public: &[u8],
    as_public: &[u8],
) -> Result<[u8; 32], EceError> {
    let mut ikm = [0u8; 32];
    extract(auth, ecdh_secret).expand(&[b"WebPush: info\0", ua_public, as_public], &mut ikm)?;
    Ok(ikm)
}

/// Decrypts an RFC 8291 `aes128gcm` push body.
pub fn decrypt(keys: &UaKeys, body: &[u8]) -> Result<Decrypted, EceError> {
    let (header, records) = parse_header(body)?;
    if header.keyid.len() != POINT {
        return Err(EceError::BadKeyId(header.keyid.len()));
    }
    let secret = ecdh(&keys.private, &header.keyid)?;
    let ikm = webpush_ikm(&secret, &keys.auth_mac, &keys.public, &header.keyid)?;
    decrypt_8188(&ikm, &header, records)
}

fn sender_key(opts: &EncryptOptions) -> Result<PrivateKey, EceError> {
    match &opts.sender_private {
        Some(s) => PrivateKey::from_private_key(&ECDH_P256, s).map_err(|_| EceError::BadPrivateKey),
        None => PrivateKey::generate(&ECDH_P256).map_err(|_| EceError::Crypto("keygen")),
    }
}

fn salt_of(opts: &EncryptOptions) -> Result<[u8; 16], EceError> {
    match opts.salt {
        Some(s) => Ok(s),
        None => {
            let mut s = [0u8; 16];
            SystemRandom::new()
                .fill(&mut s)
                .map_err(|_| EceError::Crypto("random"))?;
            Ok(s)
        }
    }
}

/// Encrypts `plaintext` for a subscriber (RFC 8291 `aes128gcm`).
pub fn encrypt(
    ua_public: &[u8],
    auth: &[u8; 16],
    plaintext: &[u8],
    opts: &EncryptOptions,
) -> Result<Vec<u8>, EceError> {
    // RFC 8291 needs the 65-byte uncompressed form (it goes into key_info);
    // whether it is on the curve, the ECDH below checks.
    if ua_public.len() != POINT {
        return Err(EceError::BadReceiverKey);
    }
    let sender = sender_key(opts)?;
    let as_public = public_of(&sender)?;
    let secret = ecdh(&sender, ua_public).map_err(|_| EceError::BadReceiverKey)?;
    let ikm = webpush_ikm(&secret, &Hmac::new(auth), ua_public, &as_public)?;
    let salt = salt_of(opts)?;
    encrypt_8188(
        &ikm,
        &salt,
        opts.rs.unwrap_or(DEFAULT_RS),
        &as_public,
        plaintext,
        opts.pad,
    )
}

/// The `Content-Encoding` of a push body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// RFC 8291 on RFC 8188.
    Aes128gcm,
    /// The legacy draft format, keyed by the `Encryption` and `Crypto-Key`
    /// headers.
    Aesgcm,
}

impl Encoding {
    /// The header value, case and surrounding blanks ignored.
    pub fn parse(header: &str) -> Option<Self> {
        match header.trim().to_ascii_lowercase().as_str() {
            "aes128gcm" => Some(Self::Aes128gcm),
            "aesgcm" => Some(Self::Aesgcm),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Aes128gcm => "aes128gcm",
            Self::Aesgcm => "aesgcm",
        }
    }
}

/// Decrypts a push body in `encoding` (`aesgcm` takes its parameters from
/// the `Encryption` and `Crypto-Key` headers).
pub fn decrypt_by_encoding(
    keys: &UaKeys,
    encoding: Encoding,
    encryption: Option<&str>,
    crypto_key: Option<&str>,
    body: &[u8],
) -> Result<Decrypted, EceError> {
    match encoding {
        Encoding::Aes128gcm => decrypt(keys, body),
        Encoding::Aesgcm => {
            AesGcmParams::from_headers(encryption.unwrap_or(""), crypto_key.unwrap_or(""))
                .and_then(|p| decrypt_aesgcm(keys, &p, body))
        }
    }
}

/// The parameters of a legacy `aesgcm` push, from its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AesGcmParams {
    pub salt: [u8; 16],
    /// Plaintext record size (default 4096); ciphertext records are rs + 16.
    pub rs: u32,
    /// The sender's public key (`Crypto-Key: dh=`).
    pub dh: [u8; POINT],
}

/// The value of `name=` in a header such as `Encryption: salt=…;rs=…` or
/// `Crypto-Key: dh=…;p256ecdsa=…` (parameters split on `;` and `,`).
pub fn header_param<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split([';', ',']).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"'))
    })
}

impl AesGcmParams {
    /// From the `Encryption` and `Crypto-Key` header values.
    pub fn from_headers(encryption: &str, crypto_key: &str) -> Result<Self, EceError> {
        let salt = header_param(encryption, "salt")
            .and_then(|s| crate::push::b64::decode(s).ok())
            .and_then(|s| <[u8; 16]>::try_from(s).ok())
            .ok_or(EceError::Header("Encryption (salt=)"))?;
        let rs = match header_param(encryption, "rs") {
            Some(r) => r
                .parse()
                .map_err(|_| EceError::Header("Encryption (rs=)"))?,
            None => 4096,
        };
        if rs < 2 {
            return Err(EceError::RecordSizeTooSmall(rs));
        }
        let dh = header_param(crypto_key, "dh")
            .and_then(|s| crate::push::b64::decode(s).ok())
            .and_then(|s| <[u8; POINT]>::try_from(s).ok())
            .ok_or(EceError::Header("Crypto-Key (dh=)"))?;
        Ok(Self { salt, rs, dh })
    }
}

/// draft-ietf-webpush-encryption-04 §3: CEK and nonce for `aesgcm`.
fn aesgcm_key(
    secret: &[u8],
    auth: &[u8],
    ua_public: &[u8],
    as_public: &[u8],
    salt: &[u8],
) -> Result<(LessSafeKey, [u8; 12]), EceError> {
    let mut ikm = [0u8; 32];
    hkdf(auth, secret, &[b"Content-Encoding: auth\0"], &mut ikm)?;
    let mut context = Vec::with_capacity(6 + 4 + POINT * 2);
    context.extend_from_slice(b"P-256\0");
    context.extend_from_slice(&(ua_public.len() as u16).to_be_bytes());
    context.extend_from_slice(ua_public);
    context.extend_from_slice(&(as_public.len() as u16).to_be_bytes());
    context.extend_from_slice(as_public);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    hkdf(
        salt,
        &ikm,
        &[b"Content-Encoding: aesgcm\0", &context],
        &mut cek,
    )?;
    hkdf(
        salt,
        &ikm,
        &[b"Content-Encoding: nonce\0", &context],
        &mut nonce,
    )?;
    let key = UnboundKey::new(&AES_128_GCM, &cek).map_err(|_| EceError::Crypto("AES key"))?;
    Ok((LessSafeKey::new(key), nonce))
}

/// Decrypts a legacy `aesgcm` body.
pub fn decrypt_aesgcm(
    keys: &UaKeys,
    params: &AesGcmParams,
    body: &[u8],
) -> Result<Decrypted, EceError> {
    let secret = ecdh(&keys.private, &params.dh)?;
    let (key, base) = aesgcm_key(&secret, keys.auth(), &keys.public, &params.dh, &params.salt)?;
    let chunk = params.rs as usize + TAG;
    if body.is_empty() {
        return Err(EceError::Truncated(0));
    }
    let mut plaintext = Vec::with_capacity(body.len());
    let mut padding = 0;
    let mut records = 0;
    for (seq, c) in body.chunks(chunk).enumerate() {
        if c.len() < TAG + 2 {
            return Err(EceError::ShortRecord { record: seq });
        }
        let mut buf = c.to_vec();
        let data = key
            .open_in_place(record_nonce(&base, seq), Aad::empty(), &mut buf)
            .map_err(|_| EceError::Decrypt { record: seq })?;
        let pad = u16::from_be_bytes([data[0], data[1]]) as usize;
        if 2 + pad > data.len() {
            return Err(EceError::Padding {
                record: seq,
                why: "the padding length runs past the record",
            });
        }
        if data[2..2 + pad].iter().any(|&b| b != 0) {
            return Err(EceError::Padding {
                record: seq,
                why: "padding bytes are not zero",
            });
        }
        padding += pad;
        plaintext.extend_from_slice(&data[2 + pad..]);
        records += 1;
    }
    Ok(Decrypted {
        plaintext,
        record_size: params.rs,
        records,
        padding,
    })
}

/// Encrypts in the legacy `aesgcm` format (one record); returns the body
/// and the parameters to put in the `Encryption` and `Crypto-Key` headers.
pub fn encrypt_aesgcm(
    ua_public: &[u8],
    auth: &[u8; 16],
    plaintext: &[u8],
    opts: &EncryptOptions,
) -> Result<(Vec<u8>, AesGcmParams), EceError> {
    let rs = opts.rs.unwrap_or(DEFAULT_RS);
    if plaintext.len() + 2 + opts.pad > rs as usize || opts.pad > u16::MAX as usize {
        return Err(EceError::TooLarge(
            "aesgcm is encrypted as one record of rs bytes",
        ));
    }
    // RFC 8291 needs the 65-byte uncompressed form (it goes into key_info);
    // whether it is on the curve, the ECDH below checks.
    if ua_public.len() != POINT {
        return Err(EceError::BadReceiverKey);
    }
    let sender = sender_key(opts)?;
    let dh = public_of(&sender)?;
    let secret = ecdh(&sender, ua_public).map_err(|_| EceError::BadReceiverKey)?;
    let salt = salt_of(opts)?;
    let (key, base) = aesgcm_key(&secret, auth, ua_public, &dh, &salt)?;
    let mut record = Vec::with_capacity(2 + opts.pad + plaintext.len() + TAG);
    record.extend_from_slice(&(opts.pad as u16).to_be_bytes());
    record.resize(2 + opts.pad, 0);
    record.extend_from_slice(plaintext);
    key.seal_in_place_append_tag(record_nonce(&base, 0), Aad::empty(), &mut record)
        .map_err(|_| EceError::Crypto("AES-GCM seal"))?;
    Ok((record, AesGcmParams { salt, rs, dh }))
}

/// One bare P-256 ECDH with a key parsed once: the floor that decrypting a
/// push cannot go under. Used by the benchmark to show the ratio.
pub fn ecdh_floor(keys: &UaKeys, peer: &[u8]) -> Result<[u8; 32], EceError> {
    ecdh(&keys.private, peer)
}

#[cfg(test)]
mod tests {
    //! Records sealed by hand, so that delimiters and padding can be wrong
    //! on purpose (the encryptors here only ever write them right).

    use super::*;

    /// The one-shot HMAC against aws-lc-rs's, for keys shorter and longer
    /// than a block and messages in one part or several, on both sides of
    /// the longest one hashed from the stack (longer ones take a context).
    #[test]
    fn hmac_agrees_with_aws_lc() {
        use aws_lc_rs::hmac;
        let bytes: Vec<u8> = (0..700u32).map(|i| (i * 37 % 251) as u8).collect();
        for key_len in [0, 1, 16, 32, 63, 64, 65, 100] {
            let key = &bytes[300..300 + key_len];
            let ours = Hmac::new(key);
            let theirs = hmac::Key::new(hmac::HMAC_SHA256, key);
            for len in [0, 1, 55, 56, 64, 145, 191, 192, 255, 256, 257, 400, 700] {
                let msg = &bytes[..len];
                let expected = hmac::sign(&theirs, msg);
                assert_eq!(
                    ours.sign(&[msg]),
                    expected.as_ref(),
                    "key {key_len}, message {len}"
                );
                let (a, b) = msg.split_at(len / 3);
                let (b, c) = b.split_at(b.len() / 2);
                assert_eq!(
                    ours.sign(&[a, b, c]),
                    expected.as_ref(),
                    "key {key_len}, message {len} in parts"
                );
            }
        }
    }

    /// RFC 8188 §3.1's key.
    const IKM: [u8; 16] = [
        0xca, 0xa7, 0x65, 0x67, 0xeb, 0x58, 0x7a, 0x67, 0xe8, 0x81, 0x29, 0xaf, 0xed, 0x6b, 0x39,
        0x3d,
    ];
    const SALT: [u8; 16] = [7; 16];

    /// An `aes128gcm` body whose records hold exactly `contents` (data,
    /// delimiter and padding as given), each sealed with its nonce.
    fn sealed(rs: u32, contents: &[&[u8]]) -> Vec<u8> {
        let (key, base) = key_and_nonce(&SALT, &IKM).unwrap();
        let mut out = SALT.to_vec();
        out.extend_from_slice(&rs.to_be_bytes());
        out.push(0);
        for (seq, c) in contents.iter().enumerate() {
            let mut record = c.to_vec();
            key.seal_in_place_append_tag(record_nonce(&base, seq), Aad::empty(), &mut record)
                .unwrap();
            if seq + 1 < contents.len() {
                assert_eq!(record.len(), rs as usize, "a full record");
            }
            out.extend_from_slice(&record);
        }
        out
    }

    fn open(body: &[u8]) -> Result<Decrypted, EceError> {
        let (h, r) = parse_header(body)?;
        decrypt_8188(&IKM, &h, r)
    }

    fn padding_error(r: Result<Decrypted, EceError>, record: usize, why: &str) {
        match r {
            Err(EceError::Padding {
                record: got,
                why: w,
            }) => {
                assert_eq!(got, record, "{w}");
                assert!(w.contains(why), "{w}");
            }
            other => panic!("expected a padding error in record {record} ({why}), got {other:?}"),
        }
    }

    #[test]
    fn hand_sealed_records_decrypt_when_right() {
        let d = open(&sealed(4096, &[b"hi\x02\0\0"])).unwrap();
        assert_eq!((d.plaintext, d.records, d.padding), (b"hi".to_vec(), 1, 2));
        // rs 20: 4 bytes of content per full record.
        let d = open(&sealed(20, &[b"ab\x01\0", b"c\x01\0\0", b"d\x02"])).unwrap();
        assert_eq!(
            (d.plaintext, d.records, d.padding),
            (b"abcd".to_vec(), 3, 3)
        );
        assert_eq!(d.record_size, 20);
        // A zero byte of data before the delimiter is data, not padding.
        let d = open(&sealed(4096, &[b"a\0\x02\0"])).unwrap();
        assert_eq!((d.plaintext, d.padding), (b"a\0".to_vec(), 1));
    }

    #[test]
    fn a_wrong_or_early_delimiter_is_refused() {
        // RFC 8188 §2: 0x02 only in the last record...
        padding_error(
            open(&sealed(20, &[b"ab\x02\0", b"cd\x02"])),
            0,
            "before the end",
        );
        padding_error(
            open(&sealed(20, &[b"ab\x01\0", b"cd\x02\0", b"e\x02"])),
            1,
            "before the end",
        );
        // ...and the last record ends with 0x02, not 0x01.
        assert_eq!(
            open(&sealed(4096, &[b"ab\x01"])),
            Err(EceError::NoLastRecord)
        );
        assert_eq!(
            open(&sealed(20, &[b"ab\x01\0", b"cd\x01"])),
            Err(EceError::NoLastRecord)
        );
        // Neither 0x01 nor 0x02, in the last record or before it; padding
        // that is not zero is such a "delimiter".
        padding_error(open(&sealed(4096, &[b"ab\x03"])), 0, "neither");
        padding_error(open(&sealed(20, &[b"ab\x00\x03", b"cd\x02"])), 0, "neither");
        padding_error(open(&sealed(4096, &[b"ab\x02\0\x05"])), 0, "neither");
        padding_error(open(&sealed(4096, &[b"ab\xff"])), 0, "neither");
        // No delimiter at all.
        padding_error(open(&sealed(4096, &[b"\0\0\0"])), 0, "all zeros");
        padding_error(open(&sealed(20, &[b"ab\x01\0", b"\0"])), 1, "all zeros");
        // A record that is only a tag has no room for a delimiter.
        assert_eq!(
            open(&sealed(4096, &[b""])),
            Err(EceError::ShortRecord { record: 0 })
        );
    }

    #[test]
    fn records_are_bound_to_their_position() {
        // Swapping two sealed records breaks both nonces.
        let body = sealed(20, &[b"ab\x01\0", b"cd\x01\0", b"e\x02"]);
        let (head, recs) = body.split_at(21);
        let mut swapped = head.to_vec();
        swapped.extend_from_slice(&recs[20..40]);
        swapped.extend_from_slice(&recs[..20]);
        swapped.extend_from_slice(&recs[40..]);
        assert_eq!(open(&swapped), Err(EceError::Decrypt { record: 0 }));
        // A record dropped from the middle.
        let mut dropped = head.to_vec();
        dropped.extend_from_slice(&recs[..20]);
        dropped.extend_from_slice(&recs[40..]);
        assert_eq!(open(&dropped), Err(EceError::Decrypt { record: 1 }));
    }

    #[test]
    fn the_private_scalar_round_trips() {
        // What the keys file stores must give back the same key pair.
        let scalar: Vec<u8> = (1..=32).collect();
        let keys = UaKeys::from_private(&scalar, [9; 16]).unwrap();
        assert_eq!(keys.private_scalar().unwrap().expose(), &scalar);
        let fresh = UaKeys::generate().unwrap();
        let again =
            UaKeys::from_private(fresh.private_scalar().unwrap().expose(), *fresh.auth()).unwrap();
        assert_eq!(again.public(), fresh.public());
    }

    #[test]
    fn a_header_alone_parses_and_then_lacks_its_last_record() {
        // RFC 8188 §2: 21 fixed bytes and the key ID; no records yet.
        let mut body = SALT.to_vec();
        body.extend_from_slice(&4096u32.to_be_bytes());
        body.push(0);
        let (h, rest) = parse_header(&body).unwrap();
        assert_eq!((h.rs, h.keyid.len(), rest.len()), (4096, 0, 0));
        assert_eq!(open(&body), Err(EceError::NoLastRecord));
        body[20] = 2;
        body.extend_from_slice(b"id");
        let (h, rest) = parse_header(&body).unwrap();
        assert_eq!((h.keyid, rest.len()), (b"id".to_vec(), 0));
        assert_eq!(
            parse_header(&body[..22]),
            Err(EceError::Truncated(22)),
            "the key ID runs past the end"
        );
        assert_eq!(parse_header(&body[..20]), Err(EceError::Truncated(20)));
    }

    #[test]
    fn content_encodings_are_named_and_parsed() {
        for e in [Encoding::Aes128gcm, Encoding::Aesgcm] {
            assert_eq!(Encoding::parse(e.name()), Some(e));
        }
        assert_eq!(Encoding::Aes128gcm.name(), "aes128gcm");
        assert_eq!(Encoding::Aesgcm.name(), "aesgcm");
        assert_eq!(Encoding::parse(" AES128GCM "), Some(Encoding::Aes128gcm));
        assert_eq!(Encoding::parse("AesGcm"), Some(Encoding::Aesgcm));
        for other in ["", "gzip", "aes128gcm2", "aes 128gcm"] {
            assert_eq!(Encoding::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn legacy_record_size_must_hold_the_padding_length() {
        let salt = format!("salt={}", crate::push::b64::encode(&SALT));
        let dh = format!(
            "dh={}",
            crate::push::b64::encode(UaKeys::generate().unwrap().public())
        );
        let with_rs = |rs: &str| AesGcmParams::from_headers(&format!("{salt};rs={rs}"), &dh);
        assert_eq!(with_rs("0"), Err(EceError::RecordSizeTooSmall(0)));
        assert_eq!(with_rs("1"), Err(EceError::RecordSizeTooSmall(1)));
        assert_eq!(with_rs("2").unwrap().rs, 2);
        assert_eq!(with_rs("4097").unwrap().rs, 4097);
        assert_eq!(
            AesGcmParams::from_headers(&salt, &dh).unwrap().rs,
            4096,
            "the default"
        );
        assert_eq!(with_rs("x"), Err(EceError::Header("Encryption (rs=)")));
    }

    #[test]
    fn legacy_encryption_is_one_record_of_rs_bytes() {
        let keys = UaKeys::generate().unwrap();
        let enc = |n: usize, rs: u32, pad: usize| {
            let opts = EncryptOptions {
                rs: Some(rs),
                pad,
                ..Default::default()
            };
            encrypt_aesgcm(keys.public(), keys.auth(), &vec![b'x'; n], &opts).map(|(body, p)| {
                let d = decrypt_aesgcm(&keys, &p, &body).unwrap();
                (d.plaintext.len(), d.padding, d.records)
            })
        };
        let too_large = Err(EceError::TooLarge(
            "aesgcm is encrypted as one record of rs bytes",
        ));
        // 2 bytes of padding length, the padding, the plaintext: rs at most.
        assert_eq!(enc(8, 10, 0), Ok((8, 0, 1)));
        assert_eq!(enc(9, 10, 0), too_large);
        assert_eq!(enc(6, 10, 2), Ok((6, 2, 1)));
        assert_eq!(enc(7, 10, 2), too_large);
        assert_eq!(enc(0, 10, 9), too_large);
        // The padding length is 16 bits.
        assert_eq!(enc(0, 70_000, 65_535), Ok((0, 65_535, 1)));
        assert_eq!(enc(0, 70_000, 65_536), too_large);
    }

    #[test]
    fn the_ecdh_floor_agrees_with_the_sender_side() {
        let keys = UaKeys::generate().unwrap();
        let sender = PrivateKey::generate(&ECDH_P256).unwrap();
        let shared = ecdh(&sender, keys.public()).unwrap();
        assert_eq!(ecdh_floor(&keys, &public_of(&sender).unwrap()), Ok(shared));
        assert_eq!(ecdh_floor(&keys, &[4; POINT]), Err(EceError::BadSenderKey));
    }

    /// A legacy `aesgcm` body of records holding exactly `contents`.
    fn sealed_aesgcm(keys: &UaKeys, rs: u32, contents: &[&[u8]]) -> (Vec<u8>, AesGcmParams) {
        let sender = PrivateKey::generate(&ECDH_P256).unwrap();
        let dh = public_of(&sender).unwrap();
        let secret = ecdh(&sender, keys.public()).unwrap();
        let (key, base) = aesgcm_key(&secret, keys.auth(), keys.public(), &dh, &SALT).unwrap();
        let mut body = Vec::new();
        for (seq, c) in contents.iter().enumerate() {
            let mut record = c.to_vec();
            key.seal_in_place_append_tag(record_nonce(&base, seq), Aad::empty(), &mut record)
                .unwrap();
            body.extend_from_slice(&record);
        }
        (body, AesGcmParams { salt: SALT, rs, dh })
    }

    #[test]
    fn legacy_padding_is_checked() {
        let keys = UaKeys::generate().unwrap();
        let run = |rs, contents: &[&[u8]]| {
            let (body, params) = sealed_aesgcm(&keys, rs, contents);
            decrypt_aesgcm(&keys, &params, &body)
        };
        let d = run(4096, &[b"\0\x02\0\0hello"]).unwrap();
        assert_eq!(
            (d.plaintext, d.padding, d.records),
            (b"hello".to_vec(), 2, 1)
        );
        // Two records of rs = 4 plaintext bytes, padding in each.
        let d = run(4, &[b"\0\0ab", b"\0\x01\0c"]).unwrap();
        assert_eq!((d.plaintext, d.padding, d.records), (b"abc".to_vec(), 1, 2));
        assert_eq!(d.record_size, 4);
        // Padding exactly to the end of the record is allowed.
        let d = run(4096, &[b"\0\x03\0\0\0"]).unwrap();
        assert_eq!((d.plaintext, d.padding), (vec![], 3));
        let past = run(4096, &[b"\0\x04\0\0\0"]);
        assert_eq!(
            past,
            Err(EceError::Padding {
                record: 0,
                why: "the padding length runs past the record"
            })
        );
        let nonzero = run(4096, &[b"\0\x02\0\x01x"]);
        assert_eq!(
            nonzero,
            Err(EceError::Padding {
                record: 0,
                why: "padding bytes are not zero"
            })
        );
        assert_eq!(
            run(4096, &[b"\0"]),
            Err(EceError::ShortRecord { record: 0 })
        );
        let (_, params) = sealed_aesgcm(&keys, 4096, &[b"\0\0"]);
        assert_eq!(
            decrypt_aesgcm(&keys, &params, b""),
            Err(EceError::Truncated(0))
        );
    }
}
