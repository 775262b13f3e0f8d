//! Hostile peers, over loopback: what one client can do to `serve` (deep
//! nesting, wildcard patterns, unfinished literals, connection floods,
//! storage, session silences) and what one server or push service can do
//! to us (deep responses, drips, floods, huge Retry-After). Each test is a
//! reproducer of an attack: the target answers BAD or NO, or fails with a
//! typed error, within a bounded time, and keeps serving others.

use std::net::SocketAddr;
use std::time::Duration;

use imapwebpush::endpoint::Answer;
use imapwebpush::imap::session::{MAX_UNTAGGED, MAX_UNTAGGED_BYTES};
use imapwebpush::imap::{
    Arg, ConnectOptions, ImapError, Response, ServerAddr, Session, TlsMode, Untagged,
};
use imapwebpush::push::content::{analyze, PushResponse};
use imapwebpush::secret::Secret;
use imapwebpush::server::Outcome;
use imapwebpush::tls::Trust;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

use crate::support::rig::{lines, next_delivery, next_push, subscribe, webpush, Rig, WAIT};

type Reader = BufReader<OwnedReadHalf>;

/// A plaintext connection to the rig's server, greeting read.
async fn raw(addr: SocketAddr) -> (Reader, OwnedWriteHalf, String) {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (r, w) = tcp.into_split();
    let mut r = BufReader::new(r);
    let greeting = read_line(&mut r).await;
    (r, w, greeting)
}

async fn read_line(r: &mut Reader) -> String {
    let mut l = String::new();
    tokio::time::timeout(WAIT, r.read_line(&mut l))
        .await
        .expect("a line from the server within the wait")
        .unwrap();
    l
}

/// A server where plaintext LOGIN is allowed, with `tweak` applied.
async fn plaintext_rig(tweak: impl FnOnce(&mut imapwebpush::server::ServerConfig)) -> Rig {
    Rig::start_with(|c| {
        c.allow_plaintext_login = true;
        tweak(c);
    })
    .await
}

fn plain_options(addr: SocketAddr, timeout: Duration) -> ConnectOptions {
    ConnectOptions {
        addr: ServerAddr::parse(&format!("imap://{addr}"), Some(TlsMode::None)).unwrap(),
        trust: Trust::webpki(),
        timeout,
    }
}

/// A plaintext client logged in to a rig made with [`plaintext_rig`].
async fn plain_client(rig: &Rig, user: &str) -> Session {
    let mut s = Session::connect(&plain_options(rig.server.addr, WAIT), None)
        .await
        .unwrap();
    s.login(user, &Secret::new(user.to_owned())).await.unwrap();
    s
}

// ---------------------------------------------------------------- server

/// `a LOGIN` followed by 10,000 `(` used to overflow the server's stack
/// and abort the process; now BAD, and the same and other sessions go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_nesting_in_a_command_is_bad_and_the_server_lives() {
    let rig = plaintext_rig(|_| {}).await;
    let (mut r, mut w, _) = raw(rig.server.addr).await;
    for deep in [
        format!("a LOGIN {}\r\n", "(".repeat(10_000)),
        format!("b LOGIN {}{}\r\n", "(".repeat(5_000), ")".repeat(5_000)),
    ] {
        w.write_all(deep.as_bytes()).await.unwrap();
        let answer = read_line(&mut r).await;
        assert!(
            answer.contains(" BAD ") && answer.contains("nested"),
            "{answer}"
        );
    }
    w.write_all(b"c NOOP\r\n").await.unwrap();
    assert_eq!(read_line(&mut r).await, "c OK NOOP completed\r\n");

    // After login: SELECT, LIST and FETCH take lists too.
    let mut s = plain_client(&rig, "demo").await;
    let deep = "(".repeat(10_000);
    for cmd in [
        format!("SELECT INBOX {deep}"),
        format!("LIST {deep} *"),
        format!("APPEND INBOX {deep}"),
    ] {
        let reply = s.run(&cmd).await.unwrap();
        assert!(reply.tagged.contains(" BAD "), "{}", reply.tagged);
    }
    assert!(s.run("SELECT INBOX").await.unwrap().is_ok());
    let reply = s.run(&format!("FETCH 1:* {deep}")).await.unwrap();
    assert!(reply.tagged.contains(" BAD "), "{}", reply.tagged);
    let mut other = plain_client(&rig, "other").await;
    assert!(other.run("NOOP").await.unwrap().is_ok());
}

