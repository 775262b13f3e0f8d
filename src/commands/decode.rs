//! `decode`: decrypt captured payloads and say what is wrong with them.
//! Payloads are independent, so they are decrypted on every core; the
//! output keeps input order.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;

use colored::Colorize;
use serde::Serialize;

use clap::Args;

use crate::exit::{Exit, UsageError};
use crate::output::escape_line;
use crate::push::capture::{self, Capture, MAX_INPUT};
use crate::push::content::PushHeaders;
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
    pub responses: Vec<crate::push::content::PushResponse>,
    /// Every rule the push broke (content, §7.2 headers, VAPID).
    pub warnings: Vec<Departure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<PushHeaders>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vapid: Option<VapidReport>,
}

impl Decoded {
    fn new(input: String, report: PushReport) -> Self {
        let warnings = report.departures();
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

fn read_input(name: &str) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let limit = MAX_INPUT as u64 + 1;
    if name == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        std::fs::File::open(name)?
            .take(limit)
            .read_to_end(&mut buf)?;
    }
    if buf.len() > MAX_INPUT {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB",
            MAX_INPUT >> 20
        )));
    }
    Ok(buf)
}

/// Decrypts and reads one payload through the push pipeline.
pub fn decode_one(keys: &Keys, c: &Capture, now: u64) -> Outcome {
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

/// One item of work: a payload found in an input, or a failure already.
pub type Item<'a> = Result<capture::Found<'a>, Outcome>;

/// Payloads a worker takes at a time: large enough that handing out work
/// and sending results costs little, small enough to balance the cores.
const BLOCK: usize = 32;

/// Decodes every item on all cores, renders each with `render`, and hands
/// the texts to `emit` in input order as blocks complete (memory stays
/// bounded by the blocks in flight, not by the input). Base64 decoding,
/// decryption and rendering run on the workers; `emit` on the caller's
/// thread. Returns whether any item failed.
pub fn decode_all(
    keys: &Keys,
    items: &[Item<'_>],
    now: u64,
    render: &(dyn Fn(&Outcome, &mut Vec<u8>) + Sync),
    emit: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<bool> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let blocks = items.len().div_ceil(BLOCK);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(blocks)
        .max(1);
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, bool, Vec<u8>)>();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                if b >= blocks {
                    break;
                }
                let block = &items[b * BLOCK..((b + 1) * BLOCK).min(items.len())];
                let mut text = Vec::with_capacity(block.len() * 8192);
                let mut failed = false;
                for item in block {
                    let outcome;
                    let o = match item {
                        Ok(found) => {
                            outcome = match found.resolve() {
                                Ok(c) => decode_one(keys, &c, now),
                                Err((label, e)) => Outcome::failed(label, e),
                            };
                            &outcome
                        }
                        Err(o) => o,
                    };
                    failed |= matches!(o, Outcome::Failed(_));
                    render(o, &mut text);
                }
                if tx.send((b, failed, text)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // Blocks arrive in any order and leave in input order.
        let mut pending = std::collections::BTreeMap::new();
        let mut written = 0;
        let mut failed = false;
        for (b, f, text) in rx {
            failed |= f;
            pending.insert(b, text);
            while let Some(t) = pending.remove(&written) {
                emit(&t)?;
                written += 1;
            }
        }
        Ok(failed)
    })
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
    let render = |o: &Outcome, out: &mut Vec<u8>| printer.render_into(o, out);
    let failed = tokio::task::block_in_place(|| -> std::io::Result<bool> {
        let mut inputs = Vec::new();
        for name in &names {
            let label = if name == "-" { "stdin" } else { name.as_str() };
            inputs.push((label, read_input(name)));
        }
        let mut items: Vec<Item<'_>> = Vec::new();
        for (label, data) in &inputs {
            match data {
                Ok(data) => items.extend(
                    capture::find(label, data)
                        .into_iter()
                        .map(|r| r.map_err(|(l, e)| Outcome::failed(l, e))),
                ),
                Err(e) => items.push(Err(Outcome::failed(*label, format!("cannot read: {e}")))),
            }
        }
        // Blocks are written in 64 KiB pieces, not flushed line by line.
        let mut pending = Vec::with_capacity(1 << 16);
        let failed = decode_all(&keys, &items, now, &render, &mut |t| {
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
