//! `decode` and `keys` through the binary: the RFC vectors, every input
//! form, failures that keep the rest decoding, and key file permissions.

use imapwebpush::push::b64;
use imapwebpush::push::ece::{self, EncryptOptions};
use imapwebpush::push::vapid::VapidSigner;
use serde_json::Value;

use crate::support::Bin;

/// The bench's corpus of realistic pushes.
#[path = "../benches/support/corpus.rs"]
mod corpus;

const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const UA_PUBLIC: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
const RFC8291_BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

fn json_lines(r: &crate::support::Run) -> Vec<Value> {
    r.stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn ua_public() -> Vec<u8> {
    b64::decode(UA_PUBLIC).unwrap()
}

fn auth() -> [u8; 16] {
    b64::decode(AUTH).unwrap().try_into().unwrap()
}

#[test]
fn rfc8291_vector_from_stdin() {
    let b = Bin::new();
    let out = b.run_stdin(
        &[
            "decode",
            "--private-key",
            UA_PRIVATE,
            "--auth",
            AUTH,
            "--json",
        ],
        Some(format!("{RFC8291_BODY}\n").as_bytes()),
    );
    out.expect_code(0);
    let v = &json_lines(&out)[0];
    assert_eq!(v["ok"], true);
    assert_eq!(v["encoding"], "aes128gcm");
    assert_eq!(v["record_size"], 4096);
    assert_eq!(v["plaintext"], "When I grow up, I want to be a watermelon");
    // Not IMAP: the reader says so.
    let warnings = v["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("unparsed response")),
        "{v}"
    );
}

#[test]
fn every_payload_is_decoded_and_failures_make_exit_1() {
    let b = Bin::new();
    let push = b"* SELECT INBOX\r\n* 3 UIDFETCH (UID 3)\r\n";
    let good = ece::encrypt(&ua_public(), &auth(), push, &EncryptOptions::default()).unwrap();
    let other_auth =
        ece::encrypt(&ua_public(), &[9; 16], push, &EncryptOptions::default()).unwrap();
    let mut flipped = good.clone();
    flipped[100] ^= 0x40;
    let input = format!(
        "{}\nnot base64!\n{}\n{}\n{}\n",
        b64::encode(&good),
        b64::encode(&other_auth),
        b64::encode(&flipped),
        RFC8291_BODY
    );
    let path = b.path("pushes.txt");
    std::fs::write(&path, input).unwrap();
    let out = b.run(&[
        "decode",
        "--private-key",
        UA_PRIVATE,
        "--auth",
        AUTH,
        "--json",
        path.to_str().unwrap(),
    ]);
    out.expect_code(1);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(
        lines[0]["responses"][1],
        serde_json::json!({"type": "UIDFETCH", "uid": 3, "items": {"UID": 3}})
    );
    assert_eq!(lines[0]["warnings"], serde_json::json!([]));
    let label = |i: usize| format!("{}:{}", path.display(), i);
    assert_eq!(
        lines[1],
        serde_json::json!({"ok": false, "input": label(2), "error": "line is not base64 or base64url"})
    );
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .contains("decryption failed"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3]["error"]
            .as_str()
            .unwrap()
            .contains("decryption failed"),
        "{}",
        lines[3]
    );
    assert_eq!(
        lines[4]["plaintext"],
        "When I grow up, I want to be a watermelon"
    );
}

