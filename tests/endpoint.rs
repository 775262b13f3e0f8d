//! The push endpoint and the commands built on it, as the built binary:
//! `listen` against pushes from the library's own sender (valid and
//! forged), `subscribe` and `listen --reply` against `serve`, and `demo`.

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imapwebpush::imap::Arg;
use imapwebpush::push::ece::{self, EncryptOptions};
use imapwebpush::push::send::{PushClient, PushRequest};
use imapwebpush::push::vapid::VapidSigner;
use imapwebpush::server::Outcome;
use imapwebpush::tls::Trust;
use imapwebpush::webpush::{AuthSecret, Endpoint, P256dh};
use serde_json::Value;

use crate::support::rig::{lines, next_delivery, webpush_raw, Rig, WAIT};
use crate::support::Bin;

/// The JSON lines a streaming command prints, as they come.
struct Lines {
    rx: mpsc::Receiver<String>,
    child: Child,
}

impl Lines {
    fn new(mut child: Child) -> Self {
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self { rx, child }
    }

    #[track_caller]
    fn next(&mut self) -> Value {
        let line = self.rx.recv_timeout(WAIT).unwrap_or_else(|_| {
            let _ = self.child.kill();
            let out = self.child.wait_with_output_stderr();
            panic!("no output line within the wait; stderr:\n{out}")
        });
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    /// The next event that is not a departure; the departures passed over
    /// must be the non-https one a plain-http endpoint earns.
    #[track_caller]
    fn next_but_http_departures(&mut self) -> Value {
        loop {
            let v = self.next();
            if v["event"] != "departure" {
                return v;
            }
            assert!(
                v["warning"].as_str().unwrap_or("").contains("non-https"),
                "{v}"
            );
        }
    }

    fn wait(mut self) -> i32 {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s.code().unwrap_or(-1);
            }
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the command did not exit within the wait");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

trait StderrOf {
    fn wait_with_output_stderr(&mut self) -> String;
}

impl StderrOf for Child {
    fn wait_with_output_stderr(&mut self) -> String {
        let mut s = String::new();
        if let Some(mut e) = self.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut s);
        }
        s
    }
}

impl Drop for Lines {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A push from the library's sender to a listening endpoint.
struct Pusher {
    client: PushClient,
    url: String,
    p256dh: P256dh,
    auth: AuthSecret,
}

impl Pusher {
    fn from_listening(ev: &Value) -> Self {
        assert_eq!(ev["event"], "listening", "{ev}");
        Self {
            client: PushClient::new(Trust::webpki().client_config().unwrap(), true, WAIT),
            url: ev["endpoint"].as_str().unwrap().to_owned(),
            p256dh: P256dh::parse(ev["keys"]["p256dh"].as_str().unwrap()).unwrap(),
            auth: AuthSecret::parse(ev["keys"]["auth"].as_str().unwrap()).unwrap(),
        }
    }

    fn origin(&self) -> String {
        Endpoint::parse_allowing_http(&self.url)
            .unwrap()
            .origin()
            .to_owned()
    }

    fn request(&self, plaintext: &[u8], signer: Option<(&VapidSigner, &str)>) -> PushRequest {
        let body = ece::encrypt(
            self.p256dh.point(),
            self.auth.bytes(),
            plaintext,
            &EncryptOptions::default(),
        )
        .unwrap();
        let mut r = PushRequest::new(self.url.clone(), body);
        r.ttl = Some(604_800);
        r.urgency = Some("low".into());
        if let Some((s, aud)) = signer {
            let jwt = s
                .sign(aud, now() + 3600, Some("mailto:t@example.org"))
                .unwrap();
            r.authorization = Some(s.authorization(&jwt));
        }
        r
    }

