//! `decode` on a realistic corpus (see `support/corpus.rs`), beside its
//! floor: one bare P-256 ECDH per payload, measured in the same run so
//! that the ratio holds even on a loaded machine.
//!
//! - `corpus/ecdh_floor`: one ECDH with a corpus payload's sender key;
//! - `corpus/payload`: one payload as `decode --json` handles it on one
//!   core: base64 decoding, decryption, reading the content, the JSON line;
//! - `corpus/decode_all`: all 2,000 through `decode`'s worker pool (every
//!   core), output discarded.
//!
//! After criterion, alternating rounds of 200 ECDHs and the same 200
//! payloads print the per-payload ratio to the floor with its spread, and the
//! endpoint's `push` event line for each payload is timed against
//! `serde_json` writing the same bytes.
//!
//! With `IMAPWEBPUSH_CORPUS_DIR` set, writes the corpus there instead
//! (`payloads.txt`, plus `keys.env` with the key and auth secret) and exits:
//! `benches/decode_vs_python.sh` uses that.

use std::time::{Duration, Instant};

/// The allocator of the `imapwebpush` binary (see `src/main.rs`), so that
/// the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{black_box, Criterion, Throughput};
use imapwebpush::commands::decode::{decode_inputs, decode_one, Outcome};
use imapwebpush::output::Printer;
use imapwebpush::push::b64;
use imapwebpush::push::capture::Capture;
use imapwebpush::push::ece;
use imapwebpush::push::keys::Keys;

#[path = "support/corpus.rs"]
mod corpus;

struct Setup {
    keys: Keys,
    lines: Vec<String>,
    senders: Vec<Vec<u8>>,
    printer: Printer,
    /// The corpus file, for `decode_inputs`.
    file: String,
}

fn setup() -> Setup {
    let bodies = corpus::bodies();
    let file = std::env::temp_dir().join(format!("imapwebpush-corpus-{}.txt", std::process::id()));
    std::fs::write(&file, corpus::file_text()).unwrap();
    Setup {
        file: file.to_str().unwrap().to_owned(),
        keys: Keys::from_parts(corpus::UA_PRIVATE, corpus::AUTH).unwrap(),
        senders: bodies.iter().map(|b| b[21..86].to_vec()).collect(),
        lines: bodies.iter().map(|b| b64::encode(b)).collect(),
        printer: Printer::memory(true, false).0,
    }
}

/// One payload as `decode --json` handles it, into `out`.
fn one(s: &Setup, i: usize, out: &mut Vec<u8>) {
    let c = Capture {
        label: format!("payloads.txt:{}", i + 1),
        body: b64::decode(&s.lines[i]).unwrap(),
        head: None,
    };
    let o = decode_one(&s.keys, &c, 1_900_000_000);
    debug_assert!(matches!(o, Outcome::Decoded(_)));
    imapwebpush::commands::decode::render(&s.printer, &o, out);
}

fn all(s: &Setup) -> usize {
    let printer = &s.printer;
    let mut n = 0;
    let failed = decode_inputs(
        &s.keys,
        std::slice::from_ref(&s.file),
        1_900_000_000,
        &|o, out| imapwebpush::commands::decode::render(printer, o, out),
        &mut |t| {
            n += t.len();
            Ok(())
        },
    )
    .unwrap();
    assert!(!failed);
    n
}

/// Payloads per round of [`ratio_rounds`]: small enough that a round of
/// ECDHs and the round of payloads beside it (about 10 ms each) see the
/// same load from the rest of the machine, large enough that the clock's
/// cost is nothing.
const ROUND: usize = 200;
const _: () = assert!(corpus::COUNT % ROUND == 0, "rounds cover the corpus");

