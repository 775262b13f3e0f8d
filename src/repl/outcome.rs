//! What the REPL prints besides the engine's own results: the answer to a
//! plain IMAP command (`select`, `append`, `raw`, …), a response the server
//! sent between commands, the keys in use, and the sample message.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::imap::{Reply, Status};
use crate::output::{escape_line, Transcript};

/// The answer to an IMAP command that is not one of the extension's.
#[derive(Debug, Clone, Serialize)]
pub struct ImapOutcome {
    /// The command as sent, without its tag (credentials as `***`).
    pub command: String,
    pub status: Status,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The untagged responses, verbatim.
    pub responses: Vec<String>,
    #[serde(skip)]
    pub transcript: Transcript,
}

impl ImapOutcome {
    pub fn new(r: &Reply) -> Self {
        Self {
            command: r
                .command
                .split_once(' ')
                .map_or(r.command.as_str(), |(_, c)| c)
                .to_owned(),
            status: r.line.status,
            text: r.line.text.clone(),
            code: r.line.code.clone(),
            responses: r.untagged.iter().map(|f| f.raw.clone()).collect(),
            transcript: Transcript::from_reply(r),
        }
    }

    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }
}

impl fmt::Display for ImapOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.transcript.fmt(f)
    }
}

/// A response the server sent while no command was running.
#[derive(Debug, Clone, Serialize)]
pub struct Unsolicited {
    pub event: &'static str,
    pub line: String,
}

impl Unsolicited {
    pub fn new(line: &str) -> Self {
        Self {
            event: "untagged",
            line: line.to_owned(),
        }
    }
}

impl fmt::Display for Unsolicited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use colored::Colorize;
        for line in self.line.split("\r\n") {
            writeln!(f, "{} {}", "S:".magenta(), escape_line(line))?;
        }
        Ok(())
    }
}

/// A line of the REPL's own (state changes, notes), as text or
/// `{"event":"note","text":…}`.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub event: &'static str,
    pub text: String,
}

impl Note {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            event: "note",
            text: text.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use colored::Colorize;
        writeln!(f, "{}", self.text.dimmed())
    }
}

/// A date as RFC 5322 writes it (UTC).
fn rfc5322(t: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let days = (secs / 86_400) as i64;
    let (y, m, d) = crate::datetime::civil_from_days(days);
    let rem = secs % 86_400;
    format!(
        "{}, {d} {} {y} {:02}:{:02}:{:02} +0000",
        DAYS[(days.rem_euclid(7)) as usize],
        MONTHS[(m as usize).saturating_sub(1) % 12],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The subject of the sample message `append` sends without a file.
pub const SAMPLE_SUBJECT: &str = "Hello from imapwebpush repl";

/// A small RFC 5322 message for `append` without a file.
pub fn sample_message(user: &str) -> Vec<u8> {
    let id = crate::webpush::types::new_uuid_v4();
    format!(
        "Date: {}\r\n\
From: Alice Example <alice@example.org>\r\n\
To: {user}\r\n\
Subject: {SAMPLE_SUBJECT}\r\n\
Message-ID: <{id}@imapwebpush.invalid>\r\n\
\r\n\
A sample message appended from the REPL; a subscribed endpoint gets a\r\n\
push with its envelope.\r\n",
        rfc5322(SystemTime::now())
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_message_has_a_date_and_the_subject() {
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        assert_eq!(rfc5322(t), "Sun, 9 Sep 2001 01:46:40 +0000");
        assert_eq!(rfc5322(UNIX_EPOCH), "Thu, 1 Jan 1970 00:00:00 +0000");
        let m = String::from_utf8(sample_message("demo")).unwrap();
        assert!(m.starts_with("Date: "), "{m}");
        assert!(m.contains(&format!("Subject: {SAMPLE_SUBJECT}\r\n")));
    }
}
