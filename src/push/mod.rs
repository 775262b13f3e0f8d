//! Web Push itself, shared by the endpoint, the reference server, the
//! checker and `decode`:
//!
//! - [`ece`]: RFC 8291 / RFC 8188 `aes128gcm` and legacy `aesgcm`,
//!   encryption and decryption, on aws-lc-rs.
//! - [`vapid`]: RFC 8292 JWTs, signed and verified, claims checked.
//! - [`keys`]: the subscriber's keypair and auth secret, and its file.
//! - [`content`]: the plaintext read as IMAP responses, and the draft's
//!   rules on it (§7).
//! - [`inspect`]: the one pipeline every push goes through (encoding,
//!   VAPID, decryption, content), for the endpoint and `decode` alike.
//! - [`capture`]: captured payloads in the forms people have them (raw,
//!   base64 lines, HTTP request dumps), for `decode`.

pub mod b64;
pub mod capture;
pub mod content;
pub mod ece;
pub mod inspect;
pub mod json;
pub mod keys;
pub mod send;
pub mod vapid;

#[cfg(test)]
mod tests;