#[test]
fn http_dump_headers_and_vapid_are_checked() {
    let b = Bin::new();
    let push = b"* SELECT INBOX\r\n* 3 UIDFETCH (UID 3)\r\n";
    let body = ece::encrypt(&ua_public(), &auth(), push, &EncryptOptions::default()).unwrap();
    let signer = VapidSigner::generate().unwrap();
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let jwt = signer
        .sign(
            "https://push.example.net",
            exp,
            Some("mailto:ops@example.net"),
        )
        .unwrap();
    let mut dump = format!(
        "POST /push/abc HTTP/1.1\r\nHost: push.example.net\r\nContent-Encoding: aes128gcm\r\nTTL: 60\r\nUrgency: normal\r\nAuthorization: {}\r\nContent-Length: {}\r\n\r\n",
        signer.authorization(&jwt),
        body.len()
    )
    .into_bytes();
    dump.extend_from_slice(&body);
    let path = b.path("dump.http");
    std::fs::write(&path, &dump).unwrap();
    let out = b.run(&[
        "decode",
        "--json",
        "--private-key",
        UA_PRIVATE,
        "--auth",
        AUTH,
        path.to_str().unwrap(),
    ]);
    out.expect_code(0);
    let v = &json_lines(&out)[0];
    assert_eq!(v["vapid"]["valid"], true, "{v}");
    assert_eq!(v["vapid"]["sub"], "mailto:ops@example.net");
    assert_eq!(v["headers"]["ttl"], 60);
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("TTL is 60")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("Urgency is normal, §7.2 says high")),
        "{warnings:?}"
    );

    // Human output says the same.
    let human = b.run(&[
        "decode",
        "--private-key",
        UA_PRIVATE,
        "--auth",
        AUTH,
        path.to_str().unwrap(),
    ]);
    human.expect_code(0);
    assert!(
        human.stdout().contains("vapid: valid"),
        "{}",
        human.stdout()
    );
    assert!(
        human.stdout().contains("* 3 UIDFETCH (UID 3)"),
        "{}",
        human.stdout()
    );
}

#[test]
fn legacy_aesgcm_dump_and_raw_binary() {
    let b = Bin::new();
    let push = b"* SYNC\r\n";
    let (body, params) =
        ece::encrypt_aesgcm(&ua_public(), &auth(), push, &EncryptOptions::default()).unwrap();
    let mut dump = format!(
        "POST /p HTTP/1.1\nContent-Encoding: aesgcm\nEncryption: salt={}\nCrypto-Key: dh={}\nTTL: 604800\nUrgency: low\n\n",
        b64::encode(&params.salt),
        b64::encode(&params.dh)
    )
    .into_bytes();
    dump.extend_from_slice(&body);
    let legacy = b.path("legacy.http");
    std::fs::write(&legacy, &dump).unwrap();
    let raw = b.path("raw.bin");
    std::fs::write(
        &raw,
        ece::encrypt(
            &ua_public(),
            &auth(),
            push,
            &EncryptOptions {
                rs: Some(25),
                ..Default::default()
            },
        )
        .unwrap(),
    )
    .unwrap();
    let out = b.run(&[
        "decode",
        "--json",
        "--private-key",
        UA_PRIVATE,
        "--auth",
        AUTH,
        legacy.to_str().unwrap(),
        raw.to_str().unwrap(),
    ]);
    out.expect_code(0);
    let lines = json_lines(&out);
    assert_eq!(lines[0]["encoding"], "aesgcm");
    assert_eq!(lines[0]["plaintext"], "* SYNC\r\n");
    assert_eq!(lines[0]["vapid"]["findings"][0]["finding"], "missing");
    assert_eq!(lines[1]["encoding"], "aes128gcm");
    assert_eq!(lines[1]["record_size"], 25);
    assert_eq!(lines[1]["responses"][0]["type"], "SYNC");
}