/// `LWEBPUSH %%%%%%%%%%!` took 20 s under the store's lock, and every
/// other LOGIN waited for it; `******b` against a 1,024-character ID ran
/// on for longer. Now the match is linear and runs outside the lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pathological_lwebpush_patterns_finish_and_block_nobody() {
    let rig = plaintext_rig(|_| {}).await;
    let (ep, keys) = rig.endpoint(None).await;
    let mut s = plain_client(&rig, "demo").await;
    let long_a = "a".repeat(1024);
    let long_b = format!("{}c", "a".repeat(1023));
    for id in [long_a.as_str(), long_b.as_str(), "short"] {
        let reply = webpush(&mut s, id, &ep, &keys).await;
        assert!(reply.last().unwrap().contains(" OK "), "{reply:?}");
    }
    let attack = async {
        for p in [
            "%%%%%%%%%%!".to_owned(),
            "******b".to_owned(),
            format!("{}b", "*%".repeat(500)),
        ] {
            let r = s.run(&format!("LWEBPUSH {p}")).await.unwrap();
            assert_eq!(lines(&r).len(), 1, "{p}: nothing matches: {:?}", lines(&r));
            assert!(r.is_ok(), "{}", r.tagged);
        }
        let r = s.run("LWEBPUSH *%").await.unwrap();
        assert_eq!(
            lines(&r).len(),
            4,
            "all three and the tagged OK: {:?}",
            lines(&r)
        );
    };
    let bystander = async {
        let mut other = plain_client(&rig, "other").await;
        assert!(other.run("NOOP").await.unwrap().is_ok());
    };
    tokio::time::timeout(Duration::from_secs(20), async {
        tokio::join!(attack, bystander);
    })
    .await
    .expect("LWEBPUSH with wildcards and another LOGIN finish in bounded time");
}

/// Before login, a literal beyond what LOGIN needs is refused from its
/// announcement (200 such connections held 2 GB); after it, the configured
/// limit applies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn literals_before_login_are_small() {
    let rig = plaintext_rig(|_| {}).await;
    let (mut r, mut w, _) = raw(rig.server.addr).await;
    w.write_all(b"a LOGIN demo {1048576}\r\n").await.unwrap();
    let no = read_line(&mut r).await;
    assert!(no.starts_with("a NO [TOOBIG]"), "{no}");
    w.write_all(b"b LOGIN demo {4}\r\n").await.unwrap();
    assert!(read_line(&mut r).await.starts_with("+ "));
    w.write_all(b"demo\r\n").await.unwrap();
    assert!(read_line(&mut r).await.starts_with("b OK "));
    // Logged in: a 1 MiB literal is fine.
    w.write_all(b"c APPEND INBOX {1048576}\r\n").await.unwrap();
    assert!(read_line(&mut r).await.starts_with("+ "));
    let mut msg = b"Subject: big\r\n\r\n".to_vec();
    msg.resize(1 << 20, b'x');
    w.write_all(&msg).await.unwrap();
    w.write_all(b"\r\n").await.unwrap();
    let ok = read_line(&mut r).await;
    assert!(ok.starts_with("c OK [APPENDUID"), "{ok}");
}

