//! What the endpoint (and `subscribe`) reports: one event per request, and
//! the steps around them, as JSON lines (PRODUCT.md "Stream events") or as
//! narrated text.

use std::fmt;

use colored::Colorize;
use serde::Serialize;

use crate::push::content::{PushHeaders, PushResponse};
use crate::push::inspect::{Body, PushReport};
use crate::push::vapid::VapidReport;
use crate::rules::Departure;

/// The subscriber keys a `listening` event shows.
#[derive(Debug, Clone, Serialize)]
pub struct PublicKeys {
    pub p256dh: String,
    pub auth: String,
}

/// A push that was received, verified and decrypted.
#[derive(Debug, Clone, Serialize)]
pub struct PushEvent {
    pub received_at: String,
    /// The status the endpoint answered (201, or `--reply`'s).
    pub status: u16,
    pub encoding: &'static str,
    pub headers: PushHeaders,
    pub vapid: VapidReport,
    pub plaintext: String,
    pub responses: Vec<PushResponse>,
    /// Every draft or RFC 8292 rule the push broke.
    pub warnings: Vec<Departure>,
}

impl PushEvent {
    /// The event for a push that passed the endpoint's checks.
    pub fn new(mut report: PushReport, received_at: String, status: u16) -> Self {
        let warnings = report.take_departures();
        Self {
            received_at,
            status,
            encoding: report.encoding,
            headers: report.headers.unwrap_or_default(),
            vapid: report.vapid.unwrap_or_else(VapidReport::missing),
            plaintext: report.content.plaintext,
            responses: report.content.responses,
            warnings,
        }
    }

    /// The token of an `* ACKWEBPUSH` response in this push, if any.
    pub fn ack_token(&self) -> Option<&str> {
        self.responses.iter().find_map(|r| match r {
            PushResponse::AckWebPush { token } => Some(token.as_str()),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum Event {
    Listening {
        endpoint: String,
        keys: PublicKeys,
        /// The generated CA certificate to give the server (`--tls-self-signed`).
        #[serde(skip_serializing_if = "Option::is_none")]
        ca_file: Option<String>,
    },
    Push(Box<PushEvent>),
    Rejected {
        received_at: String,
        status: u16,
        reason: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        vapid: Option<VapidReport>,
    },
    /// Requests waited for room in the event queue: the reader of these
    /// events did not keep up. Each waited request's event came before this
    /// one; `unreported` requests (past the wait limit) were answered and
    /// are only counted here.
    Stalled {
        since: String,
        until: String,
        waited: u64,
        unreported: u64,
    },
    /// `subscribe` sent ACKWEBPUSH with the token of a push.
    Ack {
        token: String,
        status: String,
    },
}

pub use crate::datetime::rfc3339;

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Listening {
                endpoint,
                keys,
                ca_file,
            } => {
                writeln!(f, "{} {endpoint}", "listening on".bold())?;
                writeln!(f, "  p256dh {}", keys.p256dh)?;
                write!(f, "  auth   {}", keys.auth)?;
                if let Some(ca) = ca_file {
                    write!(f, "\n  CA certificate for the server to trust: {ca}")?;
                }
                Ok(())
            }
            Self::Push(p) => write!(f, "{p}"),
            Self::Rejected {
                received_at,
                status,
                reason,
                vapid,
            } => {
                write!(
                    f,
                    "{} {received_at} {} {reason}",
                    "✗ rejected".red().bold(),
                    status.to_string().red()
                )?;
                if let Some(v) = vapid {
                    for finding in &v.findings {
                        write!(f, "\n  - {finding}")?;
                    }
                }
                Ok(())
            }
            Self::Stalled {
                since,
                until,
                waited,
                unreported,
            } => {
                write!(
                    f,
                    "{} {since} to {until}: {waited} requests waited for these events to be read",
                    "⚠ stalled".yellow().bold()
                )?;
                if *unreported > 0 {
                    write!(
                        f,
                        "; {unreported} more were answered but not reported one by one"
                    )?;
                }
                Ok(())
            }
            Self::Ack { token, status } => {
                let status = if status == "OK" {
                    status.green().bold()
                } else {
                    status.red().bold()
                };
                write!(f, "{} ACKWEBPUSH {token} → {status}", "→ ack".cyan().bold())
            }
        }
    }
}

impl fmt::Display for PushEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = &self.headers;
        let vapid = if self.vapid.valid {
            format!(
                "VAPID ok (aud {}, sub {})",
                crate::output::escape_line(self.vapid.aud.as_deref().unwrap_or("-")),
                crate::output::escape_line(self.vapid.sub.as_deref().unwrap_or("-"))
            )
            .green()
        } else {
            "VAPID INVALID".red().bold()
        };
        writeln!(
            f,
            "{} {} {} {} bytes, TTL {}, Urgency {}{}, {vapid} → {}",
            "● push".green().bold(),
            self.received_at,
            self.encoding,
            self.plaintext.len(),
            h.ttl.map_or("-".to_owned(), |t| t.to_string()),
            h.urgency.as_deref().unwrap_or("-"),
            h.topic
                .as_deref()
                .map_or(String::new(), |t| format!(", Topic {t}")),
            self.status
        )?;
        write!(
            f,
            "{}",
            Body {
                plaintext: &self.plaintext,
                responses: &self.responses,
                departures: &self.warnings,
            }
        )?;
        Ok(())
    }
}