#[test]
fn keys_generate_show_and_permissions() {
    let b = Bin::new();
    let out = b.run(&["keys", "generate", "--json"]);
    out.expect_code(0);
    let path = b.home.path().join("data/imapwebpush/keys.json");
    assert_eq!(out.json()["path"], path.display().to_string());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let again = b.run(&["keys", "generate"]);
    again.expect_code(2);
    assert!(
        again.stderr().contains("already exists") && again.stderr().contains("--force"),
        "{}",
        again.stderr()
    );

    let show = b.run(&[
        "keys",
        "show",
        "--json",
        "--endpoint",
        "https://push.example.net/x",
    ]);
    let v = show.expect_code(0).json();
    assert_eq!(v["endpoint"], "https://push.example.net/x");
    assert_eq!(v["keys"]["p256dh"], out.json()["p256dh"]);
    assert_eq!(v["keys"]["auth"].as_str().unwrap().len(), 22);

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let loose = b.run(&["keys", "show"]);
    loose.expect_code(2);
    assert!(
        loose.stderr().contains("readable by other users") && loose.stderr().contains("chmod 600"),
        "{}",
        loose.stderr()
    );
    // --qr: the same JSON, then a QR code of it, compact (what a phone's
    // scanner hands to a push client).
    let qr = b.run(&["keys", "show", "--force", "--qr"]);
    qr.expect_code(0);
    let stdout = qr.stdout();
    let (json_part, code) = stdout
        .rsplit_once("}\n")
        .unwrap_or_else(|| panic!("no JSON before the QR code: {stdout}"));
    let shown: Value = serde_json::from_str(&format!("{json_part}}}")).unwrap();
    assert_eq!(shown["keys"]["p256dh"], out.json()["p256dh"]);
    assert_eq!(
        code.trim_end_matches('\n'),
        imapwebpush::output::qr(&shown.to_string()),
        "the QR code is not of the JSON shown"
    );
    assert!(code.lines().count() > 20 && code.contains('█'), "{code}");
    assert!(!b.run(&["keys", "show", "--force"]).stdout().contains('█'));

    // --force on generate replaces it and tightens the mode back.
    b.run(&["keys", "generate", "--force"]).expect_code(0);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // decode uses the default keys file.
    let data = std::fs::read_to_string(&path).unwrap();
    let file: Value = serde_json::from_str(&data).unwrap();
    let public = b64::decode(file["p256dh"].as_str().unwrap()).unwrap();
    let a: [u8; 16] = b64::decode(file["auth"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let body = ece::encrypt(&public, &a, b"* SYNC\r\n", &EncryptOptions::default()).unwrap();
    let out = b.run_stdin(&["decode", "--json"], Some(&body));
    out.expect_code(0);
    assert_eq!(json_lines(&out)[0]["plaintext"], "* SYNC\r\n");
}

#[test]
fn missing_keys_and_bad_flags_are_exit_2() {
    let b = Bin::new();
    let out = b.run_stdin(&["decode"], Some(b"AAAA\n"));
    out.expect_code(2);
    assert!(out.stderr().contains("keys generate"), "{}", out.stderr());
    let out = b.run_stdin(
        &["decode", "--private-key", "!!", "--auth", AUTH],
        Some(b"AAAA\n"),
    );
    out.expect_code(2);
    assert!(
        out.stderr()
            .contains("invalid private key: not base64 or base64url")
            && out.stderr().contains("hint: --private-key and --auth"),
        "{}",
        out.stderr()
    );
    assert_eq!(out.stdout(), "", "nothing decoded");
    let out = b.run(&["decode", "--private-key", UA_PRIVATE]);
    out.expect_code(2);
    assert!(
        out.stderr()
            .contains("the following required arguments were not provided")
            && out.stderr().contains("--auth <B64>"),
        "{}",
        out.stderr()
    );
}

/// Regression: the runner panicked ("write stdin": broken pipe) when the
/// binary exited on a usage error before reading its input, which made
/// `missing_keys_and_bad_flags_are_exit_2` fail about one run in 45. More
/// input than a pipe holds makes the early exit certain to break the pipe.
#[test]
fn an_early_exit_before_reading_stdin_is_not_a_runner_failure() {
    let big = vec![b'A'; 4 << 20];
    let out = Bin::new().run_stdin(&["decode"], Some(&big));
    out.expect_code(2);
    assert!(out.stderr().contains("keys generate"), "{}", out.stderr());
}

/// Payloads are decoded in blocks on several threads; the output must keep
/// input order across block boundaries, with failures in their place.
#[test]
fn many_payloads_keep_their_order() {
    let b = Bin::new();
    let mut input = String::new();
    for i in 0..150 {
        if i % 37 == 5 {
            input.push_str("@@@\n");
            continue;
        }
        let push = format!("* SELECT INBOX\r\n* {i} UIDFETCH (UID {i})\r\n");
        input.push_str(&b64::encode(
            &ece::encrypt(
                &ua_public(),
                &auth(),
                push.as_bytes(),
                &EncryptOptions::default(),
            )
            .unwrap(),
        ));
        input.push('\n');
    }
    let path = b.path("many.txt");
    std::fs::write(&path, input).unwrap();
    let out = b.run(&[
        "decode",
        "--json",
        "--private-key",
        UA_PRIVATE,
        "--auth",
        AUTH,
        path.to_str().unwrap(),
    ]);
    out.expect_code(1);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 150);
    for (i, v) in lines.iter().enumerate() {
        assert_eq!(v["input"], format!("{}:{}", path.display(), i + 1));
        if i % 37 == 5 {
            assert_eq!(v["ok"], false);
        } else {
            assert_eq!(v["responses"][1]["uid"], i, "{v}");
        }
    }
}

/// Tiny lines used to cost about 150 times their size in memory (every
/// payload found was kept before any was decoded): 1 MiB of them needed
/// over 96 MiB. Now inputs are read as they are decoded; the binary runs
/// under a 64 MiB limit on its data (`prlimit`, util-linux) and reports
/// every line.
#[test]
fn tiny_lines_are_decoded_in_bounded_memory() {
    use std::io::Read;
    let b = Bin::new();
    let lines = 512 << 10;
    let path = b.path("tiny.txt");
    std::fs::write(&path, "A\n".repeat(lines)).unwrap();
    let mut child = std::process::Command::new("prlimit")
        .arg(format!("--data={}", 64 << 20))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_imapwebpush"))
        .args([
            "decode",
            "--json",
            "--private-key",
            UA_PRIVATE,
            "--auth",
            AUTH,
        ])
        .arg(&path)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("this test needs prlimit (util-linux)");
    // Counted as it comes: the output is some 50 MB.
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = vec![0; 1 << 16];
    let (mut count, mut first) = (0, Vec::new());
    loop {
        let n = stdout.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        if first.len() < 200 {
            first.extend_from_slice(&buf[..n.min(200)]);
        }
        count += buf[..n].iter().filter(|&&c| c == b'\n').count();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}; stderr: {stderr}",
        out.status
    );
    assert_eq!(count, lines, "stderr: {stderr}");
    let first = String::from_utf8_lossy(&first);
    let first: Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(first["error"], "line is not base64 or base64url");
    assert_eq!(first["input"], format!("{}:1", path.display()));
}