/// Past `max_connections`, a connection is greeted with BYE and closed;
/// the server keeps serving the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_limit_are_greeted_with_bye() {
    let rig = plaintext_rig(|c| c.max_connections = 2).await;
    let (_r1, _w1, g1) = raw(rig.server.addr).await;
    let (mut r2, mut w2, g2) = raw(rig.server.addr).await;
    assert!(g1.starts_with("* OK") && g2.starts_with("* OK"), "{g1}{g2}");
    let (mut r3, _w3, g3) = raw(rig.server.addr).await;
    assert!(g3.starts_with("* BYE too many connections"), "{g3}");
    let mut rest = String::new();
    let n = tokio::time::timeout(WAIT, r3.read_line(&mut rest))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n, 0, "closed after BYE, sent {rest:?}");
    w2.write_all(b"x NOOP\r\n").await.unwrap();
    assert_eq!(read_line(&mut r2).await, "x OK NOOP completed\r\n");

    // One leaves: its place is free again (once the server has seen it go).
    w2.write_all(b"y LOGOUT\r\n").await.unwrap();
    drop((r2, w2));
    tokio::time::timeout(WAIT, async {
        loop {
            let (_r, _w, g) = raw(rig.server.addr).await;
            if g.starts_with("* OK") {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("a connection is accepted again after one left");
}

/// APPEND past the account's storage limit is `NO [OVERQUOTA]` (RFC 9208);
/// expunging makes room, and other accounts have their own allowance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn append_past_the_account_limit_is_overquota() {
    let rig = plaintext_rig(|c| c.max_account_bytes = 1000).await;
    let mut s = plain_client(&rig, "demo").await;
    let msg = [b"Subject: x\r\n\r\n".as_slice(), &[b'x'; 600]].concat();
    assert!(append(&mut s, &msg).await.is_ok());
    let over = append(&mut s, &msg).await;
    assert!(over.tagged.contains(" NO [OVERQUOTA]"), "{}", over.tagged);
    let mut other = plain_client(&rig, "other").await;
    assert!(append(&mut other, &msg).await.is_ok());
    assert!(s.run("SELECT INBOX").await.unwrap().is_ok());
    assert!(s.run("STORE 1 +FLAGS (\\Deleted)").await.unwrap().is_ok());
    assert!(s.run("EXPUNGE").await.unwrap().is_ok());
    assert!(append(&mut s, &msg).await.is_ok());
}

async fn append(s: &mut Session, msg: &[u8]) -> imapwebpush::imap::Reply {
    s.run_args(&[Arg::Raw("APPEND INBOX"), Arg::Literal(msg)])
        .await
        .unwrap()
}

/// `SILWEBPUSH id session` twice on one connection left the subscription
/// silenced for ever after the connection ended: pushes were lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_silence_set_twice_ends_with_the_connection() {
    let rig = Rig::start().await;
    let (mut ep, keys) = rig.endpoint(None).await;
    let mut a = rig.client().await;
    subscribe(&mut a, "phone", &mut ep, &keys).await;

    let mut b = rig.client().await;
    for _ in 0..2 {
        let r = b.run("SILWEBPUSH phone session").await.unwrap();
        assert!(r.is_ok(), "{:?}", lines(&r));
    }
    let silenced = |rig: &Rig| {
        !rig.server
            .store()
            .push_targets("demo")
            .iter()
            .any(|t| t.id.as_str() == "phone")
    };
    assert!(silenced(&rig));
    b.logout().await.unwrap();
    // The session's silences end before its socket closes: wait for EOF.
    let closed = tokio::time::timeout(WAIT, b.read_frame()).await.unwrap();
    assert!(closed.is_err(), "{closed:?}");
    assert!(!silenced(&rig), "the silence outlived the connection");

    let msg = b"Subject: after\r\n\r\nhello".to_vec();
    let r = a
        .run_args(&[Arg::Raw("APPEND INBOX"), Arg::Literal(&msg)])
        .await
        .unwrap();
    assert!(r.is_ok());
    let push = next_push(&mut ep).await;
    assert!(
        push.responses
            .iter()
            .any(|r| matches!(r, PushResponse::UidFetch { .. })),
        "{:?}",
        push.responses
    );
}

/// A 429 with `Retry-After: 18446744073709551615` overflowed `Instant`
/// arithmetic and killed the subscription's push worker. The wait is now
/// clamped to a day, and pushes to other subscriptions go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_retry_after_is_clamped_and_pushing_goes_on() {
    let rig = Rig::start().await;
    let mut deliveries = rig.server.deliveries();
    let (mut slow, slow_keys) = rig
        .endpoint(Some(Answer {
            status: 429,
            retry_after: Some(u64::MAX),
        }))
        .await;
    let mut s = rig.client().await;
    webpush(&mut s, "throttled", &slow, &slow_keys).await;
    next_push(&mut slow).await;
    let d = next_delivery(&mut deliveries, "throttled").await;
    match d.outcome {
        Outcome::Retry { after, .. } => {
            assert!(after <= Duration::from_secs(24 * 3600), "{after:?}")
        }
        o => panic!("{o:?}"),
    }
    // Pushing goes on: a fresh subscription is confirmed.
    let (mut ep, keys) = rig.endpoint(None).await;
    subscribe(&mut s, "fresh", &mut ep, &keys).await;
    let d = next_delivery(&mut deliveries, "fresh").await;
    assert_eq!(d.outcome, Outcome::Delivered);
}

