//! What the endpoint (and `subscribe`) reports: one event per request, and
//! the steps around them, as JSON lines (PRODUCT.md "Stream events") or as
//! narrated text.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use colored::Colorize;
use serde::Serialize;

use crate::push::content::{PushHeaders, PushResponse};
use crate::push::vapid::VapidReport;

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
    pub warnings: Vec<String>,
}

impl PushEvent {
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
    /// `subscribe` sent ACKWEBPUSH with the token of a push.
    Ack {
        token: String,
        status: String,
    },
}

/// RFC 3339 UTC with milliseconds: `2026-11-21T10:00:00.123Z`.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (y, m, day) = crate::server::message::civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// Shows text as the server wrote it, escaping control characters only.
pub fn show_line(line: &str) -> String {
    line.trim_end_matches("\r\n")
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

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
                self.vapid.aud.as_deref().unwrap_or("-"),
                self.vapid.sub.as_deref().unwrap_or("-")
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
        for line in self.plaintext.split_inclusive("\r\n") {
            writeln!(f, "  {} {}", "Push:".dimmed(), show_line(line))?;
        }
        for r in &self.responses {
            writeln!(f, "  {} {r}", "=".dimmed())?;
        }
        for w in &self.warnings {
            writeln!(f, "  {} {w}", "warning:".yellow().bold())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1_795_255_200_123);
        assert_eq!(rfc3339(t), "2026-11-21T10:00:00.123Z");
    }
}
