//! The push endpoint and the reference server, end to end on loopback.
//!
//! - `endpoint_throughput`: a load generator on 16 keep-alive HTTP/1.1
//!   connections posts 2,000 pushes (VAPID-signed with one JWT reused, as a
//!   real server does; each body distinct and fully decrypted) to the
//!   endpoint; criterion reports time per batch, and the per-request p50
//!   and p99 latencies are printed after it.
//! - `append_to_push`: APPEND on `serve` (STARTTLS session) until the
//!   decrypted, verified `push` event comes out of an https endpoint.
//!
//! Both run only on 127.0.0.1 and are bounded in count.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use imapwebpush::endpoint::{self, EndpointConfig, EndpointTls, Event};
use imapwebpush::imap::{Arg, ConnectOptions, ServerAddr, Session};
use imapwebpush::push::ece::{self, EncryptOptions};
use imapwebpush::push::keys::Keys;
use imapwebpush::push::vapid::VapidSigner;
use imapwebpush::secret::Secret;
use imapwebpush::server::{self, AccountSpec, ServerConfig};
use imapwebpush::tls::{Identity, Trust};

/// The allocator of the `imapwebpush` binary (see `src/main.rs`), so that
/// the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BATCH: usize = 2000;
const CONNECTIONS: usize = 16;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The `p` quantile of `sorted`; `None` when nothing was measured (the
/// bench was filtered out).
fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    let last = sorted.len().checked_sub(1)?;
    Some(sorted[(last as f64 * p).round() as usize])
}

fn endpoint_throughput(c: &mut Criterion) {
    let rt = runtime();
    let keys = Arc::new(Keys::generate().unwrap());
    let signer = VapidSigner::generate().unwrap();
    let mut ep = rt.block_on(async {
        let mut cfg = EndpointConfig::new(keys.clone());
        cfg.expected_vapid = Some(signer.public().clone());
        endpoint::start(cfg).await.unwrap()
    });
    // Drain events as the CLI would, counting pushes.
    let mut events = std::mem::replace(&mut ep.events, tokio::sync::mpsc::channel(1).1);
    let (count_tx, count_rx) = std::sync::mpsc::channel::<bool>();
    rt.spawn(async move {
        while let Some(e) = events.recv().await {
            let _ = count_tx.send(matches!(e, Event::Push(_)));
        }
    });
    let url: hyper::Uri = ep.url.parse().unwrap();
    let origin = format!("http://{}", url.authority().unwrap());
    let exp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let auth = signer.authorization(
        &signer
            .sign(&origin, exp, Some("mailto:b@example.org"))
            .unwrap(),
    );
    let bodies: Arc<Vec<Bytes>> = Arc::new(
        (0..64)
            .map(|i| {
                let plain = format!("* SELECT INBOX\r\n* {i} UIDFETCH (UID {i})\r\n");
                Bytes::from(
                    ece::encrypt(
                        keys.p256dh.point(),
                        keys.auth.bytes(),
                        plain.as_bytes(),
                        &EncryptOptions::default(),
                    )
                    .unwrap(),
                )
            })
            .collect(),
    );
    let mut latencies: Vec<Duration> = Vec::new();
    let mut group = c.benchmark_group("endpoint");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(10);
    group.bench_function("endpoint_throughput", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (elapsed, lat) = rt.block_on(load(&url, &auth, bodies.clone()));
                total += elapsed;
                latencies.extend(lat);
                for _ in 0..BATCH {
                    assert!(
                        count_rx.recv_timeout(Duration::from_secs(10)).unwrap(),
                        "a push was rejected"
                    );
                }
            }
            total
        })
    });
    group.finish();
    latencies.sort();
    if latencies.is_empty() {
        return;
    }
    eprintln!(
        "endpoint latency per push over {} requests: p50 {:?}, p99 {:?}",
        latencies.len(),
        percentile(&latencies, 0.50).unwrap_or_default(),
        percentile(&latencies, 0.99).unwrap_or_default()
    );
    drop(ep);
}