    fn send(&self, rt: &tokio::runtime::Runtime, r: &PushRequest) -> u16 {
        rt.block_on(self.client.send(r)).unwrap().status
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn listen_reports_every_request_as_one_event() {
    let rt = runtime();
    let server_key = VapidSigner::generate().unwrap();
    let stranger = VapidSigner::generate().unwrap();
    let bin = Bin::new();
    let keys = bin.path("keys.json");
    let mut out = Lines::new(bin.spawn(&[
        "listen",
        "--http",
        "--json",
        "--keys",
        keys.to_str().unwrap(),
        "--vapid",
        server_key.public().as_str(),
        "--count",
        "1",
    ]));
    let p = Pusher::from_listening(&out.next());
    assert!(p.url.starts_with("http://127.0.0.1:"), "{}", p.url);
    let aud = p.origin();

    let mut cases: Vec<(PushRequest, u16, &str)> = Vec::new();
    cases.push((
        p.request(b"* SYNC\r\n", Some((&stranger, &aud))),
        403,
        "VAPID key is not the expected one",
    ));
    cases.push((
        p.request(b"* SYNC\r\n", Some((&server_key, "https://other.example"))),
        401,
        "aud is not the endpoint origin",
    ));
    cases.push((
        p.request(b"* SYNC\r\n", None),
        401,
        "no VAPID Authorization header",
    ));
    let mut big = p.request(b"* SYNC\r\n", Some((&server_key, &aud)));
    big.body = vec![0; 5000];
    cases.push((big, 413, "body over"));
    let mut gzip = p.request(b"* SYNC\r\n", Some((&server_key, &aud)));
    gzip.content_encoding = "gzip".into();
    cases.push((gzip, 415, "neither aes128gcm nor aesgcm"));
    let mut lost = p.request(b"* SYNC\r\n", Some((&server_key, &aud)));
    lost.endpoint = format!("{}x", p.url);
    cases.push((lost, 404, "no push resource"));
    let mut tampered = p.request(b"* SYNC\r\n", Some((&server_key, &aud)));
    let n = tampered.body.len();
    tampered.body[n - 1] ^= 1;
    cases.push((tampered, 400, "decryption failed"));
    // Signed by a stranger, but naming the expected key: only the ES256
    // signature tells it apart.
    let mut forged = p.request(b"* SYNC\r\n", Some((&server_key, &aud)));
    let jwt = stranger
        .sign(&aud, now() + 3600, Some("mailto:t@example.org"))
        .unwrap();
    forged.authorization = Some(server_key.authorization(&jwt));
    cases.push((forged, 401, "signature does not verify"));
    // A genuine signature over other claims: the claims were swapped.
    let mut swapped = p.request(b"* SYNC\r\n", Some((&server_key, &aud)));
    let genuine = server_key
        .sign(&aud, now() + 3600, Some("mailto:t@example.org"))
        .unwrap();
    let other = server_key
        .sign(&aud, now() + 7200, Some("mailto:t@example.org"))
        .unwrap();
    let parts: Vec<&str> = genuine.split('.').collect();
    let other_claims = other.split('.').nth(1).unwrap();
    swapped.authorization =
        Some(server_key.authorization(&format!("{}.{other_claims}.{}", parts[0], parts[2])));
    cases.push((swapped, 401, "signature does not verify"));

    for (req, status, reason) in &cases {
        assert_eq!(p.send(&rt, req), *status, "{reason}");
        let ev = out.next();
        assert_eq!(ev["event"], "rejected", "{ev}");
        assert_eq!(ev["status"], *status, "{ev}");
        assert!(ev["reason"].as_str().unwrap().contains(reason), "{ev}");
    }

    // A valid one, the same JWT twice (the second is served from the cache).
    let ok = p.request(
        b"* SELECT INBOX\r\n* 3 UIDFETCH (UID 3)\r\n",
        Some((&server_key, &aud)),
    );
    assert_eq!(p.send(&rt, &ok), 201);
    let ev = out.next();
    assert_eq!(ev["event"], "push", "{ev}");
    assert_eq!(ev["vapid"]["valid"], true);
    assert_eq!(ev["vapid"]["aud"], aud.as_str());
    assert_eq!(
        ev["plaintext"],
        "* SELECT INBOX\r\n* 3 UIDFETCH (UID 3)\r\n"
    );
    assert_eq!(ev["responses"][1]["type"], "UIDFETCH");
    assert_eq!(ev["headers"]["ttl"], 604_800);
    // Urgency low with a UIDFETCH breaks §7.2: reported, not rejected.
    assert!(
        ev["warnings"][0].as_str().unwrap().contains("Urgency"),
        "{ev}"
    );
    assert_eq!(out.wait(), 0, "--count 1 ends after one push");
}

/// `subscribe` against the rig's server as demo over STARTTLS (its CA
/// written into the binary's home), keys in that home, then `extra`.
fn subscribe_args(rig: &Rig, bin: &Bin, extra: &[&str]) -> Vec<String> {
    let ca = bin.path("ca.pem");
    std::fs::write(&ca, rig.server.ca_pem.as_deref().unwrap()).unwrap();
    let mut args: Vec<String> = [
        "subscribe",
        "--http",
        "-s",
        &format!("imap://{}", rig.server.addr),
        "--ca-file",
        ca.to_str().unwrap(),
        "-u",
        "demo",
        "--keys",
        bin.path("keys.json").to_str().unwrap(),
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    args
}

#[test]
fn subscribe_count_2_sees_the_ack_the_new_mail_and_the_expunge() {
    let rt = runtime();
    let rig = rt.block_on(Rig::start_with(|c| c.allow_http_endpoints = true));
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let args = subscribe_args(&rig, &bin, &["--json", "--count", "2", "--wait", "10"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut out = Lines::new(bin.spawn(&args));
    assert_eq!(out.next()["event"], "listening");
    // Each step of the flow is an event: the subscription and its ID first.
    let subscribed = out.next();
    assert_eq!(subscribed["event"], "subscribed", "{subscribed}");
    assert!(
        subscribed["id"].as_str().is_some_and(|id| id.len() == 36),
        "{subscribed}"
    );
    // The rig accepts this plain-http endpoint, which the client reports.
    let ack_push = out.next_but_http_departures();
    assert_eq!(ack_push["event"], "push", "{ack_push}");
    assert_eq!(ack_push["responses"][0]["type"], "ACKWEBPUSH");
    assert_eq!(ack_push["vapid"]["valid"], true);
    assert_eq!(ack_push["vapid"]["key"], rig.server.vapid_key().as_str());
    let ack = out.next_but_http_departures();
    assert_eq!(
        (ack["event"].as_str(), ack["status"].as_str()),
        (Some("ack"), Some("OK")),
        "{ack}"
    );

    // Mail arrives (already flagged \Deleted, so that expunging it needs
    // no STORE and the stream holds exactly two more pushes).
    rt.block_on(async {
        let mut s = rig.client().await;
        let r = s
            .run_args(&[
                Arg::Raw("APPEND INBOX (\\Deleted)"),
                Arg::Literal(b"Subject: pushed\r\n\r\nhello\r\n"),
            ])
            .await
            .unwrap();
        assert!(r.is_ok(), "{:?}", lines(&r));
    });
    let new_mail = out.next_but_http_departures();
    assert_eq!(new_mail["responses"][0]["type"], "SELECT", "{new_mail}");
    assert_eq!(new_mail["responses"][1]["type"], "UIDFETCH", "{new_mail}");
    assert_eq!(
        new_mail["responses"][1]["items"]["ENVELOPE"]["subject"],
        "pushed"
    );
    assert_eq!(new_mail["headers"]["urgency"], "high");
    rt.block_on(async {
        let mut s = rig.client().await;
        assert!(s.run("SELECT INBOX").await.unwrap().is_ok());
        assert!(s.run("EXPUNGE").await.unwrap().is_ok());
    });
    let expunge = out.next_but_http_departures();
    assert_eq!(expunge["responses"][1]["type"], "VANISHED", "{expunge}");
    assert_eq!(
        expunge["warnings"].as_array().unwrap().len(),
        0,
        "{expunge}"
    );
    assert_eq!(out.wait(), 0);
}

/// `listen --json --reply REPLY`, and a subscription `id` on `serve`
/// pointing at it; returns the listen output after its `listening` line,
/// and a session with the delivery log opened before the WEBPUSH.
fn serve_pushing_to_listen(
    rt: &tokio::runtime::Runtime,
    rig: &Rig,
    bin: &Bin,
    reply: &str,
    id: &str,
) -> (
    Lines,
    imapwebpush::imap::Session,
    tokio::sync::broadcast::Receiver<imapwebpush::server::Delivery>,
) {
    let keys = bin.path("keys.json");
    let mut out = Lines::new(bin.spawn(&[
        "listen",
        "--http",
        "--json",
        "--keys",
        keys.to_str().unwrap(),
        "--reply",
        reply,
    ]));
    let listening = out.next();
    let field = |v: &Value| v.as_str().unwrap().to_owned();
    let (url, p256dh, auth) = (
        field(&listening["endpoint"]),
        field(&listening["keys"]["p256dh"]),
        field(&listening["keys"]["auth"]),
    );
    let (s, log) = rt.block_on(async {
        let log = rig.server.deliveries();
        let mut s = rig.client().await;
        webpush_raw(&mut s, id, &url, &p256dh, &auth).await;
        (s, log)
    });
    (out, s, log)
}

#[test]
fn listen_reply_410_makes_serve_drop_the_subscription() {
    let rt = runtime();
    let rig = rt.block_on(Rig::start_with(|c| c.allow_http_endpoints = true));
    let bin = Bin::new();
    let (mut out, mut s, mut log) = serve_pushing_to_listen(&rt, &rig, &bin, "410", "doomed");
    rt.block_on(async {
        let d = next_delivery(&mut log, "doomed").await;
        assert_eq!((d.status, d.outcome), (Some(410), Outcome::Removed));
        let l = s.run("LWEBPUSH *").await.unwrap();
        assert_eq!(lines(&l).len(), 1, "{:?}", lines(&l));
    });
    let ev = out.next();
    assert_eq!(
        (ev["event"].as_str(), ev["status"].as_u64()),
        (Some("push"), Some(410)),
        "{ev}"
    );
}

#[test]
fn listen_reply_429_makes_serve_wait() {
    let rt = runtime();
    let rig = rt.block_on(Rig::start_with(|c| c.allow_http_endpoints = true));
    let bin = Bin::new();
    let (mut out, _s, mut log) = serve_pushing_to_listen(&rt, &rig, &bin, "429:1", "busy");
    rt.block_on(async {
        let d = next_delivery(&mut log, "busy").await;
        assert!(
            matches!(d.outcome, Outcome::Retry { after, .. } if after == Duration::from_secs(1)),
            "{d:?}"
        );
    });
    let first = out.next();
    let second = out.next();
    assert_eq!(first["status"], 429);
    assert_eq!(second["status"], 429);
    // §7.4: the second attempt waits the whole Retry-After (1 s).
    let gap = millis_of_day(&second) - millis_of_day(&first);
    let gap = gap.rem_euclid(86_400_000);
    assert!(
        (900..5_000).contains(&gap),
        "second push {gap} ms after the first: {first} {second}"
    );
}

/// An event's `received_at` (`…THH:MM:SS.mmmZ`) as milliseconds into its day.
fn millis_of_day(ev: &Value) -> i64 {
    let t = ev["received_at"].as_str().unwrap();
    let time = t
        .split_once('T')
        .and_then(|(_, t)| t.strip_suffix('Z'))
        .unwrap_or_else(|| panic!("not RFC 3339 UTC: {t}"));
    let (hms, ms) = time.split_once('.').unwrap();
    let f: Vec<i64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
    ((f[0] * 60 + f[1]) * 60 + f[2]) * 1000 + ms.parse::<i64>().unwrap()
}

#[test]
fn demo_exits_0_and_shows_the_pushed_envelope() {
    let run = Bin::new().run(&["demo"]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("UIDFETCH with the ENVELOPE: subject “Welcome to IMAP WEBPUSH”"),
        "{out}"
    );
    assert!(out.contains("VANISHED"), "{out}");
    assert!(out.contains("* ACKWEBPUSH "), "{out}");
}

#[test]
fn serve_help_lists_every_fault_with_what_it_breaks() {
    let run = Bin::new().run(&["serve", "--help"]);
    run.expect_code(0);
    let out = run.stdout();
    for fault in [
        "no-vapid-response",
        "no-webpush-response",
        "activate-without-ack",
        "skip-ack-push",
        "wrong-urgency",
        "oversize-push",
        "no-select-before-fetch",
        "bad-jwt-aud",
        "long-jwt-exp",
        "no-jwt-sub",
        "ignore-silence",
        "keep-after-410",
        "ignore-retry-after",
    ] {
        assert!(out.contains(fault), "{fault} missing from:\n{out}");
    }
    assert!(out.contains("(§7.4 MUST)"), "{out}");
}

#[test]
fn serve_starts_and_prints_where_it_listens() {
    let bin = Bin::new();
    let cert = bin.path("ca.pem");
    let mut out = Lines::new(bin.spawn(&[
        "serve",
        "--json",
        "--listen",
        "127.0.0.1:0",
        "--cert-out",
        cert.to_str().unwrap(),
        "--account",
        "alice:wonder",
        "--fault",
        "skip-ack-push",
    ]));
    let banner = out.next();
    assert_eq!(banner["event"], "serving");
    assert_eq!(banner["accounts"][0], "alice");
    assert_eq!(banner["faults"][0], "skip-ack-push");
    assert!(std::fs::read_to_string(&cert)
        .unwrap()
        .contains("BEGIN CERTIFICATE"));
    // The server it announced answers, over STARTTLS with that CA.
    let run = Bin::new().env("IMAPWEBPUSH_PASSWORD", "wonder").run(&[
        "getvapid",
        "-s",
        banner["imap"].as_str().unwrap(),
        "--ca-file",
        cert.to_str().unwrap(),
        "-u",
        "alice",
        "--json",
    ]);
    run.expect_code(0);
    assert_eq!(run.json()["vapid"], banner["vapid"]);
}

#[test]
fn subscribe_says_what_to_check_when_the_token_push_never_comes() {
    let rt = runtime();
    let rig = rt.block_on(Rig::start_with(|c| {
        c.allow_http_endpoints = true;
        c.faults = imapwebpush::server::Faults::new([imapwebpush::server::Fault::SkipAckPush]);
    }));
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let args = subscribe_args(&rig, &bin, &["--wait", "1"]);
    let run = bin.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    run.expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains("the confirmation push did not arrive"),
        "{err}"
    );
    assert!(
        err.contains("hint:") && err.contains("--public-url"),
        "{err}"
    );
    assert!(run
        .stdout()
        .contains("no push with the ACKWEBPUSH token within 1 s"));
}

#[test]
fn subscribe_no_ack_leaves_it_inactive_and_unsubscribe_on_exit_deletes_it() {
    let rt = runtime();
    let rig = rt.block_on(Rig::start_with(|c| c.allow_http_endpoints = true));
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let args = subscribe_args(
        &rig,
        &bin,
        &["--json", "--no-ack", "--count", "0", "--id", "kept"],
    );
    let run = bin.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    run.expect_code(0);
    assert!(
        !run.stdout().contains("\"event\":\"ack\""),
        "{}",
        run.stdout()
    );
    rt.block_on(async {
        let mut s = rig.client().await;
        let l = lines(&s.run("LWEBPUSH kept").await.unwrap());
        assert!(
            l[0].starts_with("* WEBPUSH kept ") && l[0].ends_with(" NIL"),
            "{l:?}"
        );
    });

    let args = subscribe_args(
        &rig,
        &bin,
        &[
            "--json",
            "--count",
            "0",
            "--id",
            "gone",
            "--unsubscribe-on-exit",
        ],
    );
    let run = bin.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    run.expect_code(0);
    assert!(
        run.stdout().contains("\"event\":\"ack\""),
        "{}",
        run.stdout()
    );
    rt.block_on(async {
        let mut s = rig.client().await;
        let l = lines(&s.run("LWEBPUSH gone").await.unwrap());
        assert_eq!(l.len(), 1, "deleted on exit: {l:?}");
    });
}

/// An endpoint from the library (plain http on loopback) that pushes
/// signed by `signer` reach, with `tweak` applied to its configuration.
async fn library_endpoint(
    signer: &VapidSigner,
    tweak: impl FnOnce(&mut imapwebpush::endpoint::EndpointConfig),
) -> (
    imapwebpush::endpoint::EndpointHandle,
    std::sync::Arc<imapwebpush::push::keys::Keys>,
) {
    let keys = std::sync::Arc::new(imapwebpush::push::keys::Keys::generate().unwrap());
    let mut c = imapwebpush::endpoint::EndpointConfig::new(keys.clone());
    c.expected_vapid = Some(signer.public().clone());
    tweak(&mut c);
    (imapwebpush::endpoint::start(c).await.unwrap(), keys)
}

/// A valid push to a library endpoint.
fn library_push(
    ep: &imapwebpush::endpoint::EndpointHandle,
    keys: &imapwebpush::push::keys::Keys,
    signer: &VapidSigner,
) -> PushRequest {
    let body = ece::encrypt(
        keys.p256dh.point(),
        keys.auth.bytes(),
        b"* SYNC\r\n",
        &EncryptOptions::default(),
    )
    .unwrap();
    let mut r = PushRequest::new(ep.url.clone(), body);
    r.ttl = Some(604_800);
    r.urgency = Some("low".into());
    let aud = Endpoint::parse_allowing_http(&ep.url)
        .unwrap()
        .origin()
        .to_owned();
    let jwt = signer
        .sign(&aud, now() + 3600, Some("mailto:t@example.org"))
        .unwrap();
    r.authorization = Some(signer.authorization(&jwt));
    r
}

/// The next event of a library endpoint as JSON, or a panic after the wait.
async fn next_json(ep: &mut imapwebpush::endpoint::EndpointHandle) -> Value {
    let ev = tokio::time::timeout(WAIT, ep.events.recv())
        .await
        .expect("an endpoint event within the wait")
        .expect("the endpoint is running");
    serde_json::to_value(&ev).unwrap()
}

/// Writes `bytes` on a fresh connection to the endpoint and reads what
/// comes back until the endpoint closes it (bounded by the wait).
async fn raw_exchange(addr: std::net::SocketAddr, bytes: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    // The endpoint may close before reading everything (a refused head).
    let _ = s.write_all(bytes).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(WAIT, s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn requests_hyper_refuses_before_the_router_are_rejected_events() {
    let rt = runtime();
    rt.block_on(async {
        let signer = VapidSigner::generate().unwrap();
        let (mut ep, _) = library_endpoint(&signer, |_| {}).await;
        let path = format!("/push/{}", ep.url.split_once("/push/").unwrap().1);
        let many_headers: String = (0..1000).map(|i| format!("X-H{i}: v\r\n")).collect();
        let cases: Vec<(Vec<u8>, u16, &str)> = vec![
            (b"GARBAGE\x01 / \r\n\r\n".to_vec(), 400, "malformed request"),
            (
                format!("POST {path} HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n").into_bytes(),
                431,
                "too large",
            ),
            (
                format!(
                    "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n"
                )
                .into_bytes(),
                400,
                "content-length",
            ),
            (
                format!(
                    "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"
                )
                .into_bytes(),
                400,
                "content-length",
            ),
            (
                b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
                505,
                "http/2 preface",
            ),
        ];
        for (bytes, status, reason) in cases {
            let answer = raw_exchange(ep.local_addr, &bytes).await;
            let ev = next_json(&mut ep).await;
            assert_eq!(ev["event"], "rejected", "{ev}");
            assert_eq!(ev["status"], status, "{ev} (answered {answer:?})");
            let why = ev["reason"].as_str().unwrap();
            assert!(why.to_lowercase().contains(reason), "{ev}");
            assert!(why.contains("127.0.0.1:"), "names the peer: {ev}");
        }
    });
}

#[test]
fn a_body_trickled_past_the_request_deadline_is_a_408_event() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rt = runtime();
    rt.block_on(async {
        let signer = VapidSigner::generate().unwrap();
        let (mut ep, keys) = library_endpoint(&signer, |c| {
            c.request_timeout = Duration::from_millis(500);
        })
        .await;
        let req = library_push(&ep, &keys, &signer);
        let path = req.endpoint.split_once("/push/").unwrap().1.to_owned();
        let mut s = tokio::net::TcpStream::connect(ep.local_addr).await.unwrap();
        let head = format!(
            "POST /push/{path} HTTP/1.1\r\nHost: x\r\nContent-Encoding: aes128gcm\r\nContent-Length: 4000\r\n\r\nab"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        // The rest never comes: the endpoint answers 408 and reports it
        // (the connection would otherwise live on for a minute, unreported).
        let ev = next_json(&mut ep).await;
        assert_eq!((ev["event"].as_str(), ev["status"].as_u64()), (Some("rejected"), Some(408)), "{ev}");
        assert!(ev["reason"].as_str().unwrap().contains("body not received"), "{ev}");
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(WAIT, s.read_to_end(&mut answer)).await;
        assert!(
            String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 408"),
            "{:?}",
            String::from_utf8_lossy(&answer)
        );
    });
}

#[test]
fn slow_connections_holding_every_slot_make_room_for_a_real_push() {
    use tokio::io::AsyncWriteExt;
    let rt = runtime();
    rt.block_on(async {
        let signer = VapidSigner::generate().unwrap();
        // Two slots, and deadlines far beyond the wait: only making room
        // lets the push through.
        let (mut ep, keys) = library_endpoint(&signer, |c| {
            c.max_connections = 2;
            c.request_timeout = Duration::from_secs(120);
        })
        .await;
        let req = library_push(&ep, &keys, &signer);
        let path = req.endpoint.split_once("/push/").unwrap().1.to_owned();
        let mut slow = Vec::new();
        for _ in 0..2 {
            let mut s = tokio::net::TcpStream::connect(ep.local_addr).await.unwrap();
            s.write_all(format!("POST /push/{path} HTTP/1.1\r\nHost:").as_bytes())
                .await
                .unwrap();
            slow.push(s);
        }
        let client = PushClient::new(Trust::webpki().client_config().unwrap(), true, WAIT);
        let status = client
            .send(&req)
            .await
            .expect("the push is answered")
            .status;
        assert_eq!(status, 201);
        let mut seen = Vec::new();
        while !seen.iter().any(|e: &Value| e["event"] == "push") {
            seen.push(next_json(&mut ep).await);
        }
        // The slow request closed to make room is reported, not dropped.
        let evicted = seen
            .iter()
            .find(|e| e["event"] == "rejected")
            .unwrap_or_else(|| panic!("{seen:?}"));
        assert_eq!(evicted["status"], 408, "{evicted}");
        assert!(
            evicted["reason"]
                .as_str()
                .unwrap()
                .contains("closed to make room"),
            "{evicted}"
        );
        drop(slow);
    });
}

#[test]
fn events_of_requests_whose_connection_ends_while_the_reader_stalls_are_kept() {
    let rt = runtime();
    rt.block_on(async {
        let signer = VapidSigner::generate().unwrap();
        // A queue of one event that nobody reads for now, and connections
        // that end after 6 × 100 ms while their handler waits for room.
        let (mut ep, keys) = library_endpoint(&signer, |c| {
            c.queue = 1;
            c.request_timeout = Duration::from_millis(100);
        })
        .await;
        let client = PushClient::new(Trust::webpki().client_config().unwrap(), true, WAIT);
        let n = 6;
        let mut sends = Vec::new();
        for _ in 0..n {
            let (client, req) = (client.clone(), library_push(&ep, &keys, &signer));
            sends.push(tokio::spawn(async move { client.send(&req).await }));
        }
        // Every connection ends unanswered but one (its event took the
        // queue's only place) while the queue stays full.
        let mut answered = 0;
        for s in sends {
            if s.await.unwrap().is_ok() {
                answered += 1;
            }
        }
        assert!(answered < n, "the handlers waited for room");
        let mut pushes = 0;
        let mut stalled = None;
        while stalled.is_none() {
            let ev = next_json(&mut ep).await;
            match ev["event"].as_str() {
                Some("push") => pushes += 1,
                Some("stalled") => stalled = Some(ev),
                _ => panic!("{ev}"),
            }
        }
        let stalled = stalled.unwrap();
        assert_eq!(pushes, n, "one event per request, none lost: {stalled}");
        assert_eq!(stalled["waited"], n - 1, "{stalled}");
        assert_eq!(stalled["unreported"], 0, "{stalled}");
    });
}

#[test]
fn an_update_to_another_endpoint_drops_the_old_retries_and_sends_the_token_at_once() {
    use crate::support::rig::{next_push, webpush};
    let rt = runtime();
    rt.block_on(async {
        // Retries 600 s apart: the old endpoint answers 503 for ever.
        let rig = Rig::start().await;
        let dead_answer = imapwebpush::endpoint::Answer {
            status: 503,
            retry_after: None,
        };
        let (dead, dead_keys) = rig.endpoint(Some(dead_answer)).await;
        let (mut live, live_keys) = rig.endpoint(None).await;
        let mut log = rig.server.deliveries();
        let mut s = rig.client().await;
        webpush(&mut s, "moving", &dead, &dead_keys).await;
        let d = next_delivery(&mut log, "moving").await;
        assert!(matches!(d.outcome, Outcome::Retry { .. }), "{d:?}");
        // The update's token push does not wait behind the old endpoint's
        // retries (10 minutes here, past the token's life).
        webpush(&mut s, "moving", &live, &live_keys).await;
        let push = next_push(&mut live).await;
        assert!(push.ack_token().is_some(), "{push:?}");
        // The push for the old endpoint is reported dropped, not retried.
        let mut seen = Vec::new();
        while !seen
            .iter()
            .any(|d: &imapwebpush::server::Delivery| matches!(d.outcome, Outcome::GaveUp { .. }))
        {
            seen.push(next_delivery(&mut log, "moving").await);
        }
        let dropped = seen
            .iter()
            .find(|d| matches!(d.outcome, Outcome::GaveUp { .. }))
            .unwrap();
        assert_eq!(dropped.endpoint, dead.url, "{seen:?}");
        assert_eq!(dropped.kind, "ack", "{seen:?}");
        assert!(
            matches!(&dropped.outcome, Outcome::GaveUp { reason } if reason.contains("updated")),
            "{seen:?}"
        );
    });
}

/// A TLS client's close_notify after its last request was taken for the
/// start of a new request, and the connection's end reported as a
/// `rejected` "failed mid-request" event that no request earned (seen as
/// a flaky server test: the old endpoint "got something more").
#[test]
fn a_tls_close_after_the_last_request_is_not_a_request() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rt = runtime();
    rt.block_on(async {
        let rig = Rig::start().await;
        let (mut ep, _keys) = rig.endpoint(None).await;
        let config = Trust::with_ca_pem(&rig.endpoint_ca())
            .unwrap()
            .client_config()
            .unwrap();
        let connector = tokio_rustls::TlsConnector::from(config);
        let addr = ep.local_addr;
        let request = |n: u32| {
            let connector = connector.clone();
            async move {
                let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
                let name = rustls_pki_types::ServerName::try_from("127.0.0.1").unwrap();
                let mut tls = connector.connect(name, tcp).await.unwrap();
                tls.write_all(format!("GET /nothing-{n} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
                    .await
                    .unwrap();
                // The answer (kept alive), read up to its empty body.
                let mut answer = Vec::new();
                let mut byte = [0u8; 1];
                while !answer.ends_with(b"\r\n\r\n") {
                    tls.read_exact(&mut byte).await.unwrap();
                    answer.push(byte[0]);
                }
                assert!(answer.starts_with(b"HTTP/1.1 404"), "{answer:?}");
                // The client's close_notify on the idle connection, then
                // the server's end of it.
                let _ = tls.shutdown().await;
                let _ = tls.read_to_end(&mut Vec::new()).await;
            }
        };
        for n in 0..3 {
            request(n).await;
            let ev = tokio::time::timeout(WAIT, ep.events.recv())
                .await
                .unwrap()
                .unwrap();
            match ev {
                imapwebpush::endpoint::Event::Rejected {
                    status: 404,
                    reason,
                    ..
                } => {
                    assert!(reason.contains(&format!("nothing-{n}")), "{reason}")
                }
                other => panic!("request {n}: {other:?}"),
            }
        }
    });
}

/// An http endpoint in this process, pinned to `signer`, and a client.
async fn in_process(
    signer: &VapidSigner,
) -> (
    imapwebpush::endpoint::EndpointHandle,
    std::sync::Arc<imapwebpush::push::keys::Keys>,
    PushClient,
) {
    use imapwebpush::endpoint::{self, EndpointConfig};
    use imapwebpush::push::keys::Keys;
    let keys = std::sync::Arc::new(Keys::generate().unwrap());
    let mut c = EndpointConfig::new(keys.clone());
    c.expected_vapid = Some(signer.public().clone());
    let ep = endpoint::start(c).await.unwrap();
    let client = PushClient::new(Trust::webpki().client_config().unwrap(), true, WAIT);
    (ep, keys, client)
}

/// What the endpoint answered, and the event it reported.
async fn post(
    ep: &mut imapwebpush::endpoint::EndpointHandle,
    client: &PushClient,
    r: &PushRequest,
) -> (u16, imapwebpush::endpoint::Event) {
    let status = client.send(r).await.unwrap().status;
    let ev = tokio::time::timeout(WAIT, ep.events.recv())
        .await
        .expect("an endpoint event within the wait")
        .expect("the endpoint is running");
    (status, ev)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_of_exactly_the_limit_is_read_one_byte_more_is_413() {
    use imapwebpush::endpoint::{Event, MAX_BODY};
    let signer = VapidSigner::generate().unwrap();
    let (mut ep, _keys, client) = in_process(&signer).await;
    let aud = Endpoint::parse_allowing_http(&ep.url)
        .unwrap()
        .origin()
        .to_owned();
    let jwt = signer.sign(&aud, now() + 3600, None).unwrap();
    let mut r = PushRequest::new(ep.url.clone(), vec![0; MAX_BODY]);
    r.authorization = Some(signer.authorization(&jwt));
    // Read, and refused for what it holds (zeros: a record size of 0).
    let (status, ev) = post(&mut ep, &client, &r).await;
    assert_eq!(status, 400, "{ev:?}");
    assert!(matches!(ev, Event::Rejected { .. }), "{ev:?}");
    r.body.push(0);
    let (status, ev) = post(&mut ep, &client, &r).await;
    assert_eq!(status, 413, "{ev:?}");
}

/// A verified JWT is remembered only until its `exp`: from that second on
/// it is verified again, and found expired (RFC 8292 §2). The endpoint
/// reads the system clock, so this waits for it to pass `exp` (about two
/// seconds).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_jwt_is_verified_again_once_it_expires() {
    let signer = VapidSigner::generate().unwrap();
    let (mut ep, keys, client) = in_process(&signer).await;
    let aud = Endpoint::parse_allowing_http(&ep.url)
        .unwrap()
        .origin()
        .to_owned();
    let exp = now() + 2;
    let request = |jwt: &str| {
        let body = ece::encrypt(
            keys.ua.public(),
            keys.ua.auth(),
            b"* SYNC\r\n",
            &EncryptOptions::default(),
        )
        .unwrap();
        let mut r = PushRequest::new(ep.url.clone(), body);
        r.authorization = Some(signer.authorization(jwt));
        r
    };
    // Two JWTs (ECDSA signatures differ), both verified and remembered.
    let a = request(&signer.sign(&aud, exp, None).unwrap());
    let b = request(&signer.sign(&aud, exp, None).unwrap());
    assert_ne!(a.authorization, b.authorization);
    for r in [&a, &b] {
        let (status, ev) = post(&mut ep, &client, r).await;
        assert_eq!(status, 201, "{ev:?}");
    }
    let until = |t: u64| async move {
        tokio::time::timeout(WAIT, async {
            while now() < t {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .expect("the clock reaches exp");
    };
    // In the very second of exp: expired (exp <= now), not remembered.
    until(exp).await;
    let (status, ev) = post(&mut ep, &client, &b).await;
    assert_eq!(status, 401, "at exp: {ev:?}");
    // After it, the other JWT too.
    until(exp + 1).await;
    let (status, ev) = post(&mut ep, &client, &a).await;
    assert_eq!(status, 401, "after exp: {ev:?}");
}