// ---------------------------------------------------------------- client

/// What a hostile fake server does once it has a command.
#[derive(Clone, Copy)]
enum Hostile {
    /// `* 1 FETCH (BODYSTRUCTURE ` and 2,000 `(`, then a tagged OK.
    DeepResponse,
    /// The greeting, one byte every 200 ms.
    DripGreeting,
    /// An untagged line every 200 ms, never a tagged answer.
    Trickle,
    /// Untagged lines as fast as the socket takes them.
    Flood,
}

/// A fake server on 127.0.0.1:0 for one connection.
async fn hostile_server(how: Hostile) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let (r, mut w) = tcp.into_split();
        let mut r = BufReader::new(r);
        let greeting = b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hostile\r\n";
        if let Hostile::DripGreeting = how {
            let mut tick = tokio::time::interval(Duration::from_millis(200));
            for b in greeting.iter().cycle() {
                tick.tick().await;
                if w.write_all(&[*b]).await.is_err() {
                    return;
                }
            }
        }
        if w.write_all(greeting).await.is_err() {
            return;
        }
        let mut line = String::new();
        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let tag = line.split(' ').next().unwrap_or("*").to_owned();
        match how {
            Hostile::DeepResponse => {
                let deep = format!("* 1 FETCH (BODYSTRUCTURE {}\r\n", "(".repeat(2000));
                let _ = w.write_all(deep.as_bytes()).await;
                let _ = w.write_all(format!("{tag} OK done\r\n").as_bytes()).await;
                let _ = r.read_line(&mut line).await;
            }
            Hostile::Trickle => {
                let mut tick = tokio::time::interval(Duration::from_millis(200));
                loop {
                    tick.tick().await;
                    if w.write_all(b"* OK still here\r\n").await.is_err() {
                        return;
                    }
                }
            }
            Hostile::Flood => {
                let chunk = b"* OK flood\r\n".repeat(4096);
                while w.write_all(&chunk).await.is_ok() {}
            }
            Hostile::DripGreeting => {}
        }
    });
    addr
}

/// `* 1 FETCH (BODYSTRUCTURE ` and 2,000 `(` overflowed the client's stack
/// in imap-proto; now the line is kept raw with a warning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_keeps_a_deeply_nested_response_raw() {
    let addr = hostile_server(Hostile::DeepResponse).await;
    let mut s = Session::connect(&plain_options(addr, WAIT), None)
        .await
        .unwrap();
    let reply = s.run("FETCH 1 BODYSTRUCTURE").await.unwrap();
    assert!(reply.is_ok());
    match &reply.untagged[0].response {
        Response::Untagged(Untagged::Other { warning: Some(w) }) => {
            assert!(w.contains("nested"), "{w}")
        }
        r => panic!("{r:?}"),
    }
}

/// `--timeout` bounds whole operations: a greeting or an answer that
/// trickles in (one byte, or one untagged line, at a time) used to keep
/// the client waiting for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_timeout_bounds_the_whole_operation() {
    let timeout = Duration::from_secs(2);
    let bound = timeout + Duration::from_secs(8);

    let addr = hostile_server(Hostile::DripGreeting).await;
    let r = tokio::time::timeout(bound, Session::connect(&plain_options(addr, timeout), None))
        .await
        .expect("connect gives up within --timeout");
    assert!(
        matches!(
            r,
            Err(ImapError::Timeout { .. } | ImapError::NoGreeting { .. })
        ),
        "{r:?}"
    );

    let addr = hostile_server(Hostile::Trickle).await;
    let mut s = Session::connect(&plain_options(addr, timeout), None)
        .await
        .unwrap();
    let r = tokio::time::timeout(bound, s.run("NOOP"))
        .await
        .expect("the command gives up within --timeout");
    match r {
        Err(e @ ImapError::Timeout { .. }) => assert!(e.hint().is_some()),
        r => panic!("{r:?}"),
    }
}