/// Posts BATCH pushes over CONNECTIONS keep-alive connections; returns the
/// wall time and each request's latency.
async fn load(url: &hyper::Uri, auth: &str, bodies: Arc<Vec<Bytes>>) -> (Duration, Vec<Duration>) {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CONNECTIONS {
        let url = url.clone();
        let auth = auth.to_owned();
        let bodies = bodies.clone();
        tasks.push(tokio::spawn(async move {
            let authority = url.authority().unwrap().as_str().to_owned();
            let tcp = tokio::net::TcpStream::connect(&authority).await.unwrap();
            tcp.set_nodelay(true).unwrap();
            let (mut send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
                .await
                .unwrap();
            tokio::spawn(conn);
            let mut lat = Vec::with_capacity(BATCH / CONNECTIONS);
            for i in (c..BATCH).step_by(CONNECTIONS) {
                let req = hyper::Request::post(url.path())
                    .header("host", &authority)
                    .header("content-encoding", "aes128gcm")
                    .header("ttl", "604800")
                    .header("urgency", "high")
                    .header("authorization", &auth)
                    .body(Full::new(bodies[i % bodies.len()].clone()))
                    .unwrap();
                let t = Instant::now();
                send.ready().await.unwrap();
                let resp = send.send_request(req).await.unwrap();
                assert_eq!(resp.status(), 201);
                let _ = resp.into_body().collect().await;
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::with_capacity(BATCH);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    (start.elapsed(), all)
}

fn roots(pem: &str) -> Trust {
    Trust::with_ca_pem(pem).unwrap()
}

fn append_to_push(c: &mut Criterion) {
    let rt = runtime();
    let identity = Identity::generate(&["127.0.0.1"]).unwrap();
    let ep_ca = identity.ca_pem.clone().unwrap();
    let (srv, mut ep, mut session) = rt.block_on(async {
        let mut cfg = ServerConfig::new(
            vec![AccountSpec {
                name: "demo".into(),
                password: Secret::new("demo".into()),
                admin: true,
            }],
            VapidSigner::generate().unwrap(),
        );
        cfg.listen = ([127, 0, 0, 1], 0).into();
        cfg.push_trust = roots(&ep_ca);
        let srv = server::start(cfg).await.unwrap();
        let keys = Arc::new(Keys::generate().unwrap());
        let mut ecfg = EndpointConfig::new(keys.clone());
        ecfg.tls = EndpointTls::Identity(identity);
        ecfg.expected_vapid = Some(srv.vapid_key());
        let mut ep = endpoint::start(ecfg).await.unwrap();
        let opts = ConnectOptions {
            addr: ServerAddr::parse(&format!("imap://{}", srv.addr), None).unwrap(),
            trust: roots(srv.ca_pem.as_deref().unwrap()),
            timeout: Duration::from_secs(10),
        };
        let mut s = Session::connect(&opts, None).await.unwrap();
        s.login("demo", &Secret::new("demo".into())).await.unwrap();
        s.run(&format!(
            "WEBPUSH b {} {} {}",
            ep.url, keys.p256dh, keys.auth
        ))
        .await
        .unwrap();
        let Some(Event::Push(p)) = ep.events.recv().await else {
            panic!()
        };
        let token = p.ack_token().unwrap().to_owned();
        assert!(s.run(&format!("ACKWEBPUSH {token}")).await.unwrap().is_ok());
        (srv, ep, s)
    });
    let msg = b"From: A <a@example.org>\r\nSubject: latency\r\n\r\nhello\r\n";
    let mut samples: Vec<Duration> = Vec::new();
    let mut group = c.benchmark_group("e2e");
    group.sample_size(50);
    group.bench_function("append_to_push", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let t = Instant::now();
                    let r = session
                        .run_args(&[Arg::Raw("APPEND INBOX"), Arg::Literal(msg)])
                        .await
                        .unwrap();
                    assert!(r.is_ok());
                    match ep.events.recv().await {
                        Some(Event::Push(p)) => assert!(p.vapid.valid),
                        other => panic!("{other:?}"),
                    }
                    let d = t.elapsed();
                    samples.push(d);
                    total += d;
                }
                total
            })
        })
    });
    group.finish();
    samples.sort();
    if samples.is_empty() {
        return;
    }
    eprintln!(
        "APPEND to push event over {} runs: p50 {:?}, p99 {:?}",
        samples.len(),
        percentile(&samples, 0.50).unwrap_or_default(),
        percentile(&samples, 0.99).unwrap_or_default()
    );
    drop(srv);
}

criterion_group!(endpoint_benches, endpoint_throughput, append_to_push);
criterion_main!(endpoint_benches);
