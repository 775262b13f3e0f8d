//! What a new user does first, as the built binary on loopback: `serve` in
//! one terminal, `subscribe` in another, with no trust flag. Both sides
//! verify certificates through the per-user local CA, and nothing is
//! written to the temporary directory.

use std::io::{BufRead, BufReader};

use crate::support::Bin;

/// Reads JSON lines from a child's stdout until `want` matches one, or the
/// wait ends.
fn until(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    want: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    for line in lines.by_ref() {
        let line = line.expect("a line");
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if want(&v) {
            return v;
        }
    }
    panic!("the stream ended before the expected event")
}

#[test]
fn serve_then_subscribe_works_with_no_trust_flag() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let tmp = tempfile::tempdir().unwrap();
    let bin = bin.env("TMPDIR", tmp.path().to_str().unwrap());
    let mut serve = bin.spawn(&["serve", "--json", "--listen", "127.0.0.1:0"]);
    let mut serve_out = BufReader::new(serve.stdout.take().unwrap()).lines();
    let banner = until(&mut serve_out, |v| v["event"] == "serving");
    let imap = banner["imap"].as_str().unwrap().to_owned();
    let ca = banner["ca_file"].as_str().unwrap();
    assert!(ca.ends_with("imapwebpush/local-ca.pem"), "{banner}");

    let sub = std::thread::spawn({
        let args: Vec<String> = [
            "subscribe",
            "-s",
            &imap,
            "-u",
            "demo",
            "--json",
            "--count",
            "0",
            "--wait",
            "20",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let child = bin.spawn(&args.iter().map(String::as_str).collect::<Vec<_>>());
        move || child.wait_with_output().unwrap()
    });
    let out = sub.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let listening = &events[0];
    assert!(
        listening["endpoint"]
            .as_str()
            .unwrap()
            .starts_with("https://127.0.0.1:"),
        "the endpoint serves https on loopback by default: {listening}"
    );
    let push = events
        .iter()
        .find(|e| e["event"] == "push")
        .expect("the token push");
    assert_eq!(push["vapid"]["valid"], true, "{push}");
    let ack = events
        .iter()
        .find(|e| e["event"] == "ack")
        .expect("the ack");
    assert_eq!(ack["status"], "OK", "{ack}");
    assert!(
        !events.iter().any(|e| e["event"] == "departure"),
        "a conforming server over https shows no departure: {stdout}"
    );
    // The server's side: the push went out over verified https, 201.
    let delivered = until(&mut serve_out, |v| v["event"] == "delivery");
    assert_eq!(
        (delivered["status"].as_u64(), delivered["outcome"].as_str()),
        (Some(201), Some("delivered")),
        "{delivered}"
    );
    let _ = serve.kill();
    let _ = serve.wait();
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(
        left.is_empty(),
        "nothing is written to the temp directory: {left:?}"
    );
    // The CA key is private to the user.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = std::path::Path::new(ca).with_file_name("local-ca-key.pem");
        let mode = std::fs::metadata(key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
