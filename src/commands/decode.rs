//! `decode`: decrypt captured payloads and say what is wrong with them.
//! Payloads are independent, so they are decrypted on every core; the
//! output keeps input order.

use std::fmt;
use std::path::PathBuf;

use colored::Colorize;
use serde::Serialize;

use clap::Args;

use crate::exit::{Exit, UsageError};
use crate::json::str as json_str;
use crate::output::escape_line;
use crate::push::b64;
use crate::push::capture::{self, Budget, Capture, CaptureError, Piece, MAX_PAYLOAD};
use crate::push::content::{PushHeaders, PushResponse, Spans};
use crate::push::inspect::{inspect, Body, PushInput, PushReport, VapidPolicy};
use crate::push::keys::Keys;
use crate::push::vapid::{self, VapidReport};
use crate::rules::Departure;

use super::Context;

#[derive(Debug, Clone, Args)]
pub struct DecodeArgs {
    /// Keys file (default: $XDG_DATA_HOME/imapwebpush/keys.json)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["private_key", "auth"])]
    pub keys: Option<PathBuf>,
    /// The subscriber's private key (base64url 32-byte scalar), instead of --keys
    #[arg(long, value_name = "B64", requires = "auth")]
    pub private_key: Option<String>,
    /// The auth secret (base64url 16 bytes), with --private-key
    #[arg(long, value_name = "B64", requires = "private_key")]
    pub auth: Option<String>,
    /// Files holding raw bodies, base64 lines, or HTTP request dumps; "-" is stdin
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
}

impl DecodeArgs {
    fn keys(&self) -> anyhow::Result<Keys> {
        Ok(match (&self.keys, &self.private_key, &self.auth) {
            (_, Some(p), Some(a)) => Keys::from_parts(p, a).map_err(|e| {
                UsageError::new(
                    e.to_string(),
                    Some("--private-key and --auth take base64url".to_owned()),
                )
            })?,
            (Some(path), _, _) => Keys::load(path, false)?,
            _ => Keys::load(&Keys::default_path()?, false)?,
        })
    }
}

/// A payload that decoded: the push pipeline's report, with where it
/// came from.
#[derive(Debug, Serialize)]
pub struct Decoded {
    pub ok: bool,
    pub input: String,
    pub encoding: &'static str,
    pub record_size: u32,
    pub records: usize,
    pub padding: usize,
    pub plaintext: String,
    pub responses: Vec<PushResponse>,
    /// Every rule the push broke (content, §7.2 headers, VAPID).
    pub warnings: Vec<Departure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<PushHeaders>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vapid: Option<VapidReport>,
    /// Where the responses lie in the plaintext.
    #[serde(skip)]
    pub spans: Spans,
}

impl Decoded {
    pub(crate) fn new(input: String, mut report: PushReport) -> Self {
        let warnings = report.take_departures();
        Self {
            ok: true,
            input,
            encoding: report.encoding,
            record_size: report.record_size,
            records: report.records,
            padding: report.padding,
            plaintext: report.content.plaintext,
            responses: report.content.responses,
            warnings,
            headers: report.headers,
            vapid: report.vapid,
            spans: report.content.spans,
        }
    }
}

/// A payload that did not.
#[derive(Debug, Serialize)]
pub struct Undecodable {
    pub ok: bool,
    pub input: String,
    pub error: String,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    Decoded(Box<Decoded>),
    Failed(Undecodable),
}

impl Outcome {
    fn failed(input: impl Into<String>, error: impl fmt::Display) -> Self {
        Self::Failed(Undecodable {
            ok: false,
            input: input.into(),
            error: error.to_string(),
        })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed(x) => writeln!(
                f,
                "{} {}: {} {}",
                "===".bold(),
                x.input,
                "error:".red().bold(),
                x.error
            ),
            Self::Decoded(d) => {
                writeln!(
                    f,
                    "{} {}: {}, record size {}, {} record{}, {} bytes, {} bytes of padding",
                    "===".bold(),
                    d.input,
                    d.encoding,
                    d.record_size,
                    d.records,
                    if d.records == 1 { "" } else { "s" },
                    d.plaintext.len(),
                    d.padding
                )?;
                if let Some(h) = &d.headers {
                    writeln!(
                        f,
                        "  {} Content-Encoding {}, TTL {}, Urgency {}, Topic {}",
                        "headers:".bold(),
                        h.content_encoding.as_deref().unwrap_or("-"),
                        h.ttl.map_or("-".to_owned(), |t| t.to_string()),
                        escape_line(h.urgency.as_deref().unwrap_or("-")),
                        escape_line(h.topic.as_deref().unwrap_or("-"))
                    )?;
                }
                if let Some(v) = &d.vapid {
                    let verdict = if v.valid {
                        "valid".green()
                    } else {
                        "INVALID".red().bold()
                    };
                    writeln!(
                        f,
                        "  {} {verdict}: key {}, aud {}, sub {}, exp {}",
                        "vapid:".bold(),
                        escape_line(v.key.as_deref().unwrap_or("-")),
                        escape_line(v.aud.as_deref().unwrap_or("-")),
                        escape_line(v.sub.as_deref().unwrap_or("-")),
                        v.exp.map_or("-".to_owned(), |e| e.to_string())
                    )?;
                    for finding in v.findings.iter().filter(|f| f.is_error()) {
                        writeln!(f, "  {} {finding}", "error:".red().bold())?;
                    }
                }
                write!(
                    f,
                    "{}",
                    Body {
                        plaintext: &d.plaintext,
                        responses: &d.responses,
                        departures: &d.warnings,
                    }
                )
            }
        }
    }
}