/// A server sending untagged lines for ever took the client to 7.4 GB.
/// The responses kept for one command are capped, and the cap, not the
/// clock, ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untagged_flood_stops_at_the_cap() {
    let addr = hostile_server(Hostile::Flood).await;
    // A clock far longer than the flood needs to reach the cap.
    let mut s = Session::connect(&plain_options(addr, Duration::from_secs(300)), None)
        .await
        .unwrap();
    let r = tokio::time::timeout(Duration::from_secs(120), s.run("NOOP"))
        .await
        .expect("the cap ends the command");
    match r {
        Err(e @ ImapError::TooManyResponses { .. }) => {
            assert!(e.hint().is_some());
            assert!(e.to_string().contains(&MAX_UNTAGGED.to_string()), "{e}");
        }
        r => panic!("{r:?}"),
    }
    const _: () = assert!(MAX_UNTAGGED_BYTES <= 64 << 20);
}

// ----------------------------------------------------------- files, pushes

/// A FIFO given as a keys file blocked the reader for ever (and a huge
/// file was read whole): only regular files, and at most 64 KiB of them.
#[cfg(unix)]
#[test]
fn a_fifo_keys_file_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("keys.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(imapwebpush::push::keys::Keys::load(&path, true).map(|_| ()));
    });
    let r = rx
        .recv_timeout(WAIT)
        .expect("loading a FIFO returns instead of blocking");
    let e = r.unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

/// A push whose FETCH nests deeper than the guard allows is kept raw with
/// a reason, never handed to imap-proto's recursive parsers.
#[test]
fn deeply_nested_push_content_is_kept_raw() {
    for deep in [
        format!("* 1 FETCH (ENVELOPE {})\r\n", "(".repeat(5000)),
        format!("* FLAGS {}\r\n", "(".repeat(5000)),
    ] {
        let c = analyze(deep.as_bytes(), None);
        assert!(
            matches!(c.responses[..], [PushResponse::Raw { .. }]),
            "{:?}",
            c.responses
        );
    }
}

/// 200 clients connecting to `serve` at once lost the connections over
/// tokio's default accept queue (128): each came back a second later, when
/// its SYN was sent again. The server's listeners (plaintext and TLS) and
/// the endpoint's now hold 1024 (`imapwebpush::net::BACKLOG`). Shown
/// without a clock: on a single-threaded runtime the test holds the thread,
/// so nothing is accepted while 300 connections are made, and each
/// completes only if the kernel keeps it in the queue (past it, the SYN is
/// dropped and the connect times out).
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "current_thread")]
async fn bursts_of_connections_wait_to_be_accepted() {
    let rig = Rig::start_with(|c| c.tls_listen = Some(([127, 0, 0, 1], 0).into())).await;
    let (ep, _) = rig.endpoint(None).await;
    let listeners = [
        ("IMAP", rig.server.addr),
        ("IMAPS", rig.server.tls_addr.expect("a TLS listener")),
        ("endpoint", ep.local_addr),
    ];
    // The kernel caps every queue at net.core.somaxconn (4096 since Linux
    // 5.4, 128 before).
    let cap: usize = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(4096);
    if cap <= 128 {
        eprintln!(
            "net.core.somaxconn is {cap}: no queue can be longer than tokio's; not shown here"
        );
        return;
    }
    let n = 300.min(cap);
    for (name, addr) in listeners {
        let held: Vec<std::net::TcpStream> = (0..n)
            .map(|i| {
                std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(3))
                    .unwrap_or_else(|e| panic!("{name}: connection {i} not held for accept: {e}"))
            })
            .collect();
        assert_eq!(held.len(), n);
    }
}

// ------------------------------------------------------------ measurement

