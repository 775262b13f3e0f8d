//! Transport security: implicit TLS and STARTTLS with a certificate made at
//! test time, trusted through --ca-file; refusals when trust, STARTTLS or
//! the stream's integrity are missing; plaintext only when asked for.

use crate::support::peer::{Peer, PeerConfig, PeerTls, PASSWORD, USER};
use crate::support::pki::Pki;
use crate::support::Bin;

fn bin() -> Bin {
    Bin::new()
        .env("IMAPWEBPUSH_USER", USER)
        .env("IMAPWEBPUSH_PASSWORD", PASSWORD)
}

fn peer(tls: PeerTls, connections: usize) -> Peer {
    Peer::start(
        PeerConfig {
            tls,
            connections,
            ..PeerConfig::default()
        },
        vec![],
    )
}

#[test]
fn implicit_tls_with_ca_file() {
    let pki = Pki::new();
    let p = peer(PeerTls::Implicit(pki.server.clone()), 1);
    let b = bin();
    let ca = b.path("ca.pem");
    pki.write_ca(&ca);
    let out = b.run(&[
        "-s",
        &format!("imaps://127.0.0.1:{}", p.port),
        "--ca-file",
        ca.to_str().unwrap(),
        "capability",
        "--json",
    ]);
    let v = out.expect_code(0).json();
    assert_eq!(v["tls"], true);
    assert_eq!(v["authenticated"], true);
    assert_eq!(v["webpush"], true);
    p.finish_played();
}

#[test]
fn untrusted_certificate_fails_with_exit_2_and_names_the_problem() {
    let pki = Pki::new();
    let p = peer(PeerTls::Implicit(pki.server.clone()), 1);
    let out = bin().run(&["-s", &format!("imaps://127.0.0.1:{}", p.port), "capability"]);
    out.expect_code(2);
    let err = out.stderr();
    assert!(
        err.contains("invalid server certificate: UnknownIssuer"),
        "{err}"
    );
    assert!(err.contains("hint:") && err.contains("--ca-file"), "{err}");
    assert!(out.stdout().is_empty());
}

#[test]
fn insecure_skips_verification_with_a_warning() {
    let pki = Pki::new();
    let p = peer(PeerTls::Implicit(pki.server.clone()), 1);
    let out = bin().run(&[
        "-s",
        &format!("127.0.0.1:{}", p.port),
        "--insecure",
        "capability",
    ]);
    out.expect_code(0);
    assert!(
        out.stderr().contains("warning: --insecure"),
        "{}",
        out.stderr()
    );
    p.finish_played();
}

#[test]
fn starttls_upgrades_and_refreshes_capabilities() {
    let pki = Pki::new();
    let p = peer(PeerTls::StartTls(pki.server.clone()), 1);
    let b = bin();
    let ca = b.path("ca.pem");
    pki.write_ca(&ca);
    let out = b.run(&[
        "-s",
        &format!("imap://127.0.0.1:{}", p.port),
        "--ca-file",
        ca.to_str().unwrap(),
        "-v",
        "capability",
        "--json",
    ]);
    let v = out.expect_code(0).json();
    assert_eq!(v["tls"], true);
    let log = p.finish_played();
    // STARTTLS first; capabilities asked again over TLS before logging in.
    assert!(log.received[0].ends_with(" STARTTLS"), "{:?}", log.received);
    assert!(
        log.received[1].ends_with(" CAPABILITY"),
        "{:?}",
        log.received
    );
    assert!(
        log.received[2].contains("AUTHENTICATE PLAIN"),
        "{:?}",
        log.received
    );
}

#[test]
fn starttls_not_offered_is_refused() {
    let p = peer(PeerTls::None, 1);
    let out = bin().run(&["-s", &format!("imap://127.0.0.1:{}", p.port), "capability"]);
    out.expect_code(2);
    assert!(
        out.stderr().contains("did not offer STARTTLS"),
        "{}",
        out.stderr()
    );
    assert!(out.stderr().contains("--tls none"), "{}", out.stderr());
    let log = p.finish();
    assert!(
        !log.received
            .iter()
            .any(|l| l.contains("LOGIN") || l.contains("AUTHENTICATE")),
        "{:?}",
        log.received
    );
}

#[test]
fn starttls_injection_is_refused() {
    let pki = Pki::new();
    let p = Peer::start(
        PeerConfig {
            tls: PeerTls::StartTls(pki.server.clone()),
            inject_after_starttls: true,
            ..PeerConfig::default()
        },
        vec![],
    );
    let out = bin().run(&["-s", &format!("imap://127.0.0.1:{}", p.port), "capability"]);
    out.expect_code(2);
    assert!(
        out.stderr()
            .contains("after its STARTTLS answer and before the TLS handshake"),
        "{}",
        out.stderr()
    );
    p.finish();
}

#[test]
fn tls_none_works_in_plaintext_when_named() {
    let p = peer(PeerTls::None, 1);
    let out = bin().run(&[
        "-s",
        &format!("imap://127.0.0.1:{}", p.port),
        "--tls",
        "none",
        "capability",
        "--json",
    ]);
    let v = out.expect_code(0).json();
    assert_eq!(v["tls"], false);
    assert_eq!(v["authenticated"], true);
    p.finish_played();
}
