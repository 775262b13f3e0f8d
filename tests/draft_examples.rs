//! The draft's §5.1–§5.5 and §8 example exchanges, played by the scripted
//! peer; the client's human and `--json` output and exit status asserted.

use serde_json::json;

use crate::support::peer::{Peer, PeerConfig, PASSWORD, USER};
use crate::support::{parse_transcript, transcript, Bin, Step};

const ID: &str = "a8282bf9-6102-4e1b-bb61-d26d0e532e65";
const KEY: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
const VAPID: &str =
    "BOniQ9xHBPNY9gnQW4o-16vHqOb40pEIMifyUdFsxAgyzVkFMguxw0QrdbZcq8hRjN2zpeInRvKVPlkzABvuTnI";

fn bin() -> Bin {
    Bin::new()
        .env("IMAPWEBPUSH_USER", USER)
        .env("IMAPWEBPUSH_PASSWORD", PASSWORD)
}

fn peer(name: &str, connections: usize) -> Peer {
    Peer::start(
        PeerConfig {
            connections,
            ..PeerConfig::default()
        },
        transcript(name),
    )
}

fn with_server<'a>(peer: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--tls", "none", "-s", peer];
    v.extend_from_slice(args);
    v
}

#[test]
fn getvapid_5_1() {
    // Played twice: once for human output, once for --json.
    let mut script = transcript("5.1-getvapid.txt");
    script.extend(transcript("5.1-getvapid.txt"));
    let p = Peer::start(
        PeerConfig {
            connections: 2,
            ..PeerConfig::default()
        },
        script,
    );
    let addr = p.addr();
    let b = bin();
    // The login takes tag a1; the command is a2, LOGOUT a3.
    let human = b.run(&with_server(&addr, &["getvapid"]));
    human.expect_code(0);
    assert_eq!(
        human.stdout(),
        format!("C: a2 GETVAPID\nS: * VAPID {VAPID}\nS: a2 OK GETVAPID completed\n")
    );
    let out = b.run(&with_server(&addr, &["getvapid", "--json"]));
    out.expect_code(0);
    assert_eq!(
        out.json(),
        json!({"command": "GETVAPID", "status": "OK", "text": "GETVAPID completed",
               "vapid": VAPID, "subscriptions": [], "other": [], "warnings": []})
    );
    p.finish_played();
}

#[test]
fn webpush_5_2_create_update_list_delete() {
    let p = peer("5.2-webpush.txt", 6);
    let addr = p.addr();
    let b = bin();
    let j = |args: &[&str]| {
        let mut a = with_server(&addr, args);
        a.push("--json");
        let r = b.run(&a);
        r.expect_code(0);
        r.json()
    };
    assert_eq!(j(&["lwebpush"])["subscriptions"], json!([]));
    let created = j(&[
        "webpush",
        ID,
        "https://push.example.net/push/random1",
        KEY,
        AUTH,
    ]);
    assert_eq!(created["vapid"], VAPID);
    assert_eq!(
        created["subscriptions"],
        json!([{"id": ID, "endpoint": "https://push.example.net/push/random1", "silenced": null}])
    );
    let updated = j(&[
        "webpush",
        ID,
        "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV",
        KEY,
        AUTH,
    ]);
    assert_eq!(updated["subscriptions"][0]["silenced"], json!(null));
    let listed = j(&["lwebpush", "*"]);
    assert_eq!(
        listed["subscriptions"][0]["endpoint"],
        "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV"
    );
    let deleted = j(&["webpush", ID, "--delete"]);
    assert_eq!(deleted["command"], format!("WEBPUSH {ID} NIL"));
    assert_eq!(j(&["lwebpush"])["subscriptions"], json!([]));
    p.finish_played();
}

#[test]
fn ackwebpush_5_3_activates() {
    let p = peer("5.3-ackwebpush.txt", 2);
    let addr = p.addr();
    let b = bin();
    let listed = b.run(&with_server(&addr, &["lwebpush", "--json"]));
    assert_eq!(
        listed.expect_code(0).json()["subscriptions"][0]["silenced"],
        json!(null)
    );
    let acked = b.run(&with_server(
        &addr,
        &["ackwebpush", "585078c5-fb8b-4ed0-8e77-474ab08f0a30"],
    ));
    acked.expect_code(0);
    assert_eq!(
        acked.stdout(),
        format!(
            "C: a2 ACKWEBPUSH 585078c5-fb8b-4ed0-8e77-474ab08f0a30\n\
             S: * WEBPUSH {ID} https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV 0\n\
             S: a2 OK ACKWEBPUSH completed\n"
        )
    );
    p.finish_played();
}

#[test]
fn ackwebpush_5_3_unknown_token_is_no_and_exit_1() {
    let p = peer("5.3-ackwebpush-unknown.txt", 1);
    let out = bin().run(&with_server(
        &p.addr(),
        &[
            "ackwebpush",
            "5aa04cf0-f156-406e-84af-3cee534b23b8",
            "--json",
        ],
    ));
    out.expect_code(1);
    assert_eq!(out.json()["status"], "NO");
    assert_eq!(out.json()["text"], "ACKWEBPUSH completed");
    p.finish_played();
}

