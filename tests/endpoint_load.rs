//! `listen` under hostile load, over loopback (run with
//! `cargo test --test it -- --ignored --nocapture endpoint_load`): 2,000
//! valid pushes from 16 senders while 300 connections trickle request
//! bytes at 1 byte/s (reconnecting whenever they are closed). Every valid
//! push must be answered 201 and come out as a `push` event; the latencies
//! and the rejections the trickling earned are printed.

use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use imapwebpush::push::ece::{self, EncryptOptions};
use imapwebpush::push::send::{PushClient, PushRequest};
use imapwebpush::push::vapid::VapidSigner;
use imapwebpush::tls::Trust;
use imapwebpush::webpush::{AuthSecret, Endpoint, P256dh};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::Bin;

const PUSHES: usize = 2000;
const SENDERS: usize = 16;
const SLOW: usize = 300;

/// One slow connection, again and again: a push head announcing a
/// 4000-byte body, then one byte a second.
async fn trickle(
    addr: std::net::SocketAddr,
    path: String,
    stop: Arc<AtomicBool>,
    up: Arc<AtomicUsize>,
) {
    let mut first = true;
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Encoding: aes128gcm\r\nContent-Length: 4000\r\n\r\n"
        );
        if s.write_all(head.as_bytes()).await.is_err() {
            continue;
        }
        if first {
            up.fetch_add(1, Ordering::Relaxed);
            first = false;
        }
        let mut buf = [0u8; 512];
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                r = s.read(&mut buf) => if !matches!(r, Ok(n) if n > 0) { break },
                _ = tick.tick() => if s.write_all(b"x").await.is_err() { break },
            }
            if stop.load(Ordering::Relaxed) {
                return;
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
#[ignore]
fn endpoint_load() {
    let bin = Bin::new();
    let keys = bin.path("keys.json");
    let mut child = bin.spawn(&[
        "listen",
        "--http",
        "--json",
        "--keys",
        keys.to_str().unwrap(),
    ]);
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                break;
            }
        }
    });
    let listening = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    let url = listening["endpoint"].as_str().unwrap().to_owned();
    let p256dh = P256dh::parse(listening["keys"]["p256dh"].as_str().unwrap()).unwrap();
    let auth = AuthSecret::parse(listening["keys"]["auth"].as_str().unwrap()).unwrap();
    let endpoint = Endpoint::parse_allowing_http(&url).unwrap();
    let addr: std::net::SocketAddr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let path = format!("/push/{}", url.split_once("/push/").unwrap().1);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let signer = VapidSigner::generate().unwrap();
    let exp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let authorization = signer.authorization(
        &signer
            .sign(endpoint.origin(), exp, Some("mailto:l@example.org"))
            .unwrap(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let up = Arc::new(AtomicUsize::new(0));
    let (latencies, failures, took) = rt.block_on(async {
        for _ in 0..SLOW {
            tokio::spawn(trickle(addr, path.clone(), stop.clone(), up.clone()));
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while up.load(Ordering::Relaxed) < SLOW {
            assert!(
                Instant::now() < deadline,
                "the slow connections did not all connect"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let client = PushClient::new(
            Trust::webpki().client_config().unwrap(),
            true,
            Duration::from_secs(60),
        );
        let started = Instant::now();
        let mut tasks = Vec::new();
        for s in 0..SENDERS {
            let (client, url, authorization) = (client.clone(), url.clone(), authorization.clone());
            let (p256dh, auth) = (p256dh.clone(), auth.clone());
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut failed = Vec::new();
                for i in (s..PUSHES).step_by(SENDERS) {
                    let plain = format!("* SELECT INBOX\r\n* {i} UIDFETCH (UID {i})\r\n");
                    let body = ece::encrypt(
                        p256dh.point(),
                        auth.bytes(),
                        plain.as_bytes(),
                        &EncryptOptions::default(),
                    )
                    .unwrap();
                    let mut r = PushRequest::new(url.clone(), body);
                    r.ttl = Some(604_800);
                    r.urgency = Some("high".into());
                    r.authorization = Some(authorization.clone());
                    let t = Instant::now();
                    match client.send(&r).await {
                        Ok(a) if a.status == 201 => lat.push(t.elapsed()),
                        Ok(a) => failed.push(format!("push {i}: status {}", a.status)),
                        Err(e) => failed.push(format!("push {i}: {e}")),
                    }
                }
                (lat, failed)
            }));
        }
        let mut latencies = Vec::new();
        let mut failures = Vec::new();
        for t in tasks {
            let (l, f) = t.await.unwrap();
            latencies.extend(l);
            failures.extend(f);
        }
        (latencies, failures, started.elapsed())
    });
    stop.store(true, Ordering::Relaxed);
    // Every push answered comes out as an event.
    let mut pushes = 0usize;
    let mut rejected: std::collections::BTreeMap<u64, usize> = Default::default();
    let mut stalled = 0usize;
    let deadline = Instant::now() + Duration::from_secs(60);
    while pushes < PUSHES && Instant::now() < deadline {
        let Ok(ev) = rx.recv_timeout(Duration::from_secs(10)) else {
            break;
        };
        match ev["event"].as_str() {
            Some("push") => pushes += 1,
            Some("rejected") => *rejected.entry(ev["status"].as_u64().unwrap()).or_default() += 1,
            Some("stalled") => stalled += 1,
            _ => {}
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    drop(rt);
    let mut sorted = latencies.clone();
    sorted.sort();
    println!(
        "endpoint_load: {} valid pushes in {:.1} s with {SLOW} slow connections; answered 201: {}, push events: {pushes}",
        PUSHES,
        took.as_secs_f32(),
        latencies.len()
    );
    if !sorted.is_empty() {
        println!(
            "  latency p50 {:?}, p99 {:?}, max {:?}",
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.99),
            sorted[sorted.len() - 1]
        );
    }
    println!(
        "  rejected events by status (slow requests): {rejected:?}; stalled events: {stalled}"
    );
    assert!(
        failures.is_empty(),
        "{} pushes failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
    assert_eq!(pushes, PUSHES, "every answered push is an event");
}
