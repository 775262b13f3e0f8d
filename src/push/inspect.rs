//! One pipeline for every push, received or captured: the encoding, the
//! VAPID credentials, decryption, and the draft's rules on the content and
//! the §7.2 headers. The endpoint (a live request) and `decode` (a capture)
//! both call [`inspect`] and render the [`PushReport`] the same way; a
//! checker reads the same report.

use std::fmt;

use colored::Colorize;
use serde::Serialize;

use super::content::{analyze_owned, Content, PushHeaders};
use super::ece::{self, EceError, Encoding};
use super::keys::Keys;
use super::vapid::{self, Expectations, VapidReport};
use crate::rules::Departure;

/// A push as it came: its body and the headers that matter, when known.
#[derive(Debug, Clone, Copy, Default)]
pub struct PushInput<'a> {
    pub body: &'a [u8],
    /// Whether headers were seen at all (a bare captured body has none,
    /// and then §7.2 is not judged and the encoding is aes128gcm).
    pub has_headers: bool,
    pub content_encoding: Option<&'a str>,
    pub encryption: Option<&'a str>,
    pub crypto_key: Option<&'a str>,
    pub authorization: Option<&'a str>,
    pub ttl: Option<&'a str>,
    pub urgency: Option<&'a str>,
    pub topic: Option<&'a str>,
}

impl PushInput<'_> {
    /// The §7.2 headers, when headers were seen.
    pub fn headers(&self) -> Option<PushHeaders> {
        self.has_headers.then(|| PushHeaders {
            content_encoding: self.content_encoding.map(|e| e.trim().to_owned()),
            ttl: self.ttl.and_then(|t| t.trim().parse().ok()),
            urgency: self.urgency.map(str::to_owned),
            topic: self.topic.map(str::to_owned),
        })
    }
}

/// What to do about VAPID.
#[derive(Debug, Clone, Copy)]
pub enum VapidPolicy<'a> {
    /// Not judged (a capture without headers).
    Skip,
    /// Verified against these expectations and reported; the push is
    /// decrypted whatever the result (`decode`).
    Report(Expectations<'a>),
    /// Already verified (the endpoint caches reports per JWT); an invalid
    /// report refuses the push before any decryption work.
    Require(&'a VapidReport),
}

/// Why a push is refused, in the order the checks run.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Refusal {
    #[error("Content-Encoding {0:?} is neither aes128gcm nor aesgcm")]
    Encoding(String),
    #[error("VAPID: {}", .0.errors())]
    Vapid(Box<VapidReport>),
    #[error("decryption failed: {0}")]
    Decrypt(#[from] EceError),
}

/// A push that decrypted, and everything known about it.
#[derive(Debug, Clone, Serialize)]
pub struct PushReport {
    pub encoding: &'static str,
    pub record_size: u32,
    pub records: usize,
    pub padding: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<PushHeaders>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vapid: Option<VapidReport>,
    #[serde(flatten)]
    pub content: Content,
}

impl PushReport {
    /// Every rule the push broke: its content and headers, then the VAPID
    /// findings that do not make the claim untrustworthy. The content's
    /// warnings are moved out, not copied.
    pub fn take_departures(&mut self) -> Vec<Departure> {
        let mut out: Vec<Departure> = std::mem::take(&mut self.content.warnings)
            .into_iter()
            .map(Departure::Push)
            .collect();
        if let Some(v) = &self.vapid {
            out.extend(
                v.findings
                    .iter()
                    .filter(|f| !f.is_error())
                    .cloned()
                    .map(Departure::Vapid),
            );
        }
        out
    }
}

/// Checks a push in order — encoding, VAPID, decryption, content — and
/// reports it, or says why it is refused.
pub fn inspect(
    keys: &Keys,
    input: &PushInput<'_>,
    vapid: VapidPolicy<'_>,
) -> Result<PushReport, Refusal> {
    let encoding_name = input.content_encoding.unwrap_or("aes128gcm");
    let encoding = Encoding::parse(encoding_name)
        .ok_or_else(|| Refusal::Encoding(encoding_name.trim().to_owned()))?;
    let vapid = match vapid {
        VapidPolicy::Skip => None,
        VapidPolicy::Report(expect) => Some(
            match vapid::parse_authorization(input.authorization, input.crypto_key) {
                Some(creds) => vapid::verify(&creds, &expect),
                None => VapidReport::missing(),
            },
        ),
        VapidPolicy::Require(report) => {
            if !report.valid {
                return Err(Refusal::Vapid(Box::new(report.clone())));
            }
            Some(report.clone())
        }
    };
    let d = ece::decrypt_by_encoding(
        &keys.ua,
        encoding,
        input.encryption,
        input.crypto_key,
        input.body,
    )?;
    let mut headers = input.headers();
    if let Some(h) = headers.as_mut() {
        h.content_encoding = Some(encoding.name().to_owned());
    }
    let content = analyze_owned(d.plaintext, headers.as_ref());
    Ok(PushReport {
        encoding: encoding.name(),
        record_size: d.record_size,
        records: d.records,
        padding: d.padding,
        headers,
        vapid,
        content,
    })
}

impl VapidReport {
    /// The findings that make the claim untrustworthy, in one line.
    pub fn errors(&self) -> String {
        self.findings
            .iter()
            .filter(|f| f.is_error())
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The body of a push as people read it, the same for the endpoint and
/// `decode`: each plaintext line in the draft's `Push:` notation (control
/// characters escaped), the responses as read, and every rule broken.
pub struct Body<'a> {
    pub plaintext: &'a str,
    pub responses: &'a [super::content::PushResponse],
    pub departures: &'a [Departure],
}

impl fmt::Display for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.plaintext.split_inclusive("\r\n") {
            writeln!(
                f,
                "  {} {}",
                "Push:".dimmed(),
                crate::output::escape_line(line)
            )?;
        }
        for r in self.responses {
            let r = r.to_string();
            writeln!(f, "  {} {}", "=".dimmed(), crate::output::escape_line(&r))?;
        }
        for w in self.departures {
            writeln!(f, "  {} {w}", "warning:".yellow().bold())?;
        }
        Ok(())
    }
}