/// The 64 MiB limit is on all inputs together (it was per file, so that
/// two files took twice as much): past it, one error names the limit and
/// the inputs after are not read.
#[test]
fn inputs_are_capped_in_total() {
    let b = Bin::new();
    // Lines too long to be payloads: read (and counted) without being
    // kept; the second line of `two` is known too long before the limit.
    let line = format!("{}\n", "A".repeat(20 << 20));
    let (one, two, three) = (b.path("one.txt"), b.path("two.txt"), b.path("three.txt"));
    std::fs::write(&one, line.repeat(2)).unwrap();
    std::fs::write(&two, line.repeat(2)).unwrap();
    std::fs::write(&three, format!("{RFC8291_BODY}\n")).unwrap();
    let out = b.run(&[
        "decode",
        "--json",
        "--private-key",
        UA_PRIVATE,
        "--auth",
        AUTH,
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        three.to_str().unwrap(),
    ]);
    out.expect_code(1);
    let lines = json_lines(&out);
    let inputs: Vec<&str> = lines.iter().map(|l| l["input"].as_str().unwrap()).collect();
    let name = |p: &std::path::Path, n: &str| format!("{}{n}", p.display());
    assert_eq!(
        inputs,
        [
            name(&one, ":1"),
            name(&one, ":2"),
            name(&two, ":1"),
            name(&two, ":2"),
            name(&two, "")
        ],
        "{}",
        out.stdout()
    );
    assert!(lines[..4]
        .iter()
        .all(|l| l["error"].as_str().unwrap().contains("over 1024 KiB")));
    let last = lines[4]["error"].as_str().unwrap();
    assert!(
        last.contains("inputs total more than 64 MiB") && last.contains("smaller groups"),
        "{last}"
    );
}