#[test]
fn lwebpush_5_4_lists_three_subscriptions() {
    let p = peer("5.4-lwebpush.txt", 2);
    let addr = p.addr();
    let b = bin();
    let all = b.run(&with_server(&addr, &["lwebpush", "--json"]));
    let all = all.expect_code(0).json();
    assert_eq!(all["command"], "LWEBPUSH *");
    assert_eq!(all["status"], "OK");
    assert_eq!(all["text"], "LWEBPUSH completed");
    assert_eq!(all["vapid"], json!(null));
    assert_eq!(
        all["subscriptions"],
        json!([
            {"id": ID, "endpoint": "https://push.endpoint.tld/random1", "silenced": 0},
            {"id": "80a3b492-bc9c-46a9-91ab-5866b27073bb", "endpoint": "https://push.endpoint.tld/random2", "silenced": null},
            {"id": "28626e4e-37d1-456c-a667-5258b5528508", "endpoint": "https://push.endpoint.tld/random3", "silenced": 1112},
        ])
    );
    let one = b.run(&with_server(&addr, &["lwebpush", ID]));
    one.expect_code(0);
    assert_eq!(
        one.stdout(),
        format!("C: a2 LWEBPUSH {ID}\nS: * WEBPUSH {ID} https://push.endpoint.tld/random1 0\nS: a2 OK LWEBPUSH completed\n")
    );
    p.finish_played();
}

#[test]
fn silwebpush_5_5_seconds_and_session() {
    let p = peer("5.5-silwebpush.txt", 2);
    let addr = p.addr();
    let b = bin();
    for arg in ["10", "session"] {
        let out = b.run(&with_server(&addr, &["silwebpush", ID, arg, "--json"]));
        let v = out.expect_code(0).json();
        assert_eq!(v["command"], format!("SILWEBPUSH {ID} {arg}"));
        assert_eq!(v["subscriptions"][0]["silenced"], 10);
    }
    p.finish_played();
}

#[test]
fn rotation_8_deactivates_with_vapid_and_webpush_responses() {
    let p = peer("8-rotation.txt", 2);
    let addr = p.addr();
    let b = bin();
    let active = b.run(&with_server(&addr, &["lwebpush", "--json"]));
    assert_eq!(
        active.expect_code(0).json()["subscriptions"][0]["silenced"],
        0
    );
    let out = b.run(&with_server(
        &addr,
        &[
            "webpush",
            ID,
            "https://push.example.net/push/random1",
            KEY,
            AUTH,
            "--json",
        ],
    ));
    let v = out.expect_code(0).json();
    assert_eq!(v["vapid"], VAPID);
    assert_eq!(v["subscriptions"][0]["silenced"], json!(null));
    p.finish_played();
}

/// Every `S:` line of every example parses as a typed response, with no
/// warning: the §9 grammar covers the draft's own examples.
#[test]
fn every_draft_response_parses() {
    use imapwebpush::imap::response::{parse, Response, Untagged};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for step in parse_transcript(&text) {
            let Step::Server(line) = step else { continue };
            let r = parse(format!("{line}\r\n").as_bytes());
            assert!(
                !matches!(r, Response::Untagged(Untagged::Other { .. })),
                "{line}: {r:?}"
            );
            seen += 1;
        }
    }
    assert!(seen >= 30, "only {seen} server lines found");
}

/// Arguments are validated before anything is sent (exit 2, no
/// connection); `--raw` sends them so a server's BAD can be seen (exit 1).
#[test]
fn arguments_are_checked_unless_raw() {
    let b = bin();
    let bad = b.run(&[
        "-s",
        "127.0.0.1:9",
        "--tls",
        "none",
        "webpush",
        ID,
        "http://push.example.net/x",
        KEY,
        AUTH,
    ]);
    bad.expect_code(2);
    assert!(
        bad.stderr().contains("does not use the https scheme"),
        "{}",
        bad.stderr()
    );
    assert!(bad.stderr().contains("--raw"), "{}", bad.stderr());
    let short = b.run(&[
        "-s",
        "127.0.0.1:9",
        "webpush",
        ID,
        "https://e/",
        &KEY[..80],
        AUTH,
    ]);
    short.expect_code(2);
    assert!(
        short
            .stderr()
            .contains("must be 87 base64url characters, found 80"),
        "{}",
        short.stderr()
    );

    let script = parse_transcript(&format!(
        "C: a1 WEBPUSH {ID} http://push.example.net/x {KEY} {AUTH}\nS: a1 BAD endpoint must be https\n"
    ));
    let p = Peer::start(PeerConfig::default(), script);
    let raw = b.run(&with_server(
        &p.addr(),
        &[
            "webpush",
            ID,
            "http://push.example.net/x",
            KEY,
            AUTH,
            "--raw",
        ],
    ));
    raw.expect_code(1);
    assert!(
        raw.stdout().ends_with("S: a2 BAD endpoint must be https\n"),
        "{}",
        raw.stdout()
    );
    p.finish_played();
}

/// An odd line from the server is shown and warned about, not fatal.
#[test]
fn malformed_untagged_lines_are_kept_with_a_warning() {
    let script = parse_transcript(
        "C: a1 LWEBPUSH *\nS: * WEBPUSH x https://e/1 soon\nS: * WEBPUSH y http://e/2 0\nS: a1 OK done\n",
    );
    let p = Peer::start(PeerConfig::default(), script);
    let out = bin().run(&with_server(&p.addr(), &["lwebpush", "--json"]));
    let v = out.expect_code(0).json();
    assert_eq!(v["other"], json!(["* WEBPUSH x https://e/1 soon"]));
    assert_eq!(v["subscriptions"][0]["id"], "y");
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].as_str().unwrap().contains("duration or NIL"));
    assert!(warnings[1].as_str().unwrap().contains("non-https"));
    p.finish_played();
}