/// Decrypts and reads one payload through the push pipeline.
/// Appends `o` as `printer` prints it: under `--json` by [`write_json`],
/// as text otherwise.
pub fn render(printer: &crate::output::Printer, o: &Outcome, out: &mut Vec<u8>) {
    if printer.is_json() {
        write_json(o, out);
    } else {
        printer.render_into(o, out);
    }
}

/// Appends the JSON line of `o`: the bytes `serde_json` writes, with the
/// long strings (plaintext, unparsed lines, literals, warnings) escaped by
/// [`json_str`] rather than byte by byte.
pub fn write_json(o: &Outcome, out: &mut Vec<u8>) {
    let Outcome::Decoded(d) = o else {
        let _ = serde_json::to_writer(&mut *out, o);
        out.push(b'\n');
        return;
    };
    out.extend_from_slice(b"{\"ok\":true,\"input\":");
    json_str(out, &d.input);
    out.extend_from_slice(b",\"encoding\":");
    json_str(out, d.encoding);
    out.extend_from_slice(b",\"record_size\":");
    crate::json::uint(out, u64::from(d.record_size));
    out.extend_from_slice(b",\"records\":");
    crate::json::uint(out, d.records as u64);
    out.extend_from_slice(b",\"padding\":");
    crate::json::uint(out, d.padding as u64);
    out.push(b',');
    crate::push::json::write_content(out, &d.plaintext, &d.responses, &d.warnings, &d.spans);
    if let Some(h) = &d.headers {
        out.extend_from_slice(b",\"headers\":");
        let _ = serde_json::to_writer(&mut *out, h);
    }
    if let Some(v) = &d.vapid {
        out.extend_from_slice(b",\"vapid\":");
        let _ = serde_json::to_writer(&mut *out, v);
    }
    out.extend_from_slice(b"}\n");
}

/// Bodies over [`MAX_PAYLOAD`] are refused before any work.
pub fn decode_one(keys: &Keys, c: &Capture, now: u64) -> Outcome {
    if c.body.len() > MAX_PAYLOAD {
        return Outcome::failed(&c.label, CaptureError::TooLarge);
    }
    let head = c.head.as_ref();
    let get = |name: &str| head.and_then(|h| h.get(name));
    let input = PushInput {
        body: &c.body,
        has_headers: head.is_some(),
        content_encoding: get("Content-Encoding"),
        encryption: get("Encryption"),
        crypto_key: get("Crypto-Key"),
        authorization: get("Authorization"),
        ttl: get("TTL"),
        urgency: get("Urgency"),
        topic: get("Topic"),
    };
    // The endpoint's origin is not known from a capture; the report shows
    // `aud` for the reader to compare.
    let vapid = if head.is_some() {
        VapidPolicy::Report(vapid::Expectations {
            audience: None,
            key: None,
            now,
        })
    } else {
        VapidPolicy::Skip
    };
    match inspect(keys, &input, vapid) {
        Ok(report) => Outcome::Decoded(Box::new(Decoded::new(c.label.clone(), report))),
        Err(e) => Outcome::failed(&c.label, e),
    }
}

/// A payload to decode, or what is wrong with a part of an input.
#[derive(Debug)]
enum Job {
    /// Base64 text, at `range` of its batch's text.
    Base64 {
        input: usize,
        number: Option<usize>,
        range: std::ops::Range<usize>,
    },
    Body {
        input: usize,
        capture: Capture,
    },
    Failed {
        input: usize,
        number: Option<usize>,
        error: CaptureError,
    },
}

/// Jobs handed to a worker at once, their base64 text in one buffer, and
/// the buffer their output goes to.
#[derive(Debug, Default)]
struct Batch {
    seq: usize,
    text: String,
    jobs: Vec<Job>,
    out: Vec<u8>,
}

