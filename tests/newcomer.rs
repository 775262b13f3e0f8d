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

/// A `serve` on an ephemeral port, as the built binary; its imap:// URL.
fn serve(bin: &Bin, extra: &[&str]) -> (std::process::Child, String) {
    let mut args = vec!["serve", "--json", "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut child = bin.spawn(&args);
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let banner = until(&mut out, |v| v["event"] == "serving");
    // Keep draining the log so that serve never blocks on a full pipe.
    std::thread::spawn(move || for _ in out {});
    (child, banner["imap"].as_str().unwrap().to_owned())
}

fn subscriptions(bin: &Bin, imap: &str) -> serde_json::Value {
    let r = bin.run(&["lwebpush", "-s", imap, "-u", "demo", "--json"]);
    r.expect_code(0);
    r.json()["subscriptions"].clone()
}

/// Every run of `subscribe` used to make a new ID and leave it behind
/// (the 33rd hit the server's limit): the ID now lives in the keys file.
#[test]
fn subscribe_keeps_its_id_in_the_keys_file_and_reuses_it() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let (mut server, imap) = serve(&bin, &[]);
    let keys = bin.path("keys.json");
    let run = || {
        let r = bin.run(&[
            "subscribe",
            "-s",
            &imap,
            "-u",
            "demo",
            "--json",
            "--count",
            "0",
            "--keys",
            keys.to_str().unwrap(),
        ]);
        r.expect_code(0);
        let stdout = r.stdout();
        let sub: serde_json::Value = stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|v| v["event"] == "subscribed")
            .expect("a subscribed event");
        sub["id"].as_str().unwrap().to_owned()
    };
    let first = run();
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&keys).unwrap()).unwrap();
    assert_eq!(saved["subscription_id"], first.as_str());
    assert_eq!(run(), first, "the second run reuses the ID");
    let subs = subscriptions(&bin, &imap);
    assert_eq!(subs.as_array().unwrap().len(), 1, "{subs}");
    let _ = server.kill();
    let _ = server.wait();
}

