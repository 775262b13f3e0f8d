//! `check`, the conformance suite: against `serve` with no fault (all pass,
//! nothing left behind), against each `serve --fault` (the named check
//! fails), against a scripted peer and a real Dovecot without WEBPUSH (the
//! capability check fails, the rest skip), and its selection and reports.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use imapwebpush::server::{Fault, Faults, SystemClock};
use imapwebpush::tls::Trust;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use serde_json::Value;

use crate::support::peer::{Peer, PeerConfig, PeerTls, PASSWORD};
use crate::support::pki::Pki;
use crate::support::rig::{lines, Rig};
use crate::support::Bin;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A CA and a certificate for 127.0.0.1 signed by it, as files: the
/// check's endpoint serves the certificate, the server trusts the CA.
struct EndpointCerts {
    ca_pem: String,
    cert: PathBuf,
    key: PathBuf,
}

impl EndpointCerts {
    fn new(dir: &Path) -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = ca.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap()
            .signed_by(&key, &ca, &ca_key)
            .unwrap();
        let cert = dir.join("endpoint.pem");
        let keyf = dir.join("endpoint.key");
        std::fs::write(&cert, leaf.pem()).unwrap();
        std::fs::write(&keyf, key.serialize_pem()).unwrap();
        Self {
            ca_pem: ca.pem(),
            cert,
            key: keyf,
        }
    }
}

/// `serve` in process, with the real clock, trusting the check's endpoint
/// CA, and `faults`.
fn serve(rt: &tokio::runtime::Runtime, certs: &EndpointCerts, faults: &[Fault]) -> Rig {
    serve_tokens_for(rt, certs, faults, 600)
}

/// [`serve`], its tokens living `lifetime` seconds.
fn serve_tokens_for(
    rt: &tokio::runtime::Runtime,
    certs: &EndpointCerts,
    faults: &[Fault],
    lifetime: u64,
) -> Rig {
    rt.block_on(Rig::start_with(|c| {
        c.clock = std::sync::Arc::new(SystemClock);
        c.push_trust = Trust::with_ca_pem(&certs.ca_pem).unwrap();
        c.retry_delay = Duration::from_secs(300);
        c.faults = Faults::new(faults.iter().copied());
        c.token_lifetime = Duration::from_secs(lifetime);
    }))
}

/// The lifetime of `serve`'s tokens where `6.4/token-expires` runs, and
/// what it is told (`--token-lifetime`), so that it waits seconds rather
/// than ten minutes.
const SHORT_TOKEN_LIFETIME: u64 = 3;

/// The arguments that run `6.4/token-expires` against [`serve`].
const TOKEN_EXPIRES: [&str; 5] = [
    "--only",
    "6.4/token-expires",
    "--include-slow",
    "--token-lifetime",
    "3",
];

