//! Printing: every result type implements `Display` (for people, in the
//! draft's `C:`/`S:` notation where it shows an exchange) and `Serialize`
//! (for `--json`); a [`Printer`] chooses, and is the only thing that writes
//! results. A printer is handed its writer (stdout, stderr, a buffer, the
//! REPL's line above the prompt) and its own colour choice: renderers always
//! style their text, and a printer without colour strips the styling, so no
//! colour switch is shared between printers.

use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use colored::Colorize;
use serde::Serialize;

use crate::imap::{Reply, Status};

/// Where a printer writes.
pub type Sink = Arc<Mutex<Box<dyn Write + Send>>>;

/// Writes results as text or as JSON lines, to the writer it was given.
#[derive(Clone)]
pub struct Printer {
    json: bool,
    color: bool,
    out: Sink,
}

impl fmt::Debug for Printer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Printer")
            .field("json", &self.json)
            .field("color", &self.color)
            .finish_non_exhaustive()
    }
}

/// A writer into shared memory, for tests and for front ends that move
/// rendered text elsewhere.
#[derive(Debug, Clone, Default)]
pub struct Memory(Arc<Mutex<Vec<u8>>>);

impl Memory {
    /// What was written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }

    /// Takes what was written so far.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for Memory {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Makes the `colored` renderers always emit their styles; each
/// [`Printer`] strips them unless its own choice is colour.
fn style_always() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| colored::control::set_override(true));
}

/// Removes the SGR sequences (`ESC [ … m`) our renderers add. Text from
/// peers never carries a raw ESC (it is escaped before rendering), so only
/// our styling goes.
pub fn strip_styles(buf: &mut Vec<u8>, from: usize) {
    if !buf[from..].contains(&0x1b) {
        return;
    }
    let mut w = from;
    let mut r = from;
    while r < buf.len() {
        if buf[r] == 0x1b && buf.get(r + 1) == Some(&b'[') {
            let mut end = r + 2;
            while end < buf.len() && !(0x40..=0x7e).contains(&buf[end]) {
                end += 1;
            }
            r = end + 1;
            continue;
        }
        buf[w] = buf[r];
        w += 1;
        r += 1;
    }
    buf.truncate(w);
}

impl Printer {
    /// A printer writing to `out`.
    pub fn new(out: Box<dyn Write + Send>, json: bool, color: bool) -> Self {
        style_always();
        Self {
            json,
            color,
            out: Arc::new(Mutex::new(out)),
        }
    }

    /// Results on stdout.
    pub fn stdout(json: bool, color: bool) -> Self {
        Self::new(Box::new(io::stdout()), json, color)
    }

    /// Diagnostics (warnings, traces, errors) on stderr, always as text.
    pub fn stderr(color: bool) -> Self {
        Self::new(Box::new(io::stderr()), false, color)
    }