/// A run that never got its confirmation push leaves nothing behind,
/// whether the wait ran out or the user pressed Ctrl-C.
#[test]
fn an_unconfirmed_subscription_is_removed_on_timeout_and_on_ctrl_c() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let (mut server, imap) = serve(&bin, &["--fault", "skip-ack-push"]);
    let r = bin.run(&["subscribe", "-s", &imap, "-u", "demo", "--wait", "1"]);
    r.expect_code(1);
    assert!(r.stderr().contains("did not arrive"), "{}", r.stderr());
    assert_eq!(subscriptions(&bin, &imap), serde_json::json!([]));

    let mut child = bin.spawn(&[
        "subscribe",
        "-s",
        &imap,
        "-u",
        "demo",
        "--json",
        "--wait",
        "60",
    ]);
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    until(&mut out, |v| v["event"] == "subscribed");
    interrupt(child.id());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "an interrupted flow did not finish");
    assert_eq!(subscriptions(&bin, &imap), serde_json::json!([]));
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn getvapid_json_shows_a_missing_vapid_response_as_a_warning() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let (mut server, imap) = serve(&bin, &["--fault", "no-vapid-response"]);
    let r = bin.run(&["getvapid", "-s", &imap, "-u", "demo", "--json"]);
    r.expect_code(1);
    let warnings = r.json()["warnings"].clone();
    assert!(
        warnings[0].as_str().is_some_and(|w| w.contains("§5.1")),
        "the departure is in the JSON, not only on stderr: {warnings}"
    );
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn a_subscription_that_breaks_a_rule_says_so_in_the_output() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let (mut server, imap) = serve(&bin, &["--fault", "activate-without-ack"]);
    let r = bin.run(&[
        "subscribe",
        "-s",
        &imap,
        "-u",
        "demo",
        "--count",
        "0",
        "--json",
        "--enable",
        "BOGUS",
    ]);
    let events: Vec<serde_json::Value> = r
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let departures: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "departure")
        .map(|e| e["warning"].as_str().unwrap())
        .collect();
    assert!(
        departures
            .iter()
            .any(|w| w.contains("active before ACKWEBPUSH")),
        "{departures:?}"
    );
    assert!(
        departures.iter().any(|w| w.contains("ENABLE BOGUS")),
        "{departures:?}"
    );
    let human = bin.run(&[
        "subscribe",
        "-s",
        &imap,
        "-u",
        "demo",
        "--count",
        "0",
        "--enable",
        "BOGUS",
    ]);
    assert!(
        !human.stdout().contains("✓ ENABLE BOGUS"),
        "nothing was enabled: {}",
        human.stdout()
    );
    assert!(
        human.stdout().contains("departs from the draft"),
        "{}",
        human.stdout()
    );
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn a_refused_token_push_is_reported_with_its_reason() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let (mut server, imap) = serve(&bin, &["--fault", "bad-jwt-aud"]);
    let r = bin.run(&["subscribe", "-s", &imap, "-u", "demo", "--wait", "3"]);
    r.expect_code(1);
    let err = r.stderr();
    assert!(err.contains("was refused"), "{err}");
    assert!(err.contains("aud"), "the reason is given: {err}");
    assert!(
        !err.contains("reachable only from this machine"),
        "not a reachability hint: {err}"
    );
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn the_subscription_limit_comes_with_a_hint() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let (mut server, imap) = serve(&bin, &["--max-subscriptions", "1"]);
    let key =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    let args = |id: &'static str| -> Vec<String> {
        [
            "webpush",
            "-s",
            &imap,
            "-u",
            "demo",
            id,
            "https://push.example.net/x",
            key,
            "BTBZMqHH6r4Tts7J_aSIgg",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    };
    let run = |id| {
        let a = args(id);
        bin.run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    run("first").expect_code(0);
    let r = run("second");
    r.expect_code(1);
    assert!(r.stdout().contains("[LIMIT]"), "{}", r.stdout());
    assert!(
        r.stderr().contains("lwebpush") && r.stderr().contains("--delete"),
        "{}",
        r.stderr()
    );
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn silwebpush_session_from_a_one_shot_command_says_it_ends_at_once() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let (mut server, imap) = serve(&bin, &[]);
    let r = bin.run(&["silwebpush", "-s", &imap, "-u", "demo", "nosuch", "session"]);
    // Unknown ID: NO, and no note (nothing was silenced).
    r.expect_code(1);
    // An active subscription (only active ones can be silenced).
    let keys = bin.path("keys.json");
    bin.run(&[
        "subscribe",
        "-s",
        &imap,
        "-u",
        "demo",
        "--count",
        "0",
        "--keys",
        keys.to_str().unwrap(),
    ])
    .expect_code(0);
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&keys).unwrap()).unwrap();
    let id = saved["subscription_id"].as_str().unwrap().to_owned();
    let r = bin.run(&["silwebpush", "-s", &imap, "-u", "demo", &id, "session"]);
    r.expect_code(0);
    assert!(r.stderr().contains("has just ended"), "{}", r.stderr());
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn keys_refuse_a_missing_directory_and_a_bad_endpoint() {
    let bin = Bin::new();
    let missing = bin.path("missing/sub/k.json");
    let r = bin.run(&["keys", "generate", "--out", missing.to_str().unwrap()]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("No such file or directory"),
        "{}",
        r.stderr()
    );
    assert!(
        !bin.path("missing").exists(),
        "no directory is made for --out"
    );
    let keys = bin.path("k.json");
    bin.run(&["keys", "generate", "--out", keys.to_str().unwrap()])
        .expect_code(0);
    let r = bin.run(&[
        "keys",
        "show",
        "--keys",
        keys.to_str().unwrap(),
        "--endpoint",
        "notaurl",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("--endpoint \"notaurl\""),
        "{}",
        r.stderr()
    );
}

/// `completions bash | head -2` panicked on the broken pipe (16 of 30
/// runs); a full disk panicked too.
#[test]
fn completions_end_quietly_on_a_closed_pipe_and_say_when_the_disk_is_full() {
    use std::io::Read as _;
    let bin = Bin::new();
    for _ in 0..5 {
        let mut child = bin.spawn(&["completions", "bash"]);
        let mut first = [0u8; 16];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.status.code() == Some(0), "{:?} {err}", out.status);
    }
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    if let Ok(full) = full {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_imapwebpush"))
            .args(["completions", "bash"])
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("No space left"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// `--color` reached our output but not clap's own errors and help.
#[test]
fn the_colour_choice_reaches_clap_errors_and_help() {
    let bin = Bin::new();
    let r = bin.run(&["--color", "always", "--bogus"]);
    r.expect_code(2);
    assert!(r.stderr().contains('\u{1b}'), "{:?}", r.stderr());
    let r = bin.run(&["--color=never", "--bogus"]);
    assert!(!r.stderr().contains('\u{1b}'), "{:?}", r.stderr());
    let r = bin.run(&["--color", "always", "serve", "--help"]);
    assert!(r.stdout().contains('\u{1b}'), "{:?}", r.stdout());
}

/// The man pages name how a command is typed and say what a reader needs
/// beyond the options.
#[test]
fn man_pages_have_the_sections_a_reader_looks_for() {
    let serve = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man/imapwebpush-serve.1"),
    )
    .unwrap();
    assert!(
        serve.contains("\\fBimapwebpush serve\\fR"),
        "the synopsis says `imapwebpush serve`"
    );
    for section in ["EXIT STATUS", "ENVIRONMENT", "FILES"] {
        assert!(serve.contains(section), "{section}");
    }
    let main = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man/imapwebpush.1"),
    )
    .unwrap();
    assert!(main.contains(".SH EXAMPLES"));
    assert!(
        !main.contains("imapwebpush\\-help"),
        "no page for a help command that has none"
    );
}

#[test]
fn listen_on_every_address_points_to_public_url() {
    let bin = Bin::new();
    let r = bin.run(&["listen", "--listen", "0.0.0.0:0", "--http", "--count", "0"]);
    r.expect_code(0);
    let err = r.stderr();
    assert!(err.contains("--public-url"), "{err}");
}

/// A listener on 127.0.0.1:0 that accepts and then writes `greeting`
/// (nothing when empty) and holds the connection for a while.
fn silent_or_plain_listener(greeting: &'static [u8]) -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = l.accept() {
            use std::io::Write as _;
            let _ = s.write_all(greeting);
            std::thread::sleep(std::time::Duration::from_secs(8));
        }
    });
    addr
}