/// A capture may hold a body of any number of records, but decode reads
/// at most 1 MiB per payload (a push carries 4 KiB): larger is an error for
/// that payload, as a base64 line or a raw body, and the rest decodes.
#[test]
fn payloads_over_the_limit_are_refused() {
    let b = Bin::new();
    let plain = "* 1 EXISTS\r\n".repeat((1 << 20) / 12 + 1);
    let body = ece::encrypt(
        &ua_public(),
        &auth(),
        plain.as_bytes(),
        &EncryptOptions::default(),
    )
    .unwrap();
    let lines = b.path("big.txt");
    std::fs::write(&lines, format!("{}\n{RFC8291_BODY}\n", b64::encode(&body))).unwrap();
    let raw = b.path("big.bin");
    std::fs::write(&raw, &body).unwrap();
    let out = b.run(&[
        "decode",
        "--json",
        "--private-key",
        UA_PRIVATE,
        "--auth",
        AUTH,
        lines.to_str().unwrap(),
        raw.to_str().unwrap(),
    ]);
    out.expect_code(1);
    let v = json_lines(&out);
    assert_eq!(v.len(), 3, "{}", out.stdout());
    for i in [0, 2] {
        assert_eq!(v[i]["ok"], false);
        let e = v[i]["error"].as_str().unwrap();
        assert!(e.contains("over 1024 KiB, decode's limit"), "{e}");
    }
    assert_eq!(v[1]["ok"], true);
    assert_eq!(
        v[1]["plaintext"],
        "When I grow up, I want to be a watermelon"
    );
}

/// `decode` holds a few batches in flight, so that its memory stays flat
/// whatever the input, and its allocator must not add to it. mimalloc
/// asked the kernel for transparent huge pages on its arenas: where THP is
/// on `madvise` (the common default), each 2 MiB region it touched was
/// backed and zeroed whole, and decoding 1,024 corpus payloads held
/// 42 MiB of anonymous memory instead of 11. The payloads are fed on
/// stdin, which stays open while the process is measured, once every
/// line is out. Skipped where THP is `always`: the kernel then backs any
/// large region with huge pages, whatever the allocator asks.
#[cfg(target_os = "linux")]
#[test]
fn decoding_holds_little_memory() {
    use std::io::{BufRead, Write};
    let thp =
        std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").unwrap_or_default();
    if thp.contains("[always]") {
        eprintln!("skipped: transparent huge pages are on for every process here");
        return;
    }
    // Whole batches (32 payloads each): all of them are decoded and
    // written while the input stays open.
    const PAYLOADS: usize = 1024;
    let text: String = corpus::file_text()
        .lines()
        .take(PAYLOADS)
        .flat_map(|l| [l, "\n"])
        .collect();
    let b = Bin::new();
    let mut child = b.spawn_piped(&[
        "decode",
        "--json",
        "--private-key",
        corpus::UA_PRIVATE,
        "--auth",
        corpus::AUTH,
        "-",
    ]);
    let mut stdin = child.stdin.take().unwrap();
    // The pipe comes back open once everything is written.
    let feeder = std::thread::spawn(move || {
        stdin.write_all(text.as_bytes()).unwrap();
        stdin
    });
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    for n in 0..PAYLOADS {
        line.clear();
        let read = stdout.read_line(&mut line).unwrap();
        assert!(read > 0, "output ended after {n} lines");
        assert!(line.starts_with("{\"ok\":true"), "{line}");
    }
    let anon = crate::support::proc_status(child.id(), "RssAnon");
    let anon: u64 = anon.trim_end_matches(" kB").parse().unwrap();
    drop(feeder.join().unwrap());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", out.stderr);
    assert!(
        anon < 24 << 10,
        "decoding holds {anon} KiB of anonymous memory"
    );
}
