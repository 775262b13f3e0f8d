//! Printing: every result type implements `Display` (for people, in the
//! draft's `C:`/`S:` notation where it shows an exchange) and `Serialize`
//! (for `--json`); [`Printer`] chooses. Colors follow `--color` and
//! `NO_COLOR` through one switch set at start-up.

use std::fmt;
use std::io::{self, IsTerminal, Write};

use colored::Colorize;
use serde::Serialize;

use crate::cli::ColorWhen;
use crate::imap::{Reply, Status, Untagged};
use crate::webpush::{ExtResponse, SubscriptionInfo, VapidKey};

/// Sets the process-wide color switch.
pub fn setup_color(when: ColorWhen, json: bool) {
    let on = match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            !json
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// Writes results to stdout, as text or as JSON lines.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    json: bool,
}

impl Printer {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    /// One result: its `Display` text, or one line of JSON.
    pub fn show<T: fmt::Display + Serialize>(&self, v: &T) -> io::Result<()> {
        let mut buf = Vec::new();
        self.render_into(v, &mut buf);
        let mut out = io::stdout().lock();
        out.write_all(&buf)?;
        out.flush()
    }

    /// Appends what [`Printer::show`] would print to `out`.
    pub fn render_into<T: fmt::Display + Serialize>(&self, v: &T, out: &mut Vec<u8>) {
        if self.json {
            let start = out.len();
            if let Err(e) = serde_json::to_writer(&mut *out, v) {
                out.truncate(start);
                out.extend_from_slice(format!("{{\"error\":{:?}}}", e.to_string()).as_bytes());
            }
            out.push(b'\n');
        } else {
            use std::io::Write as _;
            let _ = write!(out, "{v}");
        }
    }

    /// One event of a stream: a JSON line, or its text ending in a newline.
    pub fn event<T: fmt::Display + Serialize>(&self, v: &T) -> io::Result<()> {
        let mut buf = Vec::new();
        self.render_into(v, &mut buf);
        if !buf.ends_with(b"\n") {
            buf.push(b'\n');
        }
        let mut out = io::stdout().lock();
        out.write_all(&buf)?;
        out.flush()
    }

    /// JSON only (skipped in human output, which narrates instead).
    pub fn json_only<T: fmt::Display + Serialize>(&self, v: &T) -> io::Result<()> {
        if self.json {
            self.event(v)
        } else {
            Ok(())
        }
    }

    /// Human text only (skipped under `--json`).
    pub fn text(&self, s: &str) -> io::Result<()> {
        if self.json {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        out.write_all(s.as_bytes())?;
        out.flush()
    }
}

/// A warning on stderr, in the program's voice.
pub fn warn(msg: &str) {
    eprintln!("{} {msg}", "imapwebpush: warning:".yellow().bold());
}

/// A `-v` trace line.
pub fn trace(dir: crate::imap::Direction, line: &str) {
    let who = match dir {
        crate::imap::Direction::Client => "C:".cyan(),
        crate::imap::Direction::Server => "S:".magenta(),
    };
    eprintln!("{who} {line}");
}

/// A terminal QR code (unicode half blocks, two modules per character).
pub fn qr(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
        Err(e) => format!("(cannot draw a QR code: {e})"),
    }
}

fn status_colored(raw: &str, status: Status) -> String {
    match status {
        Status::Ok => raw.green().to_string(),
        Status::No | Status::Bad | Status::Bye => raw.red().bold().to_string(),
        Status::PreAuth => raw.to_string(),
    }
}

/// An exchange in the draft's notation: `C:` command, `S:` answers.
#[derive(Debug, Clone)]
pub struct Transcript {
    pub command: String,
    pub untagged: Vec<String>,
    pub tagged: String,
    pub status: Status,
    /// Words to show in bold in the untagged lines (e.g. WEBPUSH).
    pub highlight: Vec<&'static str>,
}

impl Transcript {
    pub fn from_reply(r: &Reply) -> Self {
        Self {
            command: r.command.clone(),
            untagged: r.untagged.iter().map(|f| f.raw.clone()).collect(),
            tagged: r.tagged.clone(),
            status: r.line.status,
            highlight: vec![],
        }
    }
}