/// imap:// against an implicit-TLS port waited the whole --timeout and
/// said to raise it; imaps:// against a plaintext port said only
/// "InvalidContentType". Each now names the fix.
#[test]
fn the_wrong_tls_mode_is_recognised_and_named() {
    let bin = Bin::new();
    let silent = silent_or_plain_listener(b"");
    let r = bin.run(&[
        "capability",
        "-s",
        &format!("imap://{silent}"),
        "--timeout",
        "3",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("no complete greeting"),
        "{}",
        r.stderr()
    );
    assert!(r.stderr().contains("imaps://"), "{}", r.stderr());
    let plain = silent_or_plain_listener(b"* OK IMAP4rev1 ready\r\n");
    let r = bin.run(&[
        "capability",
        "-s",
        &format!("imaps://{plain}"),
        "--timeout",
        "3",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("did not answer in TLS"),
        "{}",
        r.stderr()
    );
    assert!(r.stderr().contains("imap:// (STARTTLS)"), "{}", r.stderr());
}

#[test]
fn a_password_command_that_is_not_found_says_so() {
    let bin = Bin::new();
    let plain = silent_or_plain_listener(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n");
    let r = bin.run(&[
        "lwebpush",
        "-s",
        &format!("imap://{plain}"),
        "--tls",
        "none",
        "-u",
        "x",
        "--password-command",
        "nosuchcmd-imapwebpush",
        "--timeout",
        "3",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("did not find the command"),
        "{}",
        r.stderr()
    );
}

#[test]
fn an_address_in_use_and_a_damaged_keys_file_come_with_hints() {
    let bin = Bin::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let r = bin.run(&["listen", "--listen", &addr, "--http", "--count", "0"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("hint: another program listens"),
        "{}",
        r.stderr()
    );
    let keys = bin.path("k.json");
    std::fs::write(&keys, b"{not json").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let r = bin.run(&["keys", "show", "--keys", keys.to_str().unwrap()]);
    r.expect_code(2);
    assert!(r.stderr().contains("keys generate"), "{}", r.stderr());
}

/// `cannot connect …: Connection refused` was followed by a cause line
/// repeating it.
#[test]
fn a_cause_is_said_once() {
    let (_held, port) = crate::support::refused_port();
    let addr = format!("127.0.0.1:{port}");
    let r = Bin::new().run(&["capability", "-s", &format!("imaps://{addr}")]);
    r.expect_code(2);
    assert_eq!(r.stderr().matches("refused").count(), 1, "{}", r.stderr());
}

/// A BYE greeting with an OSC sequence (which retitles a terminal) reached
/// the terminal raw through the error message.
#[test]
fn a_hostile_greeting_is_escaped_in_the_error() {
    let bye = silent_or_plain_listener(b"* BYE \x1b]0;pwned\x07 go away\r\n");
    let r = Bin::new().run(&[
        "capability",
        "-s",
        &format!("imap://{bye}"),
        "--timeout",
        "3",
    ]);
    r.expect_code(2);
    let err = r.stderr();
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}]0;pwned"), "{err:?}");
}

/// fish offered file names after `--tls ` and `--color `: clap's rules
/// depend on a condition that fails while an option waits for its value.
/// CI installs fish, so the behaviour itself is checked there.
#[test]
fn fish_offers_the_values_of_tls_and_color_not_files() {
    let script = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/imapwebpush.fish"),
    )
    .unwrap();
    assert!(script.contains("complete -c imapwebpush -l tls -x -a \"implicit starttls none\""));
    assert!(script.contains("complete -c imapwebpush -l color -x -a \"auto always never\""));
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("fish")
        .env("HOME", home.path())
        .arg("-c")
        .arg(format!(
            "source {}; complete -C 'imapwebpush --tls '; complete -C 'imapwebpush lwebpush --color '",
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("completions/imapwebpush.fish")
                .display()
        ))
        .output();
    let Ok(out) = out else {
        assert!(
            std::env::var_os("CI").is_none(),
            "fish is not installed (CI installs it: apt-get install fish)"
        );
        return;
    };
    let offered = String::from_utf8_lossy(&out.stdout);
    let words: Vec<&str> = offered.lines().collect();
    assert_eq!(
        words,
        ["implicit", "none", "starttls", "always", "auto", "never"],
        "{offered}"
    );
}

/// An argument the draft's grammar refuses is a usage error (exit 2)
/// before anything is sent, with the way to send it anyway.
#[test]
fn an_invalid_argument_is_refused_before_connecting_with_the_raw_hint() {
    let r = Bin::new().run(&[
        "webpush",
        "-s",
        "imap://127.0.0.1:1",
        "-u",
        "x",
        "id",
        "http://e/",
        "k",
        "a",
    ]);
    r.expect_code(2);
    assert!(r.stderr().contains("invalid endpoint"), "{}", r.stderr());
    assert!(
        r.stderr().contains("hint: fix the argument, or pass --raw"),
        "{}",
        r.stderr()
    );
}

/// Whether `/proc/PID/status` lists SIGINT among the ignored signals.
#[cfg(target_os = "linux")]
fn ignores_sigint(pid: u32) -> bool {
    let mask = crate::support::proc_status(pid, "SigIgn");
    u64::from_str_radix(&mask, 16).unwrap() & 0b10 != 0
}

/// Ctrl-C, as the terminal sends it.
fn interrupt(pid: u32) {
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// A command started with SIGINT ignored (a script's `serve &`: shells
/// start background jobs so) keeps it ignored, as shells and Python do,
/// instead of stopping at the Ctrl-C meant for the script: Ctrl-C's
/// handler was installed whatever the process inherited. Started plainly,
/// Ctrl-C still stops it. `serve` waits for Ctrl-C alone, `subscribe`
/// watches it to clean up first: both are run.
#[cfg(target_os = "linux")]
#[test]
fn commands_started_with_sigint_ignored_keep_it_ignored() {
    let bin = Bin::new().env("IMAPWEBPUSH_PASSWORD", "demo");
    let serve_args = ["serve", "--json", "--listen", "127.0.0.1:0"];
    // As a script's background job: SIGINT ignored, then the binary.
    let ignoring = |args: &[&str]| {
        let mut sh = vec![
            "-c",
            "trap '' INT; exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_imapwebpush"),
        ];
        sh.extend_from_slice(args);
        bin.spawn_via("sh", &sh)
    };

    let mut plain = bin.spawn(&serve_args);
    let mut out = BufReader::new(plain.stdout.take().unwrap()).lines();
    until(&mut out, |v| v["event"] == "serving");
    assert!(!ignores_sigint(plain.id()));
    interrupt(plain.id());
    assert_eq!(plain.wait().unwrap().code(), Some(0), "Ctrl-C stops serve");

    let mut server = ignoring(&serve_args);
    let mut out = BufReader::new(server.stdout.take().unwrap()).lines();
    let banner = until(&mut out, |v| v["event"] == "serving");
    std::thread::spawn(move || for _ in out {});
    let imap = banner["imap"].as_str().unwrap().to_owned();
    assert!(ignores_sigint(server.id()), "serve took SIGINT over");
    // An ignored signal is dropped when sent: serve goes on serving.
    interrupt(server.id());
    let mut sub = ignoring(&["subscribe", "-s", &imap, "-u", "demo", "--json"]);
    let mut sub_out = BufReader::new(sub.stdout.take().unwrap()).lines();
    until(&mut sub_out, |v| v["event"] == "subscribed");
    assert!(ignores_sigint(sub.id()), "subscribe took SIGINT over");
    interrupt(sub.id());
    assert!(server.try_wait().unwrap().is_none(), "serve stopped");
    let _ = sub.kill();
    let _ = sub.wait();
    let _ = server.kill();
    let _ = server.wait();
}