/// `check` against the rig, with `extra` arguments; JSON report.
fn check(rig: &Rig, bin: &Bin, certs: &EndpointCerts, extra: &[&str]) -> crate::support::Run {
    let ca = bin.path("serve-ca.pem");
    std::fs::write(&ca, rig.server.ca_pem.as_deref().unwrap()).unwrap();
    let server = format!("imap://{}", rig.server.addr);
    let mut args = vec![
        "check",
        "-s",
        &server,
        "-u",
        "demo",
        "--ca-file",
        ca.to_str().unwrap(),
        "--tls-cert",
        certs.cert.to_str().unwrap(),
        "--tls-key",
        certs.key.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    bin.run(&args)
}

fn result<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in the report: {report:#}"))
}

#[test]
fn against_serve_every_must_and_should_passes_and_nothing_is_left_behind() {
    let rt = runtime();
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let certs = EndpointCerts::new(bin.home.path());
    let rig = serve(&rt, &certs, &[]);
    let run = check(&rig, &bin, &certs, &["--format", "json", "--strict"]);
    run.expect_code(0);
    let report = run.json();
    let checks = report["checks"].as_array().unwrap();
    assert!(checks.len() >= 50, "{}", checks.len());
    for c in checks {
        let slow = c["reason"]
            .as_str()
            .is_some_and(|r| r.contains("--include-slow"));
        if slow {
            assert_eq!(c["result"], "skip", "{c:#}");
        } else {
            assert_eq!(c["result"], "pass", "{c:#}");
            assert!(
                c["transcript"].as_array().is_some_and(|t| !t.is_empty()),
                "{c:#}"
            );
        }
    }
    assert_eq!(report["summary"]["fail"], 0);
    assert_eq!(report["server"], rig.server.addr.to_string());
    // Nothing of the run remains: no subscription, no mailbox, no message.
    rt.block_on(async {
        let mut s = rig.client().await;
        let l = lines(&s.run("LWEBPUSH *").await.unwrap());
        assert_eq!(l.len(), 1, "subscriptions left: {l:?}");
        let l = lines(&s.run("LIST \"\" *").await.unwrap());
        assert!(
            l.iter().all(|x| !x.contains("imapwebpush-check")),
            "mailbox left: {l:?}"
        );
        let l = lines(&s.run("SELECT INBOX").await.unwrap());
        assert!(l.contains(&"* 0 EXISTS".to_owned()), "{l:?}");
    });
}

/// Each fault of `serve`, and a check that catches it (`--strict` for a
/// SHOULD). The README's table says the same.
const CAUGHT_BY: &[(Fault, &str)] = &[
    (Fault::NoVapidResponse, "5.1/getvapid-single-vapid"),
    (Fault::NoWebpushResponse, "5.2/inactive-sends-webpush-nil"),
    (Fault::ActivateWithoutAck, "5.3/inactive-until-ack"),
    (Fault::SkipAckPush, "5.2/token-push-sent"),
    (Fault::WrongUrgency, "7.2/urgency-high"),
    (Fault::OversizePush, "7.1/plaintext-limit"),
    (Fault::NoSelectBeforeFetch, "7.1/select-first"),
    (Fault::BadJwtAud, "7/jwt-aud-is-origin"),
    (Fault::LongJwtExp, "7/jwt-exp-within-24h"),
    (Fault::NoJwtSub, "7/jwt-has-sub"),
    (Fault::IgnoreSilence, "5.5/no-push-while-silenced"),
    (Fault::KeepAfter410, "7.4/removed-after-410"),
    (Fault::IgnoreRetryAfter, "7.4/retry-after-honoured"),
    (Fault::NoWebpushCapability, "4/capability-webpush"),
    (
        Fault::ExtensionBeforeLogin,
        "5.1/getvapid-not-authenticated",
    ),
    (Fault::ExtensionBeforeLogin, "5.2/webpush-not-authenticated"),
    (
        Fault::ExtensionBeforeLogin,
        "5.3/ackwebpush-not-authenticated",
    ),
    (
        Fault::ExtensionBeforeLogin,
        "5.4/lwebpush-not-authenticated",
    ),
    (
        Fault::ExtensionBeforeLogin,
        "5.5/silwebpush-not-authenticated",
    ),
    (Fault::MalformedVapidKey, "6.1/vapid-key-is-p256"),
    (Fault::AcceptHttpEndpoint, "5.2/https-endpoint-required"),
    (Fault::AcceptBadKeys, "5.2/p256dh-off-curve-refused"),
    (Fault::IgnoreDelete, "5.2/delete"),
    (Fault::RefuseUnknownDelete, "5.2/delete-unknown-ok"),
    (Fault::ReusableToken, "5.3/token-works-once"),
    (Fault::AcceptUnknownToken, "5.3/unknown-token-no"),
    (Fault::EmptyLwebpush, "5.4/lwebpush-star"),
    (Fault::ForgetSilence, "5.5/silwebpush-seconds"),
    (Fault::SilenceUnknownOk, "5.5/silwebpush-unknown-no"),
    (Fault::WrongVapidKey, "7/vapid-key-is-getvapid"),
    (Fault::WrongEncryptionKey, "5.2/token-push-sent"),
    (Fault::FetchNotUidfetch, "7.1/new-mail-uidfetch"),
    (Fault::NoVanished, "7.1/expunge-vanished"),
    (Fault::ShortTtl, "7.2/ttl-week"),
    (Fault::TopicOnEveryPush, "7.2/no-topic"),
    (Fault::IgnoreEnabled, "5.2/enabled-condstore-modseq"),
    (Fault::PushTwice, "7.1/new-mail-one-push"),
    (Fault::NonV4Token, "6.4/token-is-uuid-v4"),
    (Fault::TokenNeverExpires, "6.4/token-expires"),
    (Fault::Retry5xxAtOnce, "7.4/wait-after-5xx"),
];

#[test]
fn every_fault_of_serve_makes_its_check_fail() {
    use clap::ValueEnum as _;
    for f in Fault::value_variants() {
        assert!(
            CAUGHT_BY.iter().any(|(g, _)| g == f),
            "no check named for fault {f:?}"
        );
    }
    let rt = runtime();
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let certs = EndpointCerts::new(bin.home.path());
    for (fault, id) in CAUGHT_BY {
        let mut args = vec!["--format", "json", "--strict", "--only", id];
        let rig = if *id == TOKEN_EXPIRES[1] {
            args.extend_from_slice(&TOKEN_EXPIRES);
            serve_tokens_for(&rt, &certs, &[*fault], SHORT_TOKEN_LIFETIME)
        } else {
            serve(&rt, &certs, &[*fault])
        };
        let run = check(&rig, &bin, &certs, &args);
        let report = run.json();
        let r = result(&report, id);
        assert!(
            r["result"] == "fail" || r["result"] == "warn",
            "--fault {fault:?}: {id} did not fail: {r:#}"
        );
        assert!(
            r["expected"].is_string() && r["actual"].is_string(),
            "{r:#}"
        );
        assert_eq!(run.code(), 1, "--fault {fault:?}: {r:#}");
        // Run alone, it is the only check that ran.
        assert_eq!(report["summary"]["total"], 1, "{report:#}");
        drop(rig);
    }
}

/// The slow check of §6.4 (skipped by the run of every other check):
/// a token acknowledged after its lifetime is refused, and the check
/// passes. (`--fault token-never-expires` makes it fail, above.)
#[test]
fn an_expired_token_is_refused_and_the_slow_check_passes() {
    let rt = runtime();
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let certs = EndpointCerts::new(bin.home.path());
    let rig = serve_tokens_for(&rt, &certs, &[], SHORT_TOKEN_LIFETIME);
    let mut args = vec!["--format", "json", "--strict"];
    args.extend_from_slice(&TOKEN_EXPIRES);
    let run = check(&rig, &bin, &certs, &args);
    let report = run.json();
    let r = result(&report, "6.4/token-expires");
    assert_eq!(r["result"], "pass", "{r:#}");
    assert_eq!(report["summary"]["total"], 1, "{report:#}");
    run.expect_code(0);
    assert_eq!(TOKEN_EXPIRES[4], SHORT_TOKEN_LIFETIME.to_string());
}

#[test]
fn a_should_failure_is_a_warning_unless_strict() {
    let rt = runtime();
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let certs = EndpointCerts::new(bin.home.path());
    let rig = serve(&rt, &certs, &[Fault::WrongUrgency]);
    let run = check(&rig, &bin, &certs, &["--only", "7.2/urgency-high"]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.contains("! warn 7.2/urgency-high"), "{out}");
    assert!(out.contains("Expected: Urgency: high"), "{out}");
    assert!(out.contains("Actual:   Urgency: very-low"), "{out}");
    assert!(out.contains("Push: * SELECT imapwebpush-check"), "{out}");
    let run = check(
        &rig,
        &bin,
        &certs,
        &["--only", "7.2/urgency-high", "--strict"],
    );
    run.expect_code(1);
}

#[test]
fn junit_has_one_testcase_per_check_named_by_id() {
    let rt = runtime();
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let certs = EndpointCerts::new(bin.home.path());
    let rig = serve(&rt, &certs, &[Fault::IgnoreDelete]);
    let out = bin.path("report.xml");
    let run = check(
        &rig,
        &bin,
        &certs,
        &[
            "--format",
            "junit",
            "--output",
            out.to_str().unwrap(),
            "--only",
            "5.2/delete,5.2/delete-unknown-ok,6.4/*",
        ],
    );
    run.expect_code(1);
    let xml = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<&str> = cases.iter().filter_map(|c| c.attribute("name")).collect();
    assert_eq!(
        names,
        [
            "5.2/delete",
            "5.2/delete-unknown-ok",
            "6.4/token-is-uuid-v4",
            "6.4/token-expires"
        ],
        "{xml}"
    );
    for c in &cases {
        assert!(c.attribute("classname").is_some() && c.attribute("time").is_some());
    }
    let has = |name: &str, child: &str| {
        cases
            .iter()
            .find(|c| c.attribute("name") == Some(name))
            .unwrap()
            .children()
            .any(|n| n.has_tag_name(child))
    };
    assert!(has("5.2/delete", "failure"), "{xml}");
    assert!(!has("5.2/delete-unknown-ok", "failure"), "{xml}");
    assert!(has("6.4/token-expires", "skipped"), "{xml}");
    let suites = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .count();
    assert_eq!(suites, 2, "one testsuite per section: {xml}");
}

#[test]
fn list_needs_no_server_and_only_and_skip_take_globs() {
    let bin = Bin::new();
    let run = bin.run(&["check", "--list", "--format", "json"]);
    run.expect_code(0);
    let all = run.json();
    let all = all.as_array().unwrap();
    assert!(all.len() >= 50);
    for c in all {
        let id = c["id"].as_str().unwrap();
        assert_eq!(id.split('/').next().unwrap(), c["section"], "{c}");
        assert!(["MUST", "SHOULD", "MAY"].contains(&c["level"].as_str().unwrap()));
        assert!(c["requirement"].as_str().is_some_and(|r| !r.is_empty()));
    }
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["check", "--list", "--json"];
        a.extend_from_slice(args);
        let run = bin.run(&a);
        run.expect_code(0);
        run.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let only = ids(&["--only", "5.4/*"]);
    assert_eq!(
        only,
        [
            "5.4/lwebpush-not-authenticated",
            "5.4/lwebpush-star",
            "5.4/lwebpush-by-id"
        ]
    );
    let skipped = ids(&["--only", "5.4/*", "--skip", "*not-authenticated"]);
    assert_eq!(skipped, ["5.4/lwebpush-star", "5.4/lwebpush-by-id"]);
    let two = ids(&["--only", "5.4/lwebpush-star", "--only", "4/*"]);
    assert_eq!(two, ["4/capability-webpush", "5.4/lwebpush-star"]);
    let human = bin.run(&["check", "--list"]);
    human.expect_code(0);
    assert!(human.stdout().contains("MUST"), "{}", human.stdout());
}

/// The report of a run against a server without WEBPUSH: the capability
/// check fails, every other check is skipped saying why.
fn assert_no_webpush(run: &crate::support::Run) {
    run.expect_code(1);
    let report = run.json();
    assert_eq!(result(&report, "4/capability-webpush")["result"], "fail");
    for c in report["checks"].as_array().unwrap() {
        if c["id"] != "4/capability-webpush" {
            assert_eq!(c["result"], "skip", "{c:#}");
            assert!(c["reason"].as_str().unwrap().contains("WEBPUSH"), "{c:#}");
        }
    }
}

#[test]
fn a_server_without_webpush_fails_the_capability_check_and_skips_the_rest() {
    let pki = Pki::new();
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", PASSWORD);
    let ca = bin.path("ca.pem");
    pki.write_ca(&ca);
    // Connections: the run's own, the capability check's, the clean-up's.
    let peer = Peer::start(
        PeerConfig {
            caps: "IMAP4rev1 AUTH=PLAIN SASL-IR".to_owned(),
            tls: PeerTls::StartTls(pki.server.clone()),
            connections: 3,
            ..PeerConfig::default()
        },
        vec![],
    );
    let run = bin.run(&[
        "check",
        "-s",
        &format!("imap://{}", peer.addr()),
        "-u",
        "demo",
        "--ca-file",
        ca.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_no_webpush(&run);
    let log = peer.finish();
    assert!(log.errors.is_empty(), "{:?}", log.errors);
}

/// `check` takes the endpoint options of subscribe and listen, and took
/// `--count` (listed in its help) without doing anything with it.
#[test]
fn count_is_refused_and_not_listed() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "x");
    let help = bin.run(&["check", "--help"]);
    help.expect_code(0);
    assert!(!help.stdout().contains("--count"), "{}", help.stdout());
    assert!(help.stdout().contains("--public-url"), "{}", help.stdout());
    let (_held, port) = crate::support::refused_port();
    let run = bin.run(&[
        "check",
        "-s",
        &format!("imap://127.0.0.1:{port}"),
        "-u",
        "demo",
        "--count",
        "3",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("--count has no meaning"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_server_that_cannot_be_reached_exits_2() {
    let (_held, port) = crate::support::refused_port();
    let run = Bin::new().env("IMAPWEBPUSH_PASSWORD", "x").run(&[
        "check",
        "-s",
        &format!("imap://127.0.0.1:{port}"),
        "-u",
        "demo",
    ]);
    run.expect_code(2);
    assert!(run.stderr().contains("cannot connect"), "{}", run.stderr());
}

/// A throwaway Dovecot on 127.0.0.1, from a config in a temp dir; stopped
/// when dropped.
struct Dovecot {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Dovecot {
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const DOVECOT: &str = "/usr/sbin/dovecot";

impl Dovecot {
    fn start(pki_cert: &str, pki_key: &str) -> Self {
        assert!(
            Path::new(DOVECOT).exists(),
            "{DOVECOT} is missing: install Dovecot (apt-get install dovecot-imapd; CI's .ci/run does) to run this test"
        );
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("cert.pem"), pki_cert).unwrap();
        std::fs::write(d.join("key.pem"), pki_key).unwrap();
        std::fs::create_dir_all(d.join("mail")).unwrap();
        // Dovecot's login processes must not run as root: as root, use its
        // own users (the package makes them) and give the mail to dovecot.
        let id = |args: &[&str]| {
            let o = Command::new("id").args(args).output().unwrap();
            String::from_utf8_lossy(&o.stdout).trim().to_owned()
        };
        let root = id(&["-u"]) == "0";
        let (login_user, internal_user, mail_user) = if root {
            (
                "dovenull".to_owned(),
                "dovecot".to_owned(),
                "dovecot".to_owned(),
            )
        } else {
            let me = id(&["-un"]);
            (me.clone(), me.clone(), me)
        };
        let uid: u32 = id(&["-u", &mail_user]).parse().unwrap();
        let gid: u32 = id(&["-g", &mail_user]).parse().unwrap();
        std::os::unix::fs::chown(d.join("mail"), Some(uid), Some(gid)).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(
            d.join("passwd"),
            format!(
                "demo:{{PLAIN}}demo:{uid}:{gid}::{}::\n",
                d.join("mail").display()
            ),
        )
        .unwrap();
        // The port is free when picked but may be taken by another test
        // before Dovecot binds it; then Dovecot exits, or a connection
        // reaches the other test's listener. Either way: a new port.
        for attempt in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            // A run directory per attempt: a killed master leaves its own.
            let run = d.join(format!("run-{attempt}"));
            std::fs::create_dir_all(&run).unwrap();
            let mut child = Self::spawn(d, &run, port, &login_user, &internal_user, uid);
            if Self::greets(&mut child, port, d) {
                return Self { child, port, dir };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!(
            "Dovecot did not start on five ports: {}",
            std::fs::read_to_string(d.join("dovecot.log")).unwrap_or_default()
        );
    }

    /// Dovecot with a config for `port`, in the foreground.
    fn spawn(
        d: &Path,
        run: &Path,
        port: u16,
        login_user: &str,
        internal_user: &str,
        uid: u32,
    ) -> Child {
        let conf = format!(
            r#"base_dir = {run}
state_dir = {run}
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
auth_mechanisms = plain
disable_plaintext_auth = yes
mail_location = maildir:{d}/mail/%u
default_internal_user = {internal_user}
default_login_user = {login_user}
first_valid_uid = {uid}
passdb {{
  driver = passwd-file
  args = {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = {d}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"#,
            d = d.display(),
            run = run.display()
        );
        let config = d.join("dovecot.conf");
        std::fs::write(&config, conf).unwrap();
        Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// Whether `child` came up on `port`: a connection there is greeted by
    /// Dovecot. False when it exited (the port was taken) or another
    /// listener greets; a greeting slow to come is waited for, and after
    /// 15 s without one this panics.
    fn greets(child: &mut Child, port: u16, d: &Path) -> bool {
        use std::io::Read as _;
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if child.try_wait().unwrap().is_some() {
                return false;
            }
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                stream
                    .set_read_timeout(Some(Duration::from_secs(2)))
                    .unwrap();
                let mut greeting = Vec::new();
                let mut buf = [0; 512];
                while !greeting.contains(&b'\n') {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => greeting.extend_from_slice(&buf[..n]),
                    }
                }
                if !greeting.is_empty() {
                    return String::from_utf8_lossy(&greeting).contains("Dovecot");
                }
            }
            assert!(
                Instant::now() < deadline,
                "Dovecot did not greet on {port}: {}",
                std::fs::read_to_string(d.join("dovecot.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn against_dovecot_the_capability_check_fails_and_the_rest_skip() {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &ca, &ca_key)
        .unwrap();
    let dovecot = Dovecot::start(&cert.pem(), &key.serialize_pem());
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let ca_file = bin.path("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let run = bin.run(&[
        "check",
        "-s",
        &format!("imap://127.0.0.1:{}", dovecot.port),
        "-u",
        "demo",
        "--ca-file",
        ca_file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        run.code(),
        1,
        "{}\nDovecot's log:\n{}",
        run.stderr(),
        dovecot.log()
    );
    assert_no_webpush(&run);
    let cap = result(&run.json(), "4/capability-webpush").clone();
    assert!(
        cap["actual"].as_str().unwrap().contains("IMAP4rev1"),
        "{cap:#}"
    );
}

#[test]
fn ctrl_c_stops_the_run_removes_what_it_created_and_exits_2() {
    let rt = runtime();
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let certs = EndpointCerts::new(bin.home.path());
    let rig = serve(&rt, &certs, &[]);
    let ca = bin.path("serve-ca.pem");
    std::fs::write(&ca, rig.server.ca_pem.as_deref().unwrap()).unwrap();
    let server = format!("imap://{}", rig.server.addr);
    let child = bin.spawn(&[
        "check",
        "-s",
        &server,
        "-u",
        "demo",
        "--ca-file",
        ca.to_str().unwrap(),
        "--tls-cert",
        certs.cert.to_str().unwrap(),
        "--tls-key",
        certs.key.to_str().unwrap(),
        "--format",
        "json",
    ]);
    // Interrupt once the run has created something.
    let store = rig.server.store().clone();
    let all = imapwebpush::webpush::ListPattern::parse("*").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while store.lwebpush("demo", &all).is_empty() {
        assert!(Instant::now() < deadline, "the run created no subscription");
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let run = crate::support::Run(child.wait_with_output().unwrap());
    run.expect_code(2);
    assert_eq!(run.json()["aborted"], "interrupted");
    assert!(
        store.lwebpush("demo", &all).is_empty(),
        "left: {:?}",
        store.lwebpush("demo", &all)
    );
    assert!(
        !store
            .mailboxes("demo")
            .iter()
            .any(|m| m == "imapwebpush-check"),
        "{:?}",
        store.mailboxes("demo")
    );
}