    /// A printer into memory, and the memory.
    pub fn memory(json: bool, color: bool) -> (Self, Memory) {
        let m = Memory::default();
        (Self::new(Box::new(m.clone()), json, color), m)
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn is_color(&self) -> bool {
        self.color
    }

    /// The same writer, as text (JSON off): for narration beside results.
    pub fn as_text(&self) -> Self {
        Self {
            json: false,
            ..self.clone()
        }
    }

    /// Writes bytes as they are, in one piece, and flushes.
    pub fn write_bytes(&self, bytes: &[u8]) -> io::Result<()> {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        out.write_all(bytes)?;
        out.flush()
    }

    /// One result: its `Display` text, or one line of JSON.
    pub fn show<T: fmt::Display + Serialize + ?Sized>(&self, v: &T) -> io::Result<()> {
        let mut buf = Vec::new();
        self.render_into(v, &mut buf);
        self.write_bytes(&buf)
    }

    /// Appends what [`Printer::show`] would print to `out`.
    pub fn render_into<T: fmt::Display + Serialize + ?Sized>(&self, v: &T, out: &mut Vec<u8>) {
        let start = out.len();
        if self.json {
            if let Err(e) = serde_json::to_writer(&mut *out, v) {
                out.truncate(start);
                out.extend_from_slice(format!("{{\"error\":{:?}}}", e.to_string()).as_bytes());
            }
            out.push(b'\n');
        } else {
            let _ = write!(out, "{v}");
            if !self.color {
                strip_styles(out, start);
            }
        }
    }

    /// One event of a stream: a JSON line, or its text ending in a newline.
    pub fn event<T: fmt::Display + Serialize + ?Sized>(&self, v: &T) -> io::Result<()> {
        let mut buf = Vec::new();
        self.render_into(v, &mut buf);
        if !buf.ends_with(b"\n") {
            buf.push(b'\n');
        }
        self.write_bytes(&buf)
    }

    /// JSON only (skipped in human output, which narrates instead).
    pub fn json_only<T: fmt::Display + Serialize + ?Sized>(&self, v: &T) -> io::Result<()> {
        if self.json {
            self.event(v)
        } else {
            Ok(())
        }
    }

    /// Human output only (skipped under `--json`): anything `Display`.
    pub fn text<T: fmt::Display + ?Sized>(&self, v: &T) -> io::Result<()> {
        if self.json {
            return Ok(());
        }
        self.plain(v)
    }

    /// Text in both modes (for output that is the same either way, such as
    /// `keys show`'s W3C JSON).
    pub fn plain<T: fmt::Display + ?Sized>(&self, v: &T) -> io::Result<()> {
        let mut buf = Vec::new();
        let _ = write!(buf, "{v}");
        if !self.color {
            strip_styles(&mut buf, 0);
        }
        self.write_bytes(&buf)
    }

    /// A warning in the program's voice (on a diagnostics printer).
    pub fn warn(&self, msg: &dyn fmt::Display) {
        let _ = self.plain(&format_args!(
            "{} {msg}\n",
            "imapwebpush: warning:".yellow().bold()
        ));
    }

    /// A `-v` trace line (on a diagnostics printer).
    pub fn trace(&self, dir: crate::imap::Direction, line: &str) {
        let who = match dir {
            crate::imap::Direction::Client => "C:".cyan(),
            crate::imap::Direction::Server => "S:".magenta(),
        };
        let _ = self.plain(&format_args!("{who} {}\n", escape_line(line)));
    }
}

/// A terminal QR code: unicode half blocks (two modules per character),
/// error correction L (a screen is not a crumpled label), so that a push
/// subscription's JSON fits an 80-column terminal. Says so when the
/// terminal (`COLUMNS`) is narrower than the code.
pub fn qr(text: &str) -> String {
    use qrcode::{EcLevel, QrCode};
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L) {
        Ok(code) => {
            let drawn = code
                .render::<qrcode::render::unicode::Dense1x2>()
                .dark_color(qrcode::render::unicode::Dense1x2::Light)
                .light_color(qrcode::render::unicode::Dense1x2::Dark)
                .quiet_zone(true)
                .build();
            let width = drawn.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            let columns = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse::<usize>().ok());
            match columns {
                Some(c) if c < width => format!(
                    "(the QR code is {width} columns wide and this terminal has {c}: widen it or make the font smaller)\n{drawn}"
                ),
                _ => drawn,
            }
        }
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
        writeln!(f, "{} {}", "C:".cyan(), escape_line(&self.command))?;
        for response in &self.untagged {
            // A response with a literal spans lines; each gets its `S:`.
            for line in response.split("\r\n") {
                let mut shown = escape_line(line).into_owned();
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
                writeln!(f, "{} {shown}", "S:".magenta())?;
            }
        }
        writeln!(
            f,
            "{} {}",
            "S:".magenta(),
            status_colored(&escape_line(&self.tagged), self.status)
        )
    }
}

/// Text from a peer as a terminal may show it: a trailing CRLF dropped and
/// every control character escaped (`\u{1b}`, `\t`, …), so that no ESC,
/// OSC or BEL from a server, a pusher or a capture reaches the terminal.
pub fn escape_line(line: &str) -> std::borrow::Cow<'_, str> {
    let line = line.trim_end_matches("\r\n");
    if !line.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printer_without_colour_strips_styles_and_keeps_text() {
        let (p, mem) = Printer::memory(false, false);
        p.show(&format_args!(
            "{} and {}\n",
            "green".green(),
            "bold".bold().red()
        ))
        .unwrap();
        assert_eq!(mem.text(), "green and bold\n");
        let (p, mem) = Printer::memory(false, true);
        p.show(&format_args!("{}\n", "green".green())).unwrap();
        assert!(mem.text().contains("\u{1b}[32m"), "{:?}", mem.text());
    }

    #[test]
    fn peer_text_is_escaped() {
        assert_eq!(escape_line("a\u{1b}]0;x\u{7}b\r\n"), "a\\u{1b}]0;x\\u{7}b");
        assert!(matches!(
            escape_line("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
