//! What the endpoint (and `subscribe`) reports: one event per request, and
//! the steps around them, as JSON lines (PRODUCT.md "Stream events") or as
//! narrated text.

use std::fmt;

use colored::Colorize;
use serde::Serialize;

use crate::output::Printer;
use crate::push::content::{PushHeaders, PushResponse, Spans};
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
    /// Where the responses lie in the plaintext, for the JSON writer.
    #[serde(skip)]
    pub spans: Spans,
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
            spans: report.content.spans,
        }
    }

    /// Appends the JSON line of `Event::Push(self)`, the bytes
    /// `serde_json` writes (and a newline), the content by the fast writer
    /// `decode --json` uses.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"event\":\"push\",\"received_at\":");
        crate::json::str(out, &self.received_at);
        out.extend_from_slice(b",\"status\":");
        crate::json::uint(out, u64::from(self.status));
        out.extend_from_slice(b",\"encoding\":");
        crate::json::str(out, self.encoding);
        out.extend_from_slice(b",\"headers\":");
        let _ = serde_json::to_writer(&mut *out, &self.headers);
        out.extend_from_slice(b",\"vapid\":");
        let _ = serde_json::to_writer(&mut *out, &self.vapid);
        out.push(b',');
        crate::push::json::write_content(
            out,
            &self.plaintext,
            &self.responses,
            &self.warnings,
            &self.spans,
        );
        out.extend_from_slice(b"}\n");
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

impl Event {
    /// Prints the event as [`Printer::event`] does; under `--json` a
    /// push's line comes from [`PushEvent::write_json`] (the same bytes,
    /// without `serde_json`'s byte-by-byte escaping of the plaintext).
    pub fn print(&self, printer: &Printer) -> std::io::Result<()> {
        match self {
            Self::Push(p) if printer.is_json() => {
                let mut line = Vec::new();
                p.write_json(&mut line);
                printer.write_bytes(&line)
            }
            _ => printer.event(self),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::content::analyze;

    /// A push event's JSON line is `serde_json`'s, byte for byte, for
    /// content that is IMAP, not IMAP, not UTF-8, or empty.
    #[test]
    fn push_lines_are_serde_json_lines() {
        let plaintexts = crate::push::json::tests::plaintexts();
        for plain in &plaintexts {
            let headers = PushHeaders {
                content_encoding: Some("aes128gcm".to_owned()),
                ttl: Some(60),
                urgency: Some("hi\"gh".to_owned()),
                topic: None,
            };
            let report = PushReport {
                encoding: "aes128gcm",
                record_size: 4096,
                records: 1,
                padding: 0,
                content: analyze(plain, Some(&headers)),
                vapid: Some(VapidReport::missing()),
                headers: Some(headers),
            };
            let ev = Event::Push(Box::new(PushEvent::new(
                report,
                "2026-11-21T15:00:00Z".to_owned(),
                201,
            )));
            let Event::Push(p) = &ev else { unreachable!() };
            let mut mine = Vec::new();
            p.write_json(&mut mine);
            let (printer, memory) = Printer::memory(true, false);
            printer.event(&ev).unwrap();
            assert_eq!(String::from_utf8_lossy(&mine), memory.text());
            let (printer, memory) = Printer::memory(true, false);
            ev.print(&printer).unwrap();
            assert_eq!(String::from_utf8_lossy(&mine), memory.text());
        }
    }
}