/// The ratio to the floor, per round: a round of [`ROUND`] ECDHs and a
/// round of the same [`ROUND`] payloads, in turn, over the corpus several
/// times. Rounds of the whole corpus (2,000, half a second each) made the
/// ratio swing from 1.04 to 1.51 within one run on a loaded host: the load
/// changed between the two halves of a pair.
fn ratio_rounds(s: &Setup) {
    let rounds = 7 * corpus::COUNT / ROUND;
    let mut ecdh = Vec::new();
    let mut payload = Vec::new();
    let mut out = Vec::with_capacity(1 << 16);
    for r in 0..rounds {
        let first = r * ROUND % corpus::COUNT;
        let range = first..first + ROUND;
        let time_ecdh = || {
            let t = Instant::now();
            for p in &s.senders[range.clone()] {
                black_box(ece::ecdh_floor(&s.keys.ua, black_box(p)).unwrap());
            }
            t.elapsed() / ROUND as u32
        };
        let mut time_payload = || {
            let t = Instant::now();
            for i in range.clone() {
                out.clear();
                one(s, i, &mut out);
                black_box(&out);
            }
            t.elapsed() / ROUND as u32
        };
        // Which goes first alternates, so that neither always follows the other.
        let (e, p) = if r % 2 == 0 {
            let e = time_ecdh();
            (e, time_payload())
        } else {
            let p = time_payload();
            (time_ecdh(), p)
        };
        ecdh.push(e);
        payload.push(p);
    }
    let mut ratios: Vec<f64> = ecdh
        .iter()
        .zip(&payload)
        .map(|(e, p)| p.as_secs_f64() / e.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    ecdh.sort();
    payload.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let q = |k: usize| k * (rounds - 1) / 4;
    println!(
        "per payload (one core, {rounds} alternating rounds of {ROUND}): payload median {:.1} µs \
         [quartiles {:.1}–{:.1}], bare ECDH median {:.1} µs [{:.1}–{:.1}], ratio median {:.2}× \
         [quartiles {:.2}–{:.2}, extremes {:.2}–{:.2}]",
        us(payload[q(2)]),
        us(payload[q(1)]),
        us(payload[q(3)]),
        us(ecdh[q(2)]),
        us(ecdh[q(1)]),
        us(ecdh[q(3)]),
        ratios[q(2)],
        ratios[q(1)],
        ratios[q(3)],
        ratios[0],
        ratios[rounds - 1],
    );
}

/// The endpoint's `push` event line for every corpus payload (what
/// `listen --json` prints), by its writer and by `serde_json`, per payload.
fn push_events(s: &Setup) {
    use imapwebpush::endpoint::{Event, PushEvent};
    use imapwebpush::push::inspect::{inspect, PushInput, VapidPolicy};
    let events: Vec<Event> = s
        .lines
        .iter()
        .map(|l| {
            let body = b64::decode(l).unwrap();
            let input = PushInput {
                body: &body,
                ..PushInput::default()
            };
            let report = inspect(&s.keys, &input, VapidPolicy::Skip).unwrap();
            Event::Push(Box::new(PushEvent::new(report, "t".to_owned(), 201)))
        })
        .collect();
    let mut out = Vec::with_capacity(1 << 16);
    let mut fast = Vec::new();
    let mut serde = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        for e in &events {
            let Event::Push(p) = e else { unreachable!() };
            out.clear();
            p.write_json(&mut out);
            black_box(&out);
        }
        fast.push(t.elapsed() / corpus::COUNT as u32);
        let t = Instant::now();
        for e in &events {
            out.clear();
            serde_json::to_writer(&mut out, e).unwrap();
            black_box(&out);
        }
        serde.push(t.elapsed() / corpus::COUNT as u32);
    }
    fast.sort();
    serde.sort();
    println!(
        "push event JSON line (listen --json), per payload: {:.1} µs, serde_json {:.1} µs (medians of 7 rounds)",
        fast[3].as_secs_f64() * 1e6,
        serde[3].as_secs_f64() * 1e6
    );
}

fn main() {
    if let Some(dir) = std::env::var_os("IMAPWEBPUSH_CORPUS_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("payloads.txt"), corpus::file_text()).unwrap();
        std::fs::write(
            dir.join("keys.env"),
            format!("UA_PRIVATE={}\nAUTH={}\n", corpus::UA_PRIVATE, corpus::AUTH),
        )
        .unwrap();
        println!("corpus written to {}", dir.display());
        return;
    }
    let s = setup();
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("corpus");
    let mut i = 0;
    g.bench_function("ecdh_floor", |b| {
        b.iter(|| {
            i = (i + 1) % corpus::COUNT;
            ece::ecdh_floor(&s.keys.ua, black_box(&s.senders[i])).unwrap()
        })
    });
    let mut out = Vec::with_capacity(1 << 16);
    g.bench_function("payload", |b| {
        b.iter(|| {
            i = (i + 1) % corpus::COUNT;
            out.clear();
            one(&s, i, &mut out);
            black_box(out.len())
        })
    });
    g.throughput(Throughput::Elements(corpus::COUNT as u64));
    g.sample_size(10);
    g.bench_function("decode_all", |b| b.iter(|| all(&s)));
    g.finish();
    c.final_summary();
    ratio_rounds(&s);
    push_events(&s);
    let _ = std::fs::remove_file(&s.file);
}