/// Payloads in a batch: large enough that handing out work and sending
/// results costs little, small enough to balance the cores.
const BATCH_JOBS: usize = 32;
/// Base64 text in a batch, beyond which it is sent at once.
const BATCH_TEXT: usize = 256 << 10;

/// The label of a part of input `name`: `name:line` or the name alone.
fn label(name: &str, number: Option<usize>) -> String {
    match number {
        Some(n) => format!("{name}:{n}"),
        None => name.to_owned(),
    }
}

/// Reads `inputs` ("-" is stdin) as they come, decodes every payload on all
/// cores, renders each with `render`, and hands the texts to `emit` in input
/// order on the caller's thread. Memory stays bounded: the inputs are read
/// a chunk at a time (see [`capture::scan`]), at most a few batches are in
/// flight, and reading waits for output. All inputs together are read up
/// to [`capture::MAX_INPUT`] bytes; beyond, an error names the limit and reading
/// stops. Returns whether any payload failed.
pub fn decode_inputs(
    keys: &Keys,
    inputs: &[String],
    now: u64,
    render: &(dyn Fn(&Outcome, &mut Vec<u8>) + Sync),
    emit: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<bool> {
    use std::sync::mpsc;

    let names: Vec<&str> = inputs
        .iter()
        .map(|n| if n == "-" { "stdin" } else { n.as_str() })
        .collect();
    let names = &names;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Batches in flight, each owning one output buffer: the bound on memory.
    let in_flight = 2 * workers + 2;
    let (free_tx, free_rx) = mpsc::sync_channel::<Vec<u8>>(in_flight);
    for _ in 0..in_flight {
        free_tx.send(Vec::new()).expect("room for every buffer");
    }
    let (jobs_tx, jobs_rx) = mpsc::sync_channel::<Batch>(in_flight);
    let jobs_rx = std::sync::Mutex::new(jobs_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, bool, Vec<u8>)>();
    std::thread::scope(|s| {
        s.spawn(move || read_all(inputs, &free_rx, &jobs_tx));
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let jobs_rx = &jobs_rx;
            s.spawn(move || loop {
                let next = jobs_rx.lock().map(|rx| rx.recv());
                let Ok(Ok(mut batch)) = next else { break };
                let failed = run_batch(keys, names, now, render, &mut batch);
                if done_tx.send((batch.seq, failed, batch.out)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        // Batches arrive in any order and leave in input order.
        let mut pending = std::collections::BTreeMap::new();
        let mut written = 0;
        let mut failed = false;
        let mut result = Ok(());
        for (seq, f, out) in &done_rx {
            failed |= f;
            pending.insert(seq, out);
            while let Some(mut out) = pending.remove(&written) {
                if result.is_ok() {
                    result = emit(&out);
                }
                written += 1;
                if result.is_err() {
                    break;
                }
                out.clear();
                let _ = free_tx.send(out);
            }
            if result.is_err() {
                break;
            }
        }
        // On an error, the reader finds no more buffers and stops, and the
        // workers find no more batches.
        drop(free_tx);
        drop(done_rx);
        result.map(|()| failed)
    })
}

/// The reader: scans every input in turn into batches, each sent with a
/// free output buffer (waiting for one bounds what is in flight).
fn read_all(
    inputs: &[String],
    free: &std::sync::mpsc::Receiver<Vec<u8>>,
    jobs: &std::sync::mpsc::SyncSender<Batch>,
) {
    let mut batch = Batch::default();
    let mut seq = 0;
    let mut send = |batch: &mut Batch, last: bool| -> std::io::Result<()> {
        if batch.jobs.is_empty()
            || !last && batch.jobs.len() < BATCH_JOBS && batch.text.len() < BATCH_TEXT
        {
            return Ok(());
        }
        let closed = || std::io::Error::other("output stopped");
        let out = free.recv().map_err(|_| closed())?;
        let mut full = std::mem::take(batch);
        full.seq = seq;
        full.out = out;
        seq += 1;
        jobs.send(full).map_err(|_| closed())
    };
    let mut budget = Budget::default();
    for (input, name) in inputs.iter().enumerate() {
        let mut over = false;
        let mut sink = |piece: Piece<'_>| {
            let job = match piece {
                Piece::Line { number, text } => {
                    let start = batch.text.len();
                    batch.text.push_str(text);
                    Job::Base64 {
                        input,
                        number: Some(number),
                        range: start..batch.text.len(),
                    }
                }
                Piece::Wrapped { text } if text.len() > MAX_PAYLOAD / 3 * 4 + 64 => Job::Failed {
                    input,
                    number: None,
                    error: CaptureError::TooLarge,
                },
                Piece::Wrapped { text } => {
                    let start = batch.text.len();
                    batch.text.push_str(text);
                    Job::Base64 {
                        input,
                        number: None,
                        range: start..batch.text.len(),
                    }
                }
                Piece::Body(capture) => Job::Body { input, capture },
                Piece::Failed { number, error } => {
                    over |= error == CaptureError::TotalTooLarge;
                    Job::Failed {
                        input,
                        number,
                        error,
                    }
                }
            };
            batch.jobs.push(job);
            send(&mut batch, false)
        };
        let result = if name == "-" {
            capture::scan(&mut std::io::stdin().lock(), &mut budget, &mut sink)
        } else {
            match std::fs::File::open(name) {
                Ok(mut f) => capture::scan(&mut f, &mut budget, &mut sink),
                Err(e) => sink(Piece::Failed {
                    number: None,
                    error: CaptureError::Read(e.to_string()),
                }),
            }
        };
        if result.is_err() || over {
            break;
        }
    }
    let _ = send(&mut batch, true);
}

/// Decodes and renders one batch into its output buffer; whether any
/// payload failed.
fn run_batch(
    keys: &Keys,
    names: &[&str],
    now: u64,
    render: &(dyn Fn(&Outcome, &mut Vec<u8>) + Sync),
    batch: &mut Batch,
) -> bool {
    let mut failed = false;
    for job in batch.jobs.drain(..) {
        let outcome = match job {
            Job::Base64 {
                input,
                number,
                range,
            } => {
                let label = label(names[input], number);
                match b64::decode(&batch.text[range]) {
                    Ok(body) => decode_one(
                        keys,
                        &Capture {
                            label,
                            body,
                            head: None,
                        },
                        now,
                    ),
                    Err(_) => Outcome::failed(label, CaptureError::NotBase64),
                }
            }
            Job::Body { input, mut capture } => {
                capture.label = names[input].to_owned();
                decode_one(keys, &capture, now)
            }
            Job::Failed {
                input,
                number,
                error,
            } => Outcome::failed(label(names[input], number), error),
        };
        failed |= matches!(outcome, Outcome::Failed(_));
        render(&outcome, &mut batch.out);
    }
    failed
}

pub async fn run(cx: &Context, a: &DecodeArgs) -> anyhow::Result<Exit> {
    let keys = a.keys()?;
    let names: Vec<String> = if a.inputs.is_empty() {
        vec!["-".to_owned()]
    } else {
        a.inputs.clone()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let printer = &cx.out;
    let render = |o: &Outcome, out: &mut Vec<u8>| render(printer, o, out);
    let failed = tokio::task::block_in_place(|| -> std::io::Result<bool> {
        // Batches are written in pieces of 64 KiB or more, not flushed line
        // by line.
        let mut pending = Vec::with_capacity(1 << 16);
        let failed = decode_inputs(&keys, &names, now, &render, &mut |t| {
            if pending.is_empty() && t.len() >= 1 << 16 {
                return printer.write_bytes(t);
            }
            pending.extend_from_slice(t);
            if pending.len() >= 1 << 16 {
                printer.write_bytes(&pending)?;
                pending.clear();
            }
            Ok(())
        })?;
        printer.write_bytes(&pending)?;
        Ok(failed)
    })?;
    Ok(if failed { Exit::Failure } else { Exit::Success })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::content::analyze;

    /// `write_json` is `serde_json` on the same outcome, byte for byte.
    #[test]
    fn json_lines_are_serde_json_lines() {
        let plaintexts = crate::push::json::tests::plaintexts();
        for (i, plain) in plaintexts.iter().enumerate() {
            for headers in [
                None,
                Some(PushHeaders {
                    content_encoding: Some("aes128gcm".to_owned()),
                    ttl: Some(60),
                    urgency: Some("hi\"gh".to_owned()),
                    topic: Some("t\\".to_owned()),
                }),
            ] {
                let report = PushReport {
                    encoding: "aes128gcm",
                    record_size: 4096,
                    records: 1,
                    padding: 3,
                    content: analyze(plain, headers.as_ref()),
                    vapid: headers.as_ref().map(|_| VapidReport::missing()),
                    headers,
                };
                let o = Outcome::Decoded(Box::new(Decoded::new(format!("f\"{i}"), report)));
                let mut mine = Vec::new();
                write_json(&o, &mut mine);
                let mut theirs = serde_json::to_vec(&o).unwrap();
                theirs.push(b'\n');
                assert_eq!(
                    String::from_utf8_lossy(&mine),
                    String::from_utf8_lossy(&theirs)
                );
            }
        }
        let failed = Outcome::failed("x", "bad \"thing\"");
        let mut mine = Vec::new();
        write_json(&failed, &mut mine);
        assert_eq!(
            mine,
            [serde_json::to_vec(&failed).unwrap(), b"\n".to_vec()].concat()
        );
    }
}