/// Not a pass/fail test (`cargo test --release -- --ignored
/// --nocapture hostile_load`): 200 sessions log in, run the five commands
/// and APPEND while one client sends deep nesting and another wildcard
/// LWEBPUSH patterns; prints the others' latencies.
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn hostile_load() {
    let rig = plaintext_rig(|_| {}).await;
    let (ep, keys) = rig.endpoint(None).await;
    let url = ep.url.clone();
    let (p256dh, auth) = (keys.p256dh.to_string(), keys.auth.to_string());
    let addr = rig.server.addr;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // The measured sessions start once both attackers are at work.
    let (deep_ready, deep_started) = tokio::sync::oneshot::channel::<()>();
    let (wild_ready, wild_started) = tokio::sync::oneshot::channel::<()>();

    let deep = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let line = format!("a LOGIN {}\r\n", "(".repeat(10_000));
            let mut n = 0u32;
            let mut ready = Some(deep_ready);
            if std::env::var_os("HOSTILE_LOAD_NO_ATTACK").is_some() {
                let _ = ready.take().map(|tx| tx.send(()));
                return n;
            }
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (mut r, mut w, _) = raw(addr).await;
                w.write_all(line.as_bytes()).await.unwrap();
                assert!(read_line(&mut r).await.contains(" BAD "));
                n += 1;
                if let Some(tx) = ready.take() {
                    let _ = tx.send(());
                }
            }
            n
        })
    };
    let wild = {
        let stop = stop.clone();
        let (url, p256dh, auth) = (url.clone(), p256dh.clone(), auth.clone());
        tokio::spawn(async move {
            let mut s = Session::connect(&plain_options(addr, WAIT), None)
                .await
                .unwrap();
            s.login("other", &Secret::new("other".into()))
                .await
                .unwrap();
            for i in 0..8 {
                let id = format!("{}{i}", "a".repeat(1000));
                s.run(&format!("WEBPUSH {id} {url} {p256dh} {auth}"))
                    .await
                    .unwrap();
            }
            let mut n = 0u32;
            let _ = wild_ready.send(());
            if std::env::var_os("HOSTILE_LOAD_NO_ATTACK").is_some() {
                return n;
            }
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for p in ["%%%%%%%%%%!", "******b", "*%*%*%*%*%*%*%*%b"] {
                    assert!(s.run(&format!("LWEBPUSH {p}")).await.unwrap().is_ok());
                    n += 1;
                }
            }
            n
        })
    };

    deep_started.await.unwrap();
    wild_started.await.unwrap();
    let started = std::time::Instant::now();
    let mut sessions = Vec::new();
    for i in 0..200 {
        let (url, p256dh, auth) = (url.clone(), p256dh.clone(), auth.clone());
        sessions.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let t = std::time::Instant::now();
            let mut s = Session::connect(&plain_options(addr, WAIT), None)
                .await
                .unwrap();
            s.login("demo", &Secret::new("demo".into())).await.unwrap();
            lat.push(t.elapsed());
            let id = format!("load{i}");
            let msg = format!("Subject: load {i}\r\n\r\nhello").into_bytes();
            for cmd in [
                "GETVAPID".to_owned(),
                format!("WEBPUSH {id} {url} {p256dh} {auth}"),
                "ACKWEBPUSH 00000000-0000-4000-8000-000000000000".to_owned(),
                "LWEBPUSH load*".to_owned(),
                format!("SILWEBPUSH {id} 10"),
            ] {
                let t = std::time::Instant::now();
                s.run(&cmd).await.unwrap();
                lat.push(t.elapsed());
            }
            let t = std::time::Instant::now();
            let r = s
                .run_args(&[Arg::Raw("APPEND INBOX"), Arg::Literal(&msg)])
                .await
                .unwrap();
            assert!(r.is_ok(), "{}", r.tagged);
            lat.push(t.elapsed());
            lat
        }));
    }
    let mut all = Vec::new();
    let mut logins = Vec::new();
    for s in sessions {
        let lat = s.await.unwrap();
        logins.push(lat[0]);
        all.extend(lat);
    }
    let wall = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let deep_n = deep.await.unwrap();
    let wild_n = wild.await.unwrap();
    let pct = |v: &mut Vec<Duration>, p: f64| {
        v.sort();
        v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
    };
    let (p50, p99, max) = (pct(&mut all, 0.5), pct(&mut all, 0.99), pct(&mut all, 1.0));
    let commands: Vec<Duration> = all
        .iter()
        .copied()
        .filter(|d| !logins.contains(d))
        .collect();
    let mut commands = commands;
    println!(
        "hostile_load: {} operations by 200 sessions in {wall:?}; all: p50 {p50:?}, p99 {p99:?}, \
         max {max:?}; connect+login: p50 {:?}, p99 {:?}; commands: p50 {:?}, p99 {:?}; \
         meanwhile {deep_n} deep-nesting lines and {wild_n} wildcard LWEBPUSH",
        all.len(),
        pct(&mut logins, 0.5),
        pct(&mut logins, 0.99),
        pct(&mut commands, 0.5),
        pct(&mut commands, 0.99),
    );
}
