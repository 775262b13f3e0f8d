//! Lenient base64 for input from people and captures: standard or URL-safe
//! alphabet, with or without padding, surrounding white space ignored.
//! Output is always base64url without padding (RFC 7515), as the draft asks.

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine as _;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not base64 or base64url")]
pub struct NotBase64;

pub fn decode(s: &str) -> Result<Vec<u8>, NotBase64> {
    let t = s.trim().trim_end_matches('=');
    if t.contains(['-', '_']) {
        URL_SAFE_NO_PAD.decode(t).map_err(|_| NotBase64)
    } else {
        STANDARD_NO_PAD
            .decode(t)
            .or_else(|_| URL_SAFE_NO_PAD.decode(t))
            .map_err(|_| NotBase64)
    }
}

pub fn encode(b: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(b)
}