impl fmt::Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", "C:".cyan(), self.command)?;
        for line in &self.untagged {
            let mut shown = line.clone();
            if colored::control::SHOULD_COLORIZE.should_colorize() {
                for h in &self.highlight {
                    shown = shown
                        .split(' ')
                        .map(|w| {
                            if w.eq_ignore_ascii_case(h) {
                                w.bold().yellow().to_string()
                            } else {
                                w.to_owned()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                }
            }
            writeln!(f, "{} {shown}", "S:".magenta())?;
        }
        writeln!(
            f,
            "{} {}",
            "S:".magenta(),
            status_colored(&self.tagged, self.status)
        )
    }
}

/// The result of one of the five extension commands (PRODUCT.md's JSON).
#[derive(Debug, Clone, Serialize)]
pub struct ExtOutcome {
    /// The command as sent, without its tag.
    pub command: String,
    pub status: Status,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub vapid: Option<VapidKey>,
    pub subscriptions: Vec<SubscriptionInfo>,
    /// Untagged responses other than VAPID and WEBPUSH, verbatim.
    pub other: Vec<String>,
    /// Departures from the draft noticed in the answer.
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub transcript: Transcript,
}

impl ExtOutcome {
    pub fn from_reply(r: &Reply) -> Self {
        let mut vapid = None;
        let mut subscriptions = Vec::new();
        let mut other = Vec::new();
        let mut warnings = Vec::new();
        let mut vapids = 0;
        for f in &r.untagged {
            match &f.response {
                crate::imap::Response::Untagged(Untagged::Ext(ExtResponse::Vapid { key })) => {
                    vapids += 1;
                    vapid.get_or_insert_with(|| key.clone());
                }
                crate::imap::Response::Untagged(Untagged::Ext(ExtResponse::WebPush(info))) => {
                    if !info.endpoint.is_https() {
                        warnings.push(format!(
                            "subscription {} has a non-https endpoint (draft §5.2: it MUST be https)",
                            info.id
                        ));
                    }
                    subscriptions.push(info.clone());
                }
                crate::imap::Response::Untagged(Untagged::Other { warning: Some(w) }) => {
                    warnings.push(w.clone());
                    other.push(f.raw.clone());
                }
                _ => other.push(f.raw.clone()),
            }
        }
        if vapids > 1 {
            warnings.push(format!(
                "{vapids} VAPID responses; the draft asks for a single one"
            ));
        }
        let command = r
            .command
            .split_once(' ')
            .map_or(r.command.as_str(), |(_, c)| c)
            .to_owned();
        let mut transcript = Transcript::from_reply(r);
        transcript.highlight = vec!["WEBPUSH", "VAPID"];
        Self {
            command,
            status: r.line.status,
            text: r.line.text.clone(),
            code: r.line.code.clone(),
            vapid,
            subscriptions,
            other,
            warnings,
            transcript,
        }
    }
}

impl fmt::Display for ExtOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.transcript.fmt(f)?;
        for w in &self.warnings {
            writeln!(f, "{} {w}", "warning:".yellow().bold())?;
        }
        Ok(())
    }
}

/// The result of `capability`.
#[derive(Debug, Clone, Serialize)]
pub struct CapabilityOutcome {
    pub capabilities: Vec<String>,
    pub webpush: bool,
    pub authenticated: bool,
    pub tls: bool,
    #[serde(skip)]
    pub transcript: Transcript,
}

impl fmt::Display for CapabilityOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.transcript.fmt(f)?;
        if self.webpush {
            writeln!(f, "{}", "WEBPUSH is advertised.".green().bold())
        } else if self.authenticated {
            writeln!(f, "{}", "WEBPUSH is not advertised.".red().bold())
        } else {
            writeln!(
                f,
                "{}",
                "WEBPUSH is not advertised before login; pass --user to see the capabilities after it."
                    .yellow()
            )
        }
    }
}
